"""Reminders to patients for due monitoring: consent first, little health data, never twice in a week."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from dosewise.audit.models import AuditEvent
from dosewise.clinics.clock import clinic_today
from dosewise.monitoring import reminders
from dosewise.monitoring.models import MonitoringDue
from dosewise.notifications.models import OutboundMessage
from dosewise.patients import services as patient_services
from dosewise.patients.models import Patient

pytestmark = pytest.mark.django_db


def due(patient, test: str, days_from_today: int, **extra) -> MonitoringDue:
    return MonitoringDue.objects.create(clinic=patient.clinic, patient=patient, test=test,
                                        due_date=clinic_today(patient.clinic) + timedelta(days=days_from_today),
                                        reason=f"{test} on lithium", **extra)


def consent(access, actor, kind: str):
    return patient_services.consent_record(actor=actor, access=access, kind=kind, method="paper")


@pytest.fixture
def dana_reachable(dana, dana_access, prescriber_a):
    """Dana with a phone number and an e-mail address, consenting to SMS."""
    Patient.objects.filter(pk=dana.pk).update(phone="+1 312 555 0142")
    dana.refresh_from_db()
    dana_access.patient.refresh_from_db()
    consent(dana_access, prescriber_a, "sms")
    return dana


def test_due_and_overdue_items_get_one_sms_without_test_or_drug_names(dana_reachable, django_capture_on_commit_callbacks):
    lithium, tsh = due(dana_reachable, "lithium-level", -3), due(dana_reachable, "tsh", 0)
    later = due(dana_reachable, "calcium", 5)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = reminders.lab_reminders_send()
    assert (run.sent, run.no_consent, run.no_contact) == (1, 0, 0)
    message = OutboundMessage.objects.get()
    assert (message.channel, message.to, message.purpose) == ("sms", "+1 312 555 0142", "monitoring.lab_reminder")
    assert "Northside Psychiatry" in message.body and "contact the clinic" in message.body
    for private in ("lithium", "TSH", "thyroid", "level", "blood test", dana_reachable.legal_family_name):
        assert private.lower() not in message.body.lower()
    assert len(callbacks) == 1  # delivery is queued after the commit
    for item in (lithium, tsh):
        item.refresh_from_db()
        assert (item.reminder_outcome, item.reminder_channel) == ("sent", "sms") and item.reminded_at
    later.refresh_from_db()
    assert later.reminded_at is None and later.reminder_checked_at is None
    event = AuditEvent.objects.get(action="lab_reminder.send")
    assert event.patient_id == dana_reachable.pk and event.detail["tests"] == ["lithium-level", "tsh"]


def test_e_mail_is_used_when_the_patient_consents_to_e_mail_only(dana, dana_access, prescriber_a):
    consent(dana_access, prescriber_a, "email")
    due(dana, "lithium-level", -1)
    assert reminders.lab_reminders_send().sent == 1
    message = OutboundMessage.objects.get()
    assert (message.channel, message.to, message.subject) == ("email", "dana@example.org",
                                                              "A reminder from Northside Psychiatry")
    assert "lithium" not in message.body.lower() and "988" in message.body


def test_no_consent_means_no_message_and_the_item_says_why(dana):
    item = due(dana, "lithium-level", -1)
    run = reminders.lab_reminders_send()
    assert (run.sent, run.no_consent) == (0, 1) and not OutboundMessage.objects.exists()
    item.refresh_from_db()
    assert (item.reminder_outcome, item.reminder_note, item.reminded_at) == (
        "no-consent", "no active SMS or e-mail consent", None)


def test_a_revoked_consent_stops_reminders(dana_reachable, dana_access, prescriber_a):
    sms = dana_reachable.consents.get(kind="sms")
    patient_services.consent_revoke(actor=prescriber_a, access=dana_access, consent_id=sms.pk, method="verbal")
    item = due(dana_reachable, "lithium-level", -1)
    assert reminders.lab_reminders_send().no_consent == 1
    assert not OutboundMessage.objects.exists()
    item.refresh_from_db()
    assert item.reminder_outcome == "no-consent"


def test_consent_without_contact_details_is_recorded(dana, dana_access, prescriber_a):
    consent(dana_access, prescriber_a, "sms")
    consent(dana_access, prescriber_a, "email")
    Patient.objects.filter(pk=dana.pk).update(phone="", email="")
    item = due(dana, "lithium-level", -1)
    assert reminders.lab_reminders_send().no_contact == 1
    item.refresh_from_db()
    assert item.reminder_outcome == "no-contact"
    assert item.reminder_note == ("consents to SMS but has no phone number; consents to e-mail but has no "
                                  "e-mail address")
    assert not OutboundMessage.objects.exists()


def test_sms_consent_without_a_phone_falls_back_to_consented_e_mail(dana, dana_access, prescriber_a):
    consent(dana_access, prescriber_a, "sms")
    consent(dana_access, prescriber_a, "email")
    due(dana, "tsh", -1)
    reminders.lab_reminders_send()
    assert OutboundMessage.objects.get().channel == "email"


def test_an_item_is_not_reminded_again_within_seven_days(dana_reachable):
    item = due(dana_reachable, "lithium-level", -1)
    start = timezone.now()
    assert reminders.lab_reminders_send(now=start).sent == 1
    for later in (timedelta(days=1), timedelta(days=6, hours=23)):
        assert reminders.lab_reminders_send(now=start + later).sent == 0
    assert reminders.lab_reminders_send(now=start + timedelta(days=7)).sent == 1
    assert OutboundMessage.objects.count() == 2
    item.refresh_from_db()
    assert item.reminded_at == start + timedelta(days=7)


def test_an_item_without_consent_is_looked_at_again_the_next_day(dana, dana_access, prescriber_a):
    due(dana, "lithium-level", -1)
    start = timezone.now()
    assert reminders.lab_reminders_send(now=start).no_consent == 1
    consent(dana_access, prescriber_a, "email")
    assert reminders.lab_reminders_send(now=start + timedelta(hours=2)).sent == 0
    assert reminders.lab_reminders_send(now=start + timedelta(days=1)).sent == 1


def test_an_item_acknowledged_as_ordered_is_not_reminded(dana_reachable, prescriber_a):
    due(dana_reachable, "lithium-level", -1, acknowledged_at=timezone.now(), acknowledged_by=prescriber_a,
        acknowledgement_note="Ordered today")
    assert reminders.lab_reminders_send().sent == 0 and not OutboundMessage.objects.exists()


def test_two_runs_at_once_send_one_message(dana_reachable, monkeypatch):
    due(dana_reachable, "lithium-level", -1)
    due(dana_reachable, "tsh", -2)
    now = timezone.now()
    # Both runs read the same candidates before either claims them.
    stale = reminders._candidates(now)
    monkeypatch.setattr(reminders, "_candidates", lambda when: stale)
    first = reminders.lab_reminders_send(now=now)
    second = reminders.lab_reminders_send(now=now)
    assert (first.sent, second.sent) == (1, 0)
    assert OutboundMessage.objects.count() == 1


def test_the_command_reports_what_it_did(dana_reachable):
    due(dana_reachable, "lithium-level", -1)
    out = StringIO()
    call_command("send_lab_reminders", stdout=out)
    assert out.getvalue().startswith("1 patient(s) reminded; not reminded: 0 without consent")
    out = StringIO()
    call_command("send_lab_reminders", stdout=out)
    assert out.getvalue().startswith("0 patient(s) reminded")


def test_the_task_sends_the_reminders(dana_reachable):
    from dosewise.monitoring.tasks import lab_reminders_send_task

    due(dana_reachable, "lithium-level", -1)
    assert lab_reminders_send_task.call() == 1


def test_staff_see_when_and_how_a_patient_was_reminded(dana_reachable, evan, prescriber_a, as_user,
                                                       django_assert_max_num_queries):
    due(dana_reachable, "lithium-level", -1)
    evan_item = due(evan, "tsh", -1)
    reminders.lab_reminders_send()
    client = as_user(prescriber_a)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("monitoring:labs_to_order")).content.decode()
    assert f"Reminded on {clinic_today(dana_reachable.clinic):%Y-%m-%d} by SMS" in page
    evan_item.refresh_from_db()
    assert evan_item.reminder_outcome == "no-consent"


def test_the_patients_own_choice_for_care_messages_overrules_the_charts_consent(dana_reachable):
    from dosewise.notifications import consent as ledger

    due(dana_reachable, "lithium-level", -1)
    # Texts off for care messages in the portal: the reminder goes by e-mail, which the patient turned on.
    ledger.consent_withdraw(clinic=dana_reachable.clinic, channel="sms", address=dana_reachable.phone,
                            purpose="care_messages", source="portal")
    ledger.consent_grant(clinic=dana_reachable.clinic, channel="email", address=dana_reachable.email,
                         purpose="care_messages", source="portal")
    run = reminders.lab_reminders_send()
    assert run.sent == 1
    assert OutboundMessage.objects.get().channel == "email"


def test_a_patient_who_turned_every_channel_off_gets_no_reminder(dana_reachable):
    from dosewise.notifications import consent as ledger

    due(dana_reachable, "lithium-level", -1)
    ledger.consent_withdraw(clinic=dana_reachable.clinic, channel="sms", address=dana_reachable.phone,
                            purpose="care_messages", source="portal")
    run = reminders.lab_reminders_send()
    assert (run.sent, run.no_consent) == (0, 1)
    assert not OutboundMessage.objects.exists()
