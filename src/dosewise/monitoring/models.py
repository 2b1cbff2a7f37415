"""Lab results, vitals and drug levels (FHIR Observation), and acknowledgements of worklist items.

A result is never deleted or edited: it is marked entered-in-error with who, when and why.
`review_priority` is set while an out-of-range result waits for a clinician and cleared when
it is acknowledged or withdrawn; the worklist reads it through a partial index, so its cost
does not grow with the number of normal or reviewed results (see docs/decisions/0006).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from dosewise.monitoring.catalogue import result_tests


class ObservationStatus(models.TextChoices):
    FINAL = "final", "Final"
    ENTERED_IN_ERROR = "entered-in-error", "Entered in error"


class ObservationSource(models.TextChoices):
    MANUAL = "manual", "Entered by staff"
    CSV = "csv", "CSV import"
    FHIR = "fhir", "FHIR import"


class ReviewPriority(models.IntegerChoices):
    """Order of the worklist: lower comes first."""

    CRITICAL = 0, "Critical result"
    URGENT = 1, "Urgent"
    ABNORMAL = 2, "Out of range"
    OVERDUE = 3, "Overdue monitoring"
    SIDE_EFFECT = 4, "High side-effect burden"
    LOW_ADHERENCE = 5, "Low adherence"
    NOT_IMPROVING = 6, "Not improving"


class Observation(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="observations")
    test = models.CharField(max_length=40, help_text="test key of the monitoring catalogue, e.g. lithium-level")
    code = models.CharField("LOINC code", max_length=20, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=4)
    unit = models.CharField("UCUM unit", max_length=30)
    value_canonical = models.DecimalField(max_digits=14, decimal_places=4)
    unit_canonical = models.CharField(max_length=30)
    effective_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=ObservationStatus.choices, default=ObservationStatus.FINAL)
    source = models.CharField(max_length=10, choices=ObservationSource.choices, default=ObservationSource.MANUAL)
    flag = models.CharField(max_length=10, help_text="normal, low, high or critical")
    band = models.CharField(max_length=60)
    action = models.CharField(max_length=500, help_text="the suggested action for the band")
    reference_range = models.CharField(max_length=120, blank=True,
                                       help_text="which band set was used where the range differs by sex")
    kb_version = models.CharField(max_length=20)
    review_priority = models.PositiveSmallIntegerField(choices=ReviewPriority.choices, null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    acknowledgement_note = models.CharField(max_length=500, blank=True)
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+")
    entered_in_error_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["patient", "test", "-effective_at"]),
            models.Index(fields=["clinic", "review_priority", "-effective_at"], condition=Q(review_priority__isnull=False),
                         name="observation_to_review"),
        ]

    @property
    def out_of_range(self) -> bool:
        return self.flag != "normal"

    @property
    def test_name(self) -> str:
        spec = result_tests().get(self.test)
        return spec.name[:1].upper() + spec.name[1:] if spec else self.test

    @property
    def value_display(self) -> str:
        return f"{self.value.normalize():f}"

    @property
    def canonical_display(self) -> str:
        return f"{self.value_canonical.normalize():f}"


class ReminderOutcome(models.TextChoices):
    SENT = "sent", "Reminder queued"
    NO_CONSENT = "no-consent", "No active SMS or e-mail consent"
    NO_CONTACT = "no-contact", "No phone number or e-mail address for the consented channel"


class MonitoringDue(models.Model):
    """The next due date of one test for one patient, from the medication list and the last result.

    Rewritten in the transaction that records a result or changes a medicine, so the
    worklist finds overdue monitoring with one index range scan (see docs/decisions/0006).
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="monitoring_due")
    test = models.CharField(max_length=40)
    due_date = models.DateField()
    reason = models.CharField(max_length=500)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    acknowledgement_note = models.CharField(max_length=500, blank=True)
    # The last reminder run that looked at this item (whatever it decided) and the last message
    # sent: a run claims the item by moving `reminder_checked_at`, so two runs never both send.
    reminder_checked_at = models.DateTimeField(null=True, blank=True)
    reminder_outcome = models.CharField(max_length=12, choices=ReminderOutcome.choices, blank=True)
    reminder_note = models.CharField(max_length=200, blank=True, help_text="why no reminder went out")
    reminded_at = models.DateTimeField(null=True, blank=True)
    reminder_channel = models.CharField(max_length=10, blank=True, help_text="sms or email")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["patient", "test"], name="monitoring_due_one_per_test")]
        indexes = [models.Index(fields=["clinic", "due_date"], condition=Q(acknowledged_at__isnull=True),
                                name="monitoring_due_open")]


