"""The consent ledger: who agreed to which messages on which channel, and who withdrew.

It lives beside the outbox (not in `outreach` or `patients`, which sit above it) because the
outbox reads it at send time: a message queued yesterday is not sent today if the person
texted STOP in between (docs/decisions/0041). It is keyed by the channel address (a phone
number in E.164 form, an e-mail address in lower case), so it covers people who are not
patients yet, and a patient's record needs no copy of it.

These functions write no audit events: the audit trail sits above this floor, so the callers
in `outreach` record them in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core import signing
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dosewise.notifications.models import (
    Channel,
    ConsentAction,
    ConsentDisclosure,
    ConsentPurpose,
    ContactConsent,
    ContactConsentEvent,
    normalised_address,
)

# Purposes a person may agree to on the public form; marketing is never offered by default.
DEFAULT_PURPOSES = (ConsentPurpose.APPOINTMENT_REMINDERS, ConsentPurpose.QUESTIONNAIRES,
                    ConsentPurpose.CARE_MESSAGES)
# Messages a person asked for themselves are sent even after "unsubscribe from everything" on
# e-mail (signing in must keep working); the keyword replies are sent even after STOP (the one
# confirmation the carriers require).
EMAIL_ALWAYS_PURPOSES_PREFIXES = ("account.", "staff.")
KEYWORD_REPLY_PURPOSE = "sms.keyword_reply"
UNSUBSCRIBE_SALT = "dosewise.notifications.unsubscribe"


def address_key(channel: str, address: str) -> str:
    """Return the ledger's form of an address: E.164 for SMS, lower case for e-mail."""
    return normalised_address(channel, address)


def disclosure_current(clinic, channel: str) -> ConsentDisclosure | None:
    """Return the newest disclosure version of the clinic for the channel, or None."""
    return ConsentDisclosure.objects.filter(clinic=clinic, channel=channel).order_by("-version").first()


def disclosure_publish(*, clinic, channel: str, program_name: str, text: str, created_by=None) -> ConsentDisclosure:
    """Write a new disclosure version (the older ones stay, as the ledger points at them)."""
    with transaction.atomic():
        latest = (ConsentDisclosure.objects.select_for_update().filter(clinic=clinic, channel=channel)
                  .order_by("-version").first())
        return ConsentDisclosure.objects.create(clinic=clinic, channel=channel, version=(latest.version + 1) if latest else 1,
                                                program_name=program_name.strip(), text=text.strip(),
                                                created_by=created_by)


def _record(*, clinic, channel: str, address: str, purpose: str, action: str, source: str, disclosure=None,
            ip: str | None = None, user_agent: str = "", words: str = "", recorded_by=None,
            at=None) -> ContactConsentEvent:
    at = at or timezone.now()
    key = address_key(channel, address)
    with transaction.atomic():
        consent, created = ContactConsent.objects.select_for_update().get_or_create(
            clinic=clinic, channel=channel, address=key, purpose=purpose,
            defaults={"granted": action == ConsentAction.GRANT, "updated_at": at})
        if not created:
            ContactConsent.objects.filter(pk=consent.pk).update(granted=action == ConsentAction.GRANT, updated_at=at)
        return ContactConsentEvent.objects.create(
            consent=consent, action=action, at=at, source=source, disclosure=disclosure, ip=ip or None,
            user_agent=(user_agent or "")[:300], words=(words or "")[:500], recorded_by=recorded_by)


def consent_grant(*, clinic, channel: str, address: str, purpose: str, source: str, disclosure=None, ip=None,
                  user_agent: str = "", words: str = "", recorded_by=None, at=None) -> ContactConsentEvent:
    """Record that the person at `address` agreed to messages of `purpose` on `channel`."""
    if purpose == ConsentPurpose.ALL and clinic is not None:
        raise ValueError("consent is given per purpose; ALL is only used to lift or record an opt-out")
    return _record(clinic=clinic, channel=channel, address=address, purpose=purpose, action=ConsentAction.GRANT,
                   source=source, disclosure=disclosure, ip=ip, user_agent=user_agent, words=words,
                   recorded_by=recorded_by, at=at)


def consent_withdraw(*, clinic, channel: str, address: str, purpose: str, source: str, ip=None,
                     user_agent: str = "", words: str = "", recorded_by=None, at=None) -> ContactConsentEvent:
    """Record a withdrawal; `purpose=ALL` stops every message on the channel.

    `clinic=None` records it for the whole installation: a STOP texted to the shared number
    reaches every clinic that sends from it.
    """
    return _record(clinic=clinic, channel=channel, address=address, purpose=purpose, action=ConsentAction.REVOKE,
                   source=source, ip=ip, user_agent=user_agent, words=words, recorded_by=recorded_by, at=at)


def consent_resume(*, channel: str, address: str, source: str, words: str = "", at=None) -> ContactConsentEvent:
    """Lift an installation-wide opt-out (START): the purposes agreed before apply again."""
    return _record(clinic=None, channel=channel, address=address, purpose=ConsentPurpose.ALL,
                   action=ConsentAction.GRANT, source=source, words=words, at=at)


