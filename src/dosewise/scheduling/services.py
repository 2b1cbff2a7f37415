"""Writes of the schedule: one door per change, atomic and audited.

Booking is serialised per provider and resource (a row lock on PostgreSQL; on SQLite every
write transaction begins IMMEDIATE, so writers queue), checked against working time and busy
time, and backed by the database itself (migration 0002), so that two people booking the last
slot at the same moment get one appointment and one clear message, never two appointments.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dateutil.rrule import rrulestr
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dosewise.accounts.models import User
from dosewise.audit.services import audit_record
from dosewise.clinics.clock import clinic_today, clinic_zone
from dosewise.clinics.roles import CLINICAL_ROLES, Capability
from dosewise.lib.contributions import appointment_notes
from dosewise.patients.selectors import access_patient
from dosewise.patients.services import care_team_join_for_booking
from dosewise.scheduling import messages as outgoing
from dosewise.scheduling import slots
from dosewise.scheduling.intakes import intake_mark_scheduled
from dosewise.scheduling.models import (
    OPEN_STATUSES,
    Appointment,
    AppointmentReminder,
    AppointmentSeries,
    AppointmentText,
    AppointmentType,
    CalendarFeed,
    CancelReason,
    ExceptionKind,
    Mode,
    NoShowReason,
    ReminderStatus,
    Resource,
    ResourceHold,
    ScheduleException,
    SlotOffer,
    Status,
    TelehealthConsent,
    WaitlistEntry,
    WaitStatus,
    WeeklyHours,
)
from dosewise.scheduling.permissions import require_admin, require_work_on

LINK_SALT = "dosewise.scheduling.appointment-link"
OFFER_SALT = "dosewise.scheduling.slot-offer"
MAX_OCCURRENCES = 26
OFFERS_PER_SLOT = 3


class SlotTaken(ValidationError):
    """The time is no longer free (someone else booked it first)."""


class EditConflict(ValidationError):
    """The appointment changed since the page was opened."""


# ---------------------------------------------------------------- configuration (clinic admin)

def resource_create(*, actor, name: str, kind: str) -> Resource:
    require_admin(actor)
    name = name.strip()
    if Resource.objects.filter(clinic_id=actor.clinic_id, name__iexact=name).exists():
        raise ValidationError({"name": f"There is already a resource called {name!r}."})
    with transaction.atomic():
        resource = Resource.objects.create(clinic_id=actor.clinic_id, name=name, kind=kind)
        audit_record(action="scheduling.resource_create", actor=actor, obj=resource, detail={"name": name})
    return resource


def appointment_type_create(*, actor, name: str, duration_minutes: int, buffer_minutes: int, mode: str,
                            bookable_by: str, reminder_offsets: list[int], late_cancel_hours: int = 24,
                            is_intake: bool = False, resources=()) -> AppointmentType:
    require_admin(actor)
    name = name.strip()
    if AppointmentType.objects.filter(clinic_id=actor.clinic_id, name__iexact=name).exists():
        raise ValidationError({"name": f"There is already an appointment type called {name!r}."})
    resources = list(resources)
    if any(r.clinic_id != actor.clinic_id for r in resources):
        raise PermissionDenied("resource of another clinic")
    with transaction.atomic():
        kind = AppointmentType.objects.create(
            clinic_id=actor.clinic_id, name=name, duration_minutes=duration_minutes, buffer_minutes=buffer_minutes,
            mode=mode, bookable_by=bookable_by, reminder_offsets=sorted(set(reminder_offsets), reverse=True),
            late_cancel_hours=late_cancel_hours, is_intake=is_intake)
        kind.resources.set(resources)
        audit_record(action="scheduling.type_create", actor=actor, obj=kind,
                     detail={"name": name, "minutes": duration_minutes, "mode": mode})
    return kind


# ---------------------------------------------------------------- provider hours

def _require_provider(actor, provider) -> None:
    if provider.clinic_id != actor.clinic_id or provider.role not in CLINICAL_ROLES or not provider.is_active:
        raise ValidationError({"provider": "Choose a clinician of this clinic."})
    require_work_on(actor, provider)


def weekly_hours_add(*, actor, provider, weekday: int, start_time, end_time) -> WeeklyHours:
    _require_provider(actor, provider)
    if end_time <= start_time:
        raise ValidationError({"end_time": "The end must be after the start."})
    clash = WeeklyHours.objects.filter(provider=provider, weekday=weekday, start_time__lt=end_time,
                                       end_time__gt=start_time).first()
    if clash is not None:
        raise ValidationError({"start_time": f"These hours overlap {clash.start_time:%H:%M}-{clash.end_time:%H:%M} "
                                             "on the same day; change or remove those first."})
    with transaction.atomic():
        hours = WeeklyHours.objects.create(clinic_id=provider.clinic_id, provider=provider, weekday=weekday,
                                           start_time=start_time, end_time=end_time)
        audit_record(action="scheduling.hours_add", actor=actor, obj=hours,
                     detail={"provider": provider.pk, "weekday": weekday,
                             "from": f"{start_time:%H:%M}", "to": f"{end_time:%H:%M}"})
    return hours


def weekly_hours_remove(*, actor, hours_id: int) -> None:
    hours = WeeklyHours.objects.select_related("provider").get(pk=hours_id, clinic_id=actor.clinic_id)
    _require_provider(actor, hours.provider)
    with transaction.atomic():
        audit_record(action="scheduling.hours_remove", actor=actor, obj=hours, detail={"provider": hours.provider_id})
        hours.delete()


def schedule_exception_add(*, actor, provider, kind: str, starts_at: datetime, ends_at: datetime,
                           note: str = "") -> ScheduleException:
    _require_provider(actor, provider)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": "The end must be after the start."})
    with transaction.atomic():
        exc = ScheduleException.objects.create(clinic_id=provider.clinic_id, provider=provider, kind=kind,
                                               starts_at=starts_at, ends_at=ends_at, note=note, created_by=actor)
        audit_record(action="scheduling.exception_add", actor=actor, obj=exc,
                     detail={"provider": provider.pk, "kind": kind})
    return exc


def schedule_exception_remove(*, actor, exception_id: int) -> None:
    exc = ScheduleException.objects.select_related("provider").get(pk=exception_id, clinic_id=actor.clinic_id)
    _require_provider(actor, exc.provider)
    with transaction.atomic():
        audit_record(action="scheduling.exception_remove", actor=actor, obj=exc, detail={"provider": exc.provider_id})
        exc.delete()


# ---------------------------------------------------------------- booking

def _lock_calendars(provider_id: int, resource_ids: list[int]) -> None:
    """Serialise bookings of one provider and its resources (PostgreSQL; SQLite writers already queue)."""
    if connection.vendor == "postgresql":
        list(User.objects.select_for_update().filter(pk=provider_id).values_list("pk", flat=True))
        if resource_ids:
            list(Resource.objects.select_for_update().filter(pk__in=sorted(resource_ids))
                 .order_by("pk").values_list("pk", flat=True))


def _busy_message(zone, start: datetime, clash: Appointment | None, what: str) -> str:
    local = start.astimezone(zone)
    if clash is not None:
        until = clash.blocks_until.astimezone(zone)
        return (f"{what} is already booked at {local:%H:%M} on {local:%a %d %b} (busy until {until:%H:%M}). "
                "Choose another time; the calendar shows the free slots.")
    return f"{what} is no longer free at {local:%H:%M} on {local:%a %d %b}. Choose another time."


def _check_free(*, provider, kind: AppointmentType, start: datetime, blocks_until: datetime, zone,
                outside_hours: bool, exclude_id: int | None = None) -> None:
    busy = Appointment.objects.filter(provider=provider, starts_at__lt=blocks_until, blocks_until__gt=start).exclude(
        status=Status.CANCELLED)
    if exclude_id:
        busy = busy.exclude(pk=exclude_id)
    clash = busy.first()
    if clash is not None:
        raise SlotTaken({"starts_at": _busy_message(zone, start, clash, provider.full_name)})
    resources = list(kind.resources.all())
    if resources:
        holds = ResourceHold.objects.filter(resource__in=resources, active=True, starts_at__lt=blocks_until,
                                            ends_at__gt=start).select_related("resource")
        if exclude_id:
            holds = holds.exclude(appointment_id=exclude_id)
        hold = holds.first()
        if hold is not None:
            raise SlotTaken({"starts_at": _busy_message(zone, start, None, hold.resource.name)})
    if not outside_hours:
        weekly = list(WeeklyHours.objects.filter(provider=provider))
        exceptions = list(ScheduleException.objects.filter(provider=provider, starts_at__lt=blocks_until,
                                                           ends_at__gt=start - timedelta(days=1)))
        if not slots.within_working_time(start, start + timedelta(minutes=kind.duration_minutes), zone, weekly,
                                         exceptions):
            off = [e for e in exceptions if e.kind == ExceptionKind.TIME_OFF and e.starts_at < blocks_until
                   and start < e.ends_at]
            why = "is on time off then" if off else "does not work at that time"
            raise ValidationError({"starts_at": f"{provider.full_name} {why}. Choose a time inside their hours, or "
                                                "tick “Book outside working hours” if you have agreed it with them."})


def _reminders_plan(appointment: Appointment, kind: AppointmentType, now: datetime) -> None:
    AppointmentReminder.objects.filter(appointment=appointment, status=ReminderStatus.PENDING).update(
        status=ReminderStatus.CANCELLED)
    rows = []
    for offset in kind.reminder_offsets or ():
        due = appointment.starts_at - timedelta(minutes=int(offset))
        if due > now:
            rows.append(AppointmentReminder(clinic_id=appointment.clinic_id, appointment=appointment,
                                            offset_minutes=int(offset), due_at=due))
    AppointmentReminder.objects.bulk_create(rows)


def _validate_start(start: datetime, now: datetime) -> None:
    if timezone.is_naive(start):
        raise ValueError("appointment times must be aware datetimes")
    if start < now - timedelta(minutes=5):
        raise ValidationError({"starts_at": "That time has passed. Choose a time from now on."})


def appointment_book(*, actor, access, provider, kind: AppointmentType, starts_at: datetime, reason: str = "",
                     outside_hours: bool = False, series: AppointmentSeries | None = None,
                     recurrence_id: datetime | None = None, notify: bool = True,
                     record_past: bool = False) -> Appointment:
    """Book the patient of `access` with `provider`; raise SlotTaken when the time is no longer free.

    `record_past` enters an appointment that has already taken place (back-entry after a
    downtime, the demo's morning); it sends nothing and plans no reminders.
    """
    patient = access.patient
    _require_provider(actor, provider)
    if kind.clinic_id != patient.clinic_id or not kind.active:
        raise ValidationError({"kind": "Choose one of this clinic's appointment types."})
    now = timezone.now()
    if record_past:
        notify = False
    else:
        _validate_start(starts_at, now)
    zone = clinic_zone(patient.clinic)
    ends_at = starts_at + timedelta(minutes=kind.duration_minutes)
    blocks_until = ends_at + timedelta(minutes=kind.buffer_minutes)
    resource_ids = list(kind.resources.values_list("pk", flat=True))
    try:
        with transaction.atomic():
            _lock_calendars(provider.pk, resource_ids)
            _check_free(provider=provider, kind=kind, start=starts_at, blocks_until=blocks_until, zone=zone,
                        outside_hours=outside_hours)
            appointment = Appointment.objects.create(
                clinic_id=patient.clinic_id, patient=patient, provider=provider, type=kind, starts_at=starts_at,
                ends_at=ends_at, blocks_until=blocks_until, reason=reason.strip()[:200], series=series,
                recurrence_id=recurrence_id, booked_by=actor,
                video_room=secrets.token_hex(16) if kind.mode == Mode.VIDEO else "")
            ResourceHold.objects.bulk_create([
                ResourceHold(clinic_id=patient.clinic_id, appointment=appointment, resource_id=rid,
                             starts_at=starts_at, ends_at=blocks_until) for rid in resource_ids])
            _reminders_plan(appointment, kind, now)
            audit_record(action="appointment.book", actor=actor, patient=patient, obj=appointment,
                         detail={"provider": provider.pk, "type": kind.pk, "starts_at": starts_at.isoformat(),
                                 "outside_hours": outside_hours, "series": series.pk if series else None,
                                 "record_past": record_past})
            intake_mark_scheduled(appointment)
            care_team_join_for_booking(actor=actor, patient=patient, member=provider)
            if notify:
                outgoing.appointment_booked(appointment, link=appointment_link(appointment))
    except IntegrityError as exc:
        raise SlotTaken({"starts_at": _busy_message(zone, starts_at, None, provider.full_name)}) from exc
    return appointment


def _locked(appointment_id: int, expected_version: int | None) -> Appointment:
    appointment = Appointment.objects.select_for_update(of=("self",)).select_related("type", "patient__clinic", "provider").get(
        pk=appointment_id)
    if expected_version is not None and appointment.version != expected_version:
        raise EditConflict("Someone changed this appointment while you had it open. Look at it again, then retry.")
    return appointment


def appointment_reschedule(*, actor, appointment: Appointment, starts_at: datetime, expected_version: int | None,
                           outside_hours: bool = False, provider=None) -> Appointment:
    """Move one appointment (one occurrence of a series moves alone); reminders follow it."""
    provider = provider or appointment.provider
    require_work_on(actor, appointment.provider)
    _require_provider(actor, provider)
    now = timezone.now()
    _validate_start(starts_at, now)
    try:
        with transaction.atomic():
            current = _locked(appointment.pk, expected_version)
            if not current.is_open:
                raise ValidationError(f"This appointment is {current.get_status_display().lower()}; "
                                      "book a new one instead.")
            kind = current.type
            zone = clinic_zone(current.patient.clinic)
            ends_at = starts_at + timedelta(minutes=kind.duration_minutes)
            blocks_until = ends_at + timedelta(minutes=kind.buffer_minutes)
            _lock_calendars(provider.pk, list(kind.resources.values_list("pk", flat=True)))
            _check_free(provider=provider, kind=kind, start=starts_at, blocks_until=blocks_until, zone=zone,
                        outside_hours=outside_hours, exclude_id=current.pk)
            before = current.starts_at
            Appointment.objects.filter(pk=current.pk).update(
                starts_at=starts_at, ends_at=ends_at, blocks_until=blocks_until, provider=provider,
                status=Status.BOOKED, confirmed_at=None, version=F("version") + 1)
            ResourceHold.objects.filter(appointment=current, active=True).update(starts_at=starts_at,
                                                                                 ends_at=blocks_until)
            current.refresh_from_db()
            _reminders_plan(current, kind, now)
            audit_record(action="appointment.reschedule", actor=actor, patient=current.patient, obj=current,
                         detail={"from": before.isoformat(), "to": starts_at.isoformat(), "provider": provider.pk})
            outgoing.appointment_moved(current, link=appointment_link(current))
    except IntegrityError as exc:
        raise SlotTaken({"starts_at": _busy_message(clinic_zone(appointment.patient.clinic), starts_at, None,
                                                    provider.full_name)}) from exc
    return current


def appointment_cancel(*, actor, appointment: Appointment, reason: str, by_patient: bool,
                       expected_version: int | None = None, offer_to_waitlist: bool = True,
                       via: str = "patient-link") -> Appointment:
    """Cancel one appointment with its reason; a patient's cancellation inside the type's window is late.

    `via` names how a patient without an account asked (the signed link, a text message reply).
    """
    if actor is not None:
        require_work_on(actor, appointment.provider)
    if reason not in CancelReason.values:
        raise ValidationError({"reason": "Choose why the appointment is cancelled."})
    now = timezone.now()
    with transaction.atomic():
        current = _locked(appointment.pk, expected_version)
        if not current.is_open:
            raise ValidationError(_("This appointment is already %(status)s.") % {"status": current.get_status_display().lower()})
        if by_patient and current.status == Status.IN_PROGRESS:
            raise ValidationError(_("This visit has already begun; it can no longer be cancelled."))
        late = by_patient and current.starts_at - now < timedelta(hours=current.type.late_cancel_hours)
        Appointment.objects.filter(pk=current.pk).update(
            status=Status.CANCELLED, cancelled_at=now, cancelled_by=actor, cancelled_by_patient=by_patient,
            cancel_reason=reason, late_cancel=late, version=F("version") + 1)
        ResourceHold.objects.filter(appointment=current).update(active=False)
        AppointmentReminder.objects.filter(appointment=current, status=ReminderStatus.PENDING).update(
            status=ReminderStatus.CANCELLED)
        current.refresh_from_db()
        audit_record(action="appointment.cancel", actor=actor, patient=current.patient, obj=current,
                     actor_email="" if actor else via,
                     detail={"reason": reason, "by_patient": by_patient, "late": late})
        outgoing.appointment_cancelled(current)
        if offer_to_waitlist and current.starts_at > now:
            slot_offer_create(appointment=current)
    return current


def appointment_no_show(*, actor, appointment: Appointment, reason: str,
                        expected_version: int | None = None) -> Appointment:
    require_work_on(actor, appointment.provider)
    if reason not in NoShowReason.values:
        raise ValidationError({"reason": "Choose what is known about the no-show."})
    if appointment.starts_at > timezone.now():
        raise ValidationError("A no-show can be recorded only once the appointment has begun.")
    with transaction.atomic():
        current = _locked(appointment.pk, expected_version)
        if not current.is_open:
            raise ValidationError(f"This appointment is already {current.get_status_display().lower()}.")
        Appointment.objects.filter(pk=current.pk).update(status=Status.NO_SHOW, no_show_reason=reason,
                                                         version=F("version") + 1)
        AppointmentReminder.objects.filter(appointment=current, status=ReminderStatus.PENDING).update(
            status=ReminderStatus.CANCELLED)
        current.refresh_from_db()
        audit_record(action="appointment.no_show", actor=actor, patient=current.patient, obj=current,
                     detail={"reason": reason})
    return current


STATUS_STEPS = {Status.ARRIVED: (Status.BOOKED, Status.CONFIRMED), Status.COMPLETED: OPEN_STATUSES}


def appointment_set_status(*, actor, appointment: Appointment, status: str,
                           expected_version: int | None = None) -> Appointment:
    """Mark the patient arrived or the visit completed."""
    require_work_on(actor, appointment.provider)
    if status not in STATUS_STEPS:
        raise ValidationError("Unknown step.")
    with transaction.atomic():
        current = _locked(appointment.pk, expected_version)
        if current.status not in STATUS_STEPS[status]:
            raise ValidationError(f"This appointment is already {current.get_status_display().lower()}.")
        Appointment.objects.filter(pk=current.pk).update(status=status, version=F("version") + 1)
        current.refresh_from_db()
        audit_record(action="appointment.status", actor=actor, patient=current.patient, obj=current,
                     detail={"status": status})
    return current


# The note a visit starts from, by what the appointment is (visits.note_types' shipped templates).
VISIT_NOTE_TEMPLATE = {"intake": "initial-evaluation", Mode.PHONE: "telephone", "other": "follow-up"}


def _visit_template_key(kind: AppointmentType) -> str:
    if kind.is_intake:
        return VISIT_NOTE_TEMPLATE["intake"]
    return VISIT_NOTE_TEMPLATE.get(kind.mode, VISIT_NOTE_TEMPLATE["other"])


def visit_start(*, actor, appointment: Appointment):
    """Start the visit: mark the appointment in progress and open its note (started now, or the one
    already linked to it). Return (appointment, note).

    Only the appointment's own clinician starts it, on its day, with access to the chart (care
    team, or emergency access: `access_patient` raises BreakGlassRequired otherwise).
    """
    notes = appointment_notes()
    if notes is None:
        raise ValidationError("Visit notes are not installed: the visit cannot be started here.")

    if appointment.provider_id != actor.pk:
        raise PermissionDenied("Only the appointment's clinician starts the visit.")
    zone = clinic_zone(appointment.patient.clinic)
    day = appointment.starts_at.astimezone(zone).date()
    if day != clinic_today(appointment.patient.clinic):
        raise ValidationError(f"This visit is on {day:%A %d %B %Y}; it can be started on that day.")
    access = access_patient(actor, appointment.patient_id, Capability.CLINICAL_VIEW)
    with transaction.atomic():
        current = _locked(appointment.pk, None)
        # Any open appointment can be started; a started one is resumed.
        if current.status not in OPEN_STATUSES:
            raise ValidationError(f"This appointment is {current.get_status_display().lower()}; "
                                  "it cannot be started.")
        resumed = current.status == Status.IN_PROGRESS
        if not resumed:
            Appointment.objects.filter(pk=current.pk).update(status=Status.IN_PROGRESS, version=F("version") + 1)
            current.refresh_from_db()
        note, created = notes.open(actor=actor, access=access, appointment_id=current.pk,
                                   template_key=_visit_template_key(current.type), visit_date=day)
        audit_record(action="appointment.visit_start", actor=actor, patient=current.patient, obj=current,
                     detail={"note": note.pk, "note_created": created, "resumed": resumed,
                             "video": current.is_video})
    return current, note


def appointment_confirm_by_patient(*, appointment: Appointment, via: str = "patient-link") -> Appointment:
    """Confirm a booked appointment at the patient's word (`via`: the signed link or a text reply)."""
    with transaction.atomic():
        current = _locked(appointment.pk, None)
        if current.status != Status.BOOKED:
            return current
        Appointment.objects.filter(pk=current.pk).update(status=Status.CONFIRMED, confirmed_at=timezone.now(),
                                                         version=F("version") + 1)
        current.refresh_from_db()
        audit_record(action="appointment.confirm", actor=None, actor_email=via, patient=current.patient,
                     obj=current)
    return current


