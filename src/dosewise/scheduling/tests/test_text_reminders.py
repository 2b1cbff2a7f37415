"""Reminders by text as well as e-mail (consent ledger, quiet hours, the healthcare exemption's
short form), and replies to them through the one inbound SMS webhook: C confirms, X cancels
(late inside the type's window), CANCEL cancels and stops, STOP stops, anything else gets a
short help reply."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from twilio.request_validator import RequestValidator

from dosewise.audit.models import AuditEvent
from dosewise.notifications import consent as ledger
from dosewise.notifications import services as outbox
from dosewise.notifications.models import MessageStatus, OutboundMessage
from dosewise.patients.models import Patient
from dosewise.scheduling import services
from dosewise.scheduling.models import Appointment, AppointmentText, Status
from dosewise.scheduling.tests.conftest import at, next_weekday

TOKEN = "twilio-auth-token-for-tests"
URL = "http://localhost:8000/webhooks/twilio/sms/"
PHONE = "+13125550142"


@pytest.fixture
def twilio(settings, tmp_path, daytime):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.SMS_BACKEND, settings.SMS_FILE_PATH = "file", str(tmp_path)
    return tmp_path


@pytest.fixture
def texting_dana(dana, clinic_a):
    """Dana with a mobile number that agreed to appointment reminders by text."""
    Patient.objects.filter(pk=dana.pk).update(phone="(312) 555-0142")
    ledger.consent_grant(clinic=clinic_a, channel="sms", address=PHONE, purpose="appointment_reminders",
                         source="portal")
    dana.refresh_from_db()
    return dana


def book(front_desk_a, prescriber_a, dana_desk, kind, start, **options):
    return services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a, kind=kind,
                                     starts_at=start, reason="low mood", **options)


@pytest.fixture
def booked(twilio, texting_dana, front_desk_a, prescriber_a, dana_desk, kinds, hours):
    return book(front_desk_a, prescriber_a, dana_desk, kinds["intake"], at(next_weekday(2), 10))


def remind(appointment, hours_before: int = 24):
    return services.reminders_send(now=appointment.starts_at - timedelta(hours=hours_before))


def reply(client, body: str, sender: str = PHONE):
    params = {"From": sender, "Body": body, "MessageSid": "SM1"}
    signature = RequestValidator(TOKEN).compute_signature(URL, params)
    response = client.post(reverse("outreach:twilio_sms"), params, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 200
    return OutboundMessage.objects.filter(purpose=ledger.KEYWORD_REPLY_PURPOSE).order_by("-pk").first()


def texts():
    return OutboundMessage.objects.filter(channel="sms", purpose="appointment.reminder")


def test_a_reminder_goes_by_text_as_well_as_email_short_and_without_the_reason(booked):
    assert remind(booked, 48) == 1
    [text] = texts()
    assert OutboundMessage.objects.filter(channel="email", purpose="appointment.reminder").count() == 1
    assert (text.to, text.consent_purpose, text.healthcare_exempt) == (PHONE, "appointment_reminders", True)
    assert len(text.body) <= 160 and "Reply C to confirm, X to cancel, STOP to opt out." in text.body
    assert "low mood" not in text.body and "Intake" not in text.body and "Diaz" not in text.body
    assert AppointmentText.objects.get().appointment == booked
    event = AuditEvent.objects.filter(action="appointment.reminder").get()
    assert event.detail["channels"] == ["email", "sms"]
    assert outbox.outbox_deliver(text.pk) == MessageStatus.SENT


def test_no_text_goes_without_consent_to_reminders_and_a_stop_holds_back_a_queued_one(
        booked, clinic_a, client):
    ledger.consent_withdraw(clinic=clinic_a, channel="sms", address=PHONE, purpose="appointment_reminders",
                            source="portal")
    assert remind(booked, 48) == 1  # by e-mail only
    assert not texts().exists()
    ledger.consent_grant(clinic=clinic_a, channel="sms", address=PHONE, purpose="appointment_reminders",
                         source="portal")
    remind(booked, 2)
    [text] = texts()
    reply(client, "STOP")
    assert outbox.outbox_deliver(text.pk) == MessageStatus.WITHHELD


def test_a_number_that_is_not_a_phone_number_gets_no_text_and_the_email_still_goes(booked):
    Patient.objects.filter(pk=booked.patient_id).update(phone="ask at desk")
    assert remind(booked, 48) == 1
    assert not texts().exists()


def test_a_text_that_quiet_hours_would_hold_until_the_visit_has_begun_is_not_queued(
        twilio, texting_dana, front_desk_a, prescriber_a, dana_desk, kinds, hours):
    book(front_desk_a, prescriber_a, dana_desk, kinds["follow_up"], at(next_weekday(2), 7, 30),
                 outside_hours=True)
    assert services.reminders_send(now=at(next_weekday(2), 5, 30)) == 1  # the text could not go before 08:00
    assert not texts().exists()
    later = book(front_desk_a, prescriber_a, dana_desk, kinds["follow_up"], at(next_weekday(2), 11))
    services.reminders_send(now=at(next_weekday(2) - timedelta(days=1), 11))  # inside the window
    assert AppointmentText.objects.get().appointment == later


def test_replying_c_confirms_the_appointment_of_the_latest_reminder(
        booked, client, front_desk_a, prescriber_a, dana_desk, kinds):
    other = book(front_desk_a, prescriber_a, dana_desk, kinds["follow_up"],
                 at(next_weekday(2) - timedelta(days=1), 14))
    remind(other, 24)
    remind(booked, 2)  # the newest text is about `booked`
    assert AppointmentText.objects.filter(appointment=other).exists()
    answer = reply(client, " c ")
    assert Appointment.objects.get(pk=booked.pk).status == Status.CONFIRMED
    assert Appointment.objects.get(pk=other.pk).status == Status.BOOKED
    assert "is confirmed" in answer.body and "low mood" not in answer.body
    assert AuditEvent.objects.filter(action="appointment.confirm", actor_email="text message").count() == 1
    assert AuditEvent.objects.filter(action="outreach.sms_confirm").get().detail == {"appointment": booked.pk}
    assert outbox.outbox_deliver(answer.pk) == MessageStatus.SENT


@pytest.mark.parametrize(("hours_before", "late"), [(48, False), (2, True)])
def test_replying_x_cancels_within_the_late_cancel_policy(booked, client, twilio, hours_before, late):
    remind(booked, hours_before)
    with time_machine.travel(booked.starts_at - timedelta(hours=hours_before), tick=True):
        answer = reply(client, "X")
    cancelled = Appointment.objects.get(pk=booked.pk)
    assert (cancelled.status, cancelled.cancelled_by_patient, cancelled.late_cancel) == (
        Status.CANCELLED, True, late)
    assert "is cancelled" in answer.body
    assert ("late cancellation" in answer.body) is late
    event = AuditEvent.objects.get(action="appointment.cancel")
    assert event.actor_email == "text message" and event.detail["late"] is late
    # The number keeps getting texts: X cancels a visit, it does not opt out.
    assert ledger.consent_granted(clinic=booked.clinic, channel="sms", address=PHONE,
                                  purpose="appointment_reminders")


def test_cancel_stops_the_texts_and_cancels_the_reminded_appointment(booked, client):
    remind(booked, 48)
    answer = reply(client, "Cancel")
    assert Appointment.objects.get(pk=booked.pk).status == Status.CANCELLED
    assert not ledger.consent_granted(clinic=booked.clinic, channel="sms", address=PHONE,
                                      purpose="appointment_reminders")
    assert "is cancelled" in answer.body and "START" in answer.body
    assert outbox.outbox_deliver(answer.pk) == MessageStatus.SENT  # the one reply after a STOP


def test_stop_still_only_stops_and_leaves_the_appointment_booked(booked, client):
    remind(booked, 48)
    answer = reply(client, "STOP")
    assert Appointment.objects.get(pk=booked.pk).status == Status.BOOKED
    assert "you are unsubscribed" in answer.body


def test_a_second_x_says_it_is_already_cancelled_and_c_cannot_bring_it_back(booked, client):
    remind(booked, 48)
    reply(client, "X")
    assert "already cancelled" in reply(client, "x").body
    assert "already cancelled" in reply(client, "CONFIRM").body
    assert Appointment.objects.get(pk=booked.pk).status == Status.CANCELLED
    assert AuditEvent.objects.filter(action="appointment.cancel").count() == 1


def test_x_from_a_number_that_got_no_reminder_changes_nothing(booked, client):
    remind(booked, 48)
    answer = reply(client, "X", sender="+13125550999")
    assert Appointment.objects.get(pk=booked.pk).status == Status.BOOKED
    assert "nothing was changed" in answer.body


def test_a_reminder_older_than_a_week_is_not_answered_by_a_reply(booked, client):
    remind(booked, 48)
    AppointmentText.objects.update(created_at=booked.starts_at - timedelta(days=30))
    reply(client, "X")
    assert Appointment.objects.get(pk=booked.pk).status == Status.BOOKED


def test_anything_else_gets_a_short_help_reply_once_an_hour_and_changes_nothing(booked, client):
    remind(booked, 48)
    answer = reply(client, "can we make it 11 instead?")
    assert "Reply C to confirm, X to cancel" in answer.body and len(answer.body) <= 480
    assert Appointment.objects.get(pk=booked.pk).status == Status.BOOKED
    assert AuditEvent.objects.filter(action="outreach.sms_unreadable").count() == 1
    reply(client, "hello?")
    assert OutboundMessage.objects.filter(purpose=ledger.KEYWORD_REPLY_PURPOSE).count() == 1


def test_after_stop_other_texts_get_no_reply(booked, client):
    reply(client, "STOP")
    OutboundMessage.objects.filter(purpose=ledger.KEYWORD_REPLY_PURPOSE).update(
        created_at=booked.starts_at - timedelta(days=30))
    reply(client, "why did you stop?")
    assert OutboundMessage.objects.filter(purpose=ledger.KEYWORD_REPLY_PURPOSE).count() == 1
