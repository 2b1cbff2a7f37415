"""Reads of the schedule, permission-checked by construction.

`appointment_for(user, id)` answers 404 for anyone outside the appointment's clinic and for a
clinician looking at a colleague's appointment; the calendar reads are a fixed number of
queries whatever the number of providers or appointments (bench/bench_schedule.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from dosewise.accounts.models import User
from dosewise.clinics.clock import clinic_today, clinic_zone
from dosewise.clinics.roles import CLINICAL_ROLES
from dosewise.clinics.scoping import joined_in_clinic
from dosewise.lib.timestamps import rows_with_times
from dosewise.scheduling import slots
from dosewise.scheduling.models import (
    OPEN_STATUSES,
    Appointment,
    AppointmentType,
    CalendarFeed,
    Resource,
    ResourceHold,
    ScheduleException,
    Status,
    WaitlistEntry,
    WaitStatus,
    WeeklyHours,
)
from dosewise.scheduling.permissions import is_desk, require_schedule_user


def clinic_providers(user) -> list[User]:
    """Return the clinicians whose calendars the user may see: all of the clinic's for the desk, else self."""
    require_schedule_user(user)
    if is_desk(user):
        return list(User.objects.filter(clinic_id=user.clinic_id, role__in=CLINICAL_ROLES, is_active=True)
                    .order_by("full_name"))
    return [user]


def provider_for(user, provider_id) -> User:
    """Return one provider whose calendar the user may see, or 404."""
    for provider in clinic_providers(user):
        if str(provider.pk) == str(provider_id):
            return provider
    raise Http404("no such calendar")


def appointment_types(user, *, active_only: bool = True) -> list[AppointmentType]:
    kinds = AppointmentType.objects.filter(clinic_id=user.clinic_id).prefetch_related("resources")
    return list(kinds.filter(active=True) if active_only else kinds)


def resources(user) -> list[Resource]:
    return list(Resource.objects.filter(clinic_id=user.clinic_id))


def appointment_for(user, appointment_id) -> Appointment:
    """Return the appointment if the user may see it (desk: the clinic's; clinician: their own), else 404."""
    require_schedule_user(user)
    try:
        appointment = Appointment.objects.select_related("patient__clinic", "provider", "type", "series").get(
            pk=appointment_id, clinic_id=user.clinic_id)
    except (Appointment.DoesNotExist, ValueError, TypeError):
        raise Http404("no such appointment") from None
    if not is_desk(user) and appointment.provider_id != user.pk:
        raise Http404("no such appointment")
    return appointment


