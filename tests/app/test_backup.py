"""Backup and restore round trips on the database the suite runs on (SQLite's online backup
API, or pg_dump/pg_restore on PostgreSQL), each verified by row counts and the audit chain."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from tests.conftest import demographics

from dosewise.app_cli import add_parsers  # noqa: F401  (the commands below are the CLI's own)
from dosewise.audit.models import AuditChainHead, AuditEvent, AuditSeal
from dosewise.audit.services import audit_seal
from dosewise.backup import MANIFEST, BackupError, backup_create, backup_manifest, backup_restore
from dosewise.cli import main
from dosewise.patients.models import Patient

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("audit_rows_cleared")]


def _register(actor, given: str):
    from dosewise.patients import services

    return services.patient_register(actor=actor, data=demographics(legal_given_name=given, email=f"{given}@x.org"))


def test_a_backup_restores_every_row_and_the_verification_says_so(prescriber_a, dana, tmp_path, capsys):
    folder = backup_create(tmp_path)
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["vendor"] == connection.vendor
    assert manifest["tables"]["patients_patient"] == 1
    assert manifest["tables"]["audit_auditevent"] == AuditEvent.objects.count() > 0
    assert manifest["audit_chain_heads"] == [list(h) for h in AuditChainHead.objects.order_by("chain")
                                             .values_list("chain", "last_seq", "last_hash")]

    # After the backup the clinic goes on working: a patient is registered, events are written.
    _register(prescriber_a, "Later")
    assert Patient.objects.count() == 2

    assert main(["restore", str(folder)]) == 2, "without --yes nothing is replaced"
    assert Patient.objects.count() == 2
    assert main(["restore", str(folder), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "restored and verified" in out and "audit trail intact" in out
    assert list(Patient.objects.values_list("legal_given_name", flat=True)) == ["Dana"]
    assert AuditEvent.objects.count() == manifest["tables"]["audit_auditevent"]
    # The restored database works: new writes continue the restored chain.
    _register(prescriber_a, "After")
    report = backup_restore(folder)
    assert report.ok and report.rows == sum(manifest["tables"].values())


def test_the_backup_command_writes_a_verified_folder(prescriber_a, tmp_path, capsys):
    assert main(["backup", "--dir", str(tmp_path)]) == 0
    [folder] = list(tmp_path.iterdir())
    assert "backup written and verified" in capsys.readouterr().out
    assert backup_manifest(folder)["tables"]["accounts_user"] == 1


def test_a_damaged_copy_is_refused_before_anything_is_replaced(prescriber_a, dana, tmp_path):
    folder = backup_create(tmp_path)
    copy = folder / json.loads((folder / MANIFEST).read_text())["file"]
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copy.write_bytes(bytes(data))
    _register(prescriber_a, "Kept")
    with pytest.raises(BackupError, match="does not match the checksum"):
        backup_restore(folder)
    assert Patient.objects.count() == 2


def test_a_restore_of_a_tampered_audit_trail_is_reported(prescriber_a, dana, tmp_path, capsys):
    # Someone with database access appended a forged, badly sealed event before the backup was taken.
    audit_seal()
    head = AuditChainHead.objects.get(chain=prescriber_a.clinic_id)
    forged = AuditEvent.objects.filter(chain=head.chain).order_by("-id").values().first()
    forged.update(id=None, action="chart.open")
    event = AuditEvent.objects.bulk_create([AuditEvent(**forged)])[0]
    AuditSeal.objects.bulk_create([AuditSeal(event_id=event.pk, chain=head.chain, seq=head.last_seq + 1,
                                             prev_hash=head.last_hash, hash="f" * 64, sealed_at=event.created_at)])
    AuditChainHead.objects.filter(chain=head.chain).update(last_seq=head.last_seq + 1, last_hash="f" * 64)
    folder = backup_create(tmp_path)
    assert main(["restore", str(folder), "--yes"]) == 1
    err = capsys.readouterr().err
    assert "verification FAILED" in err and "audit trail broken" in err and "altered" in err


def test_a_folder_that_is_not_a_backup_is_refused(db, tmp_path):
    with pytest.raises(BackupError, match="not a Dosewise backup"):
        backup_restore(tmp_path)
