"""The demo clinic: its six stories are written through the services and fill every list."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dosewise.accounts.models import User
from dosewise.assessments.models import CareTask
from dosewise.demo import DEMO_USERS, demo_load
from dosewise.medications import selectors as medication_selectors
from dosewise.medications.models import Medication, MedicationPlan, PrescriptionOverride
from dosewise.monitoring import selectors as monitoring_selectors

pytestmark = pytest.mark.django_db

PRESCRIBER, NURSE = DEMO_USERS[0][0], DEMO_USERS[1][0]


def test_the_demo_worklist_starts_with_the_toxic_lithium_level_and_the_urgent_clozapine_constipation():
    demo_load(patients=12)
    items = monitoring_selectors.worklist(User.objects.get(email=PRESCRIBER), scope="mine")
    results = [item for item in items if item.kind == "result"]
    assert "lithium level" in results[0].title and "1.8" in results[0].title
    urgent = [item for item in items if item.priority <= 1]
    assert items[:len(urgent)] == urgent and results[0] in urgent
    assert any(item.kind == "risk" and "constipation" in item.detail and item.tab == "monitoring" for item in urgent)
    kinds = {item.kind for item in items}
    assert {"result", "overdue", "side-effect", "low-adherence", "not-improving"} <= kinds, kinds


def test_the_demo_has_labs_to_order_plans_and_no_accidental_risk_task():
    demo_load(patients=12)
    assert monitoring_selectors.labs_to_order(User.objects.get(email=NURSE), scope="mine")
    assert {"taper", "titration"} <= set(MedicationPlan.objects.values_list("kind", flat=True))
    # Every story's override went through the service, with its structured reason and the finding.
    assert all(o.reason and o.reason_code and o.finding for o in PrescriptionOverride.objects.all())
    # The only tasks are the triage's: severe constipation on clozapine is urgent (Clozaril warnings).
    assert set(CareTask.objects.values_list("kind", flat=True)) == {"urgent-side-effect"}


def test_raising_the_toxic_lithium_dose_in_the_demo_gives_a_finding_that_holds_the_increase():
    demo_load(patients=12)
    lithium = Medication.objects.get(ingredient="lithium")
    check = medication_selectors.order_check(lithium.patient, drug="lithium", dose_mg_per_day=Decimal(1500),
                                             exclude_medication_id=lithium.pk)
    (finding,) = [f for f in check.findings if f.rule_id == "result-lithium-level-toxic"]
    assert finding.severity == "contraindicated" and "1.8 mmol/L" in finding.summary
    assert finding.action.startswith("hold the increase") and finding in check.blocking
    assert "lithium level" in [r.name for r in check.results_used]


def test_loading_the_demo_twice_changes_nothing():
    first = demo_load(patients=12)
    again = demo_load(patients=12)
    plans = MedicationPlan.objects.count()
    assert first.created and not again.created
    assert MedicationPlan.objects.count() == plans


def test_the_demo_sertraline_story_is_documented_on_the_visits_tab():
    from dosewise.visits.models import NoteAddendum, NoteKind, NoteStatus, TreatmentTrial, VisitNote
    from dosewise.visits.selectors import treatment_history

    demo_load(patients=12)
    notes = VisitNote.objects.filter(status=NoteStatus.SIGNED)
    assert set(notes.values_list("kind", flat=True)) == {NoteKind.INITIAL_EVALUATION, NoteKind.FOLLOW_UP,
                                                          NoteKind.LETTER}
    follow_up = notes.get(kind=NoteKind.FOLLOW_UP)
    assert NoteAddendum.objects.filter(note=follow_up).count() == 1
    assert follow_up.interval["scores"] and follow_up.interval["medicines"]
    patient = follow_up.patient
    assert TreatmentTrial.objects.filter(patient=patient).count() == 3
    assert treatment_history(patient)[2].meets