@dataclass(frozen=True)
class SendPermission:
    allowed: bool
    reason: str = ""


# The ledger purpose of the messages the older apps queue without a `consent_purpose`: their
# enqueue-time check against the chart's contact consent stays, and a withdrawal of this
# purpose (in the portal, by an unsubscribe link) holds them back at send time as well.
MESSAGE_PURPOSES = {
    "appointment.reminder": ConsentPurpose.APPOINTMENT_REMINDERS,
    "appointment.booked": ConsentPurpose.APPOINTMENT_REMINDERS,
    "appointment.moved": ConsentPurpose.APPOINTMENT_REMINDERS,
    "appointment.cancelled": ConsentPurpose.APPOINTMENT_REMINDERS,
    "waitlist.offer": ConsentPurpose.APPOINTMENT_REMINDERS,
    "questionnaire.link": ConsentPurpose.QUESTIONNAIRES,
    "messaging.new_message": ConsentPurpose.CARE_MESSAGES,
    "monitoring.lab_reminder": ConsentPurpose.CARE_MESSAGES,
}


@dataclass(frozen=True)
class Standing:
    """The ledger's answer for one address, channel and purpose at one clinic."""

    allowed: bool
    # The ledger holds an answer to this purpose (otherwise the chart's contact consent decides
    # for the older apps' messages).
    recorded: bool
    # When a newer opt-out from everything (STOP) outranks the purpose, its time.
    stopped_at: datetime | None = None
    updated_at: datetime | None = None


def _rows(clinic_id, channel: str, key: str) -> list[ContactConsent]:
    return list(ContactConsent.objects.filter(channel=channel, address=key).filter(
        clinic_id__in=[clinic_id] if clinic_id else []) | ContactConsent.objects.filter(
        channel=channel, address=key, clinic__isnull=True))


def _standing(rows: list[ContactConsent], clinic_id, purpose: str) -> Standing:
    """Decide from the address's ledger rows: a newer opt-out from everything outranks an agreement."""
    opt_outs = [r for r in rows if r.purpose == ConsentPurpose.ALL and not r.granted]
    wanted = next((r for r in rows if r.purpose == purpose and r.clinic_id == clinic_id), None) if purpose else None
    latest = max((r.updated_at for r in opt_outs), default=None)
    if latest is not None and (wanted is None or not wanted.granted or wanted.updated_at <= latest):
        return Standing(False, wanted is not None, stopped_at=latest,
                        updated_at=wanted.updated_at if wanted else None)
    if wanted is None:
        return Standing(not purpose, False)
    return Standing(wanted.granted, True, updated_at=wanted.updated_at)


def _needs_no_ledger(channel: str, purpose: str, consent_purpose: str) -> bool:
    # The keyword replies (after STOP) and the messages a person asked for by e-mail.
    return purpose == KEYWORD_REPLY_PURPOSE or (
        channel == Channel.EMAIL and purpose.startswith(EMAIL_ALWAYS_PURPOSES_PREFIXES) and not consent_purpose)


def _permission(rows: list[ContactConsent], *, clinic_id, channel: str, purpose: str,
                consent_purpose: str) -> SendPermission:
    implied = "" if consent_purpose else MESSAGE_PURPOSES.get(purpose, "")
    standing = _standing(rows, clinic_id, consent_purpose or implied)
    what = "text messages" if channel == Channel.SMS else "e-mail"
    if standing.stopped_at is not None:
        return SendPermission(False, f"The person has stopped all {what} (opted out on "
                                     f"{timezone.localtime(standing.stopped_at):%Y-%m-%d %H:%M}).")
    wanted = consent_purpose or implied
    if not wanted or standing.allowed or (implied and not standing.recorded):
        return SendPermission(True)
    label = ConsentPurpose(wanted).label.lower() if wanted in ConsentPurpose.values else wanted
    if not standing.recorded:
        return SendPermission(False, f"No consent on record for {label} by {what}.")
    return SendPermission(False, f"The person withdrew consent to {label} by {what} on "
                                 f"{timezone.localtime(standing.updated_at):%Y-%m-%d %H:%M}.")


def send_permission(*, clinic_id, channel: str, address: str, purpose: str, consent_purpose: str) -> SendPermission:
    """Return whether a message may be sent now, reading the ledger (called at send time).

    An opt-out from everything (STOP, "unsubscribe from all") outranks any older agreement; a
    newer agreement to a purpose (the person ticked the box again) outranks an older opt-out
    of the clinic. A message under a consent purpose needs an agreement to that purpose; a
    message of the older apps (MESSAGE_PURPOSES) is held back by a withdrawal of its purpose.
    """
    if _needs_no_ledger(channel, purpose, consent_purpose):
        return SendPermission(True)
    return _permission(_rows(clinic_id, channel, address_key(channel, address)), clinic_id=clinic_id,
                       channel=channel, purpose=purpose, consent_purpose=consent_purpose)


