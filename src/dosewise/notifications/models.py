"""The outbox: every message that leaves the system is a row first.

A message is written in the transaction that decides to send it; a worker claims it with a
conditional update, sends it, and marks it sent. A crash after the claim leaves the row
`sending` with its claim time, and a later sweep retries it, so nothing is dropped.
"""

from __future__ import annotations

from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    SMS = "sms", "SMS"


class MessageStatus(models.TextChoices):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboundMessage(models.Model):
    clinic = models.ForeignKey("clinics.Clinic", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    to = models.CharField(max_length=254)
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
    status = models.CharField(max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"])]
