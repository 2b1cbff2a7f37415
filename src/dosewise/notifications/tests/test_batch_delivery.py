"""A worker sends a batch with the work that is the same for all its messages done once: one
reading of the consent ledger for the batch, a claim renewed for the rest of the batch rather
than before every message, and one write per message sent. None of it weakens a send-time
check: a withdrawal during a slow batch is still honoured, and a row another worker took over
is left to it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dosewise.notifications import consent, services
from dosewise.notifications.email import outbox_email, shared_parts
from dosewise.notifications.models import Channel, ConsentSource, MessageStatus, OutboundMessage

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 6, 10, 17, 0, tzinfo=UTC)


def email(to="robin@example.org", **fields) -> OutboundMessage:
    data = {"to": to, "subject": "A reminder", "body": "Your visit.", "purpose": "test.reminder"}
    data.update(fields)
    return services.outbox_enqueue_email(**data)


def test_the_batch_reading_of_the_ledger_gives_each_message_the_answer_of_its_own_reading(clinic_a, clinic_b):
    with time_machine.travel(NOON, tick=False) as traveller:
        consent.consent_grant(clinic=clinic_a, channel=Channel.EMAIL, address="Robin@example.org",
                              purpose="questionnaires", source=ConsentSource.PUBLIC_FORM)
        consent.consent_grant(clinic=clinic_b, channel=Channel.SMS, address="+13125550188",
                              purpose="care_messages", source=ConsentSource.PORTAL)
        traveller.shift(timedelta(minutes=1))
        consent.consent_withdraw(clinic=clinic_a, channel=Channel.EMAIL, address="sam@example.org",
                                 purpose="appointment_reminders", source=ConsentSource.STAFF)
        consent.consent_withdraw(clinic=None, channel=Channel.SMS, address="+13125550188", purpose="all",
                                 source=ConsentSource.SMS_KEYWORD, words="STOP")
    messages = [
        email(clinic=clinic_a, consent_purpose="questionnaires"),  # agreed at this clinic
        email(clinic=clinic_b, consent_purpose="questionnaires"),  # not at the other one
        email(to="ROBIN@example.org", clinic=clinic_a, consent_purpose="questionnaires"),
        email(to="sam@example.org", clinic=clinic_a, purpose="appointment.reminder"),  # withdrawn
        email(to="sam@example.org", clinic=clinic_b, purpose="appointment.reminder"),
        email(to="sam@example.org", clinic=clinic_a, purpose="account.password_reset"),
        email(to="nobody@example.org", purpose="test.reminder"),
        services.outbox_enqueue_sms(to="+13125550188", body="x", purpose="monitoring.lab_reminder", clinic=clinic_b),
        services.outbox_enqueue_sms(to="+13125550188", body="x", purpose=consent.KEYWORD_REPLY_PURPOSE),
    ]
    with CaptureQueriesContext(connection) as queries:
        batch = consent.send_permissions(messages)
    assert len(queries) == 1
    alone = {m.pk: consent.send_permission(clinic_id=m.clinic_id, channel=m.channel, address=m.to,
                                           purpose=m.purpose, consent_purpose=m.consent_purpose) for m in messages}
    assert batch == alone
    assert [batch[m.pk].allowed for m in messages] == [True, False, True, False, True, True, True, False, True]


def test_consent_withdrawn_while_a_slow_batch_is_sent_holds_back_its_later_messages(clinic_a):
    with time_machine.travel(NOON, tick=False) as traveller:
        consent.consent_grant(clinic=clinic_a, channel=Channel.EMAIL, address="robin@example.org",
                              purpose="questionnaires", source=ConsentSource.PUBLIC_FORM)
        first, second = (email(clinic=clinic_a, consent_purpose="questionnaires") for _ in range(2))

        def slow_send(self, fail_silently=False):
            # The person unsubscribes while the server takes its time over the first message.
            traveller.shift(services.LEDGER_FRESHNESS)
            consent.consent_withdraw(clinic=clinic_a, channel=Channel.EMAIL, address="robin@example.org",
                                     purpose="questionnaires", source=ConsentSource.UNSUBSCRIBE_LINK)
            return 1

        with mock.patch("django.core.mail.EmailMultiAlternatives.send", autospec=True, side_effect=slow_send):
            counts = services.outbox_drain(batch=10)
    assert counts == {MessageStatus.SENT: 1, MessageStatus.WITHHELD: 1}
    assert OutboundMessage.objects.get(pk=first.pk).status == MessageStatus.SENT
    assert "withdrew consent" in OutboundMessage.objects.get(pk=second.pk).last_error


def test_a_worker_slower_than_its_claim_leaves_the_rows_another_worker_took_over(settings):
    settings.OUTBOX_STALE_CLAIM_SECONDS = 60
    other = "b" * 32
    with time_machine.travel(NOON, tick=False) as traveller:
        first, second, third = (email(to=f"p{n}@example.org") for n in range(3))

        def stuck_send(self, fail_silently=False):
            # The first send hangs past the stale time, and another worker takes the batch over.
            traveller.shift(services.stale_claim() + timedelta(seconds=1))
            assert len(services.outbox_claim_batch(token=other, limit=10)) == 3
            return 1

        with mock.patch("django.core.mail.EmailMultiAlternatives.send", autospec=True,
                        side_effect=stuck_send) as send:
            counts = services.outbox_drain(batch=10)
    assert send.call_count == 1 and counts == {MessageStatus.SENT: 1, "skipped": 2}
    # The outcome of the first is the other worker's to write (it sends it again, with the same
    # Message-ID); the other two are its alone.
    assert set(OutboundMessage.objects.values_list("status", "claim_token")) == {(MessageStatus.SENDING, other)}


def test_a_claim_is_renewed_for_the_rest_of_the_batch_once_it_has_aged(settings):
    settings.OUTBOX_STALE_CLAIM_SECONDS = 60
    with time_machine.travel(NOON, tick=False) as traveller:
        messages = [email(to=f"p{n}@example.org") for n in range(3)]

        def slow_send(self, fail_silently=False):
            traveller.shift(services.stale_claim() * services.RENEW_SHARE)
            return 1

        with mock.patch("django.core.mail.EmailMultiAlternatives.send", autospec=True, side_effect=slow_send):
            with CaptureQueriesContext(connection) as queries:
                assert services.outbox_drain(batch=10) == {MessageStatus.SENT: 3}
    renewals = [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "claimed_at" in q["sql"]
                and "attempts" not in q["sql"]]
    assert len(renewals) == 2  # before the second and the third message, not before the first
    rows = OutboundMessage.objects.filter(pk__in=[m.pk for m in messages]).order_by("pk")
    assert [m.claimed_at for m in rows] == [NOON, NOON + timedelta(seconds=15), NOON + timedelta(seconds=30)]


def _drain_queries(count: int) -> int:
    for n in range(count):
        email(to=f"p{n}@example.org")
    with CaptureQueriesContext(connection) as queries:
        assert services.outbox_drain(batch=50) == {MessageStatus.SENT: count}
    return len(queries)


def test_a_batch_costs_one_write_per_message_sent_and_nothing_else_per_message():
    assert _drain_queries(20) - _drain_queries(10) == 10
    assert len(mail.outbox) == 30


def test_the_sent_outcome_records_when_it_was_sent():
    with time_machine.travel(NOON, tick=False):
        message = email()
        assert services.outbox_deliver(message.pk) == MessageStatus.SENT
    message.refresh_from_db()
    assert (message.status, message.sent_at, message.last_error, message.attempts) == (MessageStatus.SENT, NOON, "", 1)


def test_an_e_mail_built_with_the_shared_parts_is_the_one_built_alone(clinic_a, settings):
    settings.DEFAULT_FROM_EMAIL = "Northside <no-reply@northside.example>"
    message = email(clinic=clinic_a, consent_purpose="questionnaires")
    alone, shared = outbox_email(message).message(), outbox_email(message, shared=shared_parts()).message()
    for header in ("Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post", "To", "From", "Subject"):
        assert shared[header] == alone[header]
    assert shared.get_payload() == alone.get_payload()
    assert alone["Message-ID"] == f"<{message.idempotency_key}@northside.example>"
