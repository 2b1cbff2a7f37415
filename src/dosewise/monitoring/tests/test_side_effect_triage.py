"""Side effects are triaged when recorded: urgent and emergency ones raise a care task that is
on Today and the worklist and is escalated like a risk answer; routine ones stay routine."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from dosewise.assessments import services as assessment_services
from dosewise.assessments.models import CareTask
from dosewise.medications import services as medication_services
from dosewise.monitoring import selectors, services
from dosewise.monitoring.models import SideEffect
from dosewise.notifications.models import OutboundMessage


@pytest.fixture
def dana_meds(dana, prescriber_a):
    from dosewise.patients.selectors import access_patient

    dana.clinic.phone = "(312) 555-0142"
    dana.clinic.save(update_fields=["phone"])
    access = access_patient(prescriber_a, dana.pk, "medications.prescribe")
    medication_services.medication_start(actor=prescriber_a, access=access, drug="lamotrigine",
                                         dose_mg_per_day=Decimal(25), frequency="once daily")
    medication_services.medication_start(actor=prescriber_a, access=access, drug="sertraline",
                                         dose_mg_per_day=Decimal(50), frequency="once daily")
    return access


def _record(actor, access, **fields) -> SideEffect:
    data = {"code": "other", "effect": "", "severity": "moderate", "burden": 4, "noted_on": timezone.localdate()}
    data.update(fields)
    return services.side_effect_record(actor=actor, access=access, **data)


def test_a_rash_on_lamotrigine_is_urgent_and_raises_a_task_on_today_and_the_worklist(prescriber_a, dana_meds,
                                                                                      as_user):
    # Sertraline alone is suspected; the triage still checks every current medicine.
    sertraline = next(m for m in selectors.chart_medicines(dana_meds.patient) if m.ingredient == "sertraline")
    item = _record(prescriber_a, dana_meds, code="rash", suspected=[sertraline.pk], severity="mild", burden=2)
    assert item.urgency == "urgent" and item.triage["matches"][0]["sign"] == "serious-rash"
    assert "(312) 555-0142" in item.patient_advice and "Lamictal" in " ".join(item.triage["sources"])
    task = item.care_task
    assert task.kind == "urgent-side-effect" and task.assigned_user == prescriber_a and task.is_open
    assert "lamotrigine" in task.message and "serious skin reaction" in task.message
    items = selectors.worklist(prescriber_a, scope="mine")
    assert any(i.kind == "risk" and i.object_id == task.pk and i.tab == "monitoring" for i in items)
    home = as_user(prescriber_a).get(reverse("web:home")).content.decode()
    assert "Urgent: side effect report" in home
    notice = OutboundMessage.objects.get(purpose="care_task.urgent", to=prescriber_a.email)
    assert "reported a side effect" in notice.body and "rash" not in notice.body


def test_a_common_effect_stays_routine_without_a_task(prescriber_a, dana_meds):
    item = _record(prescriber_a, dana_meds, code="nausea", severity="mild", burden=2)
    assert item.urgency == "routine" and item.care_task is None and not CareTask.objects.exists()


def test_a_blistering_rash_is_an_emergency(prescriber_a, dana_meds):
    item = _record(prescriber_a, dana_meds, code="rash", effect="blistering rash and sore mouth")
    assert item.urgency == "emergency" and item.care_task.kind == "urgent-side-effect"
    assert item.patient_advice.startswith("Call 911")


def test_a_patient_report_is_triaged_like_a_clinicians(patient_user, dana, dana_meds, prescriber_a):
    from dosewise.portal.tests.conftest import link_portal

    link_portal(patient_user, dana, prescriber_a)
    item = services.side_effect_report_from_patient(actor=patient_user, patient=dana, code="other",
                                                    effect="swollen glands and a temperature", severity="moderate",
                                                    burden=5, noted_on=timezone.localdate())
    assert item.urgency == "urgent" and item.care_task is not None
    assert "lamotrigine-hypersensitivity" in [m["sign"] for m in item.triage["matches"]]


def test_an_unacknowledged_side_effect_task_is_escalated_like_a_risk_answer(prescriber_a, dana_meds, settings):
    item = _record(prescriber_a, dana_meds, code="rash")
    later = timezone.now() + timedelta(minutes=settings.RISK_ESCALATION_MINUTES + 1)
    assert assessment_services.care_tasks_escalate(now=later) == 1
    task = CareTask.objects.get(pk=item.care_task_id)
    assert task.escalated_at is not None and task.escalated_to_role == dana_meds.patient.clinic.on_call_role


def test_acknowledging_the_task_acknowledges_the_report(prescriber_a, dana_meds):
    item = _record(prescriber_a, dana_meds, code="rash", severity="severe", burden=8)
    assert item.heavy
    assessment_services.care_task_acknowledge(actor=prescriber_a, task_id=item.care_task_id,
                                              note="Seen today: lamotrigine stopped, dermatology tomorrow")
    item.refresh_from_db()
    assert item.acknowledged_at is not None and "lamotrigine stopped" in item.acknowledgement_note
    assert not [i for i in selectors.worklist(prescriber_a, scope="mine") if i.kind in ("risk", "side-effect")]


def test_the_chart_shows_the_triage_of_each_report(prescriber_a, dana_meds, as_user):
    _record(prescriber_a, dana_meds, code="rash")
    html = as_user(prescriber_a).get(reverse("web:patient_chart_tab",
                                             args=[dana_meds.patient.pk, "monitoring"])).content.decode()
    assert "Urgent, same day" in html and "serious skin reaction" in html


def test_recording_an_urgent_report_from_the_chart_says_a_task_was_raised(prescriber_a, dana_meds, as_user):
    client = as_user(prescriber_a)
    response = client.post(reverse("monitoring:side_effect_create", args=[dana_meds.patient.pk]),
                           {"code": "rash", "effect": "", "severity": "moderate", "burden": "4", "action": "none",
                            "noted_on": timezone.localdate().isoformat()}, follow=True)
    assert "An urgent task was raised for the care team." in response.content.decode()
