"""The checks the outbox makes at send time, not only when a message is queued: consent in the
ledger, quiet hours in the recipient's own time zone (across daylight-saving changes) and the
caps of the healthcare exemption."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from dosewise.notifications import consent, quiet_hours, services
from dosewise.notifications.models import Channel, ConsentSource, MessageStatus, OutboundMessage

pytestmark = pytest.mark.django_db
CHICAGO = ZoneInfo("America/Chicago")


def local(*args, zone=CHICAGO) -> datetime:
    return datetime(*args, tzinfo=zone)


def sms(clinic, **fields) -> OutboundMessage:
    data = {"to": "+13125550188", "body": "A reminder.", "purpose": "test.reminder", "clinic": clinic}
    data.update(fields)
    return services.outbox_enqueue_sms(**data)


@pytest.fixture
def files(settings, tmp_path):
    settings.SMS_BACKEND, settings.SMS_FILE_PATH = "file", str(tmp_path)
    return tmp_path


def test_consent_withdrawn_between_queueing_and_sending_means_not_sent(clinic_a, daytime):
    consent.consent_grant(clinic=clinic_a, channel=Channel.EMAIL, address="Robin@Example.org",
                          purpose="questionnaires", source=ConsentSource.PUBLIC_FORM)
    message = services.outbox_enqueue_email(to="robin@example.org", subject="Questionnaire", body="Please answer.",
                                            purpose="test.q", clinic=clinic_a, consent_purpose="questionnaires")
    consent.consent_withdraw(clinic=clinic_a, channel=Channel.EMAIL, address="robin@example.org",
                             purpose="questionnaires", source=ConsentSource.STAFF, words="no more e-mails")
    assert services.outbox_deliver(message.pk) == MessageStatus.WITHHELD
    message.refresh_from_db()
    assert mail.outbox == [] and "withdrew consent to questionnaires by e-mail" in message.last_error
    assert services.outbox_sweep() == 0  # withheld is final


def test_a_message_under_a_purpose_never_agreed_to_is_withheld(clinic_a, files, daytime):
    message = sms(clinic_a, consent_purpose="appointment_reminders")
    assert services.outbox_deliver(message.pk) == MessageStatus.WITHHELD
    assert "No consent on record for appointment reminders" in OutboundMessage.objects.get(pk=message.pk).last_error


def test_a_new_agreement_after_an_opt_out_counts_but_an_older_one_does_not(clinic_a, files):
    with time_machine.travel(datetime(2026, 6, 10, 15, tzinfo=UTC), tick=False) as traveller:
        consent.consent_grant(clinic=clinic_a, channel=Channel.SMS, address="312 555 0188", purpose="care_messages",
                              source=ConsentSource.PUBLIC_FORM)
        traveller.shift(timedelta(hours=1))
        consent.consent_withdraw(clinic=None, channel=Channel.SMS, address="+13125550188", purpose="all",
                                 source=ConsentSource.SMS_KEYWORD, words="STOP")
        assert services.outbox_deliver(sms(clinic_a, consent_purpose="care_messages").pk) == MessageStatus.WITHHELD
        traveller.shift(timedelta(hours=1))
        consent.consent_grant(clinic=clinic_a, channel=Channel.SMS, address="312-555-0188", purpose="care_messages",
                              source=ConsentSource.STAFF_PHONE, words="Yes, text me again")
        assert services.outbox_deliver(sms(clinic_a, consent_purpose="care_messages").pk) == MessageStatus.SENT


def test_a_text_queued_at_night_waits_for_8_am_in_the_recipients_zone_and_is_then_sent(clinic_a, files):
    with time_machine.travel(local(2026, 6, 10, 22, 30), tick=False) as traveller:
        message = sms(clinic_a)
        assert services.outbox_deliver(message.pk) == MessageStatus.PENDING
        message.refresh_from_db()
        assert message.next_attempt_at == local(2026, 6, 11, 8, 0) and message.attempts == 0
        assert "quiet hours" in message.last_error and "47 CFR 64.1200(c)(1)" in message.last_error
        traveller.move_to(local(2026, 6, 11, 7, 59))
        assert services.outbox_sweep() == 0
        traveller.move_to(local(2026, 6, 11, 8, 0))
        assert services.outbox_sweep() == 1
    assert len(list(files.iterdir())) == 1


def test_quiet_hours_follow_the_recipient_not_the_clinic(clinic_a, files):
    # 9:30 in Chicago is 7:30 in Los Angeles.
    with time_machine.travel(local(2026, 6, 10, 9, 30), tick=False):
        message = sms(clinic_a, recipient_zone="America/Los_Angeles")
        assert services.outbox_deliver(message.pk) == MessageStatus.PENDING
        message.refresh_from_db()
        assert message.next_attempt_at == local(2026, 6, 10, 8, 0, zone=ZoneInfo("America/Los_Angeles"))


def test_a_stricter_state_window_holds_a_text_the_federal_one_allows(clinic_a, files):
    eastern = ZoneInfo("America/New_York")
    with time_machine.travel(local(2026, 6, 10, 20, 30, zone=eastern), tick=False):
        florida = sms(clinic_a, recipient_zone="America/New_York", recipient_state="FL")
        new_york = sms(clinic_a, recipient_zone="America/New_York", recipient_state="NY", to="+12125550100")
        assert services.outbox_deliver(florida.pk) == MessageStatus.PENDING
        assert services.outbox_deliver(new_york.pk) == MessageStatus.SENT
        assert "Fla. Stat. 501.059(8)(a)" in OutboundMessage.objects.get(pk=florida.pk).last_error


@pytest.mark.parametrize(("queued", "expected_utc"), [
    # The night before the autumn change (1 November 2026, 2:00 CDT -> 1:00 CST): 8:00 CST is 14:00 UTC.
    (local(2026, 10, 31, 21, 30), datetime(2026, 11, 1, 14, 0, tzinfo=UTC)),
    # The night before the spring change (8 March 2026, 2:00 CST -> 3:00 CDT): 8:00 CDT is 13:00 UTC.
    (local(2026, 3, 7, 23, 0), datetime(2026, 3, 8, 13, 0, tzinfo=UTC)),
    # In the repeated hour of the autumn night itself.
    (datetime(2026, 11, 1, 1, 30, tzinfo=CHICAGO, fold=1), datetime(2026, 11, 1, 14, 0, tzinfo=UTC)),
])
def test_across_a_daylight_saving_change_the_text_still_waits_for_8_am_local(clinic_a, files, queued, expected_utc):
    with time_machine.travel(queued, tick=False) as traveller:
        message = sms(clinic_a)
        assert services.outbox_deliver(message.pk) == MessageStatus.PENDING
        message.refresh_from_db()
        assert message.next_attempt_at == expected_utc
        traveller.move_to(expected_utc - timedelta(minutes=1))
        assert services.outbox_sweep() == 0
        traveller.move_to(expected_utc)
        assert services.outbox_sweep() == 1


def test_the_window_ends_at_9_pm_local_time():
    assert quiet_hours.next_allowed(local(2026, 6, 10, 20, 59), "America/Chicago") is None
    assert quiet_hours.next_allowed(local(2026, 6, 10, 21, 0), "America/Chicago") == local(2026, 6, 11, 8, 0)


def test_exempt_reminders_are_capped_at_one_a_day_and_three_a_week(clinic_a, files):
    with time_machine.travel(local(2026, 6, 8, 10, 0), tick=False) as traveller:
        first = sms(clinic_a, healthcare_exempt=True)
        assert services.outbox_deliver(first.pk) == MessageStatus.SENT
        second = sms(clinic_a, healthcare_exempt=True, to="+1 312 555 0188")
        assert services.outbox_deliver(second.pk) == MessageStatus.PENDING
        second.refresh_from_db()
        assert second.next_attempt_at == local(2026, 6, 9, 8, 0) and "FCC 15-72" in second.last_error
        # A message not sent under the exemption is not held by the caps.
        assert services.outbox_deliver(sms(clinic_a).pk) == MessageStatus.SENT
        traveller.move_to(local(2026, 6, 9, 8, 0))
        assert services.outbox_sweep() == 1
        traveller.move_to(local(2026, 6, 10, 8, 0))
        assert services.outbox_deliver(sms(clinic_a, healthcare_exempt=True).pk) == MessageStatus.SENT
        traveller.move_to(local(2026, 6, 11, 9, 0))
        fourth = sms(clinic_a, healthcare_exempt=True)
        assert services.outbox_deliver(fourth.pk) == MessageStatus.PENDING
        fourth.refresh_from_db()
        # Three went out on the 8th (10:00), 9th and 10th: the fourth waits until the 8th's is a week old.
        assert fourth.next_attempt_at == local(2026, 6, 15, 10, 0)


def test_a_cap_applies_per_clinic(clinic_a, clinic_b, files):
    with time_machine.travel(local(2026, 6, 8, 10, 0), tick=False):
        assert services.outbox_deliver(sms(clinic_a, healthcare_exempt=True).pk) == MessageStatus.SENT
        assert services.outbox_deliver(sms(clinic_b, healthcare_exempt=True).pk) == MessageStatus.SENT


def test_batches_claimed_by_two_workers_never_share_a_row(clinic_a, daytime):
    for n in range(30):
        services.outbox_enqueue_email(to=f"p{n}@example.org", subject="s", body="b", purpose="test")
    first = services.outbox_claim_batch(token="a" * 32, limit=20)
    second = services.outbox_claim_batch(token="b" * 32, limit=20)
    assert len(first) == 20 and len(second) == 10
    assert not {m.pk for m in first} & {m.pk for m in second}
    assert services.outbox_claim_batch(token="c" * 32, limit=20) == []


def test_every_e_mail_has_a_stable_message_id_and_one_click_unsubscribe_headers(clinic_a, settings):
    settings.OUTBOX_STALE_CLAIM_SECONDS = 0
    message = services.outbox_enqueue_email(to="robin@example.org", subject="Hello", body="Text", purpose="test",
                                            clinic=clinic_a)
    assert services.outbox_deliver(message.pk) == MessageStatus.SENT
    # A worker that crashed after sending but before recording it: the row is claimed again.
    OutboundMessage.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING,
                                                         claimed_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert services.outbox_deliver(message.pk) == MessageStatus.SENT
    first, again = (m.message() for m in mail.outbox)
    assert first["Message-ID"] == again["Message-ID"] == f"<{message.idempotency_key}@localhost>"
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert first["List-Unsubscribe"].startswith("<http://localhost:8000/unsubscribe/")


def test_a_withdrawn_purpose_holds_back_the_older_apps_messages_of_that_purpose(clinic_a):
    # Messages queued without a consent purpose (their enqueue-time check is the chart's consent)
    # go out while the ledger holds no answer, and stop once the purpose is withdrawn.
    first = services.outbox_enqueue_email(to="robin@example.org", subject="Reminder", body="Your visit.",
                                          purpose="appointment.reminder", clinic=clinic_a)
    assert services.outbox_deliver(first.pk) == MessageStatus.SENT
    consent.consent_withdraw(clinic=clinic_a, channel=Channel.EMAIL, address="Robin@example.org",
                             purpose="appointment_reminders", source=ConsentSource.PORTAL)
    second = services.outbox_enqueue_email(to="robin@example.org", subject="Reminder", body="Your visit.",
                                           purpose="appointment.reminder", clinic=clinic_a)
    assert services.outbox_deliver(second.pk) == MessageStatus.WITHHELD
    assert "withdrew consent to appointment reminders by e-mail" in OutboundMessage.objects.get(
        pk=second.pk).last_error
    # Another purpose, and a purpose the ledger does not map, are not affected.
    for purpose in ("questionnaire.link", "letter.email"):
        other = services.outbox_enqueue_email(to="robin@example.org", subject="x", body="y", purpose=purpose,
                                              clinic=clinic_a)
        assert services.outbox_deliver(other.pk) == MessageStatus.SENT
    assert len(mail.outbox) == 3


def test_a_newer_agreement_to_a_purpose_lets_the_older_apps_text_again_after_stop(clinic_a, files, daytime):
    consent.consent_withdraw(clinic=None, channel=Channel.SMS, address="+13125550188", purpose="all",
                             source=ConsentSource.SMS_KEYWORD, words="STOP")
    held = sms(clinic_a, purpose="monitoring.lab_reminder")
    assert services.outbox_deliver(held.pk) == MessageStatus.WITHHELD
    daytime.shift(timedelta(minutes=1))
    consent.consent_grant(clinic=clinic_a, channel=Channel.SMS, address="+13125550188", purpose="care_messages",
                          source=ConsentSource.PORTAL)
    assert services.outbox_deliver(sms(clinic_a, purpose="monitoring.lab_reminder").pk) == MessageStatus.SENT
    # Still stopped for the purposes not agreed to again.
    assert services.outbox_deliver(sms(clinic_a, purpose="questionnaire.link").pk) == MessageStatus.WITHHELD
