"""The outbox: every message that leaves the system is a row first.

A message is written in the transaction that decides to send it; a worker claims it with a
conditional update, sends it, and marks it sent. A crash after the claim leaves the row
`sending` with its claim time, and a later sweep retries it, so nothing is dropped.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    SMS = "sms", "SMS"


class MessageStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    # A temporary failure: tried again after a back-off (next_attempt_at).
    FAILED = "failed", "Failed, will be tried again"
    # Final states: never tried again, the reason is in last_error.
    UNDELIVERABLE = "undeliverable", "Could not be delivered"
    WITHHELD = "withheld", "Not sent (no consent)"


FINAL_STATUSES = (MessageStatus.SENT, MessageStatus.UNDELIVERABLE, MessageStatus.WITHHELD)


class OutboundMessage(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    to = models.CharField(max_length=254)
    # `to` in the ledger's form (E.164, lower-case e-mail), filled on save: caps and history match on it.
    address = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    html_body = models.TextField(blank=True)
    # One file sent with the message (a faxed prescription's PDF). It stays with the row so that a
    # retry after a failure sends exactly what was decided, and nothing needs rendering again.
    attachment_name = models.CharField(max_length=120, blank=True)
    attachment_type = models.CharField(max_length=80, blank=True)
    attachment = models.BinaryField(blank=True, default=b"")
    # Why the message exists (e.g. "staff.invite", "account.password_reset"); no health data here.
    purpose = models.CharField(max_length=60)
    # The consent purpose this message is sent under (ConsentPurpose); blank for messages a
    # person asked for (a password reset) that need no standing consent. Checked at send time.
    consent_purpose = models.CharField(max_length=30, blank=True)
    # Text reminders sent under the healthcare exemption: at most one a day and three a week.
    healthcare_exempt = models.BooleanField(default=False)
    # The recipient's own time zone for quiet hours (blank: the clinic's) and US state (stricter windows).
    recipient_zone = models.CharField(max_length=64, blank=True)
    recipient_state = models.CharField(max_length=2, blank=True)
    # Sent as the e-mail Message-ID and the SMS idempotency key; a resend after a crash reuses it.
    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Not before this time (back-off after a failure, quiet hours, message caps).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Which worker holds the claim (a batch of claimed rows is read back by it).
    claim_token = models.CharField(max_length=32, blank=True)
    provider_reference = models.CharField(max_length=80, blank=True)
    status = models.CharField(max_length=20, choices=MessageStatus.choices, default=MessageStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"]), models.Index(fields=["status", "next_attempt_at"]),
                   models.Index(fields=["address", "sent_at"]), models.Index(fields=["claim_token"])]

    def save(self, *args, **kwargs):
        if not self.address:
            self.address = normalised_address(self.channel, self.to)
        super().save(*args, **kwargs)


def normalised_address(channel: str, address: str) -> str:
    """Return an address as the ledger keys it: E.164 for SMS, lower case for e-mail."""
    from dosewise.notifications.sms import SmsError, e164

    address = (address or "").strip()
    if channel == Channel.SMS:
        try:
            return e164(address)
        except SmsError:
            return address
    return address.lower()


class ConsentPurpose(models.TextChoices):
    APPOINTMENT_REMINDERS = "appointment_reminders", "Appointment reminders"
    QUESTIONNAIRES = "questionnaires", "Questionnaires"
    CARE_MESSAGES = "care_messages", "Care messages"
    MARKETING = "marketing", "News and offers"
    # Only as a revocation: STOP or "unsubscribe from everything" covers every purpose.
    ALL = "all", "Every message on this channel"


class ConsentSource(models.TextChoices):
    PUBLIC_FORM = "public_form", "Public consultation form"
    PORTAL = "portal", "Patient portal"
    STAFF_PHONE = "staff_phone", "Staff, on the phone with the person"
    SMS_KEYWORD = "sms_keyword", "Text message keyword"
    UNSUBSCRIBE_LINK = "unsubscribe_link", "Unsubscribe link"
    STAFF = "staff", "Staff, on the person's request"


class ConsentDisclosure(models.Model):
    """One version of the exact words shown when a person agrees to messages on a channel.

    Versions are never edited once written: the clinic admin writes a new one, and every
    ledger entry keeps pointing at the words the person actually saw.
    """

    clinic = models.ForeignKey("clinics.Clinic", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    version = models.PositiveIntegerField()
    program_name = models.CharField(max_length=100)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "channel", "version"],
                                               name="consent_disclosure_version_unique")]
        ordering = ["clinic", "channel", "-version"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} disclosure v{self.version}"


class ContactConsent(models.Model):
    """The standing answer of one address (a phone number or an e-mail address) for one channel
    and purpose at one clinic (no clinic: the whole installation, as for STOP texted to the shared
    number); its history is in ContactConsentEvent."""

    clinic = models.ForeignKey("clinics.Clinic", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    # E.164 for SMS, lower-case for e-mail (notifications.consent.address_key).
    address = models.CharField(max_length=254)
    purpose = models.CharField(max_length=30, choices=ConsentPurpose.choices)
    granted = models.BooleanField()
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["clinic", "channel", "address", "purpose"],
                                               name="contact_consent_unique")]
        indexes = [models.Index(fields=["channel", "address"])]


class ConsentAction(models.TextChoices):
    GRANT = "grant", "Agreed"
    REVOKE = "revoke", "Withdrew"


class ContactConsentEvent(models.Model):
    """One agreement or withdrawal, with what the person was shown and where it came from."""

    consent = models.ForeignKey(ContactConsent, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=10, choices=ConsentAction.choices)
    at = models.DateTimeField()
    source = models.CharField(max_length=20, choices=ConsentSource.choices)
    disclosure = models.ForeignKey(ConsentDisclosure, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    # The person's own words when staff record consent on the phone, or the keyword texted.
    words = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["at", "pk"]
