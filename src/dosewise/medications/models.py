"""The medication list: what a patient takes, who ordered it, and every change to it.

Shaped like FHIR MedicationStatement/MedicationRequest so that export is a mapping. A
medication row is never edited in place without a `DoseChange` row saying who, when and
why; it is never deleted, only put on hold or discontinued with a reason. `version` is
bumped by every change, so two prescribers editing the same order are detected.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from dosewise.clinics.clock import clinic_today


class MedicationSource(models.TextChoices):
    CLINIC = "clinic", "Prescribed here"
    OTHER_PRESCRIBER = "other_prescriber", "Other prescriber"
    OTC = "otc", "Over the counter"
    SUPPLEMENT = "supplement", "Supplement"


class MedicationStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    ON_HOLD = "on_hold", "On hold"
    DISCONTINUED = "discontinued", "Discontinued"


class StopReason(models.TextChoices):
    INEFFECTIVE = "ineffective", "Ineffective"
    SIDE_EFFECTS = "side_effects", "Side effects"
    PATIENT_PREFERENCE = "patient_preference", "Patient preference"
    COMPLETED = "completed", "Course completed"
    COST = "cost", "Cost"
    OTHER = "other", "Other"


class DosageForm(models.TextChoices):
    TABLET = "tablet", "tablet"
    EXTENDED_RELEASE_TABLET = "er-tablet", "extended-release tablet"
    ODT = "odt", "orally disintegrating tablet"
    CAPSULE = "capsule", "capsule"
    EXTENDED_RELEASE_CAPSULE = "er-capsule", "extended-release capsule"
    ORAL_SOLUTION = "oral-solution", "oral solution"
    PATCH = "patch", "transdermal patch"
    INJECTION = "injection", "injection"
    NASAL_SPRAY = "nasal-spray", "nasal spray"


# Forms counted in units the patient takes whole: directions say "take 2 x 50 mg tablets".
COUNTED_FORMS = {DosageForm.TABLET: ("tablet", "tablets"),
                 DosageForm.EXTENDED_RELEASE_TABLET: ("tablet", "tablets"),
                 DosageForm.ODT: ("tablet", "tablets"), DosageForm.CAPSULE: ("capsule", "capsules"),
                 DosageForm.EXTENDED_RELEASE_CAPSULE: ("capsule", "capsules")}


class Medication(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="medications")
    ingredient = models.CharField(max_length=120, help_text="generic name, from the formulary when coded")
    rxcui = models.CharField("RxNorm code", max_length=20, blank=True)
    in_formulary = models.BooleanField(default=True, help_text="false: not checked by the safety engine")
    product = models.CharField(max_length=200, blank=True, help_text="product or brand as written")
    strength_mg = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    dose_form = models.CharField("dosage form", max_length=20, choices=DosageForm.choices, default=DosageForm.TABLET)
    dose_mg_per_day = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True,
                                          help_text="for an as-needed order: the most that may be taken in a day")
    as_needed = models.BooleanField("as needed (PRN)", default=False)
    as_needed_dose_mg = models.DecimalField("dose each time (mg)", max_digits=9, decimal_places=3, null=True,
                                            blank=True, help_text="as-needed orders: the dose taken each time")
    frequency = models.CharField(max_length=60, blank=True)
    route = models.CharField(max_length=40, blank=True)
    indication = models.CharField(max_length=200, blank=True)
    indication_icd10 = models.CharField("ICD-10-CM code", max_length=10, blank=True)
    indication_problem = models.ForeignKey("Problem", null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="medications", help_text="the problem-list entry treated")
    prescriber = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    external_prescriber = models.CharField(max_length=150, blank=True)
    source = models.CharField(max_length=20, choices=MedicationSource.choices, default=MedicationSource.CLINIC)
    quantity = models.PositiveIntegerField(null=True, blank=True)
    refills = models.PositiveSmallIntegerField(default=0)
    days_supply = models.PositiveSmallIntegerField(null=True, blank=True)
    instructions = models.CharField(max_length=500, blank=True)
    controlled_schedule = models.CharField(max_length=4, blank=True)
    pdmp_checked_at = models.DateTimeField("PDMP checked at", null=True, blank=True)
    start_date = models.DateField()
    stop_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=MedicationStatus.choices, default=MedicationStatus.ACTIVE)
    status_reason = models.CharField(max_length=20, choices=StopReason.choices, blank=True)
    status_note = models.CharField(max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, help_text="bumped by every change; detects concurrent edits")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["patient", "status"]), models.Index(fields=["clinic", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.ingredient} {self.dose_display}"

    @property
    def dose_display(self) -> str:
        if self.as_needed and self.as_needed_dose_mg is not None:
            most = f", at most {self.dose_mg_per_day.normalize():f} mg/day" if self.dose_mg_per_day else ""
            return f"{self.as_needed_dose_mg.normalize():f} mg as needed {self.frequency}".strip() + most
        if self.dose_mg_per_day is None:
            return self.frequency
        return f"{self.dose_mg_per_day.normalize():f} mg/day {self.frequency}".strip()

    @property
    def prescriber_display(self) -> str:
        if self.prescriber_id:
            return self.prescriber.display_name
        return self.external_prescriber


class DoseChangeKind(models.TextChoices):
    START = "start", "Started"
    DOSE = "dose", "Dose changed"
    HOLD = "hold", "Put on hold"
    RESUME = "resume", "Resumed"
    DISCONTINUE = "discontinue", "Discontinued"


class DoseChange(models.Model):
    """One entry of a medication's history: appended, never edited."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    medication = models.ForeignKey(Medication, on_delete=models.PROTECT, related_name="history")
    kind = models.CharField(max_length=12, choices=DoseChangeKind.choices)
    old_dose_mg_per_day = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    new_dose_mg_per_day = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    old_frequency = models.CharField(max_length=60, blank=True)
    new_frequency = models.CharField(max_length=60, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    effective_date = models.DateField(help_text="the day the change took effect, as the clinician gave it "
                                                "(the clinic's date); due monitoring counts from it")
    changed_at = models.DateTimeField(auto_now_add=True, help_text="when it was typed")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["medication", "changed_at"])]

    def save(self, *args, **kwargs):
        if self.effective_date is None:
            self.effective_date = clinic_today(self.clinic)
        super().save(*args, **kwargs)


