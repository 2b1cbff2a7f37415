"""Signed checkpoints: each chain's sealed head, anchored outside the database.

The hash chain shows a changed or removed row, but someone who can write to the database
can also delete the newest events and rewind the head, recompute the hashes of a forged
tail, or delete a whole chain with its head: the chain is then consistent again. A
checkpoint is a statement "chain C had N sealed events ending in hash H at time T", signed
with HMAC-SHA256 under a key that is not in the database (DOSEWISE_AUDIT_KEY, or the key
file in the data directory), in the spirit of the signed tree heads of RFC 6962. Each one
is kept three ways: a row of `AuditCheckpoint`, a line appended to a file outside the
database (AUDIT_CHECKPOINT_FILE) and, when AUDIT_CHECKPOINT_URL is set, a POST there.
`audit_verify_chain` then compares the chains with the newest trusted checkpoints.

What this does and does not protect against is written down in docs/decisions/0040.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from dosewise.audit.models import AuditChainHead, AuditCheckpoint

log = logging.getLogger(__name__)
FORMAT = "dosewise-audit-checkpoint-v1"


class AuditKeyMissing(Exception):
    """No signing key: neither DOSEWISE_AUDIT_KEY nor the key file."""


def audit_key_ensure() -> Path | None:
    """Create the key file (random, mode 0600) unless a key is configured; return its path if created."""
    if settings.AUDIT_KEY or not settings.AUDIT_KEY_FILE:
        return None
    path = Path(settings.AUDIT_KEY_FILE)
    if path.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: two processes starting at once must not both write a key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return None
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(secrets.token_hex(32) + "\n")
    return path


def audit_key() -> bytes:
    """Return the signing key: DOSEWISE_AUDIT_KEY, else the key file's contents."""
    if settings.AUDIT_KEY:
        return settings.AUDIT_KEY.encode("utf-8")
    path = Path(settings.AUDIT_KEY_FILE) if settings.AUDIT_KEY_FILE else None
    if path is None or not path.exists():
        raise AuditKeyMissing(f"no audit signing key: set DOSEWISE_AUDIT_KEY or create {path} "
                              "(`dosewise manage migrate` creates it)")
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise AuditKeyMissing(f"the audit signing key file {path} is empty")
    return key.encode("utf-8")


def key_id(key: bytes) -> str:
    """A short public name of the key (not the key): which key signed a checkpoint."""
    return hashlib.sha256(b"dosewise-audit-key-id:" + key).hexdigest()[:16]


def _message(chain: int, seq: int, head_hash: str, created_at: datetime) -> bytes:
    return f"{FORMAT}|{chain}|{seq}|{head_hash}|{created_at.isoformat(timespec='microseconds')}".encode()


def checkpoint_sign(key: bytes, *, chain: int, seq: int, head_hash: str, created_at: datetime) -> str:
    return hmac.new(key, _message(chain, seq, head_hash, created_at), hashlib.sha256).hexdigest()


def checkpoint_line(cp: AuditCheckpoint) -> str:
    """One line of the checkpoint file (JSON, keys sorted)."""
    return json.dumps({"format": FORMAT, "chain": cp.chain, "seq": cp.seq, "head_hash": cp.head_hash,
                       "created_at": cp.created_at.isoformat(timespec="microseconds"), "key_id": cp.key_id,
                       "signature": cp.signature}, sort_keys=True)


