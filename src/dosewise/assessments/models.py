"""Measurement-based care: questionnaire responses with their scores, links, schedules and tasks.

Field names follow FHIR R4 (QuestionnaireResponse.status/authored/source, Observation
code/value) so that FHIR export is a mapping. A completed response is never deleted or
edited: it is marked entered-in-error with who, when and why (see docs/decisions/0005).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ResponseStatus(models.TextChoices):
    IN_PROGRESS = "in-progress", "In progress"
    COMPLETED = "completed", "Completed"
    ENTERED_IN_ERROR = "entered-in-error", "Entered in error"


class ResponseSource(models.TextChoices):
    CLINIC = "clinic", "Entered by staff"
    PATIENT_MODE = "patient-mode", "Patient on a clinic device"
    REMOTE = "remote", "Patient, remote link"


class QuestionnaireLink(models.Model):
    """A signed, expiring, single-use invitation to answer one questionnaire.

    Only the SHA-256 of the token is stored; the token itself exists in the URL sent to the
    patient. `used_at` is set by a conditional update (`used_at IS NULL`) in the submit
    transaction, so a link produces at most one response.
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="questionnaire_links")
    questionnaire = models.CharField(max_length=40, help_text="instrument key, e.g. phq9")
    source = models.CharField(max_length=20, choices=ResponseSource.choices, default=ResponseSource.REMOTE)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text="empty when a schedule sent it")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Answers saved as the patient goes, {"1": 2, "2": 0, ...}; carried over to a fresh link.
    partial_answers = models.JSONField(default=dict, blank=True)
    partial_saved_at = models.DateTimeField(null=True, blank=True)
    emailed_to = models.CharField(max_length=254, blank=True)
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="replaced_by")

    class Meta:
        indexes = [models.Index(fields=["patient", "-created_at"])]

    @property
    def state(self) -> str:
        from django.utils import timezone

        if self.used_at:
            return "used"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class QuestionnaireResponse(models.Model):
    """One administration of an instrument (FHIR QuestionnaireResponse) with its scored total.

    The total is also the FHIR Observation (LOINC `code`, `value`, `interpretation`
    = severity): one row per administration, mapped to both resources by
    `dosewise.assessments.fhir`.
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="questionnaire_responses")
    questionnaire = models.CharField(max_length=40, help_text="instrument key, e.g. phq9")
    questionnaire_version = models.CharField(max_length=20, help_text="knowledge-base version that scored it")
    status = models.CharField(max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.COMPLETED)
    authored = models.DateTimeField()
    source = models.CharField(max_length=20, choices=ResponseSource.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", help_text="the staff member who entered or handed it over")
    # Item 1 first; None for an item not asked or not answered.
    answers = models.JSONField()
    # The Observation of the total: LOINC code, value, severity band and screen result.
    code = models.CharField("LOINC code", max_length=20, blank=True)
    total = models.FloatField()
    severity = models.CharField(max_length=40, blank=True)
    positive = models.BooleanField(null=True)
    alerts = models.JSONField(default=list, blank=True)
    risk = models.BooleanField(default=False, help_text="an urgent or acute alert was raised")
    link = models.OneToOneField(QuestionnaireLink, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="response")
    # A form's one-time key: a second post of the same form returns the first response.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+")
    entered_in_error_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["patient", "questionnaire", "status", "authored"])]


class ScoreSummary(models.Model):
    """Baseline and latest completed score of one patient on one instrument.

    Rewritten in the transaction that stores or withdraws a score, so the caseload reads
    one row per patient instead of scanning every response.
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="score_summaries")
    questionnaire = models.CharField(max_length=40)
    count = models.PositiveIntegerField(default=0)
    baseline_total = models.FloatField(null=True)
    baseline_at = models.DateTimeField(null=True)
    latest_total = models.FloatField(null=True)
    latest_at = models.DateTimeField(null=True)
    latest_severity = models.CharField(max_length=40, blank=True)
    change = models.FloatField(null=True, help_text="latest minus baseline")
    reduction = models.FloatField(null=True, help_text="fraction reduced from baseline")
    response = models.BooleanField(default=False)
    remission = models.BooleanField(default=False)
    reliable_change = models.CharField(max_length=20, blank=True)
    not_improving = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["patient", "questionnaire"], name="score_summary_unique")]
        indexes = [models.Index(fields=["questionnaire", "patient"])]


class MeasurementSchedule(models.Model):
    """Ask a patient to complete an instrument every `interval_days`, then every
    `then_interval_days` from `switch_on` (e.g. every 14 days in acute treatment, 28 after)."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="measurement_schedules")
    questionnaire = models.CharField(max_length=40)
    interval_days = models.PositiveSmallIntegerField()
    then_interval_days = models.PositiveSmallIntegerField(null=True, blank=True)
    switch_on = models.DateField(null=True, blank=True)
    next_due = models.DateField()
    active = models.BooleanField(default=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "questionnaire"], condition=Q(active=True),
                                    name="one_active_schedule_per_instrument"),
        ]
        indexes = [models.Index(fields=["active", "next_due"]), models.Index(fields=["patient", "active"])]

    def interval_on(self, day) -> int:
        """Return the interval in days that applies on `day`."""
        if self.switch_on and self.then_interval_days and day >= self.switch_on:
            return self.then_interval_days
        return self.interval_days


class TaskKind(models.TextChoices):
    URGENT_RISK = "urgent-risk", "Urgent: risk answer"
    URGENT_SIDE_EFFECT = "urgent-side-effect", "Urgent: side effect report"


# Kinds escalated to the on-call role when nobody acknowledges them in time.
ESCALATED_KINDS = (TaskKind.URGENT_RISK, TaskKind.URGENT_SIDE_EFFECT)


class CareTask(models.Model):
    """Work for the care team raised by the system: a suicide-risk answer, or a side effect the
    triage judged urgent or an emergency (linked from `monitoring.SideEffect.care_task`)."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="care_tasks")
    kind = models.CharField(max_length=20, choices=TaskKind.choices)
    response = models.ForeignKey(QuestionnaireResponse, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="tasks")
    message = models.CharField(max_length=300)
    assigned_role = models.CharField(max_length=20, help_text="the role expected to act")
    assigned_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    created_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    acknowledgement_note = models.CharField(max_length=500, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalated_to_role = models.CharField(max_length=20, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["patient", "acknowledged_at"]),
            models.Index(fields=["clinic", "kind", "acknowledged_at", "escalated_at", "created_at"]),
        ]

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None

    @property
    def chart_tab(self) -> str:
        """Return the chart tab where the task's cause is recorded."""
        return "monitoring" if self.kind == TaskKind.URGENT_SIDE_EFFECT else "assessments"