class WorklistAcknowledgement(models.Model):
    """A clinician's note that a worklist item without a record of its own was seen (e.g. not improving).

    `version` is the moment the item last changed (the latest score): a new score that is
    still not improving brings the item back.
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    version = models.DateTimeField(null=True)
    note = models.CharField(max_length=500)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id", "version"],
                                               name="worklist_acknowledged_once")]


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting"
    RUNNING = "running", "Importing"
    DONE = "done", "Finished"
    FAILED = "failed", "Stopped"


class ImportJob(models.Model):
    """One uploaded file imported in batches by the task worker.

    The file is kept with the import so that the worker on any machine can read it; the
    report lists each skipped row with its reason (the first REPORT_LIMIT of them).
    """

    REPORT_LIMIT = 1000

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=200)
    content = models.TextField()
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True, help_text="[[row number, reason], ...]")
    error = models.CharField(max_length=500, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The worker running the import holds a lease, renewed with every batch it commits. A worker
    # that dies stops renewing it; once it has expired the import is queued again and resumes
    # after the last committed batch, or fails with the reason after MAX_ATTEMPTS (imports.py).
    lease_token = models.CharField(max_length=32, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True

    @property
    def percent(self) -> int:
        return 100 if not self.total_rows else min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)


class ResultImport(ImportJob):
    """A file of lab results: CSV or a FHIR Bundle of Observations."""

    kind = models.CharField(max_length=10, choices=[("csv", "CSV"), ("fhir", "FHIR bundle")], default="csv")

    class Meta:
        indexes = [models.Index(fields=["clinic", "-created_at"])]

    def get_absolute_url(self) -> str:
        return reverse("monitoring:import_detail", args=[self.pk])


class FillImport(ImportJob):
    """A CSV file of pharmacy fills (dispensing records)."""

    kind = "fills"

    class Meta:
        indexes = [models.Index(fields=["clinic", "-created_at"])]

    def get_absolute_url(self) -> str:
        return reverse("monitoring:fill_import_detail", args=[self.pk])


class Severity(models.TextChoices):
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"


class SideEffectAction(models.TextChoices):
    NONE = "none", "None"
    DOSE_REDUCED = "dose-reduced", "Dose reduced"
    STOPPED = "stopped", "Medicine stopped"
    TREATED = "treated", "Treated"
    OTHER = "other", "Other"


class SideEffectReporter(models.TextChoices):
    CLINICIAN = "clinician", "Recorded by a clinician"
    PATIENT = "patient", "Reported by the patient"


# Common side effects of psychotropic medicines, so that reports can be counted and trended;
# free text describes anything else.
SIDE_EFFECT_CODES = (
    ("weight-gain", "Weight gain"), ("sedation", "Sedation or drowsiness"), ("insomnia", "Insomnia"),
    ("nausea", "Nausea"), ("dizziness", "Dizziness"), ("headache", "Headache"), ("tremor", "Tremor"),
    ("akathisia", "Akathisia (restlessness)"), ("parkinsonism", "Stiffness or slowness (parkinsonism)"),
    ("tardive-dyskinesia", "Abnormal involuntary movements"), ("sexual-dysfunction", "Sexual dysfunction"),
    ("dry-mouth", "Dry mouth"), ("constipation", "Constipation"), ("hypersalivation", "Hypersalivation"),
    ("polyuria", "Thirst or passing more urine"), ("rash", "Rash"), ("appetite-loss", "Loss of appetite"),
    ("palpitations", "Palpitations"), ("other", "Other"),
)


class TriageUrgency(models.TextChoices):
    EMERGENCY = "emergency", "Emergency"
    URGENT = "urgent", "Urgent, same day"
    SOON = "soon", "Soon, within 2 days"
    ROUTINE = "routine", "Routine"


class SideEffect(models.Model):
    """One side effect attributed to suspected medicines, with severity, burden and the action taken.

    Heavy (severe, or a burden of 7 or more out of 10) and not yet acknowledged: on the worklist.
    Every report is triaged when it is recorded against the danger signs of the patient's
    current medicines (`dosewise.clinical.triage`); an urgent or emergency one raises a care
    task (`care_task`) that is escalated like a risk answer.
    """

    HEAVY_BURDEN = 7

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="side_effects")
    code = models.CharField(max_length=30, choices=SIDE_EFFECT_CODES)
    effect = models.CharField(max_length=300, blank=True, help_text="the effect in the reporter's words")
    suspected = models.ManyToManyField("medications.Medication", blank=True, related_name="+")
    severity = models.CharField(max_length=10, choices=Severity.choices)
    burden = models.PositiveSmallIntegerField(help_text="burden on daily life, 0 (none) to 10 (unbearable)")
    action = models.CharField(max_length=20, choices=SideEffectAction.choices, default=SideEffectAction.NONE)
    noted_on = models.DateField()
    reporter = models.CharField(max_length=10, choices=SideEffectReporter.choices,
                                default=SideEffectReporter.CLINICIAN)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    heavy = models.BooleanField(default=False)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    acknowledgement_note = models.CharField(max_length=500, blank=True)
    urgency = models.CharField(max_length=10, choices=TriageUrgency.choices, blank=True,
                               help_text="triage urgency; empty on reports recorded before triage")
    patient_advice = models.TextField(blank=True, help_text="what the patient was told to do")
    clinician_advice = models.TextField(blank=True)
    triage = models.JSONField(default=dict, blank=True, help_text="signs that fired, their sources, KB version")
    care_task = models.ForeignKey("assessments.CareTask", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="side_effects")

    @property
    def advice_details(self) -> list[str]:
        """Return what each danger sign means for the patient, after the first step (what to do now)."""
        steps = self.triage.get("patient_steps") or []
        return steps[1:-1]

    @property
    def safety_net(self) -> str:
        steps = self.triage.get("patient_steps") or []
        return steps[-1] if len(steps) > 1 else ""

    class Meta:
        indexes = [
            models.Index(fields=["patient", "-noted_on"]),
            models.Index(fields=["clinic", "-noted_on"], condition=Q(heavy=True, acknowledged_at__isnull=True),
                         name="side_effect_to_review"),
        ]


class FillSource(models.TextChoices):
    ENTERED = "entered", "Entered by staff"
    IMPORTED = "imported", "Imported from a pharmacy file"


# The longest supply one fill may record, in days: the form, the service and the fill import
# refuse more, and the adherence reads rely on it (a fill older than this before a window
# cannot reach it).
MAX_DAYS_SUPPLY = 365


class PharmacyFill(models.Model):
    """One dispensing of a medicine by a pharmacy (date and days' supply), entered by staff or imported."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="pharmacy_fills")
    medication = models.ForeignKey("medications.Medication", on_delete=models.PROTECT, related_name="+")
    filled_on = models.DateField()
    days_supply = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=10, choices=FillSource.choices, default=FillSource.ENTERED)
    quantity = models.DecimalField(max_digits=10, decimal_places=3, null=True, blank=True)
    pharmacy = models.CharField(max_length=120, blank=True)
    ndc = models.CharField("NDC", max_length=20, blank=True)
    rx_number = models.CharField("Rx number", max_length=30, blank=True)
    fill_import = models.ForeignKey(FillImport, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["patient", "medication", "filled_on"]),
                   models.Index(fields=["clinic", "filled_on"])]
        constraints = [models.UniqueConstraint(fields=["medication", "filled_on"], name="pharmacy_fill_once_a_day")]


class AdherenceSpan(models.Model):
    """A run of days on which a medicine's 90-day PDC from its pharmacy fills is below 80%.

    Derived from the fills (`services.adherence_spans_refresh`, in the transaction that writes
    them): the PDC of a later day depends only on the fills made by then, so the worklist reads
    the medicines low today with one indexed query instead of every recent fill of the clinic.
    `ends_on` is empty for a run that lasts until the next fill. `last_fill` is the fill
    recorded last, whose time is the version an acknowledgement of the item is given for.
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")
    medication = models.ForeignKey("medications.Medication", on_delete=models.CASCADE, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    last_fill = models.ForeignKey(PharmacyFill, on_delete=models.CASCADE, related_name="+")
    last_fill_at = models.DateTimeField()
    # The last fill's date, copied so the worklist sorts the spans without joining the fills.
    last_filled_on = models.DateField()

    class Meta:
        # The medication's foreign key has its own index (the refresh deletes by medication).
        indexes = [models.Index(fields=["clinic", "starts_on"])]
