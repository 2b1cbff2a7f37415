"""The clinic's schedule: appointment types, resources, provider hours, appointments and series.

Every time is stored in UTC; weekly hours are wall-clock times in the clinic's zone and are
turned into instants day by day (`dosewise.scheduling.slots`), so that 09:00 stays 09:00 across
a daylight-saving change. Double booking of a provider or a resource is refused by the
database itself (migration 0002: an exclusion constraint on PostgreSQL, triggers on SQLite),
not only by the booking form.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


class Mode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    VIDEO = "video", "Video"
    PHONE = "phone", "Phone"


class BookableBy(models.TextChoices):
    STAFF = "staff", "Staff only"
    PATIENT = "patient", "Staff, or patients themselves"


class ResourceKind(models.TextChoices):
    ROOM = "room", "Room"
    CHAIR = "chair", "Treatment chair"
    EQUIPMENT = "equipment", "Equipment"


class Resource(models.Model):
    """A room, treatment chair or piece of equipment that an appointment type blocks."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=12, choices=ResourceKind.choices, default=ResourceKind.ROOM)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "name"], name="resource_name_unique_per_clinic")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AppointmentType(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=80)
    duration_minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(5), MaxValueValidator(480)])
    buffer_minutes = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(240)],
        help_text="Time kept free after the visit (set-up, observation, notes).")
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    bookable_by = models.CharField(max_length=10, choices=BookableBy.choices, default=BookableBy.STAFF)
    is_intake = models.BooleanField(default=False, help_text="A first visit of a new patient.")
    # Minutes before the start at which a reminder goes out, largest first (e.g. [2880, 120]).
    reminder_offsets = models.JSONField(default=list, blank=True)
    late_cancel_hours = models.PositiveSmallIntegerField(
        default=24, help_text="A cancellation closer to the start than this counts as late.")
    resources = models.ManyToManyField(Resource, blank=True, related_name="appointment_types")
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "name"], name="appointment_type_unique_per_clinic")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WeeklyHours(models.Model):
    """A provider's regular working hours on one weekday, in the clinic's wall-clock time."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="weekly_hours")
    weekday = models.PositiveSmallIntegerField(validators=[MaxValueValidator(6)])  # Monday is 0
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")),
                                              name="weekly_hours_end_after_start")]
        indexes = [models.Index(fields=["provider", "weekday"])]
        ordering = ["weekday", "start_time"]


class ExceptionKind(models.TextChoices):
    TIME_OFF = "time_off", "Time off (not bookable)"
    EXTRA = "extra", "Extra hours (bookable)"


class ScheduleException(models.Model):
    """Time off (holidays, training) or extra hours outside the weekly pattern, as UTC instants."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="schedule_exceptions")
    kind = models.CharField(max_length=10, choices=ExceptionKind.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    note = models.CharField(max_length=120, blank=True, help_text="For staff; no patient information.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")),
                                              name="schedule_exception_end_after_start")]
        indexes = [models.Index(fields=["provider", "starts_at"])]
        ordering = ["starts_at"]