# ---------------------------------------------------------------- signed links

def appointment_link_token(appointment: Appointment) -> str:
    return signing.dumps({"a": appointment.pk, "p": appointment.patient_id}, salt=LINK_SALT, compress=True)


def appointment_link(appointment: Appointment) -> str:
    from django.urls import reverse

    from dosewise.lib.site_url import site_link

    return site_link(reverse("scheduling:patient_link", kwargs={"token": appointment_link_token(appointment)}))


def appointment_from_token(token: str) -> Appointment | None:
    """Return the appointment a patient's signed link names, or None for a forged or broken link."""
    try:
        data = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature:
        return None
    return (Appointment.objects.select_related("patient__clinic", "provider", "type")
            .filter(pk=data.get("a"), patient_id=data.get("p")).first())


# ---------------------------------------------------------------- recurring follow-ups

@dataclass
class SeriesResult:
    series: AppointmentSeries
    booked: list[Appointment] = field(default_factory=list)
    skipped: list[tuple[datetime, str]] = field(default_factory=list)


def series_rule(*, every_weeks: int, count: int, weekday: int) -> str:
    """Return the RFC 5545 rule of a follow-up every `every_weeks` weeks on `weekday`, `count` times."""
    days = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
    return f"FREQ=WEEKLY;INTERVAL={every_weeks};BYDAY={days[weekday]};COUNT={count}"


