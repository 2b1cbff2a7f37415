from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demographics

from dosewise.assessments.models import ScoreSummary
from dosewise.audit.models import AuditEvent
from dosewise.monitoring import selectors, services
from dosewise.monitoring.models import MonitoringDue, Observation, WorklistAcknowledgement
from dosewise.monitoring.tests.conftest import hours_ago
from dosewise.patients import services as patient_services
from dosewise.patients.selectors import access_patient

pytestmark = pytest.mark.django_db


def tab_url(patient):
    return reverse("web:patient_chart_tab", kwargs={"patient_id": patient.pk, "tab": "monitoring"})


def test_the_tab_records_a_lithium_level_and_shows_it_flagged(prescriber_a, dana, as_user):
    client = as_user(prescriber_a)
    page = client.get(tab_url(dana))
    assert b"Enter a result" in page.content and b"Due and overdue monitoring" in page.content
    response = client.post(reverse("monitoring:result_create", kwargs={"patient_id": dana.pk}),
                           {"test": "lithium-level", "value": "1.8", "unit": "mmol/L",
                            "effective_at": "2025-03-04T08:15"}, follow=True)
    body = response.content.decode()
    assert "1.8 mmol/L saved (toxic): urgent: lithium toxicity is likely" in body
    assert 'class="row-flag-high"' in body
    result = Observation.objects.get()
    # The form is in clinic time (America/Chicago): 08:15 CST is 14:15 UTC.
    assert result.effective_at.isoformat() == "2025-03-04T14:15:00+00:00"


def test_the_tab_explains_a_refused_value(prescriber_a, dana, as_user):
    response = as_user(prescriber_a).post(
        reverse("monitoring:result_create", kwargs={"patient_id": dana.pk}),
        {"test": "lithium-level", "value": "18", "unit": "mmol/L", "effective_at": "2025-03-04T08:15"}, follow=True)
    assert "is not a possible lithium level" in response.content.decode()
    assert not Observation.objects.exists()


def test_a_therapist_does_not_see_the_form(therapist_a, dana, as_user):
    assert as_user(therapist_a).get(tab_url(dana)).status_code == 404


def _patient(prescriber, n: int):
    return patient_services.patient_register(actor=prescriber, data=demographics(
        legal_given_name=f"Pat{n}", legal_family_name="Tester", email=f"p{n}@example.org"))


def test_the_worklist_orders_critical_then_urgent_then_other_and_costs_constant_queries(prescriber_a, dana):
    def add(patient, test, value, unit, hours):
        access = access_patient(prescriber_a, patient.pk, "monitoring.view")
        return services.observation_record(actor=prescriber_a, access=access, test=test, value=value, unit=unit,
                                           effective_at=hours_ago(hours))

    low = add(dana, "sodium", "132", "mmol/L", 1)
    urgent = add(dana, "lithium-level", "1.8", "mmol/L", 5)
    add(dana, "lithium-level", "0.8", "mmol/L", 50)
    with CaptureQueriesContext(connection) as few:
        items = selectors.worklist(prescriber_a, scope="mine")
    assert [(i.kind, i.object_id) for i in items] == [("result", urgent.pk), ("result", low.pk)]
    others = [_patient(prescriber_a, n) for n in range(4)]
    critical = add(others[0], "anc", "0.3", "10*9/L", 10)
    for patient in others[1:]:
        add(patient, "lithium-level", "1.3", "mmol/L", 2)
    summary = ScoreSummary.objects.create(clinic=dana.clinic, patient=others[1], questionnaire="phq9", count=3,
                                          baseline_total=18, latest_total=17, latest_at=hours_ago(1),
                                          not_improving=True)
    with CaptureQueriesContext(connection) as many:
        items = selectors.worklist(prescriber_a, scope="mine")
    assert len(many) == len(few)
    assert items[0].object_id == critical.pk and items[1].object_id == urgent.pk
    assert items[-1].kind == "not-improving" and items[-1].object_id == summary.pk
    assert len(items) == 7


