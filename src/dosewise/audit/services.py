"""Write audit events (the only way in), seal them into their chains and verify the chains.

Writing is one INSERT in the caller's transaction: no shared row is read or locked, so the
audited reads and writes of a clinic run side by side (docs/decisions/0039). `audit_seal`
links the committed events into their chain afterwards, and `audit_verify_chain` checks the
links and the signed checkpoints (dosewise/audit/checkpoints.py, docs/decisions/0040).
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Max, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from dosewise.audit.context import origin_get
from dosewise.audit.models import AuditChainHead, AuditEvent, AuditOutcome, AuditSeal, AuditSealMark

GENESIS_HASH = "0" * 64
# The columns of an event that its link hash covers, in this order.
EVENT_FIELDS = ("id", "chain", "created_at", "actor_id", "actor_email", "actor_role", "clinic_id", "patient_id",
                "action", "object_type", "object_id", "ip", "user_agent", "outcome", "detail")


def _link_digest(*, prev_hash: str, chain: int, seq: int, event: dict) -> str:
    """Return the hash of one link: the previous link's hash, the event's place and every column of it."""
    created_at: datetime = event["created_at"]
    payload = json.dumps(
        [prev_hash, chain, seq, event["id"], event["chain"], created_at.isoformat(timespec="microseconds"),
         event["actor_id"], event["actor_email"], event["actor_role"], event["clinic_id"], event["patient_id"],
         event["action"], event["object_type"], event["object_id"], event["ip"], event["user_agent"],
         event["outcome"], event["detail"]],
        sort_keys=True, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def audit_record(*, action: str, actor=None, clinic=None, patient=None, obj=None, object_type: str = "",
                 object_id: str = "", outcome: str = AuditOutcome.SUCCESS, detail: dict | None = None,
                 actor_email: str = "") -> AuditEvent:
    """Append one event to the trail, inside the caller's transaction.

    Called inside the same `transaction.atomic()` as the change it records, so that a
    rollback removes both: neither the change nor its audit event exists alone. The event
    is one INSERT; the sealer gives it its place in the clinic's chain once it has committed.
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
    # In the table's column order (id first, filled in by the INSERT).
    row = [None, clinic_id or 0, timezone.now(), actor.pk if actor is not None else None,
           (actor.email if actor is not None else actor_email)[:254], getattr(actor, "role", "") or "",
           clinic_id, patient.pk if patient is not None else None, action, object_type, str(object_id),
           origin.ip, origin.user_agent, str(outcome), detail or {}]
    db = connections[DEFAULT_DB_ALIAS]
    row[0] = _insert(db, row)
    return AuditEvent.from_db(db.alias, None, row)


# The columns of AuditEvent in model order, and those whose Python value the driver cannot
# take as it is (prepared by the model's own fields).
_COLUMNS = EVENT_FIELDS
_PREPARED = {2: "created_at", 11: "ip", 14: "detail"}


def _insert(db, row: list) -> int:
    """INSERT one event and return its id, with a statement built once per database.

    Every audited page view writes one event, so this is the application's hottest write:
    the ORM's `create` spends most of its time building the same statement again and again
    (bench/bench_audit.py).
    """
    params = row[1:]
    for index, name in _PREPARED.items():
        params[index - 1] = _field(name).get_db_prep_save(row[index], db)
    with db.cursor() as cursor:
        cursor.execute(_insert_sql(db.vendor), params)
        return cursor.fetchone()[0] if db.vendor == "postgresql" else cursor.lastrowid


@functools.cache
def _field(name: str):
    return AuditEvent._meta.get_field(name)


@functools.cache
def _insert_sql(vendor: str) -> str:
    quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
    columns = ", ".join(quote(_field(name).column) for name in _COLUMNS[1:])
    placeholders = ", ".join(["%s"] * (len(_COLUMNS) - 1))
    sql = f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({columns}) VALUES ({placeholders})"
    return sql + " RETURNING id" if vendor == "postgresql" else sql