class AppointmentSeries(models.Model):
    """Recurring follow-ups: an RFC 5545 rule from a first start in the clinic's zone.

    The rule is kept as its RFC 5545 text (`FREQ=WEEKLY;INTERVAL=4;BYDAY=TU;COUNT=6`), never as
    a serialised object, and each occurrence is an Appointment of its own carrying its original
    start (`recurrence_id`): moving or cancelling one occurrence changes that row only.
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="appointment_series")
    provider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT, related_name="+")
    rule = models.CharField(max_length=200)
    first_start = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)


class Status(models.TextChoices):
    BOOKED = "booked", "Booked"
    CONFIRMED = "confirmed", "Confirmed"
    ARRIVED = "arrived", "Arrived"
    IN_PROGRESS = "started", "In progress"  # the clinician started the visit
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"
    NO_SHOW = "no_show", "No-show"


OPEN_STATUSES = (Status.BOOKED, Status.CONFIRMED, Status.ARRIVED, Status.IN_PROGRESS)


class CancelReason(models.TextChoices):
    PATIENT_REQUEST = "patient_request", "Patient asked to cancel"
    PATIENT_ILL = "patient_ill", "Patient unwell"
    TRANSPORT = "transport", "Transport or travel problem"
    CLINIC = "clinic", "Clinic cancelled (provider unavailable)"
    RESCHEDULED = "rescheduled", "Moved to another time"
    OTHER = "other", "Other"


class NoShowReason(models.TextChoices):
    UNKNOWN = "unknown", "No contact, reason unknown"
    FORGOT = "forgot", "Patient forgot"
    TRANSPORT = "transport", "Transport problem"
    TECHNICAL = "technical", "Could not join the video visit"
    OTHER = "other", "Other"


class Appointment(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="appointments")
    provider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="appointments")
    type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # The end of the visit plus the type's buffer: what the provider and the resources are busy for.
    blocks_until = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BOOKED)
    reason = models.CharField(max_length=200, blank=True, help_text="Why the patient is coming (staff only).")
    series = models.ForeignKey(AppointmentSeries, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="occurrences")
    recurrence_id = models.DateTimeField(null=True, blank=True)  # the occurrence's start by the rule
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    booked_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    cancelled_by_patient = models.BooleanField(default=False)
    cancel_reason = models.CharField(max_length=20, choices=CancelReason.choices, blank=True)
    late_cancel = models.BooleanField(default=False)
    no_show_reason = models.CharField(max_length=20, choices=NoShowReason.choices, blank=True)
    # Video visits: the unguessable room name, the per-visit telehealth confirmation, and where the
    # patient was (US state or territory code) when the visit took place, for licensure.
    video_room = models.CharField(max_length=64, blank=True)
    telehealth_confirmed_at = models.DateTimeField(null=True, blank=True)
    patient_location_state = models.CharField(max_length=2, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [
            models.Index(fields=["clinic", "starts_at"]),
            models.Index(fields=["provider", "starts_at"]),
            models.Index(fields=["patient", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="appointment_end_after_start"),
            models.CheckConstraint(condition=Q(blocks_until__gte=models.F("ends_at")),
                                   name="appointment_blocks_after_end"),
        ]
        ordering = ["starts_at"]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_video(self) -> bool:
        return bool(self.video_room)


class ResourceHold(models.Model):
    """A resource busy for an appointment; released (active=False) when it is cancelled or moved."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="holds")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="holds")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    active = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["resource", "starts_at"])]


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Waiting"
    SENT = "sent", "Sent"
    CANCELLED = "cancelled", "Not needed (moved or cancelled)"
    SKIPPED = "skipped", "Not sent (no address)"


class AppointmentReminder(models.Model):
    """One reminder of an appointment, due `offset_minutes` before its start (the type's offsets)."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="reminders")
    offset_minutes = models.PositiveIntegerField()
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "due_at"])]


class AppointmentText(models.Model):
    """A text message about one appointment (a reminder that asks for C or X): a reply from the
    number it went to is matched to the appointment through this row."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="texts")
    message = models.ForeignKey("notifications.OutboundMessage", on_delete=models.PROTECT, related_name="+")
    # The number in E.164 form (notifications.consent.address_key), as an inbound text's sender is.
    address = models.CharField(max_length=20)
    created_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["address", "created_at"])]


class CalendarFeed(models.Model):
    """A private iCalendar feed of a clinician's own schedule; only the token's hash is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)


class TelehealthConsent(models.Model):
    """The patient's consent to video visits, recorded once (then confirmed at each visit)."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="telehealth_consents")
    text = models.TextField()
    given_at = models.DateTimeField()
    method = models.CharField(max_length=20)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)


class WaitPriority(models.IntegerChoices):
    URGENT = 1, "Urgent"
    SOON = 2, "Soon"
    ROUTINE = 3, "Routine"


class WaitStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    BOOKED = "booked", "Booked"
    REMOVED = "removed", "Removed"


class WaitlistEntry(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="waitlist_entries")
    type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", help_text="Leave empty for any provider.")
    priority = models.PositiveSmallIntegerField(choices=WaitPriority.choices, default=WaitPriority.ROUTINE)
    status = models.CharField(max_length=10, choices=WaitStatus.choices, default=WaitStatus.WAITING)
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    appointment = models.ForeignKey(Appointment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["clinic", "status", "priority", "created_at"])]
        ordering = ["priority", "created_at"]


class OfferStatus(models.TextChoices):
    OPEN = "open", "Open"
    TAKEN = "taken", "Taken"
    WITHDRAWN = "withdrawn", "Withdrawn"


class SlotOffer(models.Model):
    """A freed time offered to waiting patients; the first to accept gets it."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default=OfferStatus.OPEN)
    offered_to = models.ManyToManyField(WaitlistEntry, related_name="offers")
    taken_by = models.ForeignKey(WaitlistEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
