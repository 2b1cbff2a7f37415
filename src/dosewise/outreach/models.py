"""Consultation requests from the public form, their queue at the front desk, and the intake
requested when one becomes a patient. The consent ledger itself is in `notifications`, beside
the outbox that reads it at send time (docs/decisions/0041)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PreferredChannel(models.TextChoices):
    PHONE = "phone", "A phone call"
    SMS = "sms", "A text message"
    EMAIL = "email", "An e-mail"


class RequestStatus(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    BOOKED = "booked", "Booked"
    DECLINED = "declined", "Declined"


class ConsultationRequest(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(max_length=254, blank=True)
    preferred_channel = models.CharField(max_length=10, choices=PreferredChannel.choices)
    reason = models.TextField(max_length=1000)
    preferred_times = models.CharField(max_length=200, blank=True)
    state = models.CharField("US state", max_length=2, blank=True)
    status = models.CharField(max_length=10, choices=RequestStatus.choices, default=RequestStatus.NEW)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    patient = models.ForeignKey("patients.Patient", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["clinic", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class RequestEvent(models.Model):
    """One step in a request's life at the front desk: a status change with its note."""

    request = models.ForeignKey(ConsultationRequest, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=RequestStatus.choices)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]


class IntakeStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    SCHEDULED = "scheduled", "Scheduled"
    CANCELLED = "cancelled", "Cancelled"


class IntakeRequest(models.Model):
    """An intake appointment asked for, until the calendar of the scheduling app books it."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    consultation = models.OneToOneField(ConsultationRequest, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="intake")
    preferred_times = models.CharField(max_length=200, blank=True)
    reason = models.TextField(max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=IntakeStatus.choices, default=IntakeStatus.REQUESTED)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")


class RejectedRequestCount(models.Model):
    """How many public requests were refused, per clinic, day and reason: nothing else is kept of them."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    reason = models.CharField(max_length=20)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "day", "reason"], name="rejected_request_count_unique")]