def test_not_improving_is_acknowledged_until_the_next_score(prescriber_a, dana, as_user):
    summary = ScoreSummary.objects.create(clinic=dana.clinic, patient=dana, questionnaire="phq9", count=3,
                                          baseline_total=18, latest_total=17, latest_at=hours_ago(1),
                                          not_improving=True)
    client = as_user(prescriber_a)
    page = client.get(reverse("monitoring:worklist"))
    assert b"Not improving on PHQ-9" in page.content
    response = client.post(reverse("monitoring:worklist_acknowledge"), {
        "kind": "not-improving", "object_id": summary.pk, "patient_id": dana.pk, "note": "Dose raised today"})
    assert response.status_code == 302
    assert WorklistAcknowledgement.objects.get().note == "Dose raised today"
    assert AuditEvent.objects.filter(action="worklist.acknowledge").exists()
    assert selectors.worklist(prescriber_a, scope="mine") == []
    summary.latest_at = hours_ago(0.1)
    summary.save()
    assert [i.kind for i in selectors.worklist(prescriber_a, scope="mine")] == ["not-improving"]


def test_viewing_the_worklist_is_audited(prescriber_a, as_user):
    as_user(prescriber_a).get(reverse("monitoring:worklist"), {"scope": "clinic"})
    assert AuditEvent.objects.get(action="worklist.view").detail["scope"] == "clinic"


def test_due_monitoring_follows_the_medication_list(prescriber_a, dana):
    from dosewise.medications.models import Medication

    access = access_patient(prescriber_a, dana.pk, "monitoring.view")
    assert selectors.chart_tab(access).due == []
    started = timezone.localdate() - timedelta(days=60)
    Medication.objects.create(clinic=dana.clinic, patient=dana, ingredient="lithium", start_date=started,
                              created_by=prescriber_a)
    due = {d.test: d for d in selectors.chart_tab(access).due}
    assert {"lithium-level", "kidney-function", "tsh", "calcium"} <= set(due)
    assert due["lithium-level"].overdue
    services.observation_record(actor=prescriber_a, access=access, test="lithium-level", value="0.7",
                                unit="mmol/L", effective_at=hours_ago(2))
    due = {d.test: d for d in selectors.chart_tab(access).due}
    assert not due["lithium-level"].overdue and due["lithium-level"].due_date > timezone.localdate()


def test_a_medicine_change_writes_due_dates_and_the_worklist_shows_what_is_overdue(prescriber_a, dana, as_user):
    from dosewise.medications.models import DoseChange, Medication

    started = timezone.localdate() - timedelta(days=60)
    medicine = Medication.objects.create(clinic=dana.clinic, patient=dana, ingredient="lithium", start_date=started,
                                         created_by=prescriber_a)
    DoseChange.objects.create(clinic=dana.clinic, patient=dana, medication=medicine, kind="start",
                              changed_by=prescriber_a)
    due = MonitoringDue.objects.get(patient=dana, test="lithium-level")
    assert due.due_date < timezone.localdate()
    items = selectors.worklist(prescriber_a, scope="mine")
    assert "lithium-level" in {MonitoringDue.objects.get(pk=i.object_id).test for i in items if i.kind == "overdue"}
    access = access_patient(prescriber_a, dana.pk, "monitoring.view")
    services.observation_record(actor=prescriber_a, access=access, test="lithium-level", value="0.7",
                                unit="mmol/L", effective_at=hours_ago(2))
    due.refresh_from_db()
    assert due.due_date > timezone.localdate()
    overdue_tsh = MonitoringDue.objects.get(patient=dana, test="tsh")
    response = as_user(prescriber_a).post(reverse("monitoring:worklist_acknowledge"), {
        "kind": "overdue", "object_id": overdue_tsh.pk, "patient_id": dana.pk, "note": "TSH ordered today"})
    assert response.status_code == 302
    overdue_tsh.refresh_from_db()
    assert overdue_tsh.acknowledgement_note == "TSH ordered today"
    assert overdue_tsh.pk not in {i.object_id for i in selectors.worklist(prescriber_a, scope="mine")
                                  if i.kind == "overdue"}