@dataclass(frozen=True)
class SealResult:
    sealed: int
    chains: tuple[int, ...]
    below_id: int


def _seal_margin() -> timedelta:
    return timedelta(seconds=getattr(settings, "AUDIT_SEAL_MARGIN_SECONDS", 30))


def _oldest_writing_transaction_start():
    """On PostgreSQL, when the oldest other transaction that has written something began (None: none)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(xact_start) FROM pg_stat_activity WHERE backend_xid IS NOT NULL "
                       "AND pid <> pg_backend_pid() AND datname = current_database()")
        return cursor.fetchone()[0]


def audit_seal(*, full: bool = False, batch_size: int = 1000, now: datetime | None = None) -> SealResult:
    """Link every committed, unsealed event into its chain, in the order of their ids.

    Ids come from the database's auto-increment, so they follow the order of the inserts; on
    PostgreSQL a transaction may commit after a later id did, and its event is then sealed
    at the next run, after the later one (commit order). The mark remembers below which id
    every event has been sealed; it advances only to events older than the margin and older
    than every transaction still writing, so an event that commits late is never skipped.
    `full` looks at every event instead (verification does, so nothing can stay unsealed).

    Each batch of `batch_size` events is its own short transaction (seals and heads move
    together), so the sealer never holds SQLite's write lock for long. Safe to run twice at
    once: the mark's row lock lets one sealer in at a time, batch by batch.
    """
    now = now or timezone.now()
    changed: set[int] = set()
    sealed, after, new_mark = 0, None, None
    while True:
        with transaction.atomic():
            mark = _lock_mark()
            if new_mark is None:
                # Decide the new mark before reading any event, so everything below it is read.
                cutoff = now - _seal_margin()
                oldest = _oldest_writing_transaction_start()
                if oldest is not None:
                    cutoff = min(cutoff, oldest - _seal_margin())
                after = 0 if full else mark.below_id
                newest_old = AuditEvent.objects.filter(id__gt=after, created_at__lt=cutoff).aggregate(
                    m=Max("id"))["m"]
                new_mark = max(mark.below_id, newest_old or 0)
            rows = list(AuditEvent.objects.filter(seal__isnull=True, id__gt=after).order_by("id")
                        .values(*EVENT_FIELDS)[:batch_size])
            if rows:
                changed |= _seal_rows(rows, now)
                sealed += len(rows)
                after = rows[-1]["id"]
            if len(rows) < batch_size:
                # Another sealer may have run between two batches: the mark never moves back.
                AuditSealMark.objects.filter(pk=mark.pk).update(below_id=Greatest("below_id", Value(new_mark)),
                                                                sealed_at=now)
                break
    return SealResult(sealed, tuple(sorted(changed)), new_mark)


def _seal_rows(rows: list[dict], now: datetime) -> set[int]:
    """Write the seals of `rows` (in id order) and move their chains' heads; return those chains."""
    chains = {row["chain"] for row in rows}
    heads = {head.chain: head for head in AuditChainHead.objects.filter(chain__in=chains)}
    new_chains = chains - set(heads)
    seals = []
    for row in rows:
        head = heads.get(row["chain"])
        if head is None:
            head = heads[row["chain"]] = AuditChainHead(chain=row["chain"], last_seq=0, last_hash=GENESIS_HASH)
        seq = head.last_seq + 1
        digest = _link_digest(prev_hash=head.last_hash, chain=row["chain"], seq=seq, event=row)
        seals.append(AuditSeal(event_id=row["id"], chain=row["chain"], seq=seq, prev_hash=head.last_hash,
                               hash=digest, sealed_at=now))
        head.last_seq, head.last_hash = seq, digest
    AuditSeal.objects.bulk_create(seals)
    AuditChainHead.objects.bulk_create([heads[chain] for chain in sorted(new_chains)])
    for chain, head in heads.items():
        if chain not in new_chains:
            AuditChainHead.objects.filter(chain=chain).update(last_seq=head.last_seq, last_hash=head.last_hash)
    return chains