def series_occurrences(rule: str, first_start: datetime, zone) -> list[datetime]:
    """Return the rule's occurrences as UTC instants, expanded on the clinic's wall clock.

    dateutil expands in naive local time (so 10:00 stays 10:00 across a daylight-saving change);
    each local time then gets its own day's offset. A rule without COUNT or UNTIL is refused.
    """
    if "COUNT=" not in rule and "UNTIL=" not in rule:
        raise ValidationError("A series needs an end: a number of visits or a last date.")
    local_first = first_start.astimezone(zone).replace(tzinfo=None)
    try:
        rule_set = rrulestr(f"RRULE:{rule}", dtstart=local_first, forceset=True)
    except (ValueError, TypeError) as exc:
        raise ValidationError(f"The repeat rule {rule!r} is not valid: {exc}") from exc
    out = []
    for index, local in enumerate(rule_set):
        if index >= MAX_OCCURRENCES:
            break
        instant = slots.local_instant(local.date(), local.time(), zone)
        if instant is not None:
            out.append(instant)
    return out


def series_book(*, actor, access, provider, kind: AppointmentType, first_start: datetime, rule: str,
                reason: str = "", outside_hours: bool = False) -> SeriesResult:
    """Book every occurrence of the rule that is free; report the ones that are not."""
    _require_provider(actor, provider)
    zone = clinic_zone(access.patient.clinic)
    occurrences = series_occurrences(rule, first_start, zone)
    with transaction.atomic():
        series = AppointmentSeries.objects.create(clinic_id=access.patient.clinic_id, patient=access.patient,
                                                  provider=provider, type=kind, rule=rule, first_start=first_start,
                                                  created_by=actor)
        result = SeriesResult(series)
        for start in occurrences:
            try:
                with transaction.atomic():
                    result.booked.append(appointment_book(
                        actor=actor, access=access, provider=provider, kind=kind, starts_at=start, reason=reason,
                        outside_hours=outside_hours, series=series, recurrence_id=start,
                        notify=not result.booked))
            except ValidationError as exc:
                result.skipped.append((start, " ".join(exc.messages)))
        if not result.booked:
            raise ValidationError({"starts_at": "None of the series' times is free: "
                                                + (result.skipped[0][1] if result.skipped else "no times.")})
        audit_record(action="appointment.series_book", actor=actor, patient=access.patient, obj=series,
                     detail={"rule": rule, "booked": len(result.booked), "skipped": len(result.skipped)})
    return result