def test_a_result_is_withdrawn_from_a_page_of_its_own(prescriber_a, dana, as_user):
    client = as_user(prescriber_a)
    client.post(reverse("monitoring:result_create", kwargs={"patient_id": dana.pk}),
                {"test": "lithium-level", "value": "1.8", "unit": "mmol/L", "effective_at": "2025-03-04T08:15"})
    result = Observation.objects.get()
    page = client.get(tab_url(dana)).content.decode()
    withdraw_url = reverse("monitoring:result_entered_in_error", args=[dana.pk, result.pk])
    # The tab links each result to the page; it no longer carries a hidden form per result.
    assert f'href="{withdraw_url}">Entered in error?</a>' in page
    assert 'name="reason"' not in page
    shown = client.get(withdraw_url)
    body = shown.content.decode()
    assert shown.status_code == 200
    assert "Lithium" in body and "1.8" in body and "2025-03-04 08:15" in body  # clinic time, as on the tab
    assert "Why is this result wrong?" in body
    assert AuditEvent.objects.filter(action="observation.view", object_id=str(result.pk)).exists()
    # Too short a reason: refused beside its field, the text kept, nothing withdrawn.
    refused = client.post(withdraw_url, {"reason": "oops"})
    assert refused.status_code == 400
    assert "at least 5 characters" in refused.content.decode() and 'value="oops"' in refused.content.decode()
    assert Observation.objects.get().status == "final"
    done = client.post(withdraw_url, {"reason": "Entered for the wrong patient"}, follow=True)
    assert "Result marked as entered in error" in done.content.decode()
    assert Observation.objects.get().status == "entered-in-error"
    # Once withdrawn, the page sends the user back to the tab with a message.
    again = client.get(withdraw_url, follow=True)
    assert "already withdrawn" in again.content.decode()


def test_the_overviews_due_monitoring_takes_the_last_dates_from_the_newest_results_it_shows(
        prescriber_a, dana, django_assert_num_queries):
    """The same due dates as reading the last result of each test again, one query fewer: a
    withdrawn newer level does not count, an older valid one does."""
    from dosewise.medications.models import Medication

    access = access_patient(prescriber_a, dana.pk, "monitoring.view")
    Medication.objects.create(clinic=dana.clinic, patient=dana, ingredient="lithium",
                              start_date=timezone.localdate() - timedelta(days=400), created_by=prescriber_a)
    record = {"actor": prescriber_a, "access": access}
    services.observation_record(**record, test="lithium-level", value="0.7", unit="mmol/L",
                                effective_at=timezone.now() - timedelta(days=200))
    services.observation_record(**record, test="tsh-level", value="2.1", unit="m[IU]/L",
                                effective_at=timezone.now() - timedelta(days=30))
    wrong = services.observation_record(**record, test="lithium-level", value="0.8", unit="mmol/L",
                                        effective_at=hours_ago(3))
    services.observation_mark_entered_in_error(**record, observation_id=wrong.pk, reason="another patient's sample")
    today = timezone.localdate()
    with django_assert_num_queries(3):  # the regimen, its dose changes, the last result of each test
        expected = selectors.due_monitoring(dana, today)
    latest = selectors.latest_results(dana)
    with django_assert_num_queries(2):
        assert selectors.due_monitoring(dana, today, latest=latest) == expected
    due = {d.test: d for d in selectors.overview(access).due}
    assert due == {d.test: d for d in expected}
    assert due["lithium-level"].overdue  # the withdrawn level of today does not count
    assert not due["tsh"].overdue
