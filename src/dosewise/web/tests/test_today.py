"""The Today page shows each role its own work: worklist top, own patients, recent registrations, reviews."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dosewise.monitoring import services as monitoring
from dosewise.patients.models import BreakGlassAccess
from dosewise.patients.selectors import access_patient

pytestmark = pytest.mark.django_db


def test_a_prescriber_sees_a_toxic_lithium_level_at_the_top_of_today(prescriber_a, dana, as_user):
    monitoring.observation_record(actor=prescriber_a, access=access_patient(prescriber_a, dana.pk, "monitoring.view"),
                                  test="lithium-level", value=Decimal("1.9"), unit="mmol/L",
                                  effective_at=timezone.now() - timedelta(hours=2))
    page = as_user(prescriber_a).get("/").content.decode()
    assert "Needs your attention" in page and "1 urgent" in page
    attention = page.split('id="attention"')[1].split("</section>")[0]
    assert "urgent</span>" in attention and dana.display_name in attention and "lithium level" in attention
    assert "Your patients" in page and "Registered lately" not in page


def test_front_desk_sees_recent_registrations_instead_of_an_empty_care_team(front_desk_a, dana, as_user):
    page = as_user(front_desk_a).get("/").content.decode()
    assert "Registered lately" in page and dana.mrn in page
    assert "Your patients" not in page and "Needs your attention" not in page


def test_an_admin_is_told_about_emergency_access_waiting_for_review(admin_a, nurse_a, dana, as_user):
    BreakGlassAccess.objects.create(clinic=dana.clinic, patient=dana, user=nurse_a, reason="on call, patient in ED",
                                    expires_at=timezone.now() + timedelta(hours=4))
    page = as_user(admin_a).get("/").content.decode()
    assert "1 emergency access</strong> waits for your review" in page
    BreakGlassAccess.objects.update(reviewed_at=timezone.now(), reviewed_by=admin_a)
    assert "waits for your review" not in as_user(admin_a).get("/").content.decode()
