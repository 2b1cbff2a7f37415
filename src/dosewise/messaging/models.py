"""Secure messages between a patient and the care team, their attachments and refill requests.

A `Thread` belongs to one patient of one clinic. The patient writes from the portal, the care
team from the inbox or the chart; every `Message` is kept as written (never edited), with
the triage of a patient's words stored beside it. A thread waits for the team from the first
patient message nobody has answered (`awaiting_since`) until a staff reply; `reply_due_at`
is that moment plus the clinic's response target in business days (`MessagingSettings`).
A refill request is a thread of kind `refill` naming the medicine; it goes to the medicine's
prescriber.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ThreadStatus(models.TextChoices):
    OPEN = "open", "Open"
    WAITING = "waiting", "Waiting on patient"
    CLOSED = "closed", "Closed"


class ThreadKind(models.TextChoices):
    MESSAGE = "message", "Message"
    REFILL = "refill", "Refill request"


class RefillDecision(models.TextChoices):
    PENDING = "", "Not decided"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class MessagingSettings(models.Model):
    """The clinic's promise to patients about replies (one row per clinic, created on first use)."""

    clinic = models.OneToOneField("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    response_target_business_days = models.PositiveSmallIntegerField(
        default=2, help_text="Business days (Monday to Friday) the care team takes at most to answer a message.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")


class Thread(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="message_threads")
    kind = models.CharField(max_length=10, choices=ThreadKind.choices, default=ThreadKind.MESSAGE)
    subject = models.CharField(max_length=120)
    status = models.CharField(max_length=10, choices=ThreadStatus.choices, default=ThreadStatus.OPEN)
    # Set by the triage of a patient's message (emergency or urgent); cleared by staff only.
    urgent = models.BooleanField(default=False)
    urgency = models.CharField(max_length=10, blank=True, help_text="the most urgent triage of its messages")
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    last_message_at = models.DateTimeField()
    last_excerpt = models.CharField(max_length=140, blank=True)
    awaiting_since = models.DateTimeField(null=True, blank=True, help_text="the oldest unanswered patient message")
    reply_due_at = models.DateTimeField(null=True, blank=True)
    staff_unread = models.BooleanField(default=False)
    patient_unread = models.BooleanField(default=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    medication = models.ForeignKey("medications.Medication", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    refill_decision = models.CharField(max_length=10, choices=RefillDecision.choices, blank=True, default="")
    refill_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    refill_decided_at = models.DateTimeField(null=True, blank=True)
    care_task = models.ForeignKey("assessments.CareTask", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")

    class Meta:
        indexes = [
            models.Index(fields=["clinic", "status", "-urgent", "reply_due_at"], name="thread_inbox"),
            models.Index(fields=["clinic", "assigned_to", "status"], name="thread_assigned"),
            models.Index(fields=["patient", "-last_message_at"], name="thread_patient"),
        ]

    def __str__(self) -> str:
        return self.subject


# Danger signs that mean thoughts of suicide or self-harm (kb/danger_signs.json): the patient is
# given the crisis line first, and the team's task is a risk task.
RISK_SIGNS = frozenset({"general-suicidal-thoughts"})


class Message(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_patient = models.BooleanField()
    # Written on the patient's side by a proxy (a parent, guardian or helper), who is the author.
    by_proxy = models.BooleanField(default=False)
    body = models.TextField()
    created_at = models.DateTimeField()
    # The triage of a patient's words against the danger signs of their medicines.
    urgency = models.CharField(max_length=10, blank=True)
    triage = models.JSONField(default=dict, blank=True)
    patient_advice = models.TextField(blank=True)
    clinician_advice = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["thread", "created_at"])]

    @property
    def names_risk(self) -> bool:
        return any(match.get("sign") in RISK_SIGNS for match in self.triage.get("matches", ()))


class Attachment(models.Model):
    """A file sent with a message; the bytes live under the data directory, never in a public folder."""

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField(max_length=100, help_text="the file name as sent, cleaned")
    content_type = models.CharField(max_length=40, help_text="decided from the content")
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    stored_as = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField()

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