def send_permissions(messages) -> dict[int, SendPermission]:
    """Return `send_permission` for each outbox row of a batch, keyed by row id, reading the
    ledger once (one query for all the batch's addresses) instead of once per message."""
    asking = {m.pk: address_key(m.channel, m.to) for m in messages
              if not _needs_no_ledger(m.channel, m.purpose, m.consent_purpose)}
    rows: dict[tuple[str, str], list[ContactConsent]] = {}
    if asking:
        clinic_ids = {m.clinic_id for m in messages if m.pk in asking and m.clinic_id}
        for row in ContactConsent.objects.filter(
                Q(clinic_id__in=clinic_ids) | Q(clinic__isnull=True), channel__in={m.channel for m in messages},
                address__in=set(asking.values())):
            rows.setdefault((row.channel, row.address), []).append(row)
    permissions = {}
    for m in messages:
        if m.pk not in asking:
            permissions[m.pk] = SendPermission(True)
            continue
        # The rows `_rows` would read: the message's clinic and the installation-wide ones.
        own = [r for r in rows.get((m.channel, asking[m.pk]), []) if r.clinic_id is None or
               (m.clinic_id and r.clinic_id == m.clinic_id)]
        permissions[m.pk] = _permission(own, clinic_id=m.clinic_id, channel=m.channel, purpose=m.purpose,
                                        consent_purpose=m.consent_purpose)
    return permissions


def consent_granted(*, clinic, channel: str, address: str, purpose: str) -> bool:
    """Return whether a message of `purpose` may go to `address` now (for enqueue-time checks)."""
    return send_permission(clinic_id=clinic.pk if clinic else None, channel=channel, address=address,
                           purpose="", consent_purpose=purpose).allowed


def consent_standings(*, clinic, channel: str, address: str, purposes) -> dict[str, Standing]:
    """Return the ledger's standing of each purpose for one address at the clinic (one query)."""
    rows = _rows(clinic.pk, channel, address_key(channel, address)) if address else []
    return {purpose: _standing(rows, clinic.pk, purpose) for purpose in purposes}


def consent_standings_by_channel(*, clinic, addresses: dict[str, str], purposes) -> dict[str, dict[str, Standing]]:
    """Return `consent_standings` of a person's address on each channel ({channel: address}, an
    empty address left out) in one query, keyed by channel: the chart shows phone and e-mail."""
    keys = {channel: address_key(channel, address) for channel, address in addresses.items() if address}
    rows: dict[str, list[ContactConsent]] = {channel: [] for channel in keys}
    if keys:
        wanted = Q()
        for channel, key in keys.items():
            wanted |= Q(channel=channel, address=key)
        for row in ContactConsent.objects.filter(wanted).filter(Q(clinic_id=clinic.pk) | Q(clinic__isnull=True)):
            rows[row.channel].append(row)  # the filter matched its channel's own address
    return {channel: {purpose: _standing(found, clinic.pk, purpose) for purpose in purposes}
            for channel, found in rows.items()}


def consent_standings_many(*, clinic_id, channel: str, addresses, purpose: str) -> dict[str, Standing]:
    """Return the ledger's standing of one purpose for many addresses at a clinic (one query),
    keyed by the address as given: the batch form of `consent_standings`, for daily jobs."""
    keys = {address: address_key(channel, address) for address in addresses if address}
    rows_by_key: dict[str, list[ContactConsent]] = {}
    if keys:
        for row in ContactConsent.objects.filter(channel=channel, address__in=set(keys.values())).filter(
                Q(clinic_id=clinic_id) | Q(clinic__isnull=True)):
            rows_by_key.setdefault(row.address, []).append(row)
    return {address: _standing(rows_by_key.get(key, []), clinic_id, purpose) for address, key in keys.items()}


def consent_history(*, clinic, channel: str | None = None, addresses: list[str]) -> list[ContactConsentEvent]:
    """Return every ledger event of the addresses at the clinic (and installation-wide), oldest first."""
    keys = {address_key(Channel.SMS, a) for a in addresses if a} | {address_key(Channel.EMAIL, a) for a in addresses
                                                                      if a}
    events = ContactConsentEvent.objects.filter(consent__address__in=keys).filter(
        consent__clinic__in=[clinic]) | ContactConsentEvent.objects.filter(consent__address__in=keys,
                                                                            consent__clinic__isnull=True)
    if channel:
        events = events.filter(consent__channel=channel)
    return list(events.select_related("consent", "disclosure", "recorded_by").order_by("at", "pk"))


def unsubscribe_token(*, clinic_id, channel: str, address: str, purpose: str) -> str:
    """Return the signed token of a one-click unsubscribe link (no sign-in needed)."""
    return signing.dumps({"k": clinic_id, "c": channel, "a": address_key(channel, address), "p": purpose or "all"},
                         salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_token_read(token: str) -> dict | None:
    """Return the token's contents, or None when it was not made here."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not {"k", "c", "a", "p"} <= data.keys():
        return None
    return data
