"""The outbox: a message is a row first, claimed once, sent once, kept when sending fails."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from dosewise.notifications import services
from dosewise.notifications.models import MessageStatus, OutboundMessage

pytestmark = pytest.mark.django_db


def enqueue(**overrides) -> OutboundMessage:
    data = {"to": "dana@example.org", "subject": "Your appointment", "body": "Tomorrow at 10:00.",
            "purpose": "test.reminder"}
    data.update(overrides)
    return services.outbox_enqueue_email(**data)


def test_a_message_is_delivered_once_its_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue(html_body="<p>Tomorrow at 10:00.</p>")
        assert mail.outbox == []
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1) and message.sent_at is not None
    [sent] = mail.outbox
    assert sent.to == ["dana@example.org"] and sent.alternatives[0][1] == "text/html"


def test_a_message_is_claimed_only_once():
    message = enqueue()
    assert services.outbox_claim(message.pk) is True
    assert services.outbox_claim(message.pk) is False
    assert services.outbox_deliver(message.pk) == "skipped" and mail.outbox == []


def test_a_sent_message_is_never_sent_again():
    message = enqueue()
    assert services.outbox_deliver(message.pk) == MessageStatus.SENT
    assert services.outbox_deliver(message.pk) == "skipped"
    assert services.outbox_sweep() == 0
    assert len(mail.outbox) == 1


def test_a_transport_failure_keeps_the_message_for_a_retry_after_a_back_off():
    message = enqueue()
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("connection refused")):
        assert services.outbox_deliver(message.pk) == MessageStatus.FAILED
    message.refresh_from_db()
    # Staff see what happened in plain words, not the exception's own text.
    assert message.status == MessageStatus.FAILED
    assert message.last_error == "The mail server could not be reached; the message is tried again."
    assert message.next_attempt_at > timezone.now()
    assert services.outbox_sweep() == 0
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert services.outbox_sweep() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 2) and len(mail.outbox) == 1


def test_a_message_is_given_up_after_the_maximum_attempts():
    message = enqueue()
    OutboundMessage.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED,
                                                         attempts=services.MAX_ATTEMPTS)
    assert services.outbox_sweep() == 0 and mail.outbox == []


def test_a_stale_claim_from_a_crashed_worker_is_retried_and_a_fresh_one_is_not():
    stale, fresh = enqueue(to="a@example.org"), enqueue(to="b@example.org")
    now = timezone.now()
    OutboundMessage.objects.filter(pk=stale.pk).update(status=MessageStatus.SENDING, attempts=1,
                                                       claimed_at=now - services.stale_claim() - timedelta(seconds=1))
    OutboundMessage.objects.filter(pk=fresh.pk).update(status=MessageStatus.SENDING, attempts=1, claimed_at=now)
    assert services.outbox_sweep() == 1
    assert [m.to for m in mail.outbox] == [["a@example.org"]]


def test_an_unknown_channel_is_undeliverable_without_losing_the_row():
    message = enqueue()
    OutboundMessage.objects.filter(pk=message.pk).update(channel="pigeon")
    assert services.outbox_deliver(message.pk) == MessageStatus.UNDELIVERABLE
    assert "no sender for channel pigeon" in OutboundMessage.objects.get(pk=message.pk).last_error


def test_the_back_off_grows_with_each_try_up_to_six_hours():
    waits = [services.backoff(n) for n in range(1, 7)]
    assert waits[:3] == [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=25)]
    assert waits == sorted(waits) and waits[-1] == timedelta(hours=6)


def test_a_message_failing_on_its_last_try_is_marked_undeliverable_with_the_reason():
    message = enqueue()
    OutboundMessage.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED,
                                                         attempts=services.MAX_ATTEMPTS - 1)
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("connection refused")):
        assert services.outbox_deliver(message.pk) == MessageStatus.UNDELIVERABLE
    message.refresh_from_db()
    assert message.last_error.startswith(f"Gave up after {services.MAX_ATTEMPTS} tries.")


def test_a_recipient_refused_for_good_is_undeliverable_at_once():
    message = enqueue()
    refused = smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"5.1.1 <x@example.org>: user unknown")})
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=refused):
        assert services.outbox_deliver(message.pk) == MessageStatus.UNDELIVERABLE
    message.refresh_from_db()
    assert message.last_error == "The mail server refused the recipient's address."
    assert services.outbox_sweep() == 0


@pytest.mark.parametrize(("error", "shown"), [
    (smtplib.SMTPRecipientsRefused({"x@example.org": (450, b"4.2.1 try later")}),
     "The mail server refused the recipient's address. It is tried again."),
    (smtplib.SMTPAuthenticationError(535, b"5.7.8 Username and Password not accepted"),
     "The mail server refused Dosewise's sign-in; check EMAIL_HOST_USER and EMAIL_HOST_PASSWORD."),
    (ConnectionRefusedError(111, "Connection refused"), "The mail server could not be reached; the message is tried again."),
    (KeyError("html_body"), "Sending failed for an unexpected reason (details in the server log); the message is "
                            "tried again."),
])
def test_a_failure_is_kept_in_plain_words_never_the_exception_text(error, shown):
    message = enqueue()
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=error):
        assert services.outbox_deliver(message.pk) == MessageStatus.FAILED
    message.refresh_from_db()
    assert message.last_error == shown
    assert "550" not in message.last_error and "Errno" not in message.last_error and "KeyError" not in shown
