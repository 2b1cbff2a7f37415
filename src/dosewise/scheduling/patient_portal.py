"""The patient's side of the schedule, in the portal: coming appointments, confirming or
cancelling one within the clinic's policy, and asking for a new one.

The portal sits above this app, so the signed-in patient comes through the portal's
`PORTAL_PATIENT` contribution, as for messaging. Confirming and cancelling use the same
services as the signed link of a reminder; a request is a waiting-list entry the front desk
sees on the waiting list, and freed times are offered to it as to any waiting patient.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dosewise.audit.services import audit_record
from dosewise.lib.contributions import portal_patient as contributions_portal_patient
from dosewise.scheduling.models import (
    Appointment,
    AppointmentType,
    BookableBy,
    WaitlistEntry,
    WaitPriority,
    WaitStatus,
)

REQUEST_NOTE_LIMIT = 200
OPEN_REQUESTS_LIMIT = 3


portal_patient = contributions_portal_patient


def patient_appointment(patient, appointment_id: int) -> Appointment:
    """Return one of the patient's own appointments; any other id is not found (404)."""
    found = (Appointment.objects.select_related("provider", "type", "patient__clinic")
             .filter(clinic_id=patient.clinic_id, pk=appointment_id, patient=patient).first())
    if found is None:
        raise Http404("no such appointment")
    return found


def requestable_types(patient) -> list[AppointmentType]:
    """Return the appointment types the clinic lets patients book themselves (its policy), intakes aside."""
    return list(AppointmentType.objects.filter(clinic_id=patient.clinic_id, active=True, is_intake=False,
                                               bookable_by=BookableBy.PATIENT).order_by("name"))


def open_requests(patient) -> list[WaitlistEntry]:
    return list(WaitlistEntry.objects.select_related("type").filter(clinic_id=patient.clinic_id,
                                                                    patient=patient, status=WaitStatus.WAITING)
                .order_by("created_at"))


def appointment_request_by_patient(*, actor, patient, kind_id: int, note: str) -> WaitlistEntry:
    """Record the patient's request for an appointment as a routine waiting-list entry."""
    note = " ".join(note.split())
    if len(note) > REQUEST_NOTE_LIMIT:
        raise ValidationError({"note": _("Please keep this under %(n)d characters.") % {"n": REQUEST_NOTE_LIMIT}})
    kind = next((k for k in requestable_types(patient) if k.pk == kind_id), None)
    if kind is None:
        raise ValidationError({"kind": _("Choose the kind of appointment you would like.")})
    with transaction.atomic():
        waiting = WaitlistEntry.objects.select_for_update().filter(clinic_id=patient.clinic_id,
                                                                   patient=patient, status=WaitStatus.WAITING)
        if waiting.filter(type=kind).exists():
            raise ValidationError({"kind": _("You have already asked for this kind of appointment (%(kind)s); the "
                                             "clinic will contact you.") % {"kind": kind.name}})
        if waiting.count() >= OPEN_REQUESTS_LIMIT:
            raise ValidationError(_("You already have several open requests; the clinic will contact you."))
        entry = WaitlistEntry.objects.create(clinic_id=patient.clinic_id, patient=patient, type=kind,
                                             priority=WaitPriority.ROUTINE, note=note, created_by=actor)
        audit_record(action="waitlist.request", actor=actor, patient=patient, obj=entry,
                     detail={"type": kind.pk, "by": "patient"})
    return entry


def appointment_request_withdraw(*, actor, patient, entry_id: int) -> None:
    with transaction.atomic():
        changed = WaitlistEntry.objects.filter(clinic_id=patient.clinic_id,
                                               pk=entry_id, patient=patient, status=WaitStatus.WAITING).update(
            status=WaitStatus.REMOVED)
        if not changed:
            raise Http404("no such request")
        audit_record(action="waitlist.remove", actor=actor, patient=patient,
                     detail={"entry": entry_id, "by": "patient"})


def can_join(appointment: Appointment, now=None) -> bool:
    """Whether the video room is open: from 30 minutes before the start until the visit's end."""
    from datetime import timedelta

    now = now or timezone.now()
    return (appointment.is_video and appointment.is_open
            and appointment.starts_at - timedelta(minutes=30) <= now <= appointment.blocks_until)
