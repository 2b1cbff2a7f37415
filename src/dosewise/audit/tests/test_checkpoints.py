"""Signed checkpoints anchor the chains outside the database (issue 17, finding 2).

The attacks are those of someone with write access to the database but not to the signing
key or the checkpoint file: delete the newest events and rewind the head, append a
recomputed row, rewrite a tail with recomputed hashes, delete a whole clinic's chain.
"""

from __future__ import annotations

import argparse
import http.server
import json
import stat
import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from dosewise.app_cli import cmd_audit
from dosewise.audit.checkpoints import (
    AuditKeyMissing,
    audit_checkpoint,
    audit_key,
    audit_key_ensure,
    checkpoint_sign,
    key_id,
)
from dosewise.audit.models import AuditChainHead, AuditCheckpoint, AuditEvent, AuditSeal
from dosewise.audit.services import GENESIS_HASH, _link_digest, audit_record, audit_seal, audit_verify_chain
from dosewise.audit.tests.test_audit_chain import raw, tamper_allowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkpoint_file(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit-checkpoints.jsonl")
    return tmp_path / "audit-checkpoints.jsonl"


@pytest.fixture
def signed(clinic_a, admin_a, checkpoint_file, django_capture_on_commit_callbacks):
    """Clinic A's chain with a few events, sealed and signed (in the table and the file)."""
    for n in range(4):
        audit_record(action="test.event", actor=admin_a, detail={"n": n})
    with django_capture_on_commit_callbacks(execute=True):
        audit_checkpoint()
    return list(AuditSeal.objects.filter(chain=clinic_a.pk).order_by("seq"))


def verify(capsys) -> tuple[int, str, str]:
    status = cmd_audit(argparse.Namespace(no_seal=True))
    out = capsys.readouterr()
    return status, out.out, out.err


def _fields(event: AuditEvent) -> dict:
    return {name: getattr(event, name) for name in
            ("id", "chain", "created_at", "actor_id", "actor_email", "actor_role", "clinic_id", "patient_id",
             "action", "object_type", "object_id", "ip", "user_agent", "outcome", "detail")}


def _append_recomputed(chain: int, *, action: str, created_at, template: AuditEvent) -> AuditEvent:
    """What a forger with database access does: a new event, a correctly computed seal, the head moved on."""
    head = AuditChainHead.objects.get(chain=chain)
    values = _fields(template)
    values.update(id=None, action=action, created_at=created_at)
    event = AuditEvent.objects.bulk_create([AuditEvent(**values)])[0]
    event = AuditEvent.objects.get(pk=event.pk)
    seq = head.last_seq + 1
    digest = _link_digest(prev_hash=head.last_hash, chain=chain, seq=seq, event=_fields(event))
    AuditSeal.objects.bulk_create([AuditSeal(event=event, chain=chain, seq=seq, prev_hash=head.last_hash,
                                             hash=digest, sealed_at=created_at)])
    AuditChainHead.objects.filter(chain=chain).update(last_seq=seq, last_hash=digest)
    return event


def test_a_checkpoint_signs_each_moved_head_and_is_kept_in_the_table_and_the_file(signed, clinic_a,
                                                                                 checkpoint_file, settings):
    cp = AuditCheckpoint.objects.get(chain=clinic_a.pk)
    assert (cp.seq, cp.head_hash) == (signed[-1].seq, signed[-1].hash)
    key = audit_key()
    assert cp.key_id == key_id(key) and cp.signature == checkpoint_sign(
        key, chain=cp.chain, seq=cp.seq, head_hash=cp.head_hash, created_at=cp.created_at)
    lines = [json.loads(line) for line in checkpoint_file.read_text().splitlines()]
    assert {"chain": clinic_a.pk, "seq": cp.seq, "head_hash": cp.head_hash, "signature": cp.signature}.items() \
        <= next(line for line in lines if line["chain"] == clinic_a.pk).items()
    assert settings.AUDIT_KEY not in checkpoint_file.read_text()
    # Nothing moved: nothing new to sign.
    assert audit_checkpoint().written == 0


def test_an_intact_trail_passes_and_says_how_many_events_are_newer_than_the_checkpoint(signed, admin_a,
                                                                                      clinic_a, capsys):
    status, out, err = verify(capsys)
    assert status == 0 and "0 events are newer than the last checkpoint" in out and not err
    for n in range(3):
        audit_record(action="test.later", actor=admin_a, detail={"n": n})
    audit_seal()
    report = audit_verify_chain()
    assert report.ok and report.after_checkpoint[clinic_a.pk] == 3 and report.newest_checkpoint[clinic_a.pk] == \
        signed[-1].seq
    status, out, _ = verify(capsys)
    assert status == 0 and "3 events are newer than the last checkpoint" in out


def test_deleting_the_tail_and_rewinding_the_head_is_detected(signed, clinic_a, capsys):
    tamper_allowed()
    gone = signed[-2:]
    raw("DELETE FROM {seals} WHERE event_id IN (%s, %s)", [gone[0].event_id, gone[1].event_id])
    raw("DELETE FROM {table} WHERE id IN (%s, %s)", [gone[0].event_id, gone[1].event_id])
    AuditChainHead.objects.filter(chain=clinic_a.pk).update(last_seq=signed[-3].seq, last_hash=signed[-3].hash)
    report = audit_verify_chain()
    assert report.first_break.chain == clinic_a.pk and "head rewound" in report.first_break.reason
    assert f"records event {signed[-1].seq}" in report.first_break.reason
    status, _, err = verify(capsys)
    assert status == 1 and "head rewound" in err


def test_rewriting_the_tail_with_recomputed_hashes_is_detected(signed, clinic_a, admin_a):
    # Remove the last two events and put a different, correctly hashed pair in their place.
    tamper_allowed()
    gone = signed[-2:]
    raw("DELETE FROM {seals} WHERE event_id IN (%s, %s)", [gone[0].event_id, gone[1].event_id])
    raw("DELETE FROM {table} WHERE id IN (%s, %s)", [gone[0].event_id, gone[1].event_id])
    AuditChainHead.objects.filter(chain=clinic_a.pk).update(last_seq=signed[-3].seq, last_hash=signed[-3].hash)
    template = AuditEvent.objects.get(pk=signed[0].event_id)
    for action in ("test.innocent", "test.innocent"):
        _append_recomputed(clinic_a.pk, action=action, created_at=timezone.now(), template=template)
    report = audit_verify_chain()
    assert report.first_break.seq == signed[-1].seq
    assert "differs from the signed checkpoint" in report.first_break.reason


def test_appending_a_recomputed_row_dated_in_the_past_is_detected(signed, clinic_a, capsys):
    # A forged "chart opened yesterday" appended after the checkpoint, its hash computed right.
    tamper_allowed()
    template = AuditEvent.objects.get(pk=signed[0].event_id)
    forged = _append_recomputed(clinic_a.pk, action="chart.open", created_at=timezone.now() - timedelta(days=1),
                                template=template)
    report = audit_verify_chain()
    assert report.first_break.event_id == forged.pk and "dated before a signed checkpoint" in \
        report.first_break.reason
    status, _, err = verify(capsys)
    assert status == 1 and f"row id {forged.pk}" in err


def test_a_recomputed_row_appended_without_checkpoints_passes_which_is_why_they_exist(clinic_a, admin_a,
                                                                                     checkpoint_file):
    # The finding, reproduced: with no checkpoint the hash chain alone cannot tell.
    audit_record(action="test.event", actor=admin_a)
    audit_seal()
    tamper_allowed()
    template = AuditEvent.objects.filter(chain=clinic_a.pk).first()
    _append_recomputed(clinic_a.pk, action="chart.open", created_at=timezone.now() - timedelta(days=1),
                       template=template)
    assert audit_verify_chain().ok


def test_deleting_a_whole_clinics_chain_and_its_head_is_detected(signed, clinic_a, capsys):
    tamper_allowed()
    raw("DELETE FROM {seals} WHERE chain = %s", [clinic_a.pk])
    raw("DELETE FROM {table} WHERE chain = %s", [clinic_a.pk])
    AuditChainHead.objects.filter(chain=clinic_a.pk).delete()
    report = audit_verify_chain()
    assert report.first_break.chain == clinic_a.pk and "chain is missing" in report.first_break.reason
    status, _, err = verify(capsys)
    assert status == 1 and f"BROKEN in chain {clinic_a.pk}" in err and "chain is missing" in err


def test_deleting_the_chain_and_its_checkpoints_from_the_table_is_detected_from_the_file(signed, clinic_a):
    tamper_allowed()
    raw("DELETE FROM audit_auditcheckpoint WHERE chain = %s", [clinic_a.pk])
    raw("DELETE FROM {seals} WHERE chain = %s", [clinic_a.pk])
    raw("DELETE FROM {table} WHERE chain = %s", [clinic_a.pk])
    AuditChainHead.objects.filter(chain=clinic_a.pk).delete()
    reasons = [b.reason for b in audit_verify_chain().breaks if b.chain == clinic_a.pk]
    assert any("chain is missing" in r for r in reasons)
    assert any("missing from the database" in r for r in reasons)


def test_a_checkpoint_forged_without_the_key_is_detected(signed, clinic_a, capsys):
    # Rewind the chain and forge a matching checkpoint signed with a guessed key.
    tamper_allowed()
    cp = AuditCheckpoint.objects.get(chain=clinic_a.pk)
    fake = checkpoint_sign(b"guess", chain=clinic_a.pk, seq=1, head_hash=signed[0].hash, created_at=cp.created_at)
    raw("UPDATE audit_auditcheckpoint SET seq = 1, head_hash = %s, signature = %s WHERE id = %s",
        [signed[0].hash, fake, cp.pk])
    reasons = [b.reason for b in audit_verify_chain().breaks]
    assert any("wrong signature" in r for r in reasons)
    # The file still has the true checkpoint, so the table's loss is seen too.
    assert any("missing from the database" in r for r in reasons)


def test_a_checkpoint_line_appended_to_the_file_without_the_key_is_detected(signed, clinic_a, checkpoint_file):
    line = json.loads(checkpoint_file.read_text().splitlines()[-1])
    line.update(seq=1, head_hash=signed[0].hash, signature="0" * 64)
    with checkpoint_file.open("a") as handle:
        handle.write(json.dumps(line) + "\n")
    brk = audit_verify_chain().first_break
    assert brk.chain == line["chain"] and "wrong signature" in brk.reason and "file" in brk.reason


def test_a_checkpoint_of_another_key_is_not_trusted_and_says_so(signed, settings, capsys):
    settings.AUDIT_KEY = "a-new-key-after-rotation"
    report = audit_verify_chain()
    assert report.ok and report.newest_checkpoint == {}
    assert any("signed with another key" in w for w in report.warnings)
    status, _, err = verify(capsys)
    assert status == 0 and "warning:" in err and "another key" in err


def test_the_key_file_is_created_once_with_mode_0600(settings, tmp_path):
    settings.AUDIT_KEY = ""
    settings.AUDIT_KEY_FILE = str(tmp_path / "audit_key")
    with pytest.raises(AuditKeyMissing):
        audit_key()
    assert audit_key_ensure() == tmp_path / "audit_key"
    assert stat.S_IMODE((tmp_path / "audit_key").stat().st_mode) == 0o600
    key = audit_key()
    assert len(key) == 64 and audit_key_ensure() is None and audit_key() == key


def test_the_checkpoint_file_is_only_appended_to(signed, admin_a, checkpoint_file,
                                                 django_capture_on_commit_callbacks):
    before = checkpoint_file.read_text()
    audit_record(action="test.more", actor=admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert audit_checkpoint().written == 1
    after = checkpoint_file.read_text()
    assert after.startswith(before) and len(after.splitlines()) == len(before.splitlines()) + 1


def test_a_rolled_back_checkpoint_never_reaches_the_file(signed, admin_a, checkpoint_file):
    before = checkpoint_file.read_text()
    audit_record(action="test.more", actor=admin_a)
    audit_checkpoint()  # the test's transaction never commits: its on-commit write does not run
    assert checkpoint_file.read_text() == before


def test_checkpoints_are_posted_to_the_configured_url(clinic_a, admin_a, settings, checkpoint_file,
                                                      django_capture_on_commit_callbacks):
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    settings.AUDIT_CHECKPOINT_URL = f"http://127.0.0.1:{server.server_port}/checkpoints"
    audit_record(action="test.event", actor=admin_a)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            audit_checkpoint()
    finally:
        thread.join(5)
        server.server_close()
    head = AuditChainHead.objects.get(chain=clinic_a.pk)
    assert any(item["chain"] == clinic_a.pk and item["seq"] == head.last_seq and item["head_hash"] == head.last_hash
               for item in received[0])


def test_an_unreachable_url_does_not_lose_the_checkpoint(clinic_a, admin_a, settings, checkpoint_file,
                                                         django_capture_on_commit_callbacks):
    settings.AUDIT_CHECKPOINT_URL = "http://127.0.0.1:9/unreachable"
    audit_record(action="test.event", actor=admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert audit_checkpoint().written >= 1
    assert AuditCheckpoint.objects.filter(chain=clinic_a.pk).exists()
    assert str(clinic_a.pk) in checkpoint_file.read_text()


def test_the_genesis_hash_is_never_signed(db, checkpoint_file):
    audit_checkpoint()
    assert not AuditCheckpoint.objects.filter(head_hash=GENESIS_HASH).exists()
