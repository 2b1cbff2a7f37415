"""Put messages in the outbox and deliver them."""

from __future__ import annotations

import logging
import smtplib
import time
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection as db
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from dosewise.clinics.models import Clinic
from dosewise.notifications import consent, quiet_hours
from dosewise.notifications.email import SharedParts, outbox_email, shared_parts
from dosewise.notifications.models import Channel, MessageStatus, OutboundMessage
from dosewise.notifications.sms import PermanentSmsError, SmsError, sms_send

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
# A claim older than this is taken to be from a crashed worker and is retried.
STALE_CLAIM = timedelta(minutes=10)
# A worker renews its claim on the rest of its batch once the claim is this share of STALE_CLAIM
# old, so every send starts on a claim that three quarters of the stale time still protects.
RENEW_SHARE = 0.25
# A batch's reading of the consent ledger is used for at most this long: a slow batch reads it
# again for the messages it has not sent yet, so a withdrawal is honoured within about a second.
LEDGER_FRESHNESS = timedelta(seconds=1)
# How many times a worker that found due rows but lost them all to other workers chooses again.
CLAIM_TRIES = 3


class OutboxError(Exception):
    """A message the outbox cannot send as it is (its words are shown to staff)."""


class PermanentDeliveryError(OutboxError):
    """A message that can never be sent as it is: marked undeliverable, not tried again."""


def is_permanent(exc: Exception) -> bool:
    """Return whether trying again cannot help (a refused recipient, an invalid number)."""
    if isinstance(exc, PermanentDeliveryError | PermanentSmsError):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return False


def delivery_problem(exc: Exception) -> str:
    """Say why a delivery failed in words for the staff who see it; the exception itself goes to the log."""
    if isinstance(exc, SmsError | OutboxError):
        return str(exc)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "The mail server refused Dosewise's sign-in; check EMAIL_HOST_USER and EMAIL_HOST_PASSWORD."
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "The mail server refused the recipient's address." + (
            "" if is_permanent(exc) else " It is tried again.")
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return "The mail server refused the sender address (DEFAULT_FROM_EMAIL)."
    if isinstance(exc, smtplib.SMTPException):
        return "The mail server refused the message; it is tried again."
    if isinstance(exc, OSError):
        return "The mail server could not be reached; the message is tried again."
    return "Sending failed for an unexpected reason (details in the server log); the message is tried again."


def _schedule_delivery(message: OutboundMessage) -> None:
    from dosewise.notifications.tasks import outbox_deliver_task

    transaction.on_commit(lambda: outbox_deliver_task.enqueue(message.pk))


def outbox_enqueue_email(*, to: str, subject: str, body: str, purpose: str, html_body: str = "",
                         clinic=None, attachment: tuple[str, bytes, str] | None = None,
                         consent_purpose: str = "") -> OutboundMessage:
    """Write an e-mail to the outbox; it is delivered after the surrounding transaction commits.

    `attachment` is (file name, content, MIME type) of one file sent with the message;
    `consent_purpose` (a ConsentPurpose) makes the send-time check ask the ledger for consent.
    """
    name, content, mimetype = attachment or ("", b"", "")
    message = OutboundMessage.objects.create(clinic=clinic, channel=Channel.EMAIL, to=to, subject=subject[:300],
                                             body=body, html_body=html_body, purpose=purpose,
                                             attachment_name=name[:120], attachment=content,
                                             attachment_type=mimetype[:80], consent_purpose=consent_purpose)
    _schedule_delivery(message)
    return message


def outbox_enqueue_sms(*, to: str, body: str, purpose: str, clinic=None, consent_purpose: str = "",
                       healthcare_exempt: bool = False, recipient_zone: str = "",
                       recipient_state: str = "") -> OutboundMessage:
    """Write a text message to the outbox; consent, quiet hours and caps are checked when it is sent."""
    message = OutboundMessage.objects.create(clinic=clinic, channel=Channel.SMS, to=to.strip(), body=body,
                                             purpose=purpose, consent_purpose=consent_purpose,
                                             healthcare_exempt=healthcare_exempt, recipient_zone=recipient_zone,
                                             recipient_state=recipient_state.upper()[:2])
    _schedule_delivery(message)
    return message


