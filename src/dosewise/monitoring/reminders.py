"""Remind patients that monitoring is due, through the outbox, with their consent and little health data.

A run looks at every due or overdue item nobody has acknowledged (acknowledging means it was
ordered or is not needed). Each item is claimed with a conditional update, so two runs at
once never both remind. A patient gets one message for all their claimed items: an SMS when
they consent to SMS and have a phone number, else an e-mail when they consent to e-mail and
have an address; otherwise nothing, and the item records why. The message names neither the
test nor the medicine: a lock screen or a shared inbox must not reveal the treatment.

An item is reminded at most once in REMIND_EVERY; an item that could not be reminded is looked
at again after CHECK_EVERY, so a consent given today counts at tomorrow's run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import groupby

from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from dosewise.audit.services import audit_record
from dosewise.clinics.clock import local_date
from dosewise.monitoring.models import MonitoringDue, ReminderOutcome
from dosewise.notifications.models import Channel, ConsentPurpose, OutboundMessage
from dosewise.notifications.services import outbox_enqueue_email
from dosewise.patients.models import Consent, ConsentKind, Patient
from dosewise.patients.selectors import CONTACT_CONSENT_KIND, ledger_choices

REMIND_EVERY = timedelta(days=7)
CHECK_EVERY = timedelta(hours=20)
PURPOSE = "monitoring.lab_reminder"


@dataclass
class ReminderRun:
    """What one run did, counted in patients."""

    sent: int = 0
    no_consent: int = 0
    no_contact: int = 0


def _claimable(now: datetime) -> Q:
    return (Q(acknowledged_at__isnull=True)
            & (Q(reminded_at__isnull=True) | Q(reminded_at__lte=now - REMIND_EVERY))
            & (Q(reminder_checked_at__isnull=True) | Q(reminder_checked_at__lte=now - CHECK_EVERY)))


def _candidates(now: datetime) -> list[MonitoringDue]:
    # Due dates are clinic-local days: one UTC day ahead covers every time zone, and each
    # row is then held against its own clinic's today.
    rows = (MonitoringDue.objects.filter(_claimable(now), due_date__lte=now.date() + timedelta(days=1))
            .select_related("patient__clinic").order_by("patient_id", "pk"))
    return [row for row in rows if row.due_date <= local_date(row.patient.clinic, now)]


def _consents(patient_ids: list[int]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = {}
    for patient_id, kind in Consent.objects.filter(patient_id__in=patient_ids, revoked_at__isnull=True,
                                                   kind__in=[ConsentKind.SMS, ConsentKind.EMAIL]
                                                   ).values_list("patient_id", "kind"):
        found.setdefault(patient_id, set()).add(kind)
    return found


def _with_own_choices(consents: set[str], choices: dict[str, bool | None]) -> set[str]:
    """The chart's contact consents, overruled per channel by the patient's own choice for care
    messages in the consent ledger (the portal's texts-and-e-mails page, STOP, unsubscribe)."""
    chosen = set(consents)
    for channel, kind in CONTACT_CONSENT_KIND.items():
        if choices.get(channel) is True:
            chosen.add(kind)
        elif choices.get(channel) is False:
            chosen.discard(kind)
    return chosen


def reminder_channel(patient: Patient, consents: set[str]) -> tuple[str, str, str]:
    """Return (outcome, channel, why not) for reminding this patient."""
    if ConsentKind.SMS in consents and patient.phone.strip():
        return ReminderOutcome.SENT, Channel.SMS, ""
    if ConsentKind.EMAIL in consents and patient.email.strip():
        return ReminderOutcome.SENT, Channel.EMAIL, ""
    if not consents:
        return ReminderOutcome.NO_CONSENT, "", "no active SMS or e-mail consent"
    missing = []
    if ConsentKind.SMS in consents:
        missing.append("consents to SMS but has no phone number")
    if ConsentKind.EMAIL in consents:
        missing.append("consents to e-mail but has no e-mail address")
    return ReminderOutcome.NO_CONTACT, "", "; ".join(missing)


def reminder_sms_text(patient: Patient) -> str:
    """Return the SMS: the clinic's name and that a check is due, nothing about the treatment."""
    return (f"{patient.clinic.name}: a routine health check is due for you. Please contact the clinic to "
            "book it. If you have had it already, please ignore this message.")


def _queue(patient: Patient, channel: str) -> OutboundMessage:
    if channel == Channel.SMS:
        from dosewise.notifications.tasks import outbox_deliver_task

        message = OutboundMessage.objects.create(clinic=patient.clinic, channel=Channel.SMS, to=patient.phone.strip(),
                                                 body=reminder_sms_text(patient), purpose=PURPOSE)
        transaction.on_commit(lambda: outbox_deliver_task.enqueue(message.pk))
        return message
    body = render_to_string("monitoring/email/lab_reminder.txt", {"patient": patient, "clinic": patient.clinic})
    # The subject names the clinic only, as for questionnaire links.
    return outbox_enqueue_email(to=patient.email.strip(), subject=f"A reminder from {patient.clinic.name}",
                                body=body, purpose=PURPOSE, clinic=patient.clinic)


def _remind_patient(patient: Patient, items: list[MonitoringDue], consents: set[str], now: datetime) -> str | None:
    """Claim the patient's items, queue one message or record why not; return the outcome (None: all
    items were claimed by another run)."""
    outcome, channel, why = reminder_channel(patient, consents)
    with transaction.atomic():
        claimed = [item.pk for item in items
                   if MonitoringDue.objects.filter(_claimable(now), pk=item.pk).update(reminder_checked_at=now)]
        if not claimed:
            return None
        fields = {"reminder_outcome": outcome, "reminder_note": why}
        if outcome == ReminderOutcome.SENT:
            message = _queue(patient, channel)
            fields.update(reminded_at=now, reminder_channel=channel)
            audit_record(action="lab_reminder.send", actor=None, patient=patient, obj=message,
                         detail={"channel": channel, "due": claimed,
                                 "tests": sorted(i.test for i in items if i.pk in claimed)})
        MonitoringDue.objects.filter(pk__in=claimed).update(**fields)
    return outcome


def lab_reminders_send(*, now: datetime | None = None) -> ReminderRun:
    """Remind every patient with due or overdue monitoring that nobody has acknowledged; return the counts."""
    now = now or timezone.now()
    run = ReminderRun()
    candidates = _candidates(now)
    consents = _consents(sorted({row.patient_id for row in candidates}))
    choices = ledger_choices(list({row.patient_id: row.patient for row in candidates}.values()),
                             ConsentPurpose.CARE_MESSAGES)
    for _, group in groupby(candidates, key=lambda row: row.patient_id):
        items = list(group)
        patient = items[0].patient
        outcome = _remind_patient(patient, items, _with_own_choices(consents.get(patient.pk, set()),
                                                                    choices[patient.pk]), now)
        if outcome == ReminderOutcome.SENT:
            run.sent += 1
        elif outcome == ReminderOutcome.NO_CONSENT:
            run.no_consent += 1
        elif outcome == ReminderOutcome.NO_CONTACT:
            run.no_contact += 1
    return run