STATUS_LABELS = dict(Status.choices)


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One appointment as the calendar shows it (a row, not a model instance)."""

    pk: int
    provider_id: int
    starts_at: datetime
    ends_at: datetime
    status: str
    video_room: str
    late_cancel: bool
    preferred_name: str
    given_name: str
    family_name: str
    type_name: str
    is_intake: bool

    @property
    def patient_name(self) -> str:
        return f"{self.preferred_name or self.given_name} {self.family_name}"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass
class DayColumn:
    day: date
    appointments: list[CalendarEntry] = field(default_factory=list)
    hours: list[slots.Interval] = field(default_factory=list)
    html: str = ""  # the rendered chips (views), see dosewise.scheduling.chips

    @property
    def open_count(self) -> int:
        return sum(1 for a in self.appointments if a.status in OPEN_STATUSES)


@dataclass
class ProviderRow:
    provider: User
    days: list[DayColumn]


@dataclass
class Calendar:
    start: date
    days: list[date]
    rows: list[ProviderRow]
    zone: object

    @property
    def appointment_count(self) -> int:
        return sum(len(day.appointments) for row in self.rows for day in row.days)


def calendar(user, *, providers: list[User], start: date, days: int) -> Calendar:
    """Return the providers' appointments and working hours over `days` days from `start` (5 queries)."""
    clinic = user.clinic
    zone = clinic_zone(clinic)
    first, _ = slots.day_bounds(start, zone)
    _, last = slots.day_bounds(start + timedelta(days=days - 1), zone)
    ids = [p.pk for p in providers]
    # Plain rows, not model instances: a full clinic week is thousands of appointments.
    appointments = [CalendarEntry(*row) for row in Appointment.objects.filter(
        joined_in_clinic(user.clinic_id, "patient", "type"), clinic_id=user.clinic_id, provider_id__in=ids,
        starts_at__gte=first, starts_at__lt=last).order_by(
        "starts_at").values_list("id", "provider_id", "starts_at", "ends_at", "status", "video_room", "late_cancel",
                                 "patient__preferred_name", "patient__legal_given_name",
                                 "patient__legal_family_name", "type__name", "type__is_intake")]
    weekly = defaultdict(list)
    for hours in WeeklyHours.objects.filter(clinic_id=user.clinic_id, provider_id__in=ids):
        weekly[hours.provider_id].append(hours)
    exceptions = defaultdict(list)
    for exc in ScheduleException.objects.filter(clinic_id=user.clinic_id,
                                                provider_id__in=ids, starts_at__lt=last,
                                                ends_at__gt=first):
        exceptions[exc.provider_id].append(exc)
    dates = [start + timedelta(days=i) for i in range(days)]
    cells = {(p.pk, d): DayColumn(d) for p in providers for d in dates}
    for appointment in appointments:
        cell = cells.get((appointment.provider_id, appointment.starts_at.astimezone(zone).date()))
        if cell is not None:
            cell.appointments.append(appointment)
    rows = []
    for provider in providers:
        columns = []
        for d in dates:
            cell = cells[(provider.pk, d)]
            cell.hours = slots.working_intervals(d, zone, weekly[provider.pk], exceptions[provider.pk])
            columns.append(cell)
        rows.append(ProviderRow(provider, columns))
    return Calendar(start, dates, rows, zone)


def next_free_slot(user, *, providers: list[User], kind: AppointmentType, after: datetime,
                   days: int = 42) -> tuple[User, datetime] | None:
    """Return the earliest (provider, start) free for `kind` after `after` (4 queries for any number of providers)."""
    zone = clinic_zone(user.clinic)
    until = after + timedelta(days=days + 1)
    ids = [p.pk for p in providers]
    weekly = defaultdict(list)
    for hours in WeeklyHours.objects.filter(provider_id__in=ids):
        weekly[hours.provider_id].append(hours)
    exceptions = defaultdict(list)
    for exc in ScheduleException.objects.filter(provider_id__in=ids, starts_at__lt=until, ends_at__gt=after):
        exceptions[exc.provider_id].append(exc)
    busy = slots.busy_by_provider(rows_with_times(
        Appointment.objects.filter(provider_id__in=ids, blocks_until__gt=after, starts_at__lt=until)
        .exclude(status=Status.CANCELLED), "provider_id", "starts_at", "blocks_until"))
    resource_ids = [r.pk for r in kind.resources.all()]
    resource_busy = []
    if resource_ids:
        resource_busy = list(ResourceHold.objects.filter(
            resource_id__in=resource_ids, active=True, ends_at__gt=after, starts_at__lt=until)
            .values_list("starts_at", "ends_at"))
    calendars = [slots.ProviderCalendar(pid, weekly[pid], exceptions[pid], busy.get(pid, [])) for pid in ids]
    length = timedelta(minutes=kind.duration_minutes + kind.buffer_minutes)
    found = slots.first_free_slot(calendars, after=after, length=length, zone=zone, days=days,
                                  resource_busy=resource_busy)
    if found is None:
        return None
    by_id = {p.pk: p for p in providers}
    return by_id[found[0]], found[1]


