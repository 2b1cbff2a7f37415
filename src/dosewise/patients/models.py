"""Patients, their care teams, consents and the clinical context the safety checks need.

Every model here carries `clinic` (the tenant key) and is read only through the selectors
in `dosewise.patients.selectors`.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from dosewise.clinics.clock import clinic_today
from dosewise.lib.units import ucum_display

ADULT_AGE = 18


def age_in_years(born, day) -> int:
    """Return the age in whole years on `day`."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class SexAtBirth(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    INTERSEX = "intersex", "Intersex"
    UNKNOWN = "unknown", "Unknown / not disclosed"


class Patient(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="patients")
    mrn = models.CharField("MRN", max_length=20)
    legal_given_name = models.CharField("legal first name", max_length=100)
    legal_family_name = models.CharField("legal last name", max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    date_of_birth = models.DateField()
    sex_at_birth = models.CharField("sex assigned at birth", max_length=10, choices=SexAtBirth.choices)
    gender_identity = models.CharField(max_length=60, blank=True)
    email = models.EmailField(blank=True, max_length=254)
    phone = models.CharField(max_length=30, blank=True)
    address = models.CharField(max_length=300, blank=True)
    preferred_language = models.CharField(max_length=40, default="English")
    emergency_contact_name = models.CharField(max_length=150, blank=True)
    emergency_contact_relationship = models.CharField(max_length=60, blank=True)
    emergency_contact_phone = models.CharField(max_length=30, blank=True)
    # A minor's parent or legal guardian: required while the patient is under 18 (patients.services).
    guardian_name = models.CharField("guardian's name", max_length=150, blank=True)
    guardian_relationship = models.CharField("guardian's relationship", max_length=60, blank=True,
                                             help_text="e.g. mother, father, legal guardian")
    guardian_phone = models.CharField("guardian's phone", max_length=30, blank=True)
    guardian_email = models.EmailField("guardian's e-mail", blank=True, max_length=254)
    insurance_payer = models.CharField("insurance plan", max_length=120, blank=True,
                                       help_text="The payer or plan name as on the card; empty for self-pay.")
    insurance_member_id = models.CharField("member ID", max_length=40, blank=True)
    insurance_group_number = models.CharField("group number", max_length=40, blank=True)
    insurance_subscriber = models.CharField("subscriber", max_length=150, blank=True,
                                            help_text="The policy holder, if not the patient.")
    # A duplicate record merged into another keeps its row (its audit trail points here) but no
    # longer holds anything: every record moved to `merged_into` (patients.merging).
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(null=True, blank=True)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    version = models.PositiveIntegerField(default=1, help_text="bumped by every edit; detects concurrent edits")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "mrn"], name="patient_mrn_unique_per_clinic")]
        indexes = [
            models.Index(fields=["clinic", "date_of_birth"]),
            models.Index(fields=["clinic", "legal_family_name", "legal_given_name"]),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.mrn})"

    @property
    def display_name(self) -> str:
        given = self.preferred_name or self.legal_given_name
        return f"{given} {self.legal_family_name}"

    @property
    def legal_name(self) -> str:
        return f"{self.legal_given_name} {self.legal_family_name}"

    def age_on(self, day) -> int:
        return age_in_years(self.date_of_birth, day)

    @property
    def is_minor(self) -> bool:
        """Under 18 on the clinic's today, as registration counts it (the chart flags a missing guardian)."""
        return self.age_on(clinic_today(self.clinic)) < ADULT_AGE