def stale_claim() -> timedelta:
    """Return how old a claim must be to be taken for a crashed worker's (OUTBOX_STALE_CLAIM_SECONDS)."""
    return timedelta(seconds=getattr(settings, "OUTBOX_STALE_CLAIM_SECONDS", STALE_CLAIM.total_seconds()))


def _claimable_parts(now) -> list[Q]:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return [Q(status=MessageStatus.PENDING, attempts__lt=MAX_ATTEMPTS) & due,
            Q(status=MessageStatus.FAILED, attempts__lt=MAX_ATTEMPTS) & due,
            Q(status=MessageStatus.SENDING, claimed_at__lt=now - stale_claim())]


def _claimable(now) -> Q:
    parts = _claimable_parts(now)
    return parts[0] | parts[1] | parts[2]


def _oldest_claimable(now, limit: int) -> list[int]:
    # One query per status, each walking the (status, created_at) index and stopping at `limit`:
    # the single OR query sorted every waiting row for each batch (19 ms with 50,000 waiting).
    rows = sorted(row for part in _claimable_parts(now) for row in OutboundMessage.objects.filter(part)
                  .order_by("created_at", "pk").values_list("created_at", "pk")[:limit])
    return [pk for _, pk in rows[:limit]]


def outbox_claim(message_id: int, token: str = "") -> bool:
    """Claim a message for sending; return False when another worker has it, it is done or not due."""
    now = timezone.now()
    return OutboundMessage.objects.filter(_claimable(now), pk=message_id).update(
        status=MessageStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1,
        claim_token=token or uuid.uuid4().hex) == 1


def outbox_claim_batch(*, token: str, limit: int = 50) -> list[OutboundMessage]:
    """Claim up to `limit` due messages for one worker and return them, oldest first.

    One conditional UPDATE takes the rows: a row another worker claimed in between no longer
    matches its WHERE clause, so no row is ever held by two workers (SQLite serialises the
    writers; PostgreSQL re-checks the condition on the rows it waited for). The choice and the
    UPDATE share a transaction, which on SQLite (transactions begin IMMEDIATE) holds the write
    lock from the choice on, so two workers never pick the same rows; a worker that lost all
    its rows to another in between (PostgreSQL) chooses again rather than going idle.
    """
    now = timezone.now()
    for _ in range(CLAIM_TRIES):
        with transaction.atomic():
            ids = _oldest_claimable(now, limit)
            if not ids:
                return []
            claimed = OutboundMessage.objects.filter(_claimable(now), pk__in=ids).update(
                status=MessageStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1, claim_token=token)
        if claimed:
            return list(OutboundMessage.objects.filter(claim_token=token, status=MessageStatus.SENDING, pk__in=ids)
                        .order_by("created_at", "pk"))
        now = timezone.now()
    return []


def backoff(attempts: int) -> timedelta:
    """Return the wait before the next try after `attempts` tries: 1, 5, 25 minutes, then 2 and 6 hours."""
    return min(timedelta(minutes=5 ** max(attempts - 1, 0)), timedelta(hours=6))


def _defer_reason(message: OutboundMessage, now) -> tuple[datetime | None, str]:
    """Return (not before, why) when quiet hours or the caps hold an SMS back, else (None, "")."""
    if message.channel != Channel.SMS or message.purpose == consent.KEYWORD_REPLY_PURPOSE:
        return None, ""
    zone = message.recipient_zone or (message.clinic.timezone if message.clinic_id else settings.TIME_ZONE)
    later = quiet_hours.next_allowed(now, zone, message.recipient_state)
    if later is not None:
        return later, f"Held for quiet hours ({quiet_hours.window_for(message.recipient_state).source})."
    if message.healthcare_exempt:
        sent = list(OutboundMessage.objects.filter(
            channel=Channel.SMS, clinic_id=message.clinic_id, address=message.address, healthcare_exempt=True,
            status=MessageStatus.SENT, sent_at__gt=now - timedelta(days=7)).values_list("sent_at", flat=True))
        later = quiet_hours.cap_next_allowed(now, zone, sent, message.recipient_state)
        if later is not None:
            return later, f"Held by the message caps ({quiet_hours.CAP_SOURCE})."
    return None, ""


