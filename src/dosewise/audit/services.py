"""Write audit events (the only way in) and verify the chains."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from dosewise.audit.context import origin_get
from dosewise.audit.models import AuditChainHead, AuditEvent, AuditOutcome

GENESIS_HASH = "0" * 64


def _event_digest(*, prev_hash: str, chain: int, seq: int, created_at: datetime, actor_id, actor_email: str,
                  actor_role: str, clinic_id, patient_id, action: str, object_type: str, object_id: str,
                  ip, user_agent: str, outcome: str, detail: dict) -> str:
    payload = json.dumps(
        [prev_hash, chain, seq, created_at.isoformat(timespec="microseconds"), actor_id, actor_email, actor_role,
         clinic_id, patient_id, action, object_type, object_id, ip, user_agent, outcome, detail],
        sort_keys=True, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def audit_record(*, action: str, actor=None, clinic=None, patient=None, obj=None, object_type: str = "",
                 object_id: str = "", outcome: str = AuditOutcome.SUCCESS, detail: dict | None = None,
                 actor_email: str = "") -> AuditEvent:
    """Append one event to its clinic's chain, inside the caller's transaction.

    Called inside the same `transaction.atomic()` as the change it records, so that a
    rollback removes both: neither the change nor its audit event exists alone.
    """
    # Ids, not objects: recording an event must not cost extra queries.
    if clinic is not None:
        clinic_id = clinic.pk
    elif patient is not None:
        clinic_id = patient.clinic_id
    else:
        clinic_id = getattr(actor, "clinic_id", None)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    origin = origin_get()
    chain = clinic_id or 0
    with transaction.atomic():
        head = _lock_chain_head(chain)
        seq = head.last_seq + 1
        created_at = timezone.now()
        fields = {
            "chain": chain, "seq": seq, "created_at": created_at,
            "actor_id": actor.pk if actor is not None else None,
            "actor_email": (actor.email if actor is not None else actor_email)[:254],
            "actor_role": getattr(actor, "role", "") or "",
            "clinic_id": clinic_id,
            "patient_id": patient.pk if patient is not None else None,
            "action": action, "object_type": object_type, "object_id": str(object_id),
            "ip": origin.ip, "user_agent": origin.user_agent, "outcome": str(outcome), "detail": detail or {},
        }
        digest = _event_digest(prev_hash=head.last_hash, **fields)
        event = AuditEvent.objects.create(prev_hash=head.last_hash, hash=digest, **fields)
        AuditChainHead.objects.filter(chain=chain).update(last_seq=seq, last_hash=digest)
    return event


def _lock_chain_head(chain: int) -> AuditChainHead:
    # select_for_update holds the row on PostgreSQL; SQLite serialises writers already
    # (transactions begin IMMEDIATE), so both see the newest head.
    head = AuditChainHead.objects.select_for_update().filter(chain=chain).first()
    if head is None:
        AuditChainHead.objects.get_or_create(chain=chain)
        head = AuditChainHead.objects.select_for_update().get(chain=chain)
    return head


@dataclass(frozen=True)
class ChainBreak:
    chain: int
    seq: int
    event_id: int | None
    reason: str


@dataclass(frozen=True)
class VerifyReport:
    events_checked: int
    chains_checked: int
    first_break: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.first_break is None


def audit_verify_chain(batch_size: int = 5000) -> VerifyReport:
    """Walk every chain in order and return the first broken link, if any.

    A link is broken when an event's stored hash does not match its contents (altered
    row), its prev_hash differs from the previous event's hash or its sequence number
    skips (removed row), or the chain head points past the last event (removed tail).
    """
    checked = 0
    chains = list(AuditChainHead.objects.order_by("chain").values_list("chain", "last_seq", "last_hash"))
    seen_chains = set(AuditEvent.objects.values_list("chain", flat=True).distinct())
    for chain in sorted(seen_chains - {c for c, _, _ in chains}):
        return VerifyReport(checked, len(chains), ChainBreak(chain, 0, None, "chain head is missing"))
    for chain, last_seq, last_hash in chains:
        prev_hash, expected_seq = GENESIS_HASH, 1
        last_id = 0
        while True:
            rows = list(
                AuditEvent.objects.filter(chain=chain, seq__gte=expected_seq).order_by("seq")[:batch_size].values()
            )
            if not rows:
                break
            for row in rows:
                checked += 1
                if row["seq"] != expected_seq:
                    return VerifyReport(checked, len(chains), ChainBreak(
                        chain, expected_seq, row["id"], f"event {expected_seq} is missing (next is {row['seq']})"))
                if row["prev_hash"] != prev_hash:
                    return VerifyReport(checked, len(chains), ChainBreak(
                        chain, row["seq"], row["id"], "previous-hash link does not match the event before it"))
                digest = _event_digest(
                    prev_hash=row["prev_hash"], chain=row["chain"], seq=row["seq"], created_at=row["created_at"],
                    actor_id=row["actor_id"], actor_email=row["actor_email"], actor_role=row["actor_role"],
                    clinic_id=row["clinic_id"], patient_id=row["patient_id"], action=row["action"],
                    object_type=row["object_type"], object_id=row["object_id"], ip=row["ip"],
                    user_agent=row["user_agent"], outcome=row["outcome"], detail=row["detail"],
                )
                if digest != row["hash"]:
                    return VerifyReport(checked, len(chains), ChainBreak(
                        chain, row["seq"], row["id"], "event contents do not match its hash (altered)"))
                prev_hash, expected_seq, last_id = row["hash"], row["seq"] + 1, row["id"]
        if expected_seq - 1 != last_seq or (last_seq and prev_hash != last_hash):
            return VerifyReport(checked, len(chains), ChainBreak(
                chain, expected_seq, last_id or None,
                f"chain ends at event {expected_seq - 1} but its head records event {last_seq} (events removed)"))
    return VerifyReport(checked, len(chains), None)


def audit_triggers_sql(vendor: str) -> tuple[list[str], list[str]]:
    """Return (create, drop) statements for the triggers that make the table append-only."""
    table = AuditEvent._meta.db_table
    if vendor == "sqlite":
        create = [
            f"CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
            f"CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
        ]
        drop = ["DROP TRIGGER IF EXISTS audit_event_no_update;", "DROP TRIGGER IF EXISTS audit_event_no_delete;"]
        return create, drop
    if vendor == "postgresql":
        create = [
            "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;",
            f"CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();",
        ]
        drop = [f"DROP TRIGGER IF EXISTS audit_event_append_only ON {table};",
                "DROP FUNCTION IF EXISTS audit_event_append_only();"]
        return create, drop
    return [], []


def audit_database_vendor() -> str:
    return connection.vendor