def series_end(*, actor, series: AppointmentSeries, after: datetime) -> int:
    """Cancel the series' open occurrences from `after` on; earlier ones and moved ones before stay."""
    require_work_on(actor, series.provider)
    count = 0
    with transaction.atomic():
        for appointment in series.occurrences.filter(starts_at__gte=after, status__in=OPEN_STATUSES):
            appointment_cancel(actor=actor, appointment=appointment, reason=CancelReason.CLINIC, by_patient=False,
                               offer_to_waitlist=False)
            count += 1
        AppointmentSeries.objects.filter(pk=series.pk).update(ended_at=timezone.now())
        audit_record(action="appointment.series_end", actor=actor, patient=series.patient, obj=series,
                     detail={"cancelled": count})
    return count


# ---------------------------------------------------------------- reminders

def reminders_send(now: datetime | None = None) -> int:
    """Put every due reminder in the outbox once (claimed with a conditional update)."""
    now = now or timezone.now()
    sent = 0
    due = AppointmentReminder.objects.filter(status=ReminderStatus.PENDING, due_at__lte=now).values_list(
        "pk", flat=True)[:500]
    for reminder_id in list(due):
        with transaction.atomic():
            claimed = AppointmentReminder.objects.filter(pk=reminder_id, status=ReminderStatus.PENDING).update(
                status=ReminderStatus.SENT, sent_at=now)
            if not claimed:
                continue
            reminder = AppointmentReminder.objects.select_related(
                "appointment__patient__clinic", "appointment__provider", "appointment__type").get(pk=reminder_id)
            appointment = reminder.appointment
            if not appointment.is_open or appointment.starts_at <= now:
                AppointmentReminder.objects.filter(pk=reminder_id).update(status=ReminderStatus.CANCELLED)
                continue
            emailed = outgoing.appointment_reminder(appointment, link=appointment_link(appointment))
            text = outgoing.appointment_reminder_text(appointment, now=now)
            if text is not None:
                AppointmentText.objects.create(clinic_id=appointment.clinic_id, appointment=appointment, message=text,
                                               address=text.address, created_at=timezone.now())
            if not emailed and text is None:
                AppointmentReminder.objects.filter(pk=reminder_id).update(status=ReminderStatus.SKIPPED)
                continue
            audit_record(action="appointment.reminder", actor=None, patient=appointment.patient, obj=appointment,
                         detail={"offset_minutes": reminder.offset_minutes,
                                 "channels": [c for c, sent in (("email", emailed), ("sms", text is not None))
                                              if sent]})
            sent += 1
    return sent