def _finish(message: OutboundMessage, **fields) -> None:
    # Only the worker holding the claim writes the outcome.
    OutboundMessage.objects.filter(pk=message.pk, claim_token=message.claim_token).update(**fields)


def _mark_sent(message: OutboundMessage, reference: str) -> None:
    # The one write every message needs once it is sent, as a fixed statement: the ORM would
    # build the same UPDATE again for each message, most of the cost of writing it.
    # Like `_finish`, only the worker holding the claim writes it.
    table, quote = OutboundMessage._meta.db_table, db.ops.quote_name
    with db.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(table)} SET {quote('status')} = %s, {quote('sent_at')} = %s, "
            f"{quote('provider_reference')} = %s, {quote('last_error')} = '' "
            f"WHERE {quote('id')} = %s AND {quote('claim_token')} = %s",
            [MessageStatus.SENT.value, db.ops.adapt_datetimefield_value(timezone.now()), reference[:80],
             message.pk, message.claim_token])


def _send_claimed(message: OutboundMessage, connection=None, *, permission: consent.SendPermission | None = None,
                  shared: SharedParts | None = None) -> str:
    """Send one message this worker has claimed (and still holds); return its new status.

    `permission` is the ledger's answer read for the message's batch (see `outbox_drain`);
    without it the ledger is read for this message alone. `shared` is what every e-mail of
    the worker's run has in common.
    """
    now = timezone.now()
    if permission is None:
        permission = consent.send_permission(clinic_id=message.clinic_id, channel=message.channel,
                                             address=message.to, purpose=message.purpose,
                                             consent_purpose=message.consent_purpose)
    if not permission.allowed:
        _finish(message, status=MessageStatus.WITHHELD, last_error=permission.reason[:500])
        return MessageStatus.WITHHELD
    later, why = _defer_reason(message, now)
    if later is not None:
        # Waiting is not a failed try: the attempt the claim counted is given back.
        _finish(message, status=MessageStatus.PENDING, next_attempt_at=later, last_error=why[:500],
                attempts=F("attempts") - 1)
        return MessageStatus.PENDING
    try:
        if message.channel == Channel.SMS:
            reference = sms_send(message.to, message.body, idempotency_key=str(message.idempotency_key),
                                 status_callback=True)
        elif message.channel == Channel.EMAIL:
            outbox_email(message, connection=connection, shared=shared).send()
            reference = ""
        else:
            raise PermanentDeliveryError(f"no sender for channel {message.channel}")
    except Exception as exc:  # any transport error: keep the row for a retry, never lose it
        log.warning("outbox message %s failed: %r", message.pk, exc)
        problem = delivery_problem(exc)[:500]
        if is_permanent(exc) or message.attempts >= MAX_ATTEMPTS:
            if not is_permanent(exc):
                problem = f"Gave up after {message.attempts} tries. {problem}"[:500]
            _finish(message, status=MessageStatus.UNDELIVERABLE, last_error=problem)
            return MessageStatus.UNDELIVERABLE
        _finish(message, status=MessageStatus.FAILED, last_error=problem,
                next_attempt_at=now + backoff(message.attempts))
        return MessageStatus.FAILED
    _mark_sent(message, reference)
    return MessageStatus.SENT


def outbox_deliver(message_id: int) -> str:
    """Claim and send one message and return its new status ("skipped": not claimed)."""
    token = uuid.uuid4().hex
    if not outbox_claim(message_id, token):
        return "skipped"
    message = OutboundMessage.objects.select_related("clinic").get(pk=message_id)
    return _send_claimed(message)