class OverrideReason(models.TextChoices):
    BENEFIT_OUTWEIGHS_RISK = "benefit_outweighs_risk", "Benefit outweighs the risk for this patient"
    TOLERATED_BEFORE = "tolerated_before", "Tolerated before at this dose or combination"
    MONITORING_IN_PLACE = "monitoring_in_place", "Extra monitoring arranged"
    PLANNED_OVERLAP = "planned_overlap", "Planned, time-limited overlap (cross-taper)"
    SPECIALIST_ADVICE = "specialist_advice", "On specialist or consultant advice"
    NOT_APPLICABLE = "not_applicable", "Finding does not apply to this patient"


class OverrideResolution(models.TextChoices):
    STOPPED = "stopped", "Medicine stopped"
    NO_LONGER_FIRES = "no_longer_fires", "No longer found on re-check"
    CLINICIAN = "clinician", "Marked resolved by a clinician"


class PrescriptionOverride(models.Model):
    """A prescriber's decision to proceed despite a contraindicated or major safety finding.

    It needs a structured reason and a written justification; a dose above twice the
    labelled maximum needs `confirmed_high_dose` too. An override stays active (shown on the
    medication list and the chart header) until it is resolved: the medicine is stopped, the
    finding no longer fires when the stored regimen is re-checked, or a clinician marks it
    resolved with a note. Clinic admins review every override (`reviewed_*`).
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    medication = models.ForeignKey(Medication, on_delete=models.PROTECT, related_name="overrides")
    dose_change = models.ForeignKey(DoseChange, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rule_id = models.CharField(max_length=120)
    severity = models.CharField(max_length=20)
    kind = models.CharField(max_length=40)
    summary = models.CharField(max_length=500)
    finding = models.JSONField(help_text="the finding as the engine reported it")
    kb_version = models.CharField("knowledge-base version", max_length=20)
    reason_code = models.CharField(max_length=30, choices=OverrideReason.choices, blank=True,
                                   help_text="empty on overrides recorded before reasons were structured")
    reason = models.CharField("justification", max_length=500)
    confirmed_high_dose = models.BooleanField(default=False,
                                              help_text="the prescriber confirmed a dose above twice the maximum")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", help_text="empty when the re-check or a stop resolved it")
    resolution = models.CharField(max_length=20, choices=OverrideResolution.choices, blank=True)
    resolution_note = models.CharField(max_length=500, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    review_note = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["clinic", "-created_at"]),
                   models.Index(fields=["patient"], condition=models.Q(resolved_at__isnull=True),
                                name="override_active"),
                   models.Index(fields=["clinic", "created_at"], condition=models.Q(reviewed_at__isnull=True),
                                name="override_to_review")]

    @property
    def is_active(self) -> bool:
        return self.resolved_at is None

    @property
    def drug(self) -> str:
        return self.medication.ingredient


class PlanKind(models.TextChoices):
    TITRATION = "titration", "Titration"
    TAPER = "taper", "Taper"
    SWITCH = "switch", "Switch"


class PlanStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    STOPPED = "stopped", "Stopped"


class MedicationPlan(models.Model):
    """A titration, taper or switch laid out day by day by the clinical core, as saved.

    `plan` is the engine's output (the `dosewise titrate/taper/switch --json` shape, with
    its sources and, for a switch, the safety findings of every day); `schedules` holds the
    steps per drug from which the calendar is expanded. `schedules` and `start_date` always
    describe the schedule in force: a pause, a slow-down or a stop rewrites them and keeps
    what they were in a `MedicationPlanRevision`; `version` detects two prescribers revising
    at once.
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="medication_plans")
    medication = models.ForeignKey(Medication, null=True, blank=True, on_delete=models.PROTECT, related_name="plans",
                                   help_text="the medicine tapered or switched from")
    kind = models.CharField(max_length=12, choices=PlanKind.choices)
    drug = models.CharField(max_length=120, help_text="the drug titrated, tapered or switched to")
    start_date = models.DateField()
    summary = models.CharField(max_length=300)
    plan = models.JSONField()
    schedules = models.JSONField(help_text="{drug: [{day, dose_mg, note}, ...]}")
    kb_version = models.CharField("knowledge-base version", max_length=20)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    version = models.PositiveIntegerField(default=1, help_text="bumped by every revision; detects concurrent edits")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["patient", "-start_date"])]

    def __str__(self) -> str:
        return self.summary


