"""The audit trail: append-only events, hash-chained shortly after they commit.

Recording an event is one INSERT that touches no shared row, so the readers and writers of
a clinic never wait for each other (docs/decisions/0039). The sealer (`audit_seal`, run by
the clock every few seconds and before every verification) then links the committed events
into their clinic's chain in commit order: each `AuditSeal` gives one event its place
(chain, seq) and a hash over the event's contents and the previous link's hash, so altering
or removing a sealed row breaks the chain at that point. Events without a clinic (a failed
sign-in for an unknown address) go to chain 0.

Signed checkpoints (`AuditCheckpoint`, docs/decisions/0040) anchor each chain's head outside
the database, so rewinding, recomputing or deleting a chain shows too. Database triggers
refuse UPDATE and DELETE on events, seals and checkpoints.
"""

from __future__ import annotations

from django.db import models


class AuditOutcome(models.TextChoices):
    SUCCESS = "success"
    DENIED = "denied"
    FAILURE = "failure"


class AuditChainHead(models.Model):
    """The newest sealed link of one chain; only the sealer writes it."""

    chain = models.BigIntegerField(primary_key=True)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)


class AuditEvent(models.Model):
    # Every audited page view inserts one row, so the table carries only the indexes its
    # readers use: the three (x, -created_at) below serve the audit report (always one
    # clinic's) and lookups by clinic, patient and actor. The sealer reads by id; verification
    # reads the seals.
    chain = models.BigIntegerField()
    created_at = models.DateTimeField()
    actor = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              db_index=False)
    actor_email = models.CharField(max_length=254, blank=True)
    actor_role = models.CharField(max_length=20, blank=True)
    clinic = models.ForeignKey("clinics.Clinic", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               db_index=False)
    patient = models.ForeignKey("patients.Patient", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", db_index=False)
    action = models.CharField(max_length=60)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    outcome = models.CharField(max_length=10, choices=AuditOutcome.choices, default=AuditOutcome.SUCCESS)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["clinic", "-created_at"]),
            models.Index(fields=["patient", "-created_at"]),
            models.Index(fields=["actor", "-created_at"]),
        ]

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise RuntimeError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[override]
        raise RuntimeError("audit events are append-only")


class AuditSeal(models.Model):
    """One event's link in its chain, written by the sealer after the event committed."""

    event = models.OneToOneField(AuditEvent, primary_key=True, on_delete=models.PROTECT, related_name="seal")
    chain = models.BigIntegerField()
    seq = models.BigIntegerField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_seal_chain_seq_unique")]

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise RuntimeError("audit seals are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[override]
        raise RuntimeError("audit seals are append-only")


class AuditSealMark(models.Model):
    """How far the sealer has looked: every committed event with an id up to `below_id` is sealed.

    One row (id 1). Its row lock also keeps two sealers from running at once.
    """

    below_id = models.BigIntegerField(default=0)
    sealed_at = models.DateTimeField(null=True, blank=True)


class AuditCheckpoint(models.Model):
    """A signed statement "chain `chain` had `seq` sealed events ending in `head_hash`".

    Signed with a key kept outside the database (HMAC-SHA256) and also appended to a file
    outside it (docs/decisions/0040); `dosewise audit verify` checks the chains against them.
    """

    chain = models.BigIntegerField()
    seq = models.BigIntegerField()
    head_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["chain", "-seq"])]

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise RuntimeError("audit checkpoints are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[override]
        raise RuntimeError("audit checkpoints are append-only")