def today_appointments(user) -> list[Appointment]:
    """Return the clinician's appointments of today in the clinic's zone (one query)."""
    zone = clinic_zone(user.clinic)
    first, last = slots.day_bounds(clinic_today(user.clinic), zone)
    return list(Appointment.objects.filter(joined_in_clinic(user.clinic_id, "patient", "type"),
                                           clinic_id=user.clinic_id, provider=user, starts_at__gte=first,
                                           starts_at__lt=last)
                .select_related("patient", "type").order_by("starts_at")[:60])


def patient_appointments(patient, *, limit: int = 8) -> list[Appointment]:
    """Return the patient's coming appointments, then the latest past ones."""
    now = timezone.now()
    coming = list(Appointment.objects.filter(joined_in_clinic(patient.clinic_id, "type"), clinic_id=patient.clinic_id,
                                             patient=patient, starts_at__gte=now).select_related(
        "provider", "type").order_by("starts_at")[:limit])
    return coming


@dataclass(frozen=True)
class Rate:
    label: str
    total: int
    no_shows: int
    late_cancels: int

    @property
    def no_show_rate(self) -> float:
        return self.no_shows / self.total if self.total else 0.0

    @property
    def late_cancel_rate(self) -> float:
        return self.late_cancels / self.total if self.total else 0.0


def attendance_rates(user, *, since: date, patient_limit: int = 50) -> tuple[list[Rate], list[tuple[object, Rate]]]:
    """Return no-show and late-cancel rates per appointment type, and the patients with the highest ones.

    The denominator is every appointment due in the period that was not cancelled by the clinic
    (attended, no-show, or cancelled by the patient), as practices count them.
    """
    if not is_desk(user):
        raise Http404("rates are for the front desk")
    zone = clinic_zone(user.clinic)
    first, _ = slots.day_bounds(since, zone)
    due = Appointment.objects.filter(clinic_id=user.clinic_id,
                                     starts_at__gte=first, starts_at__lt=timezone.now()
                                     ).exclude(status=Status.CANCELLED, cancelled_by_patient=False)
    counts = {"no_shows": Count("id", filter=Q(status=Status.NO_SHOW)),
                  "late": Count("id", filter=Q(late_cancel=True)), "total": Count("id")}
    by_type = [Rate(row["type__name"], row["total"], row["no_shows"], row["late"])
               for row in due.values("type__name").annotate(**counts).order_by("type__name")]
    patients = (due.values("patient_id").annotate(**counts).filter(Q(no_shows__gt=0) | Q(late__gt=0))
                .order_by("-no_shows", "-late")[:patient_limit])
    from dosewise.patients.models import Patient

    people = {p.pk: p for p in Patient.objects.filter(pk__in=[row["patient_id"] for row in patients])}
    by_patient = [(people[row["patient_id"]], Rate("", row["total"], row["no_shows"], row["late"]))
                  for row in patients]
    return by_type, by_patient


def waitlist(user) -> list[WaitlistEntry]:
    if not is_desk(user):
        return list(WaitlistEntry.objects.filter(clinic_id=user.clinic_id,
                                                 status=WaitStatus.WAITING, provider=user)
                    .select_related("patient", "type", "provider"))
    return list(WaitlistEntry.objects.filter(clinic_id=user.clinic_id, status=WaitStatus.WAITING)
                .select_related("patient", "type", "provider"))


def feed_status(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def feed_appointments(user) -> tuple[list[Appointment], dict[int, str]]:
    """Return the user's appointments for the feed, with each one's room name (2 queries)."""
    from dosewise.scheduling.ics import FEED_AHEAD, FEED_PAST

    now = timezone.now()
    appointments = list(Appointment.objects.filter(provider=user, starts_at__gte=now - FEED_PAST,
                                                   starts_at__lt=now + FEED_AHEAD)
                        .exclude(status=Status.CANCELLED).only("id", "starts_at", "ends_at", "video_room", "status"))
    rooms = dict(ResourceHold.objects.filter(appointment__in=appointments, active=True, resource__kind="room")
                 .values_list("appointment_id", "resource__name"))
    return appointments, rooms
