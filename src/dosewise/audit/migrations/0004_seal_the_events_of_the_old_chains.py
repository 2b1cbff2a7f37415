"""Move the links of the events written before sealing (seq, prev_hash, hash in the event row) into seals.

The old chains are verified first with their own hash. Each chain is then sealed again in
its old order under the new link hash. A chain that was already broken is not re-blessed in
silence: the break is recorded as an `audit.legacy_chain_broken` event of that chain, sealed
with the rest, and printed.
"""

import hashlib
import json

from django.db import migrations
from django.utils import timezone

GENESIS_HASH = "0" * 64
EVENT_FIELDS = ("id", "chain", "created_at", "actor_id", "actor_email", "actor_role", "clinic_id", "patient_id",
                "action", "object_type", "object_id", "ip", "user_agent", "outcome", "detail")


def _legacy_digest(row) -> str:
    payload = json.dumps(
        [row["prev_hash"], row["chain"], row["seq"], row["created_at"].isoformat(timespec="microseconds"),
         row["actor_id"], row["actor_email"], row["actor_role"], row["clinic_id"], row["patient_id"], row["action"],
         row["object_type"], row["object_id"], row["ip"], row["user_agent"], row["outcome"], row["detail"]],
        sort_keys=True, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _link_digest(prev_hash, chain, seq, event) -> str:
    # The same hash as dosewise.audit.services._link_digest, frozen here as migrations must be.
    payload = json.dumps(
        [prev_hash, chain, seq, event["id"], event["chain"], event["created_at"].isoformat(timespec="microseconds"),
         event["actor_id"], event["actor_email"], event["actor_role"], event["clinic_id"], event["patient_id"],
         event["action"], event["object_type"], event["object_id"], event["ip"], event["user_agent"],
         event["outcome"], event["detail"]],
        sort_keys=True, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def forwards(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditSeal = apps.get_model("audit", "AuditSeal")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    AuditSealMark = apps.get_model("audit", "AuditSealMark")
    now = timezone.now()
    heads = {h.chain: h for h in AuditChainHead.objects.all()}
    chains = sorted(set(AuditEvent.objects.values_list("chain", flat=True).distinct()) | set(heads))
    for chain in chains:
        rows = list(AuditEvent.objects.filter(chain=chain).order_by("seq")
                    .values(*EVENT_FIELDS, "seq", "prev_hash", "hash"))
        problem, prev, expected = "", GENESIS_HASH, 1
        for row in rows:
            if row["seq"] != expected:
                problem = f"event {expected} is missing (next is {row['seq']})"
            elif row["prev_hash"] != prev:
                problem = f"event {row['seq']}: previous-hash link does not match"
            elif _legacy_digest(row) != row["hash"]:
                problem = f"event {row['seq']}: contents do not match its hash (altered)"
            if problem:
                break
            prev, expected = row["hash"], row["seq"] + 1
        head = heads.get(chain)
        if not problem and head is not None and (head.last_seq != expected - 1 or
                                                 (head.last_seq and head.last_hash != prev)):
            problem = f"chain ends at event {expected - 1} but its head records event {head.last_seq}"
        if not problem and head is None and rows:
            problem = "chain head is missing"
        if problem:
            print(f"\n  audit chain {chain} was already broken before this upgrade: {problem}")
            broken = AuditEvent.objects.create(
                chain=chain, created_at=now, actor_email="", actor_role="", clinic_id=chain or None,
                action="audit.legacy_chain_broken", object_type="", object_id="", ip=None, user_agent="",
                outcome="failure", detail={"problem": problem}, seq=(rows[-1]["seq"] + 1 if rows else 1),
                prev_hash="", hash="")
            rows.append(AuditEvent.objects.filter(pk=broken.pk).values(*EVENT_FIELDS, "seq").get())
        seals, prev = [], GENESIS_HASH
        for seq, row in enumerate(rows, start=1):
            digest = _link_digest(prev, chain, seq, row)
            seals.append(AuditSeal(event_id=row["id"], chain=chain, seq=seq, prev_hash=prev, hash=digest,
                                   sealed_at=now))
            prev = digest
        AuditSeal.objects.bulk_create(seals, batch_size=2000)
        AuditChainHead.objects.update_or_create(chain=chain, defaults={"last_seq": len(seals), "last_hash": prev})
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    AuditSealMark.objects.update_or_create(pk=1, defaults={"below_id": last, "sealed_at": now})


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_seals_and_signed_checkpoints")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