# ---------------------------------------------------------------- calendar feeds

def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_create(*, actor) -> str:
    """Revoke the user's current feed and return the secret token of a new one (shown once)."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(revoked_at=timezone.now())
        feed = CalendarFeed.objects.create(user=actor, token_hash=_token_hash(token))
        audit_record(action="scheduling.feed_create", actor=actor, obj=feed)
    return token


def calendar_feed_revoke(*, actor) -> int:
    with transaction.atomic():
        count = CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit_record(action="scheduling.feed_revoke", actor=actor, detail={"revoked": count})
    return count


def calendar_feed_user(token: str):
    """Return the user whose live feed the token opens, or None."""
    feed = CalendarFeed.objects.select_related("user").filter(token_hash=_token_hash(token),
                                                              revoked_at__isnull=True).first()
    if feed is None or not feed.user.is_active:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user


# ---------------------------------------------------------------- video visits

TELEHEALTH_TEXT = ("I agree to have visits with the clinic by secure video. I understand that a video visit is "
                   "private like a visit in the clinic, that I should join from a private place, and that I may ask "
                   "for an in-person visit instead at any time.")


def telehealth_consent_active(patient) -> TelehealthConsent | None:
    return TelehealthConsent.objects.filter(clinic_id=patient.clinic_id,
                                            patient=patient, revoked_at__isnull=True).order_by("-given_at").first()


def video_visit_check_in(*, appointment: Appointment, location_state: str, consent_confirmed: bool,
                         actor=None) -> Appointment:
    """Record the patient's location state and telehealth consent (first time) or confirmation (each visit)."""
    from dosewise.scheduling.video import US_STATES

    if not appointment.is_video:
        raise ValidationError("This is not a video visit.")
    if not appointment.is_open:
        raise ValidationError(f"This appointment is {appointment.get_status_display().lower()}.")
    errors = {}
    if location_state not in US_STATES:
        errors["location_state"] = "Choose the state you are in right now."
    if not consent_confirmed:
        errors["consent"] = "Tick the box to agree to a video visit, or call the clinic for an in-person visit."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        current = _locked(appointment.pk, None)
        first = telehealth_consent_active(current.patient) is None
        if first:
            TelehealthConsent.objects.create(clinic_id=current.clinic_id, patient=current.patient,
                                             text=TELEHEALTH_TEXT, given_at=now,
                                             method="portal" if actor is None else "verbal", recorded_by=actor)
        Appointment.objects.filter(pk=current.pk).update(telehealth_confirmed_at=now,
                                                         patient_location_state=location_state,
                                                         version=F("version") + 1)
        current.refresh_from_db()
        audit_record(action="video.check_in", actor=actor, actor_email="" if actor else "patient-link",
                     patient=current.patient, obj=current,
                     detail={"state": location_state, "consent": "given" if first else "confirmed"})
    return current