def _append_to_file(lines: list[str]) -> None:
    """Append the lines to the checkpoint file and flush them to disk before returning."""
    if not settings.AUDIT_CHECKPOINT_FILE or not lines:
        return
    path = Path(settings.AUDIT_CHECKPOINT_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, ("\n".join(lines) + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)


def _post(lines: list[str]) -> None:
    """Send the checkpoints to AUDIT_CHECKPOINT_URL (a JSON array); a failure is logged, not raised."""
    url = settings.AUDIT_CHECKPOINT_URL
    if not url or not lines:
        return
    body = ("[" + ",".join(lines) + "]").encode("utf-8")
    request = urllib.request.Request(url, data=body, method="POST",  # noqa: S310 (configured by the operator)
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            response.read(1024)
    except OSError as exc:
        # The table and the file still hold the checkpoint; the next one is posted again.
        log.warning("audit checkpoints could not be posted to %s: %s", url, exc)


@dataclass(frozen=True)
class CheckpointResult:
    written: int
    chains: tuple[int, ...]


def audit_checkpoint(now: datetime | None = None) -> CheckpointResult:
    """Seal what has committed, sign the head of every chain that moved since its newest checkpoint.

    Written to the table in one transaction; appended to the file and posted once it has
    committed, so the file never holds a checkpoint the database rolled back. Safe to run
    twice at once: the heads' row locks let one writer per chain in, and a chain already
    checkpointed at its head is skipped.
    """
    from dosewise.audit.services import audit_seal

    audit_key_ensure()
    key = audit_key()
    kid = key_id(key)
    # Seal first: a checkpoint covers every event that had committed when it was signed.
    audit_seal(now=now)
    now = now or timezone.now()
    written: list[AuditCheckpoint] = []
    with transaction.atomic():
        heads = list(AuditChainHead.objects.select_for_update().filter(last_seq__gt=0).order_by("chain"))
        newest = dict(AuditCheckpoint.objects.filter(key_id=kid).values("chain")
                      .annotate(seq=Max("seq")).values_list("chain", "seq"))
        for head in heads:
            if newest.get(head.chain, 0) >= head.last_seq:
                continue
            written.append(AuditCheckpoint(
                chain=head.chain, seq=head.last_seq, head_hash=head.last_hash, created_at=now, key_id=kid,
                signature=checkpoint_sign(key, chain=head.chain, seq=head.last_seq, head_hash=head.last_hash,
                                          created_at=now)))
        AuditCheckpoint.objects.bulk_create(written)
        lines = [checkpoint_line(cp) for cp in written]
        transaction.on_commit(lambda: (_append_to_file(lines), _post(lines)))
    return CheckpointResult(len(written), tuple(cp.chain for cp in written))


@dataclass(frozen=True)
class Checkpoint:
    chain: int
    seq: int
    head_hash: str
    created_at: datetime
    source: str  # "database" or "file line N"


@dataclass
class TrustedCheckpoints:
    """The checkpoints whose signature is right, and what was wrong with the others."""

    trusted: list[Checkpoint] = field(default_factory=list)
    breaks: list = field(default_factory=list)  # ChainBreak: forged checkpoints, rows missing from the table
    warnings: list[str] = field(default_factory=list)
    checked: int = 0
    file: str = ""
    key_missing: bool = False


def _file_entries(path: Path, warnings: list[str]) -> list[tuple[int, dict]]:
    entries = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.strip()
            if not line:
                continue
            try:
                entry = json.loads(line)
                entry = {"chain": int(entry["chain"]), "seq": int(entry["seq"]), "head_hash": str(entry["head_hash"]),
                         "created_at": parse_datetime(entry["created_at"]), "key_id": str(entry["key_id"]),
                         "signature": str(entry["signature"])}
                if entry["created_at"] is None:
                    raise ValueError("created_at")
            except (ValueError, KeyError, TypeError):
                warnings.append(f"line {number} of {path} is not a checkpoint (ignored)")
                continue
            entries.append((number, entry))
    return entries


def audit_checkpoints_trusted() -> TrustedCheckpoints:
    """Read the checkpoints of the table and of the file, and keep those whose signature is right.

    A checkpoint signed with the current key whose signature is wrong is a forgery (a break).
    One signed with another key cannot be checked (a warning: the key was changed). A correctly
    signed line of the file that the table does not have means rows were deleted from the
    table (a break of that chain): the file is the copy the database cannot rewrite.
    """
    from dosewise.audit.services import ChainBreak

    result = TrustedCheckpoints(file=settings.AUDIT_CHECKPOINT_FILE or "")
    try:
        key = audit_key()
    except AuditKeyMissing as exc:
        result.key_missing = True
        if AuditCheckpoint.objects.exists():
            result.warnings.append(f"{exc}; the checkpoints cannot be checked")
        return result
    kid = key_id(key)
    other_keys = 0
    in_table: set[tuple] = set()

    def consider(entry: dict, source: str) -> bool:
        nonlocal other_keys
        result.checked += 1
        if entry["key_id"] != kid:
            other_keys += 1
            return False
        expected = checkpoint_sign(key, chain=entry["chain"], seq=entry["seq"], head_hash=entry["head_hash"],
                                   created_at=entry["created_at"])
        if not hmac.compare_digest(expected, entry["signature"]):
            result.breaks.append(ChainBreak(entry["chain"], entry["seq"], None,
                                            f"checkpoint in the {source} has a wrong signature (forged or altered)"))
            return False
        result.trusted.append(Checkpoint(entry["chain"], entry["seq"], entry["head_hash"], entry["created_at"],
                                         source))
        return True

    for row in AuditCheckpoint.objects.order_by("id").values("chain", "seq", "head_hash", "created_at", "key_id",
                                                             "signature"):
        if consider(row, "database"):
            in_table.add((row["chain"], row["seq"], row["head_hash"]))
    path = Path(result.file) if result.file else None
    if path is not None and path.exists():
        missing: dict[int, int] = {}
        for number, entry in _file_entries(path, result.warnings):
            if consider(entry, f"file {path} (line {number})"):
                if (entry["chain"], entry["seq"], entry["head_hash"]) not in in_table:
                    missing[entry["chain"]] = max(missing.get(entry["chain"], 0), entry["seq"])
        for chain, seq in sorted(missing.items()):
            result.breaks.append(ChainBreak(chain, seq, None, f"signed checkpoints in {path} up to event {seq} are "
                                                              "missing from the database (deleted)"))
    elif path is not None and AuditCheckpoint.objects.exists():
        result.warnings.append(f"the checkpoint file {path} is missing: only the database's copy was checked")
    if other_keys:
        result.warnings.append(f"{other_keys} checkpoints are signed with another key and were not checked")
    return result
