"""The audit trail is append-only in the database and hash-chained, so tampering shows.

Events are linked by the sealer (`audit_seal`) after they commit; the tests seal before they
look at the chain, as `dosewise audit verify` does.
"""

from __future__ import annotations

import argparse
from itertools import pairwise

import pytest
from django.db import DatabaseError, connection, transaction

from dosewise.app_cli import cmd_audit
from dosewise.audit.models import AuditChainHead, AuditEvent, AuditSeal
from dosewise.audit.services import APPEND_ONLY, GENESIS_HASH, audit_record, audit_seal, audit_verify_chain


def tamper_allowed() -> None:
    """Act as a DBA who switches off the append-only triggers (undone by the test's rollback)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Check the deferred foreign keys now: ALTER TABLE refuses while their checks are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for prefix, table in APPEND_ONLY.items():
            if connection.vendor == "sqlite":
                cursor.execute(f"DROP TRIGGER {prefix}_no_update")
                cursor.execute(f"DROP TRIGGER {prefix}_no_delete")
            else:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {prefix}_append_only")
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def raw(sql: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=AuditEvent._meta.db_table, seals=AuditSeal._meta.db_table), params)


@pytest.fixture
def chain(clinic_a, admin_a):
    """Return clinic A's whole chain in order: five test events after whatever the people's set-up wrote."""
    for n in range(5):
        audit_record(action="test.event", actor=admin_a, detail={"n": n})
    audit_seal()
    return list(AuditSeal.objects.filter(chain=clinic_a.pk).order_by("seq").select_related("event"))


def run_verify(capsys) -> tuple[int, str, str]:
    status = cmd_audit(argparse.Namespace())
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.mark.django_db
def test_events_link_to_the_previous_event_of_their_clinic(chain, clinic_a):
    assert len(chain) >= 5 and [e.seq for e in chain] == list(range(1, len(chain) + 1))
    assert chain[0].prev_hash == GENESIS_HASH
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(chain))
    assert [s.event_id for s in chain] == sorted(s.event_id for s in chain)
    head = AuditChainHead.objects.get(chain=clinic_a.pk)
    assert (head.last_seq, head.last_hash) == (len(chain), chain[-1].hash)


@pytest.mark.django_db
def test_each_clinic_has_its_own_chain_and_unknown_accounts_go_to_chain_zero(clinic_a, clinic_b, admin_a,
                                                                           clinician_b):
    a = audit_record(action="test.a", actor=admin_a)
    b = audit_record(action="test.b", actor=clinician_b)
    nobody = audit_record(action="auth.login_failed", actor_email="who@example.org")
    assert (a.chain, b.chain, nobody.chain) == (clinic_a.pk, clinic_b.pk, 0)
    audit_seal()
    assert [AuditSeal.objects.get(event=e).chain for e in (a, b, nobody)] == [clinic_a.pk, clinic_b.pk, 0]
    assert audit_verify_chain().ok


@pytest.mark.django_db
def test_the_model_refuses_to_change_or_delete_an_event_or_its_seal(chain):
    event = chain[0].event
    event.action = "something.else"
    with pytest.raises(RuntimeError, match="append-only"):
        event.save()
    with pytest.raises(RuntimeError, match="append-only"):
        event.delete()
    seal = chain[0]
    seal.hash = "f" * 64
    with pytest.raises(RuntimeError, match="append-only"):
        seal.save()
    with pytest.raises(RuntimeError, match="append-only"):
        seal.delete()


@pytest.mark.django_db
def test_the_database_refuses_update_and_delete(chain):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=chain[1].pk).update(action="audit.hidden")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("DELETE FROM {table} WHERE id = %s", [chain[1].pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditSeal.objects.filter(pk=chain[1].pk).update(hash="f" * 64)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("DELETE FROM {seals} WHERE event_id = %s", [chain[1].pk])
    assert AuditEvent.objects.get(pk=chain[1].pk).action == "test.event"
    assert AuditSeal.objects.get(pk=chain[1].pk).hash == chain[1].hash
    assert audit_verify_chain().ok


@pytest.mark.django_db
def test_verify_passes_on_an_intact_trail_and_the_command_exits_0(chain, capsys):
    events, chains = AuditSeal.objects.count(), AuditChainHead.objects.count()
    assert events == AuditEvent.objects.count()
    report = audit_verify_chain()
    assert report.ok and report.events_checked == events >= 5 and report.chains_checked == chains
    status, out, _ = run_verify(capsys)
    assert status == 0 and f"audit trail intact: {events} events in {chains} chains" in out


@pytest.mark.django_db
def test_verify_reports_an_altered_row(chain, clinic_a, capsys):
    tamper_allowed()
    raw("UPDATE {table} SET detail = %s WHERE id = %s", ['{"n": 99}', chain[2].pk])
    report = audit_verify_chain()
    assert chain[2].seq == 3
    assert report.first_break.chain == clinic_a.pk
    assert report.first_break.seq == 3 and report.first_break.event_id == chain[2].pk
    assert "altered" in report.first_break.reason
    status, _, err = run_verify(capsys)
    assert status == 1 and f"BROKEN in chain {clinic_a.pk} at event 3 (row id {chain[2].pk})" in err


@pytest.mark.django_db
def test_verify_reports_an_altered_row_whose_hash_was_recomputed_badly(chain):
    # A forger who rewrites one row and its seal's hash (without the chain behind it) still breaks it.
    tamper_allowed()
    raw("UPDATE {table} SET action = %s WHERE id = %s", ["test.forged", chain[1].pk])
    raw("UPDATE {seals} SET hash = %s WHERE event_id = %s", ["f" * 64, chain[1].pk])
    report = audit_verify_chain()
    assert report.first_break.seq == 2 and "altered" in report.first_break.reason


@pytest.mark.django_db
def test_verify_reports_a_removed_row(chain, clinic_a, capsys):
    tamper_allowed()
    raw("DELETE FROM {seals} WHERE event_id = %s", [chain[1].pk])
    raw("DELETE FROM {table} WHERE id = %s", [chain[1].pk])
    report = audit_verify_chain()
    assert report.first_break.chain == clinic_a.pk and report.first_break.seq == 2
    assert report.first_break.reason == "event 2 is missing (next is 3)"
    status, _, err = run_verify(capsys)
    assert status == 1 and "event 2 is missing" in err


@pytest.mark.django_db
def test_verify_reports_removed_newest_rows(chain):
    tamper_allowed()
    raw("DELETE FROM {seals} WHERE event_id IN (%s, %s)", [chain[-2].pk, chain[-1].pk])
    raw("DELETE FROM {table} WHERE id IN (%s, %s)", [chain[-2].pk, chain[-1].pk])
    report = audit_verify_chain()
    assert not report.ok and "events removed" in report.first_break.reason
    assert report.first_break.seq == len(chain) - 1


@pytest.mark.django_db
def test_verify_reports_the_first_break_of_several(chain):
    tamper_allowed()
    raw("UPDATE {table} SET actor_email = %s WHERE id = %s", ["mallory@example.org", chain[3].pk])
    raw("DELETE FROM {seals} WHERE event_id = %s", [chain[1].pk])
    raw("DELETE FROM {table} WHERE id = %s", [chain[1].pk])
    assert audit_verify_chain().first_break.seq == 2


@pytest.mark.django_db
def test_verify_reads_long_chains_in_batches(clinic_a, admin_a):
    for n in range(7):
        audit_record(action="test.event", actor=admin_a, detail={"n": n})
    audit_seal(batch_size=2)
    assert audit_verify_chain(batch_size=3).events_checked == AuditEvent.objects.count() >= 7
    sixth = AuditSeal.objects.get(chain=clinic_a.pk, seq=6)
    tamper_allowed()
    raw("UPDATE {table} SET outcome = %s WHERE id = %s", ["denied", sixth.event_id])
    assert audit_verify_chain(batch_size=3).first_break.seq == 6