class PlanRevisionKind(models.TextChoices):
    PAUSE = "pause", "Paused"
    SLOW = "slow", "Slowed down"
    STOP = "stop", "Stopped"


class MedicationPlanRevision(models.Model):
    """One change to a saved plan: who, when, why, from which date, and the schedule it replaced.

    Appended, never edited; `previous_schedules` with `previous_version` lets anyone redraw the
    calendar as it stood before the change.
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(MedicationPlan, on_delete=models.PROTECT, related_name="revisions")
    kind = models.CharField(max_length=10, choices=PlanRevisionKind.choices)
    effective_date = models.DateField(help_text="the first day the revised schedule differs")
    parameters = models.JSONField(default=dict, help_text="the options chosen (days, interval, step size)")
    reason = models.CharField(max_length=500)
    previous_version = models.PositiveIntegerField()
    previous_schedules = models.JSONField()
    schedules = models.JSONField(help_text="the schedule in force after this revision")
    findings = models.JSONField(default=list, help_text="safety findings on the revised schedule")
    kb_version = models.CharField("knowledge-base version", max_length=20)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["plan", "created_at"])]


class FollowUpKind(models.TextChoices):
    STEP_REVIEW = "step_review", "Review after a dose step"
    SWITCH_REVIEW = "switch_review", "Review at the end of a switch stage"
    PLAN_END = "plan_end", "Review at the end of the plan"


class PlanFollowUp(models.Model):
    """A review the team owes a patient because of a plan's schedule (e.g. a week after a taper step).

    Generated when a plan is saved or revised; a revision or a stop cancels the open ones it
    makes obsolete (with the reason) and generates the new ones. Completed with who, when and
    a note; never deleted.
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="plan_follow_ups")
    plan = models.ForeignKey(MedicationPlan, on_delete=models.PROTECT, related_name="follow_ups")
    kind = models.CharField(max_length=16, choices=FollowUpKind.choices)
    due_date = models.DateField()
    step_day = models.PositiveIntegerField(help_text="plan day of the step reviewed")
    what = models.CharField(max_length=500, help_text="what to review")
    plan_version = models.PositiveIntegerField(help_text="the plan version that generated it")
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    done_note = models.CharField(max_length=500, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["clinic", "due_date"],
                                condition=models.Q(done_at__isnull=True, cancelled_at__isnull=True),
                                name="plan_follow_up_open"),
                   models.Index(fields=["plan", "due_date"])]

    @property
    def is_open(self) -> bool:
        return self.done_at is None and self.cancelled_at is None


class ProblemStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    RESOLVED = "resolved", "Resolved"
    ENTERED_IN_ERROR = "entered_in_error", "Entered in error"


class Problem(models.Model):
    """One coded entry of the patient's problem list (FHIR Condition, category problem-list-item).

    The code is ICD-10-CM, checked against the `simple-icd-10-cm` data, stored with the
    description that data gives. An entry is never deleted: it is resolved, or marked entered
    in error with the reason.
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="problems")
    code = models.CharField("ICD-10-CM code", max_length=10)
    description = models.CharField(max_length=300)
    onset_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=ProblemStatus.choices, default=ProblemStatus.ACTIVE)
    resolved_date = models.DateField(null=True, blank=True)
    status_note = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+")

    class Meta:
        indexes = [models.Index(fields=["patient", "status"])]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class TransmissionStatus(models.TextChoices):
    READY_TO_PRINT = "ready_to_print", "Ready to print"
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    REFUSED = "refused", "Refused"


DELIVERY_WORDS = {**dict(TransmissionStatus.choices), "pending": "Waiting to be faxed", "sending": "Being faxed",
                  "sent": "Sent", "failed": "Failed"}
CHANNEL_WORDS = {"print": "Printed", "fax": "Fax"}


class PrescriptionTransmission(models.Model):
    """One attempt to send a prescription out of the clinic: who, when, how, where to, and what happened.

    Appended, never edited. A fax goes through the notifications outbox; its delivery (sent,
    failed, retried) is read from `outbound_message`, so a failure stays visible until it is
    resolved. The destination is stored masked, as it is shown.
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    medication = models.ForeignKey(Medication, on_delete=models.PROTECT, related_name="transmissions")
    channel = models.CharField(max_length=40, help_text="the adapter's channel: print, fax, a vendor's name")
    destination = models.CharField(max_length=60, blank=True, help_text="masked, e.g. fax ***-***-0142")
    status = models.CharField(max_length=20, choices=TransmissionStatus.choices)
    detail = models.CharField(max_length=500, blank=True)
    outbound_message = models.ForeignKey("notifications.OutboundMessage", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["medication", "-created_at"])]

    @property
    def delivery_status(self) -> str:
        """Return the status to show: the outbox's for a queued fax, else the adapter's."""
        if self.outbound_message_id and self.status == TransmissionStatus.QUEUED:
            return self.outbound_message.status
        return self.status

    @property
    def delivery_status_display(self) -> str:
        """Return the status in words (a queued fax: the outbox's progress)."""
        return DELIVERY_WORDS.get(self.delivery_status, self.delivery_status.replace("_", " "))

    @property
    def channel_display(self) -> str:
        return CHANNEL_WORDS.get(self.channel, self.channel)