def _lock_mark() -> AuditSealMark:
    mark = AuditSealMark.objects.select_for_update().filter(pk=1).first()
    if mark is None:
        AuditSealMark.objects.get_or_create(pk=1)
        mark = AuditSealMark.objects.select_for_update().get(pk=1)
    return mark


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
    breaks: tuple[ChainBreak, ...] = ()
    unsealed: int = 0
    # Checkpoints (docs/decisions/0040): how many were checked, the newest per chain, and per
    # chain how many sealed events are newer than its newest checkpoint.
    checkpoints_checked: int = 0
    newest_checkpoint: dict = field(default_factory=dict)
    after_checkpoint: dict = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.first_break is None

    @property
    def events_after_checkpoint(self) -> int:
        return sum(self.after_checkpoint.values()) + self.unsealed


def audit_verify_chain(batch_size: int = 5000, *, checkpoints=None) -> VerifyReport:
    """Walk every chain in order and check each link and the signed checkpoints.

    A link is broken when an event's contents do not match its seal's hash (altered row),
    its prev_hash differs from the previous link's hash or its sequence number skips
    (removed row), or the chain head points past the last link (removed tail). Against the
    checkpoints (`audit_checkpoints_trusted`, read from the table and the file outside the
    database): a chain that has a checkpoint but no events or head (deleted chain), a chain
    that ends before its newest checkpoint (rewound head), or a link whose hash differs from
    a checkpoint's (recomputed rows). The first break of each chain is reported.
    Events not sealed yet are counted, not checked; `audit_seal(full=True)` first seals them.
    """
    from dosewise.audit.checkpoints import audit_checkpoints_trusted

    if checkpoints is None:
        checkpoints = audit_checkpoints_trusted()
    signed: dict[int, dict[int, str]] = {}
    # Per chain, the signed checkpoints in order of seq: (seq, created_at). An event sealed after
    # a checkpoint but dated well before it was not there when it was signed: it was backdated.
    signed_times: dict[int, list] = {}
    for cp in checkpoints.trusted:
        signed.setdefault(cp.chain, {})[cp.seq] = cp.head_hash
        signed_times.setdefault(cp.chain, []).append((cp.seq, cp.created_at))
    margin = _seal_margin()
    breaks: list[ChainBreak] = list(checkpoints.breaks)
    checked = 0
    heads = {c: (s, h) for c, s, h in AuditChainHead.objects.values_list("chain", "last_seq", "last_hash")}
    sealed_chains = set(AuditSeal.objects.values_list("chain", flat=True).distinct())
    all_chains = sorted(set(heads) | sealed_chains | set(signed))
    after_checkpoint: dict[int, int] = {}
    newest_checkpoint: dict[int, int] = {}
    values = ["seq", "prev_hash", "hash", "chain", *(f"event__{name}" for name in EVENT_FIELDS)]
    for chain in all_chains:
        chain_signed = signed.get(chain, {})
        newest = max(chain_signed) if chain_signed else 0
        # Walking up the chain, the newest time of the checkpoints below the current event.
        times, next_time, signed_before = sorted(signed_times.get(chain, [])), 0, None
        if newest:
            newest_checkpoint[chain] = newest
        if chain not in heads:
            if chain in sealed_chains:
                breaks.append(ChainBreak(chain, 0, None, "chain head is missing"))
            else:
                breaks.append(ChainBreak(chain, newest, None, f"chain is missing: a signed checkpoint records "
                                                              f"{newest} events, the database has none"))
            continue
        last_seq, last_hash = heads[chain]
        prev_hash, expected_seq, last_id = GENESIS_HASH, 1, 0
        broken = None
        while broken is None:
            rows = list(AuditSeal.objects.filter(chain=chain, seq__gte=expected_seq).order_by("seq")
                        .values(*values)[:batch_size])
            if not rows:
                break
            for row in rows:
                checked += 1
                event = {name: row[f"event__{name}"] for name in EVENT_FIELDS}
                while next_time < len(times) and times[next_time][0] < row["seq"]:
                    made = times[next_time][1]
                    signed_before = made if signed_before is None else max(signed_before, made)
                    next_time += 1
                if row["seq"] != expected_seq:
                    broken = ChainBreak(chain, expected_seq, event["id"],
                                        f"event {expected_seq} is missing (next is {row['seq']})")
                elif row["prev_hash"] != prev_hash:
                    broken = ChainBreak(chain, row["seq"], event["id"],
                                        "previous-hash link does not match the event before it")
                elif (event["chain"] != chain
                      or _link_digest(prev_hash=prev_hash, chain=chain, seq=row["seq"], event=event) != row["hash"]):
                    broken = ChainBreak(chain, row["seq"], event["id"],
                                        "event contents do not match its hash (altered)")
                elif row["seq"] in chain_signed and chain_signed[row["seq"]] != row["hash"]:
                    broken = ChainBreak(chain, row["seq"], event["id"],
                                        "event differs from the signed checkpoint of this point (chain rewritten: "
                                        "forged or recomputed rows)")
                elif signed_before is not None and signed_before - event["created_at"] > margin:
                    broken = ChainBreak(chain, row["seq"], event["id"],
                                        "event is dated before a signed checkpoint that does not include it "
                                        "(appended later with an earlier time: forged)")
                if broken is not None:
                    break
                prev_hash, expected_seq, last_id = row["hash"], row["seq"] + 1, event["id"]
        if broken is None and (expected_seq - 1 != last_seq or (last_seq and prev_hash != last_hash)):
            broken = ChainBreak(chain, expected_seq, last_id or None,
                                f"chain ends at event {expected_seq - 1} but its head records event {last_seq} "
                                "(events removed)")
        if broken is None and newest > last_seq:
            broken = ChainBreak(chain, last_seq + 1, None,
                                f"chain ends at event {last_seq} but a signed checkpoint records event {newest} "
                                "(head rewound: events removed)")
        if broken is not None:
            breaks.append(broken)
        else:
            after_checkpoint[chain] = last_seq - newest
    unsealed = AuditEvent.objects.filter(seal__isnull=True).count()
    breaks.sort(key=lambda b: (b.chain, b.seq))
    return VerifyReport(
        events_checked=checked, chains_checked=len(all_chains), first_break=breaks[0] if breaks else None,
        breaks=tuple(breaks), unsealed=unsealed, checkpoints_checked=checkpoints.checked,
        newest_checkpoint=newest_checkpoint, after_checkpoint=after_checkpoint, warnings=tuple(checkpoints.warnings),
    )


