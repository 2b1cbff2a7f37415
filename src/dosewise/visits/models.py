"""Where the prescriber's thinking is written down: visit notes, their addenda and co-signatures,
letters sent from them, and the patient's treatment history.

A signed note is locked in the database itself (a trigger refuses any UPDATE of a signed row
and every DELETE; see `visits.services.note_triggers_sql`): later changes are addenda, which,
like co-signatures and letter dispatches, are append-only rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class NoteKind(models.TextChoices):
    INITIAL_EVALUATION = "initial_evaluation", "Initial evaluation"
    FOLLOW_UP = "follow_up", "Medication-management follow-up"
    BRIEF_CHECK = "brief_check", "Brief check"
    TELEPHONE = "telephone", "Telephone"
    LETTER = "letter", "Letter"


class NoteTemplate(models.Model):
    """A kind of note and its sections, as data: Dosewise ships one per kind (clinic empty), a
    clinic adds its own.

    `sections` is a list of {"key", "label", "help", "prefill", "review"}: `prefill` names what
    the chart fills the section with (see `visits.prefill`), `review` whether the signer must
    mark the section reviewed.
    """

    clinic = models.ForeignKey("clinics.Clinic", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    key = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=NoteKind.choices)
    description = models.CharField(max_length=300, blank=True)
    sections = models.JSONField()
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "key"], name="note_template_key_per_clinic"),
                       models.UniqueConstraint(fields=["key"], condition=models.Q(clinic__isnull=True),
                                               name="note_template_key_shipped")]

    def __str__(self) -> str:
        return self.name


class NoteStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SIGNED = "signed", "Signed"
    DISCARDED = "discarded", "Discarded draft"


class VisitNote(models.Model):
    """One note of a visit, a call or a letter: a draft its author autosaves, then signed and locked.

    `sections` holds {section key: text}; `reviewed` the section keys the author marked
    reviewed; `interval` the summary of the record since the last visit that the note was
    pre-filled with (kept as it was shown, so the signed note says what the signer saw).
    `appointment_ref` is the appointment the note documents, when scheduling knows one.
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="visit_notes")
    template = models.ForeignKey(NoteTemplate, on_delete=models.PROTECT, related_name="notes")
    kind = models.CharField(max_length=20, choices=NoteKind.choices)
    title = models.CharField(max_length=200)
    visit_date = models.DateField()
    status = models.CharField(max_length=10, choices=NoteStatus.choices, default=NoteStatus.DRAFT)
    sections = models.JSONField(default=dict)
    reviewed = models.JSONField(default=list)
    interval = models.JSONField(default=dict, blank=True)
    interval_since = models.DateField(null=True, blank=True)
    sensitive = models.BooleanField(default=False, help_text="psychotherapy-note style (45 CFR 164.501)")
    supervisor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", help_text="the prescriber asked to co-sign")
    follow_up_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    appointment_ref = models.PositiveIntegerField(null=True, blank=True)
    recipient = models.ForeignKey("patients.CareTeamMember", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", help_text="a letter's addressee on the care team")
    version = models.PositiveIntegerField(default=1, help_text="bumped by every save; detects a second editor")
    editor_token = models.CharField(max_length=32, blank=True,
                                    help_text="the editing page that saved last: its own autosave never conflicts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    content_hash = models.CharField(max_length=64, blank=True)
    discarded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["patient", "-visit_date"]), models.Index(fields=["patient", "status"])]

    @property
    def is_signed(self) -> bool:
        return self.status == NoteStatus.SIGNED

    def section_list(self) -> list[dict]:
        """Return the template's sections with this note's text and review mark."""
        return [{**section, "text": self.sections.get(section["key"], ""),
                 "is_reviewed": section["key"] in self.reviewed}
                for section in self.template.sections]


class NoteAddendum(models.Model):
    """A later addition to a signed note; appended, never edited (a trigger refuses changes)."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    note = models.ForeignKey(VisitNote, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    content_hash = models.CharField(max_length=64)


class NoteCosignature(models.Model):
    """The supervising prescriber's co-signature of a signed note (append-only)."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    note = models.OneToOneField(VisitNote, on_delete=models.PROTECT, related_name="cosignature")
    cosigner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comment = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    content_hash = models.CharField(max_length=64, help_text="the note's hash as co-signed")


class LetterChannel(models.TextChoices):
    FAX = "fax", "Fax"
    EMAIL = "email", "Secure e-mail"


class LetterDispatch(models.Model):
    """One sending of a signed letter: how, where to (masked), and the outbox message that carries it."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    note = models.ForeignKey(VisitNote, on_delete=models.PROTECT, related_name="dispatches")
    channel = models.CharField(max_length=10, choices=LetterChannel.choices)
    destination = models.CharField(max_length=120, help_text="masked as shown, e.g. fax ***-***-0142")
    outbound_message = models.ForeignKey("notifications.OutboundMessage", on_delete=models.PROTECT,
                                         related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["note", "-created_at"])]


class TrialAdherence(models.TextChoices):
    GOOD = "good", "Took it as prescribed"
    PARTIAL = "partial", "Missed doses often"
    POOR = "poor", "Took it rarely"
    UNKNOWN = "unknown", "Not known"


class TrialResponse(models.TextChoices):
    NONE = "none", "No response"
    PARTIAL = "partial", "Partial response"
    RESPONSE = "response", "Response"
    REMISSION = "remission", "Remission"
    UNKNOWN = "unknown", "Not known"


class TrialSource(models.TextChoices):
    INTERVIEW = "interview", "From the interview or records"
    MEDICATION_HISTORY = "medication_history", "From this clinic's medication history"


class TreatmentTrial(models.Model):
    """One past or current medication trial: what, how much, how long, and how it went.

    Corrected by marking it entered in error (with the reason) and entering it again.
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="treatment_trials")
    drug = models.CharField(max_length=120, help_text="generic name, from the formulary when known")
    in_formulary = models.BooleanField(default=True)
    max_dose_mg_per_day = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    weeks = models.PositiveSmallIntegerField(null=True, blank=True, help_text="weeks taken")
    weeks_at_max_dose = models.PositiveSmallIntegerField(null=True, blank=True)
    adherence = models.CharField(max_length=10, choices=TrialAdherence.choices, default=TrialAdherence.UNKNOWN)
    response = models.CharField(max_length=10, choices=TrialResponse.choices, default=TrialResponse.UNKNOWN)
    side_effects = models.CharField(max_length=300, blank=True)
    stop_reason = models.CharField(max_length=300, blank=True)
    current_episode = models.BooleanField(default=True, help_text="taken during the current depressive episode")
    started_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=20, choices=TrialSource.choices, default=TrialSource.INTERVIEW)
    medication = models.ForeignKey("medications.Medication", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_in_error_at = models.DateTimeField(null=True, blank=True)
    entered_in_error_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+")
    entered_in_error_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["patient", "entered_in_error_at"])]


class SharedDecision(models.Model):
    """A choice of medicine made with the patient: the candidates compared, what the patient said
    matters, their concerns in their words, and the choice (linked to the order once it is written)."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="shared_decisions")
    candidates = models.JSONField(help_text="generic names compared")
    priorities = models.JSONField(help_text="what the patient said matters (decision_aid.PRIORITIES keys)")
    concerns = models.TextField(blank=True, help_text="the patient's preferences and concerns in their words")
    chosen = models.CharField(max_length=120, help_text="the medicine chosen, or 'none' for no change")
    medication = models.ForeignKey("medications.Medication", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["patient", "-created_at"])]
