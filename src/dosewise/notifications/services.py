"""Put messages in the outbox and deliver them."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from dosewise.notifications.models import Channel, MessageStatus, OutboundMessage
from dosewise.notifications.sms import SmsError, sms_send

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
# A claim older than this is taken to be from a crashed worker and is retried.
STALE_CLAIM = timedelta(minutes=10)


class OutboxError(Exception):
    """A message the outbox cannot send as it is (its words are shown to staff)."""


def delivery_problem(exc: Exception) -> str:
    """Say why a delivery failed in words for the staff who see it; the exception itself goes to the log."""
    if isinstance(exc, SmsError | OutboxError):
        return str(exc)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "The mail server refused Dosewise's sign-in; check EMAIL_HOST_USER and EMAIL_HOST_PASSWORD."
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "The mail server refused the recipient's address."
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return "The mail server refused the sender address (DEFAULT_FROM_EMAIL)."
    if isinstance(exc, smtplib.SMTPException):
        return "The mail server refused the message; it is tried again."
    if isinstance(exc, OSError):
        return "The mail server could not be reached; the message is tried again."
    return "Sending failed for an unexpected reason (details in the server log); the message is tried again."


def outbox_enqueue_email(*, to: str, subject: str, body: str, purpose: str, html_body: str = "",
                         clinic=None, attachment: tuple[str, bytes, str] | None = None) -> OutboundMessage:
    """Write an e-mail to the outbox; it is delivered after the surrounding transaction commits.

    `attachment` is (file name, content, MIME type) of one file sent with the message.
    """
    from dosewise.notifications.tasks import outbox_deliver_task

    name, content, mimetype = attachment or ("", b"", "")
    message = OutboundMessage.objects.create(clinic=clinic, channel=Channel.EMAIL, to=to, subject=subject[:300],
                                             body=body, html_body=html_body, purpose=purpose,
                                             attachment_name=name[:120], attachment=content,
                                             attachment_type=mimetype[:80])
    transaction.on_commit(lambda: outbox_deliver_task.enqueue(message.pk))
    return message


def outbox_claim(message_id: int) -> bool:
    """Claim a message for sending; return False when another worker has it or it is done."""
    now = timezone.now()
    claimable = Q(status__in=[MessageStatus.PENDING, MessageStatus.FAILED], attempts__lt=MAX_ATTEMPTS) | Q(
        status=MessageStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    return OutboundMessage.objects.filter(claimable, pk=message_id).update(
        status=MessageStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1) == 1


def outbox_deliver(message_id: int) -> str:
    """Send one claimed message and return its new status."""
    if not outbox_claim(message_id):
        return "skipped"
    message = OutboundMessage.objects.get(pk=message_id)
    try:
        if message.channel == Channel.SMS:
            sms_send(message.to, message.body)
            OutboundMessage.objects.filter(pk=message_id).update(status=MessageStatus.SENT, sent_at=timezone.now())
            return MessageStatus.SENT
        if message.channel != Channel.EMAIL:
            raise OutboxError(f"no sender for channel {message.channel}")
        email = EmailMultiAlternatives(message.subject, message.body, to=[message.to])
        if message.html_body:
            email.attach_alternative(message.html_body, "text/html")
        if message.attachment_name:
            email.attach(message.attachment_name, bytes(message.attachment), message.attachment_type)
        email.send()
    except Exception as exc:  # any transport error: keep the row for a retry, never lose it
        log.warning("outbox message %s failed: %r", message_id, exc)
        OutboundMessage.objects.filter(pk=message_id).update(status=MessageStatus.FAILED,
                                                             last_error=delivery_problem(exc)[:500])
        return MessageStatus.FAILED
    OutboundMessage.objects.filter(pk=message_id).update(status=MessageStatus.SENT, sent_at=timezone.now())
    return MessageStatus.SENT


def outbox_sweep() -> int:
    """Deliver every message still waiting (after a crash or an outage); return how many were sent."""
    now = timezone.now()
    waiting = OutboundMessage.objects.filter(
        Q(status__in=[MessageStatus.PENDING, MessageStatus.FAILED], attempts__lt=MAX_ATTEMPTS)
        | Q(status=MessageStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
    ).values_list("pk", flat=True)
    return sum(outbox_deliver(pk) == MessageStatus.SENT for pk in list(waiting[:500]))


# A faxed prescription is health information: once the gateway has it, the outbox keeps the
# record of the message (who, when, status) but not the document.
ATTACHMENT_RETENTION = timedelta(days=30)


def outbox_attachments_purge(now=None) -> int:
    """Drop the attachments of messages sent more than ATTACHMENT_RETENTION ago; return how many."""
    cutoff = (now or timezone.now()) - ATTACHMENT_RETENTION
    return (OutboundMessage.objects.filter(status=MessageStatus.SENT, sent_at__lt=cutoff)
            .exclude(attachment_name="").update(attachment=b"", attachment_name="", attachment_type=""))