# ---------------------------------------------------------------- waitlist

def waitlist_add(*, actor, access, kind: AppointmentType, provider=None, priority: int, note: str = "") -> WaitlistEntry:
    if provider is not None:
        _require_provider(actor, provider)
    elif actor.role not in ("front_desk", "clinic_admin"):
        raise PermissionDenied("Only the front desk adds patients waiting for any provider.")
    if kind.clinic_id != access.patient.clinic_id:
        raise ValidationError({"kind": "Choose one of this clinic's appointment types."})
    with transaction.atomic():
        entry = WaitlistEntry.objects.create(clinic_id=access.patient.clinic_id,
                                             patient=access.patient, type=kind,
                                             provider=provider, priority=priority, note=note.strip()[:200],
                                             created_by=actor)
        audit_record(action="waitlist.add", actor=actor, patient=access.patient, obj=entry,
                     detail={"priority": priority, "type": kind.pk})
    return entry


def waitlist_remove(*, actor, entry: WaitlistEntry) -> None:
    with transaction.atomic():
        WaitlistEntry.objects.filter(pk=entry.pk, status=WaitStatus.WAITING).update(status=WaitStatus.REMOVED)
        audit_record(action="waitlist.remove", actor=actor, patient=entry.patient, obj=entry)


def slot_offer_create(*, appointment: Appointment) -> SlotOffer | None:
    """Offer a freed time to the first waiting patients by priority (through the outbox)."""
    waiting = list(WaitlistEntry.objects.select_related("patient__clinic").filter(
        clinic_id=appointment.clinic_id, status=WaitStatus.WAITING, type=appointment.type,
    ).exclude(patient_id=appointment.patient_id).filter(
        models_q_provider(appointment.provider_id)).order_by("priority", "created_at")[:OFFERS_PER_SLOT])
    if not waiting:
        return None
    offer = SlotOffer.objects.create(clinic_id=appointment.clinic_id, provider=appointment.provider,
                                     type=appointment.type, starts_at=appointment.starts_at)
    offer.offered_to.set(waiting)
    for entry in waiting:
        token = signing.dumps({"o": offer.pk, "e": entry.pk}, salt=OFFER_SALT, compress=True)
        outgoing.slot_offered(offer, entry, token=token)
        audit_record(action="waitlist.offer", actor=None, patient=entry.patient, obj=offer,
                     detail={"entry": entry.pk})
    return offer


