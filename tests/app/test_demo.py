"""The demo clinic: its six stories are written through the services and fill every list."""

from __future__ import annotations

import pytest

from dosewise.accounts.models import User
from dosewise.assessments.models import CareTask
from dosewise.demo import DEMO_USERS, demo_load
from dosewise.medications.models import MedicationPlan, PrescriptionOverride
from dosewise.monitoring import selectors as monitoring_selectors

pytestmark = pytest.mark.django_db

PRESCRIBER, NURSE = DEMO_USERS[0][0], DEMO_USERS[1][0]


def test_the_demo_worklist_starts_with_the_toxic_lithium_level():
    demo_load(patients=12)
    items = monitoring_selectors.worklist(User.objects.get(email=PRESCRIBER), scope="mine")
    assert "lithium level" in items[0].title and "1.8" in items[0].title
    kinds = {item.kind for item in items}
    assert {"result", "overdue", "side-effect", "low-adherence", "not-improving"} <= kinds, kinds


def test_the_demo_has_labs_to_order_plans_and_no_accidental_risk_task():
    demo_load(patients=12)
    assert monitoring_selectors.labs_to_order(User.objects.get(email=NURSE), scope="mine")
    assert {"taper", "titration"} <= set(MedicationPlan.objects.values_list("kind", flat=True))
    # Every story's override went through the service, with its reason and the finding.
    assert all(o.reason and o.finding for o in PrescriptionOverride.objects.all())
    assert not CareTask.objects.exists()


def test_loading_the_demo_twice_changes_nothing():
    first = demo_load(patients=12)
    again = demo_load(patients=12)
    plans = MedicationPlan.objects.count()
    assert first.created and not again.created
    assert MedicationPlan.objects.count() == plans