def _claims_renewed(messages: list[OutboundMessage], token: str, now) -> set[int]:
    """Renew this worker's claim on `messages` with one UPDATE; return the ids it still holds."""
    ids = [m.pk for m in messages]
    held = OutboundMessage.objects.filter(pk__in=ids, claim_token=token, status=MessageStatus.SENDING)
    if held.update(claimed_at=now) == len(ids):
        return set(ids)
    # A row this worker no longer holds cannot match again (a takeover writes another token).
    return set(held.values_list("pk", flat=True))


def outbox_drain(*, token: str | None = None, batch: int = 50, stop_when_empty: bool = True,
                 idle_seconds: float = 0.5, should_stop=lambda: False) -> dict[str, int]:
    """Claim and send due messages batch by batch over one mail connection; return counts by status.

    Each outcome is written as soon as its message is sent, so a worker killed mid-batch leaves at
    most the one message it was sending unmarked (sent again later, with the same Message-ID);
    the rest of its batch is claimed again once the claim is stale. What is the same for the
    whole batch is done once for it: the ledger is read for all its addresses (again when the
    batch is slow, LEDGER_FRESHNESS) and the claim is renewed for the rest of the batch only
    when it has aged by RENEW_SHARE of the stale time, not before every message.
    """
    from django.core.mail import get_connection

    token = token or uuid.uuid4().hex
    counts: dict[str, int] = {}
    connection = get_connection()
    renew_after = stale_claim() * RENEW_SHARE
    shared = shared_parts()
    try:
        while not should_stop():
            messages = outbox_claim_batch(token=token, limit=batch)
            if not messages:
                if stop_when_empty:
                    break
                time.sleep(idle_seconds)
                continue
            clinics = {c.pk: c for c in Clinic.objects.filter(pk__in={m.clinic_id for m in messages if m.clinic_id})}
            held, claimed_at = {m.pk for m in messages}, min(m.claimed_at for m in messages)
            permissions, read_at = consent.send_permissions(messages), timezone.now()
            for n, message in enumerate(messages):
                now = timezone.now()
                if now - claimed_at >= renew_after:
                    held, claimed_at = _claims_renewed(messages[n:], token, now), now
                if message.pk not in held:
                    counts["skipped"] = counts.get("skipped", 0) + 1
                    continue
                if now - read_at >= LEDGER_FRESHNESS:
                    permissions, read_at = consent.send_permissions(messages[n:]), now
                message.clinic = clinics.get(message.clinic_id)
                if message.channel == Channel.EMAIL:
                    _keep_open(connection)
                status = _send_claimed(message, connection=connection, permission=permissions[message.pk],
                                       shared=shared)
                counts[status] = counts.get(status, 0) + 1
                if status == MessageStatus.FAILED and message.channel == Channel.EMAIL:
                    connection.close()
    finally:
        connection.close()
    return counts


def _keep_open(connection) -> None:
    # A connection opened here stays open across sends (Django closes the ones it opens itself);
    # a server that is down is left for the send to report.
    if getattr(connection, "connection", None) is None:
        try:
            connection.open()
        except Exception:  # noqa: BLE001 (the send that follows reports it in words)
            connection.close()


def outbox_sweep() -> int:
    """Deliver every message that is due (after a crash, an outage or quiet hours); return how many were sent."""
    counts = outbox_drain(batch=100)
    return counts.get(MessageStatus.SENT, 0)


# A faxed prescription is health information: once the gateway has it, the outbox keeps the
# record of the message (who, when, status) but not the document.
ATTACHMENT_RETENTION = timedelta(days=30)


def outbox_attachments_purge(now=None) -> int:
    """Drop the attachments of messages sent more than ATTACHMENT_RETENTION ago; return how many."""
    cutoff = (now or timezone.now()) - ATTACHMENT_RETENTION
    return (OutboundMessage.objects.filter(status=MessageStatus.SENT, sent_at__lt=cutoff)
            .exclude(attachment_name="").update(attachment=b"", attachment_name="", attachment_type=""))
