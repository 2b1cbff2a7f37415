"""The patient portal: which account speaks for which patient, and the patient's dose log.

A `PortalAccount` links one patient-role user to one patient; staff create it by
invitation and can revoke it (the account is then deactivated, its sessions end on the
next request). A `DoseLog` row is the patient's word that a dose was taken or missed on a
day: rows are appended, never edited; a same-day change writes a new row that replaces
the current one, so the history stays (see docs/decisions/0009).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class PortalStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    ACTIVE = "active", "Active"
    REVOKED = "revoked", "Revoked"


class PortalAccount(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="portal_accounts")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="portal_account")
    status = models.CharField(max_length=10, choices=PortalStatus.choices, default=PortalStatus.INVITED)
    invited_at = models.DateTimeField()
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    activated_at = models.DateTimeField(null=True, blank=True, help_text="first sign-in")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    revoked_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            # One account at a time speaks for a patient; a revoked one stays on file.
            models.UniqueConstraint(fields=["patient"], condition=~Q(status="revoked"),
                                    name="portal_one_open_account_per_patient"),
        ]

    def __str__(self) -> str:
        return f"{self.user.email} ({self.get_status_display().lower()})"


class DoseStatus(models.TextChoices):
    TAKEN = "taken", "Taken"
    MISSED = "missed", "Missed"


class MissedReason(models.TextChoices):
    FORGOT = "forgot", "I forgot"
    SIDE_EFFECTS = "side_effects", "Side effects"
    RAN_OUT = "ran_out", "I ran out"
    FELT_BETTER = "felt_better", "I felt better"
    COST = "cost", "Cost"
    OTHER = "other", "Other reason"


class DoseLog(models.Model):
    """One patient-reported dose of one medicine on one day: taken, or missed with the reason."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="dose_logs")
    medication = models.ForeignKey("medications.Medication", on_delete=models.PROTECT, related_name="dose_logs")
    day = models.DateField(help_text="the clinic-local day the dose belongs to")
    status = models.CharField(max_length=10, choices=DoseStatus.choices)
    reason = models.CharField(max_length=20, choices=MissedReason.choices, blank=True)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_on = models.DateField(help_text="the clinic-local day it was logged; a change is allowed that day only")
    current = models.BooleanField(default=True)
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="replaced_by")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["medication", "day"], condition=Q(current=True),
                                    name="dose_log_one_current_per_day"),
        ]
        indexes = [models.Index(fields=["patient", "day"])]

    @property
    def reason_display(self) -> str:
        if self.status != DoseStatus.MISSED:
            return ""
        label = self.get_reason_display()
        return f"{label}: {self.note}" if self.note else label
