"""The patient portal: which account speaks for which patient, and the patient's dose log.

A `PortalAccount` links one patient-role user to one patient; staff create it by
invitation and can revoke it (the account is then deactivated, its sessions end on the
next request). A `DoseLog` row is the patient's word that a dose was taken or missed on a
day: rows are appended, never edited; a same-day change writes a new row that replaces
the current one, so the history stays (see docs/decisions/0009). A `ProxyAccess` lets a
parent, guardian or helper the patient chose read and act on part of the patient's portal with
their own sign-in, for a recorded consent and until an expiry (see docs/decisions/0058).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


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
    # The patient's own choices: a daily dose reminder at this clinic-local time (empty: none),
    # alerts for new messages, and the portal's language (empty: the browser's).
    dose_reminder_time = models.TimeField(null=True, blank=True)
    dose_reminder_sent_on = models.DateField(null=True, blank=True, help_text="clinic-local day of the last reminder")
    message_alerts = models.BooleanField(default=False)
    language = models.CharField(max_length=10, blank=True)

    class Meta:
        constraints = [
            # One account at a time speaks for a patient; a revoked one stays on file.
            models.UniqueConstraint(fields=["patient"], condition=~Q(status="revoked"),
                                    name="portal_one_open_account_per_patient"),
        ]

    def __str__(self) -> str:
        return f"{self.user.email} ({self.get_status_display().lower()})"


class DoseStatus(models.TextChoices):
    TAKEN = "taken", _("Taken")
    MISSED = "missed", _("Missed")


class MissedReason(models.TextChoices):
    FORGOT = "forgot", _("I forgot")
    SIDE_EFFECTS = "side_effects", _("Side effects")
    RAN_OUT = "ran_out", _("I ran out")
    FELT_BETTER = "felt_better", _("I felt better")
    COST = "cost", _("Cost")
    OTHER = "other", _("Other reason")


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


class PushSubscription(models.Model):
    """One browser (phone, computer) that agreed to receive the portal's push notifications.

    The endpoint and keys come from the browser's Push API; the push service behind the
    endpoint learns nothing but the encrypted, detail-free text (see docs/decisions/0053).
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    device = models.CharField(max_length=120, blank=True, help_text="a short name from the browser, for the list")
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    failures = models.PositiveSmallIntegerField(default=0)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_reason = models.CharField(max_length=100, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "ended_at"])]


class PushKind(models.TextChoices):
    DOSE_REMINDER = "dose_reminder", "Dose reminder"
    MESSAGE = "message", "New message"
    TEST = "test", "Test notification"


class PushMessage(models.Model):
    """The push outbox: one notification for one subscription, claimed by a conditional update."""

    subscription = models.ForeignKey(PushSubscription, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=20, choices=PushKind.choices)
    # The text is fixed per kind and carries no health details: it shows on a locked phone.
    title = models.CharField(max_length=80)
    body = models.CharField(max_length=200)
    url = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    given_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "given_up_at", "claimed_at"])]


class ProxyRelationship(models.TextChoices):
    PARENT = "parent", _("Parent or guardian of a minor")
    GUARDIAN = "guardian", _("Legal guardian of an adult")
    HELPER = "helper", _("Someone the patient chose to help")


class ProxyScope(models.TextChoices):
    """What part of the portal a proxy may use.

    Questionnaires are in no scope: the rating scales are validated as the patient's own report,
    so only the patient answers them. Visit notes are in none either (the portal shows none).
    """

    APPOINTMENTS = "appointments", _("Appointments")
    MESSAGES = "messages", _("Messages with the care team")
    MEDICINES = "medicines", _("Medicines, plan, dose log and side effects")


class ProxyConsentBy(models.TextChoices):
    PATIENT = "patient", _("The patient")
    GUARDIAN = "guardian", _("The patient's parent or legal guardian")


class ProxyAccess(models.Model):
    """One person's access to part of one patient's portal: scopes, the consent behind it, an expiry."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="proxy_accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proxy_accesses")
    name = models.CharField(max_length=150, help_text="the proxy's own name, as the patient's record shows it")
    relationship = models.CharField(max_length=10, choices=ProxyRelationship.choices)
    relationship_detail = models.CharField(max_length=60, blank=True, help_text="e.g. mother, husband, daughter")
    scopes = models.JSONField(default=list, help_text="ProxyScope values")
    expires_on = models.DateField(help_text="the last clinic-local day the access works")
    consent_by = models.CharField(max_length=10, choices=ProxyConsentBy.choices)
    consent_words = models.CharField(max_length=500, help_text="what the patient or guardian said or signed")
    consented_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=PortalStatus.choices, default=PortalStatus.INVITED)
    activated_at = models.DateTimeField(null=True, blank=True, help_text="first sign-in after the grant")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    revoked_reason = models.CharField(max_length=300, blank=True)
    language = models.CharField(max_length=10, blank=True, help_text="the proxy's own portal language")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "user"], condition=~Q(status="revoked"),
                                    name="portal_one_open_proxy_per_person_and_patient"),
        ]
        indexes = [models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.name} for patient {self.patient_id} ({self.get_status_display().lower()})"

    @property
    def scope_labels(self) -> list[str]:
        known = dict(ProxyScope.choices)
        return [str(known[s]) for s in ProxyScope.values if s in self.scopes]
