"""The worklist's priorities read as priorities (critical, high, medium, low) in that order."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dosewise.monitoring import selectors, services
from dosewise.monitoring.models import ReviewPriority

pytestmark = pytest.mark.django_db


def test_each_review_priority_has_a_word_in_the_order_of_the_list():
    words = [selectors.WorklistItem(kind="result", priority=p, patient=None, title="", detail="", at=None,
                                    object_id=0, tab="").priority_label for p in sorted(ReviewPriority.values)]
    order = ["Critical", "High", "Medium", "Low"]
    assert words == sorted(words, key=order.index) and set(words) == set(order)


def test_the_worklist_shows_the_priority_in_words(dana, dana_access, prescriber_a, as_user):
    services.observation_record(actor=prescriber_a, access=dana_access, test="lithium-level", value=Decimal("1.8"),
                                unit="mmol/L", effective_at=timezone.now() - timedelta(hours=2))
    page = as_user(prescriber_a).get(reverse("monitoring:worklist"), {"scope": "mine"}).content.decode()
    assert "High priority" in page or "Critical priority" in page
