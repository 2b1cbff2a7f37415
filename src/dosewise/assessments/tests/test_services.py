"""Scoring, exactly-once links, risk tasks and their escalation, outcomes, schedules, FHIR, charts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dosewise.assessments import services
from dosewise.assessments.charts import ChartMarker, trajectory_chart
from dosewise.assessments.fhir import observation_resource, questionnaire_response_resource
from dosewise.assessments.models import (
    CareTask,
    MeasurementSchedule,
    QuestionnaireLink,
    QuestionnaireResponse,
    ScoreSummary,
)
from dosewise.assessments.tests.conftest import as_post, phq9
from dosewise.audit.models import AuditEvent
from dosewise.audit.services import audit_verify_chain
from dosewise.clinical.instruments import get_instrument
from dosewise.clinics.clock import clinic_today
from dosewise.notifications.models import OutboundMessage
from dosewise.patients.selectors import access_patient

pytestmark = pytest.mark.django_db


def submit(access, actor, answers, *, days_ago: int = 0, questionnaire: str = "phq9", **kwargs):
    return services.response_submit(patient=access.patient, questionnaire=questionnaire, answers=answers,
                                    source="clinic", actor=actor, access=access,
                                    authored=timezone.now() - timedelta(days=days_ago), **kwargs)


def test_it_stores_the_score_as_a_response_with_a_loinc_coded_total(dana_access, prescriber_a):
    result = submit(dana_access, prescriber_a, phq9(12))
    response = result.response
    assert result.created and response.total == 12 and response.severity == "moderate"
    assert response.code == "44261-6" and response.questionnaire_version == services.kb_version()
    assert response.status == "completed" and response.source == "clinic" and not response.risk
    assert AuditEvent.objects.filter(action="assessment.submit", object_id=str(response.pk)).count() == 1
    assert audit_verify_chain().ok


def test_an_answer_outside_the_options_is_refused_with_a_message_naming_the_item():
    data = as_post(phq9(5))
    data["item_4"] = "7"
    with pytest.raises(ValidationError) as exc:
        services.answers_parse(get_instrument("phq9"), data)
    assert "Item 4 (Feeling tired or having little energy)" in exc.value.messages[0]
    assert "'7' is not one of the answers offered" in exc.value.messages[0]


def test_a_missing_answer_is_refused_naming_the_item(dana_access, prescriber_a):
    answers = phq9(5)
    answers[2] = None
    with pytest.raises(ValidationError) as exc:
        submit(dana_access, prescriber_a, answers)
    assert exc.value.messages == ["Item 3 (Trouble falling or staying asleep, or sleeping too much) is not answered."]
    assert not QuestionnaireResponse.objects.exists()


def test_a_colleague_without_the_capability_cannot_submit(dana, front_desk_a):
    access = access_patient(front_desk_a, dana.pk, "demographics.view")
    with pytest.raises(PermissionDenied):
        submit(access, front_desk_a, phq9(3))


def test_item_9_raises_an_urgent_task_for_the_prescriber_and_mails_the_care_team(dana_access, prescriber_a):
    result = submit(dana_access, prescriber_a, phq9(10, item9=1))
    task = result.task
    assert result.response.risk and task.kind == "urgent-risk"
    assert task.assigned_user == prescriber_a and task.assigned_role == "prescriber"
    assert "item 9" in task.message
    messages = OutboundMessage.objects.filter(purpose="care_task.urgent").order_by("to")
    assert [m.to for m in messages] == ["alice@northside.test", "theo@northside.test"]
    assert "item 9" not in messages[0].body, "no health information leaves in e-mail"
    assert "/assessments/tasks/" in messages[0].body
    assert AuditEvent.objects.filter(action="care_task.create", object_id=str(task.pk)).exists()


def test_a_form_posted_twice_stores_one_response(dana_access, prescriber_a):
    first = submit(dana_access, prescriber_a, phq9(4), idempotency_key="k" * 32)
    second = submit(dana_access, prescriber_a, phq9(4), idempotency_key="k" * 32)
    assert first.created and not second.created and first.response.pk == second.response.pk
    assert QuestionnaireResponse.objects.count() == 1


def link_for(access, actor, **kwargs):
    return services.link_create(actor=actor, access=access, questionnaire="phq9", send_email=False, **kwargs)


def test_a_link_takes_exactly_one_submission(dana_access, prescriber_a):
    link, token = link_for(dana_access, prescriber_a)
    assert QuestionnaireLink.objects.get().token_hash == services.token_hash(token) != token
    first = services.link_submit(link=services.link_find(token), data=as_post(phq9(6, item9=1)))
    again = services.response_submit(patient=link.patient, questionnaire="phq9", answers=phq9(1), source="remote",
                                     link=link)
    assert first.created and not again.created and again.response.pk == first.response.pk
    assert QuestionnaireResponse.objects.count() == 1 and CareTask.objects.count() == 1
    with pytest.raises(services.LinkUnusable) as exc:
        services.link_find(token)
    assert exc.value.reason == "used"


def test_a_tampered_token_is_unknown(dana_access, prescriber_a):
    _, token = link_for(dana_access, prescriber_a)
    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), "", "x" * 500):
        with pytest.raises(services.LinkUnusable) as exc:
            services.link_find(bad)
        assert exc.value.reason == "unknown" and exc.value.link is None


def test_an_expired_link_keeps_the_answers_and_a_fresh_link_carries_them(dana_access, prescriber_a):
    link, _ = link_for(dana_access, prescriber_a)
    services.link_save_partial(link=link, answers=[1, 2, 0, None, None, None, None, None, None])
    QuestionnaireLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(services.LinkUnusable) as exc:
        services.link_submit(link=link, data=as_post(phq9(5)))
    assert exc.value.reason == "expired" and not QuestionnaireResponse.objects.exists()
    fresh, fresh_token = services.link_reissue(actor=prescriber_a, access=dana_access, link_id=link.pk,
                                               send_email=False)
    assert fresh.partial_answers == {"1": 1, "2": 2, "3": 0}
    link.refresh_from_db()
    assert link.state == "revoked" and fresh.replaces == link
    assert services.link_find(fresh_token) == fresh
    with pytest.raises(ValidationError):
        services.link_reissue(actor=prescriber_a, access=dana_access, link_id=link.pk, send_email=False)


def test_a_link_is_e_mailed_only_with_an_e_mail_consent(dana_access, prescriber_a, email_consent):
    link, token = services.link_create(actor=prescriber_a, access=dana_access, questionnaire="gad7")
    assert link.emailed_to == "dana@example.org"
    (message,) = OutboundMessage.objects.filter(purpose="questionnaire.link")
    assert token in message.body and "GAD" not in message.subject
    assert "988" in message.body


def test_a_link_is_not_e_mailed_without_consent(dana_access, prescriber_a):
    link, _ = services.link_create(actor=prescriber_a, access=dana_access, questionnaire="phq9")
    assert link.emailed_to == "" and not OutboundMessage.objects.exists()


def test_a_clinician_rated_scale_cannot_be_sent(dana_access, prescriber_a):
    with pytest.raises(ValidationError, match="rated by a clinician"):
        services.link_create(actor=prescriber_a, access=dana_access, questionnaire="aims")


class TestEscalation:
    def test_it_escalates_an_unacknowledged_task_after_the_configured_minutes(self, settings, dana_access,
                                                                             prescriber_a, nurse_a, clinic_a):
        settings.RISK_ESCALATION_MINUTES = 30
        clinic_a.on_call_role = "nurse"
        clinic_a.save()
        task = submit(dana_access, prescriber_a, phq9(3, item9=2)).task
        assert services.care_tasks_escalate(task.created_at + timedelta(minutes=29)) == 0
        assert services.care_tasks_escalate(task.created_at + timedelta(minutes=31)) == 1
        task.refresh_from_db()
        assert task.escalated_to_role == "nurse" and task.escalated_at is not None
        escalated = OutboundMessage.objects.filter(purpose="care_task.escalated")
        assert [m.to for m in escalated] == [nurse_a.email]
        assert AuditEvent.objects.filter(action="care_task.escalate", object_id=str(task.pk)).count() == 1
        assert services.care_tasks_escalate(task.created_at + timedelta(hours=5)) == 0, "escalated once"

    def test_an_acknowledged_task_is_not_escalated(self, dana_access, prescriber_a):
        task = submit(dana_access, prescriber_a, phq9(3, item9=1)).task
        services.care_task_acknowledge(actor=prescriber_a, task_id=task.pk, note="Called, safety plan reviewed")
        assert services.care_tasks_escalate(timezone.now() + timedelta(days=1)) == 0

    def test_the_on_call_role_may_acknowledge_only_once_escalated(self, dana_access, prescriber_a, colleague_a):
        task = submit(dana_access, prescriber_a, phq9(3, item9=1)).task
        with pytest.raises(PermissionDenied):
            services.care_task_acknowledge(actor=colleague_a, task_id=task.pk, note="Seen by on-call")
        services.care_tasks_escalate(timezone.now() + timedelta(hours=1))
        acknowledged = services.care_task_acknowledge(actor=colleague_a, task_id=task.pk, note="Seen by on-call")
        assert acknowledged.acknowledged_by == colleague_a

    def test_an_acknowledgement_needs_a_note_and_happens_once(self, dana_access, prescriber_a, therapist_a):
        task = submit(dana_access, prescriber_a, phq9(3, item9=1)).task
        with pytest.raises(ValidationError, match="Write what you did"):
            services.care_task_acknowledge(actor=prescriber_a, task_id=task.pk, note=" ok ")
        services.care_task_acknowledge(actor=therapist_a, task_id=task.pk, note="Session moved to today")
        with pytest.raises(ValidationError, match="Already acknowledged by Theo Tran"):
            services.care_task_acknowledge(actor=prescriber_a, task_id=task.pk, note="Called the patient")

    def test_a_clinician_of_another_clinic_cannot_acknowledge(self, dana_access, prescriber_a, clinician_b):
        task = submit(dana_access, prescriber_a, phq9(3, item9=1)).task
        services.care_tasks_escalate(timezone.now() + timedelta(hours=1))
        with pytest.raises(PermissionDenied):
            services.care_task_acknowledge(actor=clinician_b, task_id=task.pk, note="Not my clinic")


class TestOutcomes:
    def test_response_remission_and_reliable_change_per_patient(self, dana_access, prescriber_a):
        submit(dana_access, prescriber_a, phq9(18), days_ago=56)
        submit(dana_access, prescriber_a, phq9(4), days_ago=0)
        summary = ScoreSummary.objects.get(patient=dana_access.patient, questionnaire="phq9")
        assert (summary.baseline_total, summary.latest_total, summary.change, summary.count) == (18, 4, -14, 2)
        assert summary.response and summary.remission and summary.reliable_change == "improved"
        assert not summary.not_improving

    def test_not_improving_after_four_weeks_below_20_percent(self, dana_access, prescriber_a):
        submit(dana_access, prescriber_a, phq9(15), days_ago=35)
        submit(dana_access, prescriber_a, phq9(13), days_ago=0)
        summary = ScoreSummary.objects.get(patient=dana_access.patient, questionnaire="phq9")
        assert summary.not_improving and not summary.response and summary.reliable_change == "no reliable change"

    def test_not_judged_before_four_weeks(self, dana_access, prescriber_a):
        submit(dana_access, prescriber_a, phq9(15), days_ago=20)
        submit(dana_access, prescriber_a, phq9(15), days_ago=0)
        assert not ScoreSummary.objects.get(patient=dana_access.patient).not_improving

    def test_a_score_entered_in_error_no_longer_counts(self, dana_access, prescriber_a):
        submit(dana_access, prescriber_a, phq9(20), days_ago=40)
        latest = submit(dana_access, prescriber_a, phq9(2)).response
        services.response_mark_entered_in_error(actor=prescriber_a, access=dana_access, response_id=latest.pk,
                                                reason="Entered for the wrong patient")
        summary = ScoreSummary.objects.get(patient=dana_access.patient)
        assert summary.count == 1 and summary.latest_total == 20 and not summary.remission
        latest.refresh_from_db()
        assert latest.status == "entered-in-error" and latest.entered_in_error_by == prescriber_a
        with pytest.raises(QuestionnaireResponse.DoesNotExist):
            services.response_mark_entered_in_error(actor=prescriber_a, access=dana_access, response_id=latest.pk,
                                                    reason="again")

    def test_scales_without_published_thresholds_are_not_judged(self, dana_access, prescriber_a):
        submit(dana_access, prescriber_a, [1, 1], questionnaire="phq2", days_ago=40)
        submit(dana_access, prescriber_a, [0, 0], questionnaire="phq2")
        summary = ScoreSummary.objects.get(questionnaire="phq2")
        assert summary.change == -2 and not summary.response and summary.reliable_change == ""


class TestSchedules:
    def test_a_completed_questionnaire_moves_the_due_date_by_the_current_interval(self, dana_access, prescriber_a):
        today = clinic_today(dana_access.patient.clinic)
        schedule = services.schedule_save(actor=prescriber_a, access=dana_access, questionnaire="phq9",
                                          interval_days=14, then_interval_days=28,
                                          switch_on=today + timedelta(days=30))
        assert schedule.next_due == today
        submit(dana_access, prescriber_a, phq9(8))
        schedule.refresh_from_db()
        assert schedule.next_due == today + timedelta(days=14)
        assert schedule.interval_on(today + timedelta(days=31)) == 28

    def test_a_new_schedule_replaces_the_active_one(self, dana_access, prescriber_a):
        services.schedule_save(actor=prescriber_a, access=dana_access, questionnaire="phq9", interval_days=14)
        services.schedule_save(actor=prescriber_a, access=dana_access, questionnaire="phq9", interval_days=28)
        assert list(MeasurementSchedule.objects.filter(active=True).values_list("interval_days", flat=True)) == [28]

    def test_both_or_neither_of_the_later_interval_and_its_date(self, dana_access, prescriber_a):
        with pytest.raises(ValidationError) as exc:
            services.schedule_save(actor=prescriber_a, access=dana_access, questionnaire="phq9", interval_days=14,
                                   then_interval_days=28)
        assert "switch_on" in exc.value.error_dict

    def test_due_schedules_send_one_link_each(self, dana_access, prescriber_a, email_consent):
        services.schedule_save(actor=prescriber_a, access=dana_access, questionnaire="phq9", interval_days=14)
        assert services.schedules_send_due() == 1
        assert services.schedules_send_due() == 0, "not twice for the same due date"
        link = QuestionnaireLink.objects.get()
        assert link.created_by is None and link.emailed_to == "dana@example.org"
        assert OutboundMessage.objects.filter(purpose="questionnaire.link", to="dana@example.org").count() == 1


def test_fhir_shapes(dana_access, prescriber_a):
    response = submit(dana_access, prescriber_a, phq9(11, item9=1)).response
    qr = questionnaire_response_resource(response)
    assert qr["resourceType"] == "QuestionnaireResponse" and qr["status"] == "completed"
    assert qr["item"][8]["answer"][0]["valueCoding"]["display"] == "Several days"
    assert qr["author"] == {"reference": f"Practitioner/{prescriber_a.pk}"}
    obs = observation_resource(response)
    assert obs["code"]["coding"][0] == {"system": "http://loinc.org", "code": "44261-6",
                                        "display": "PHQ-9 total score"}
    assert obs["valueQuantity"]["value"] == 12 and obs["status"] == "final"
    assert obs["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{response.pk}"}]


def test_the_chart_places_bands_points_and_medication_markers_on_one_axis():
    phq = get_instrument("phq9")
    scores = [(date(2026, 1, 1), 20, "severe"), (date(2026, 3, 1), 5, "mild")]
    markers = [ChartMarker(date(2026, 1, 2), "sertraline 50 mg started", "start"),
               ChartMarker(date(2026, 2, 1), "sertraline 100 mg", "change")]
    chart = trajectory_chart(phq, scores, markers)
    assert [b.label for b in chart.bands] == ["minimal", "mild", "moderate", "moderately severe", "severe"]
    assert chart.bands[0].y + chart.bands[0].height == chart.bottom_edge and chart.bands[-1].y == chart.top
    first, last = chart.points
    assert first.x == chart.left and last.x == chart.right_edge and first.y < last.y
    assert first.x < chart.markers[0].x < chart.markers[1].x < last.x
    assert chart.markers[1].label == "2026-02-01: sertraline 100 mg"
    with pytest.raises(ValueError):
        trajectory_chart(phq, scores, [ChartMarker(date(2026, 1, 2), "x", "pause")])


def test_a_chart_of_one_score_spans_four_weeks():
    chart = trajectory_chart(get_instrument("gad7"), [(date(2026, 5, 1), 9, "mild")])
    assert chart.points[0].x == pytest.approx((chart.left + chart.right_edge) / 2, abs=1)
    assert chart.description.startswith("1 score from 2026-05-01")