class PatientNameToken(models.Model):
    """One lower-case, accent-free word of a patient's names ("garcia", "lopez", "jose").

    A name search is an index range scan over these words ("gar" <= word < "gas"), which
    stays fast at any clinic size; the words are rewritten whenever the names change.
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="name_tokens")
    token = models.CharField(max_length=100)

    class Meta:
        indexes = [models.Index(fields=["clinic", "token"])]


class CareTeamRole(models.TextChoices):
    PRESCRIBER = "prescriber", "Prescriber"
    NURSE = "nurse", "Nurse"
    THERAPIST = "therapist", "Therapist"
    PRIMARY_CARE = "primary_care", "Primary care"
    CASE_MANAGER = "case_manager", "Case manager"
    OTHER = "other", "Other"


class CareTeamMember(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="care_team")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="care_teams")
    team_role = models.CharField(max_length=20, choices=CareTeamRole.choices)
    since = models.DateField()
    until = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["member", "patient"]), models.Index(fields=["patient", "until"])]
        constraints = [
            models.UniqueConstraint(fields=["patient", "member"], condition=models.Q(until__isnull=True),
                                    name="care_team_one_active_membership"),
        ]


class ConsentKind(models.TextChoices):
    TREATMENT = "treatment", "Consent to treatment"
    SMS = "sms", "Text message (SMS) contact"
    EMAIL = "email", "E-mail contact"


class ConsentMethod(models.TextChoices):
    PAPER = "paper", "Signed on paper"
    VERBAL = "verbal", "Verbal, witnessed by staff"
    ELECTRONIC = "electronic", "Electronic signature in clinic"
    PORTAL = "portal", "Patient portal"
    SMS_REPLY = "sms_reply", "SMS reply"


class ConsentText(models.Model):
    """One version of the exact wording a patient is shown for a kind of consent."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=ConsentKind.choices)
    version = models.CharField(max_length=20)
    text = models.TextField()
    effective_from = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "kind", "version"], name="consent_text_version_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class Consent(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(max_length=20, choices=ConsentKind.choices)
    text_version = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField()
    method = models.CharField(max_length=20, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_method = models.CharField(max_length=20, choices=ConsentMethod.choices, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        indexes = [models.Index(fields=["patient", "kind", "revoked_at"])]

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class AllergySeverity(models.TextChoices):
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"
    UNKNOWN = "unknown", "Unknown"


class AllergyCategory(models.TextChoices):
    ALLERGY = "allergy", "Allergy"
    INTOLERANCE = "intolerance", "Intolerance"


class Allergy(models.Model):
    """An allergy or intolerance (FHIR AllergyIntolerance); entered in error, never deleted."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="allergies")
    substance = models.CharField(max_length=120)
    category = models.CharField(max_length=12, choices=AllergyCategory.choices, default=AllergyCategory.ALLERGY)
    reaction = models.CharField(max_length=200, blank=True)
    severity = models.CharField(max_length=10, choices=AllergySeverity.choices, default=AllergySeverity.UNKNOWN)
    verified = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+")
    entered_in_error_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["patient", "entered_in_error_at"])]

    def __str__(self) -> str:
        return self.substance


class PharmacogenomicResult(models.Model):
    """One gene's result as the lab reported it (FHIR Observation, genomics), with the CPIC
    phenotype the clinical core derives from it. Entered in error, never deleted; the newest
    valid result per gene is the one the safety check uses."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="pgx_results")
    gene = models.CharField(max_length=20, help_text="HGNC symbol as the knowledge base spells it, e.g. CYP2C19")
    diplotype = models.CharField(max_length=60, help_text="as reported, e.g. *2/*2 or HLA-B*15:02/*07:02")
    phenotype = models.CharField(max_length=80, help_text="CPIC term derived by the clinical core")
    activity_score = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    lab = models.CharField(max_length=150)
    result_date = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+")
    entered_in_error_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["patient", "gene", "-result_date"])]

    def __str__(self) -> str:
        return f"{self.gene} {self.diplotype}"


class ContextKind(models.TextChoices):
    PREGNANCY = "pregnancy", "Pregnancy"
    LACTATION = "lactation", "Lactation"
    HEIGHT = "height", "Height"
    WEIGHT = "weight", "Weight"
    EGFR = "egfr", "Kidney function (eGFR)"
    CHILD_PUGH = "child_pugh", "Liver impairment (Child-Pugh)"
    SMOKING = "smoking", "Smoking status"
    QTC = "qtc", "QTc interval (ECG)"
    NEUTROPENIA = "neutropenia", "Benign ethnic neutropenia"


# Allowed coded answers and numeric ranges per kind; the unit is UCUM.
CONTEXT_CODES: dict[str, tuple[str, ...]] = {
    ContextKind.PREGNANCY: ("pregnant", "not_pregnant", "unknown"),
    ContextKind.LACTATION: ("lactating", "not_lactating", "unknown"),
    ContextKind.CHILD_PUGH: ("none", "A", "B", "C"),
    ContextKind.SMOKING: ("current", "former", "never", "unknown"),
    # "ben": benign ethnic neutropenia, so the clozapine ANC table for BEN applies (FDA label Clozaril 2.1).
    ContextKind.NEUTROPENIA: ("ben", "none", "unknown"),
}
CONTEXT_NUMERIC: dict[str, tuple[str, float, float]] = {
    ContextKind.HEIGHT: ("cm", 40, 250),
    ContextKind.WEIGHT: ("kg", 2, 400),
    ContextKind.EGFR: ("mL/min/{1.73_m2}", 1, 200),
    # Corrected QT outside 250-800 ms is a misread or a unit slip (seconds), not a measurement.
    ContextKind.QTC: ("ms", 250, 800),
}


class ClinicalContextEntry(models.Model):
    """One dated fact of clinical context: pregnancy, lactation, height, weight, eGFR,
    Child-Pugh class, smoking, QTc or benign ethnic neutropenia. The newest entry of each kind
    is the current value."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="context_entries")
    kind = models.CharField(max_length=12, choices=ContextKind.choices)
    value_code = models.CharField(max_length=20, blank=True)
    value_number = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True,
                                       validators=[MinValueValidator(0), MaxValueValidator(99999)])
    unit = models.CharField(max_length=30, blank=True)
    effective_date = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["patient", "kind", "-effective_date", "-recorded_at"])]

    @property
    def display_value(self) -> str:
        if self.value_number is not None:
            number = f"{self.value_number.normalize():f}"
            return f"{number} {ucum_display(self.unit)}".strip()
        return self.value_code.replace("_", " ")


class BreakGlassAccess(models.Model):
    """Access to a patient outside one's care team, granted for a time with a typed reason."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    review_note = models.CharField(max_length=500, blank=True,
                                   help_text="What the reviewer found: was the access justified?")

    class Meta:
        indexes = [models.Index(fields=["user", "patient", "expires_at"]), models.Index(fields=["clinic", "-created_at"])]