def models_q_provider(provider_id: int):
    from django.db.models import Q

    return Q(provider__isnull=True) | Q(provider_id=provider_id)


def slot_offer_from_token(token: str) -> tuple[SlotOffer, WaitlistEntry] | None:
    try:
        data = signing.loads(token, salt=OFFER_SALT, max_age=timedelta(days=14))
    except signing.BadSignature:
        return None
    offer = SlotOffer.objects.select_related("provider", "type", "clinic").filter(pk=data.get("o")).first()
    entry = WaitlistEntry.objects.select_related("patient__clinic").filter(pk=data.get("e")).first()
    if offer is None or entry is None or not offer.offered_to.filter(pk=entry.pk).exists():
        return None
    return offer, entry


def slot_offer_accept(*, offer: SlotOffer, entry: WaitlistEntry) -> Appointment:
    """Book the offered time for this waiting patient, unless someone accepted first."""
    from dosewise.patients.selectors import PatientAccess

    gone = ValidationError("Sorry, someone else took this time first. You stay on the waiting list and will "
                           "hear from us when another time frees up.")
    with transaction.atomic():
        claimed = SlotOffer.objects.filter(pk=offer.pk, status="open").update(status="taken", taken_by=entry)
        if not claimed:
            raise gone
        if entry.status != WaitStatus.WAITING:
            raise ValidationError("This offer is no longer open to you.")
        access = PatientAccess(entry.patient, frozenset(), "waitlist")
        try:
            with transaction.atomic():
                appointment = appointment_book(actor=offer.provider, access=access, provider=offer.provider,
                                               kind=offer.type, starts_at=offer.starts_at, outside_hours=True,
                                               reason=entry.note)
        except SlotTaken:
            raise gone from None
        WaitlistEntry.objects.filter(pk=entry.pk).update(status=WaitStatus.BOOKED, appointment=appointment)
        audit_record(action="waitlist.accept", actor=None, actor_email="patient-link", patient=entry.patient,
                     obj=appointment, detail={"offer": offer.pk})
    return appointment
