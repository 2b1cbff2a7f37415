"""Messages, their triage, the response clock, notifications, refills and the audit trail."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from dosewise.assessments.models import CareTask, TaskKind
from dosewise.audit.models import AuditEvent
from dosewise.messaging import services
from dosewise.messaging.files import file_check, file_path
from dosewise.messaging.models import Attachment, MessagingSettings, Thread, ThreadStatus
from dosewise.messaging.response import reply_due
from dosewise.messaging.tests.conftest import png_bytes
from dosewise.notifications.models import OutboundMessage
from dosewise.patients.selectors import access_patient

CHICAGO = ZoneInfo("America/Chicago")


def _start(pat, body="Can I take my sertraline with food?", files=()):
    return services.thread_start_by_patient(actor=pat.account.user, patient=pat.patient, subject="A question",
                                            body=body, files=files)


def test_a_routine_question_opens_a_thread_that_waits_for_the_team_with_a_due_time(pat):
    message = _start(pat)
    thread = message.thread
    assert (thread.status, thread.urgent, message.urgency) == (ThreadStatus.OPEN, False, "routine")
    assert thread.awaiting_since == message.created_at and thread.staff_unread
    assert thread.reply_due_at == reply_due(pat.patient.clinic, message.created_at, 2)
    assert CareTask.objects.filter(patient=pat.patient).count() == 0


def test_a_message_about_suicide_flags_the_thread_urgent_and_raises_a_risk_task(pat, prescriber_a):
    message = _start(pat, body="Since the dose went up I keep thinking I want to die.")
    thread = Thread.objects.get(pk=message.thread_id)
    assert message.urgency == "emergency" and thread.urgent
    assert "general-suicidal-thoughts" in [m["sign"] for m in message.triage["matches"]]
    assert any("988" in step for step in message.triage["patient_steps"])
    task = CareTask.objects.get(pk=thread.care_task_id)
    assert task.kind == TaskKind.URGENT_RISK and task.assigned_user == prescriber_a
    assert thread.assigned_to == prescriber_a
    # The task says what kind of problem, not the patient's words.
    assert "want to die" not in task.message


def test_a_denied_risk_phrase_is_not_urgent(pat):
    message = _start(pat, body="I have no thoughts of suicide, I just feel tired in the mornings.")
    assert message.urgency != "emergency" and not message.thread.urgent


def test_a_danger_sign_of_the_patients_own_medicine_is_urgent_too(pat):
    # Dana takes lamotrigine: a rash with fever is a label warning (serious skin reaction).
    message = _start(pat, body="I have a blistering rash and a fever since yesterday.")
    assert message.urgency in ("emergency", "urgent") and message.thread.urgent
    assert message.triage["sources"]


def test_a_second_risk_message_does_not_raise_a_second_open_task(pat):
    first = _start(pat, body="I want to die.")
    services.message_send_by_patient(actor=pat.account.user, patient=pat.patient, thread_id=first.thread_id,
                                     body="I still want to end my life.")
    assert CareTask.objects.filter(patient=pat.patient).count() == 1


def test_a_staff_reply_waits_on_the_patient_and_sends_a_notice_without_health_details(
        pat, prescriber_a, django_capture_on_commit_callbacks):
    first = _start(pat, body="Is the sertraline making me dizzy?")
    access = access_patient(prescriber_a, pat.patient.pk, "clinical.view")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.message_send_by_staff(actor=prescriber_a, access=access, thread_id=first.thread_id,
                                               body="Dizziness is common in the first weeks on sertraline.")
    thread = Thread.objects.get(pk=first.thread_id)
    assert (thread.status, thread.awaiting_since, thread.reply_due_at) == (ThreadStatus.WAITING, None, None)
    assert thread.patient_unread and thread.assigned_to == prescriber_a and not reply.from_patient
    notice = OutboundMessage.objects.get(purpose="messaging.new_message")
    assert notice.to == pat.patient.email and "Northside Psychiatry" in notice.subject
    for word in ("sertraline", "dizz", "Dizz"):
        assert word not in notice.subject + notice.body
    assert len(mail.outbox) == 1 and "sertraline" not in mail.outbox[0].body


def test_no_notice_goes_without_an_email_consent(pat, prescriber_a):
    from dosewise.patients.models import Consent

    first = _start(pat)
    Consent.objects.filter(patient=pat.patient, kind="email").update(revoked_at=first.created_at)
    access = access_patient(prescriber_a, pat.patient.pk, "clinical.view")
    services.message_send_by_staff(actor=prescriber_a, access=access, thread_id=first.thread_id, body="Yes.")
    assert not OutboundMessage.objects.filter(purpose="messaging.new_message").exists()


def test_every_write_and_read_is_audited(pat, prescriber_a):
    first = _start(pat)
    access = access_patient(prescriber_a, pat.patient.pk, "clinical.view")
    services.message_send_by_staff(actor=prescriber_a, access=access, thread_id=first.thread_id, body="Yes.")
    services.thread_read_by_staff(actor=prescriber_a, access=access, thread=first.thread, message_ids=[first.pk])
    actions = list(AuditEvent.objects.filter(patient_id=pat.patient.pk, action__startswith="message.")
                   .values_list("action", flat=True))
    assert actions.count("message.send") == 2
    assert "message.thread.start" in actions and "message.thread.view" in actions


def test_attachments_are_stored_and_read_back_only_when_unchanged(pat):
    checked = file_check("rash.png", png_bytes())
    message = _start(pat, files=[checked])
    attachment = Attachment.objects.get(message=message)
    assert services.attachment_read(actor=pat.account.user, patient=pat.patient,
                                    attachment=attachment) == checked.content
    file_path(attachment.stored_as).write_bytes(b"tampered")
    with pytest.raises(ValidationError, match="changed on the server"):
        services.attachment_read(actor=pat.account.user, patient=pat.patient, attachment=attachment)


def test_a_file_left_by_a_failed_send_is_removed_later(pat):
    from dosewise.messaging.files import file_store

    orphan = file_store(b"left behind")
    kept = Attachment.objects.get(message=_start(pat, files=[file_check("a.png", png_bytes())])).stored_as
    from datetime import timedelta

    assert services.attachments_orphans_remove(older_than=timedelta(0)) == 1
    assert not file_path(orphan).exists() and file_path(kept).exists()


def test_too_long_a_message_is_refused_with_the_limit(pat):
    with pytest.raises(ValidationError) as caught:
        _start(pat, body="word " * 1000)
    assert "limit is 4,000" in str(caught.value.error_dict["body"])


def test_staff_cannot_write_as_the_patient_and_patients_cannot_write_as_staff(pat, prescriber_a):
    with pytest.raises(PermissionDenied):
        services.thread_start_by_patient(actor=prescriber_a, patient=pat.patient, subject="x", body="y")
    access = access_patient(prescriber_a, pat.patient.pk, "clinical.view")
    with pytest.raises(PermissionDenied):
        services.thread_start_by_staff(actor=pat.account.user, access=access, subject="x", body="y")


def test_assignment_is_limited_to_the_care_team(pat, prescriber_a, therapist_a, colleague_a):
    first = _start(pat)
    access = access_patient(prescriber_a, pat.patient.pk, "clinical.view")
    assert services.thread_assign(actor=prescriber_a, access=access, thread_id=first.thread_id,
                                  assignee_id=therapist_a.pk).assigned_to == therapist_a
    with pytest.raises(ValidationError, match="care team"):
        services.thread_assign(actor=prescriber_a, access=access, thread_id=first.thread_id,
                               assignee_id=colleague_a.pk)


def test_closing_a_thread_stops_its_clock_and_lifting_urgent_is_recorded(pat, prescriber_a):
    first = _start(pat, body="I want to die.")
    access = access_patient(prescriber_a, pat.patient.pk, "clinical.view")
    thread = services.thread_status_set(actor=prescriber_a, access=access, thread_id=first.thread_id,
                                        status=ThreadStatus.CLOSED, clear_urgent=True)
    assert (thread.status, thread.urgent, thread.reply_due_at) == (ThreadStatus.CLOSED, False, None)
    event = AuditEvent.objects.filter(action="message.thread.status").latest("id")
    assert event.detail == {"from": "open", "to": "closed", "urgent_lifted": True}
    # The patient writing again opens it again.
    services.message_send_by_patient(actor=pat.account.user, patient=pat.patient, thread_id=thread.pk, body="Thanks")
    assert Thread.objects.get(pk=thread.pk).status == ThreadStatus.OPEN


@pytest.mark.parametrize(("received", "days", "due"), [
    (datetime(2026, 12, 7, 10, 0), 2, datetime(2026, 12, 9, 10, 0)),   # Monday -> Wednesday
    (datetime(2026, 12, 4, 15, 0), 2, datetime(2026, 12, 8, 15, 0)),   # Friday -> Tuesday
    (datetime(2026, 12, 5, 11, 0), 2, datetime(2026, 12, 9, 0, 0)),    # Saturday: counted from Monday
    (datetime(2026, 12, 6, 23, 0), 1, datetime(2026, 12, 8, 0, 0)),    # Sunday night, one day
])
def test_the_reply_is_due_in_business_days_of_the_clinic(clinic_a, received, days, due):
    got = reply_due(clinic_a, received.replace(tzinfo=CHICAGO), days)
    assert got.astimezone(CHICAGO).replace(tzinfo=None) == due


def test_the_response_target_is_the_clinics_and_only_an_admin_sets_it(pat, admin_a, prescriber_a):
    services.messaging_settings_update(actor=admin_a, response_target_business_days=3)
    assert MessagingSettings.objects.get(clinic=admin_a.clinic).response_target_business_days == 3
    message = _start(pat)
    assert message.thread.reply_due_at == reply_due(pat.patient.clinic, message.created_at, 3)
    with pytest.raises(PermissionDenied):
        services.messaging_settings_update(actor=prescriber_a, response_target_business_days=1)
    with pytest.raises(ValidationError):
        services.messaging_settings_update(actor=admin_a, response_target_business_days=0)


def test_a_refill_request_goes_to_the_prescriber_once(pat, prescriber_a, dana_meds):
    sertraline = dana_meds["sertraline"]
    message = services.refill_request(actor=pat.account.user, patient=pat.patient, medication_id=sertraline.pk,
                                      days_left=3, note="New pharmacy: Main Street.")
    thread = message.thread
    assert (thread.kind, thread.medication, thread.assigned_to) == ("refill", sertraline, prescriber_a)
    assert "about 3 days" in message.body and "Main Street" in message.body
    with pytest.raises(ValidationError, match="already asked"):
        services.refill_request(actor=pat.account.user, patient=pat.patient, medication_id=sertraline.pk)


def test_a_refill_of_another_patients_medicine_is_refused(pat, rosa):
    from dosewise.medications.models import Medication

    quetiapine = Medication.objects.get(patient=rosa)
    with pytest.raises(ValidationError, match="current list"):
        services.refill_request(actor=pat.account.user, patient=pat.patient, medication_id=quetiapine.pk)


def test_a_declined_refill_needs_a_reason_and_closes_with_a_message(pat, prescriber_a, therapist_a, dana_meds):
    thread = services.refill_request(actor=pat.account.user, patient=pat.patient,
                                     medication_id=dana_meds["lamotrigine"].pk).thread
    access = access_patient(prescriber_a, pat.patient.pk, "medications.prescribe")
    with pytest.raises(ValidationError, match="why"):
        services.refill_decide(actor=prescriber_a, access=access, thread_id=thread.pk, decision="declined", note="")
    reply = services.refill_decide(actor=prescriber_a, access=access, thread_id=thread.pk, decision="declined",
                                   note="We need to see you first; please book a visit.")
    thread.refresh_from_db()
    assert thread.status == ThreadStatus.CLOSED and thread.refill_decision == "declined"
    assert reply.body.startswith("We cannot refill lamotrigine yet.")
    with pytest.raises(PermissionDenied):
        services.refill_decide(actor=therapist_a, access=access_patient(therapist_a, pat.patient.pk, "clinical.view"),
                               thread_id=thread.pk, decision="approved", note="")


def test_a_patient_account_sending_without_pause_is_stopped_with_the_crisis_line(pat, settings):
    from dosewise.messaging.services import PATIENT_SENDS_PER_HOUR

    for n in range(PATIENT_SENDS_PER_HOUR):
        _start(pat, body=f"Message {n}")
    with pytest.raises(ValidationError, match="988"):
        _start(pat, body="One too many")
    assert Thread.objects.filter(patient=pat.patient).count() == PATIENT_SENDS_PER_HOUR