# The append-only tables and the prefix of their triggers' names.
APPEND_ONLY = {"audit_event": "audit_auditevent", "audit_seal": "audit_auditseal",
               "audit_checkpoint": "audit_auditcheckpoint"}


def audit_triggers_sql(vendor: str, prefix: str = "audit_event") -> tuple[list[str], list[str]]:
    """Return (create, drop) statements for the triggers that make one table append-only."""
    table = APPEND_ONLY[prefix]
    if vendor == "sqlite":
        create = [
            f"CREATE TRIGGER {prefix}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;",
            f"CREATE TRIGGER {prefix}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;",
        ]
        drop = [f"DROP TRIGGER IF EXISTS {prefix}_no_update;", f"DROP TRIGGER IF EXISTS {prefix}_no_delete;"]
        return create, drop
    if vendor == "postgresql":
        create = [
            f"CREATE OR REPLACE FUNCTION {prefix}_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'audit records are append-only'; END; $$ LANGUAGE plpgsql;",
            f"CREATE TRIGGER {prefix}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {prefix}_append_only();",
        ]
        drop = [f"DROP TRIGGER IF EXISTS {prefix}_append_only ON {table};",
                f"DROP FUNCTION IF EXISTS {prefix}_append_only();"]
        return create, drop
    return [], []


def audit_database_vendor() -> str:
    return connection.vendor
