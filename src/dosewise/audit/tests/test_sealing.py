"""Recording an event touches no shared row; the sealer chains committed events afterwards."""

from __future__ import annotations

import argparse
from datetime import timedelta

import pytest
from django.utils import timezone

from dosewise.app_cli import cmd_audit
from dosewise.audit.contributions import PERIODIC_JOBS
from dosewise.audit.models import AuditChainHead, AuditEvent, AuditSeal, AuditSealMark
from dosewise.audit.services import audit_record, audit_seal, audit_verify_chain
from dosewise.notifications.clock import clock_jobs


def _event_like(template: AuditEvent, **changes) -> AuditEvent:
    fields = {f.attname: getattr(template, f.attname) for f in AuditEvent._meta.concrete_fields}
    fields.update(changes)
    return AuditEvent(**fields)


@pytest.mark.django_db
def test_recording_an_event_is_one_insert_and_leaves_the_chain_head_alone(admin_a, clinic_a,
                                                                         django_assert_num_queries):
    audit_seal()
    head = AuditChainHead.objects.get(chain=clinic_a.pk)
    with django_assert_num_queries(1) as captured:
        event = audit_record(action="chart.open", actor=admin_a)
    assert captured.captured_queries[0]["sql"].lstrip().upper().startswith("INSERT")
    assert "auditchainhead" not in captured.captured_queries[0]["sql"].lower()
    assert AuditChainHead.objects.get(chain=clinic_a.pk).last_seq == head.last_seq
    assert not AuditSeal.objects.filter(event=event).exists()


@pytest.mark.django_db
def test_the_sealer_links_committed_events_in_id_order_and_a_second_run_adds_nothing(admin_a, clinic_a):
    events = [audit_record(action="test.event", actor=admin_a, detail={"n": n}) for n in range(4)]
    first = audit_seal()
    assert first.sealed >= 4 and clinic_a.pk in first.chains
    seals = list(AuditSeal.objects.filter(chain=clinic_a.pk).order_by("seq"))
    assert [s.event_id for s in seals][-4:] == [e.pk for e in events]
    assert [s.seq for s in seals] == list(range(1, len(seals) + 1))
    head = AuditChainHead.objects.get(chain=clinic_a.pk)
    assert (head.last_seq, head.last_hash) == (seals[-1].seq, seals[-1].hash)
    again = audit_seal()
    assert (again.sealed, again.chains) == (0, ())
    assert AuditSeal.objects.count() == AuditEvent.objects.count()
    assert audit_verify_chain().ok


@pytest.mark.django_db
def test_unsealed_events_are_counted_not_broken_and_verify_seals_them_first(admin_a, capsys):
    audit_seal()
    for n in range(3):
        audit_record(action="test.event", actor=admin_a, detail={"n": n})
    report = audit_verify_chain()
    assert report.ok and report.unsealed == 3
    assert cmd_audit(argparse.Namespace(no_seal=True)) == 0
    assert "3 events not sealed yet" in capsys.readouterr().out
    assert cmd_audit(argparse.Namespace()) == 0
    assert "0 events not sealed yet" in capsys.readouterr().out
    assert audit_verify_chain().unsealed == 0


@pytest.mark.django_db
def test_an_event_that_commits_after_a_later_one_is_sealed_at_the_next_run(admin_a, clinic_a):
    """PostgreSQL hands out ids at insert and transactions commit in any order: emulated with explicit ids."""
    template = audit_record(action="test.event", actor=admin_a)
    audit_seal()
    base = template.pk + 10
    AuditEvent.objects.bulk_create([_event_like(template, id=base + 1, action="test.first"),
                                    _event_like(template, id=base + 3, action="test.third")])
    audit_seal()
    # The transaction holding id base + 2 commits only now.
    AuditEvent.objects.bulk_create([_event_like(template, id=base + 2, action="test.late")])
    assert audit_seal().sealed == 1
    order = list(AuditSeal.objects.filter(chain=clinic_a.pk).order_by("seq")
                 .values_list("event__action", flat=True))[-3:]
    assert order == ["test.first", "test.third", "test.late"]
    assert audit_verify_chain().ok


@pytest.mark.django_db
def test_the_mark_passes_only_events_older_than_the_margin(admin_a, settings):
    settings.AUDIT_SEAL_MARGIN_SECONDS = 30
    audit_seal()
    before = AuditSealMark.objects.get().below_id
    event = audit_record(action="test.event", actor=admin_a)
    now = timezone.now()
    audit_seal(now=now)
    assert AuditSealMark.objects.get().below_id == before < event.pk
    audit_seal(now=now + timedelta(seconds=31))
    assert AuditSealMark.objects.get().below_id == event.pk


@pytest.mark.django_db
def test_an_event_below_the_mark_that_commits_very_late_is_sealed_by_verify(admin_a, clinic_a):
    template = audit_record(action="test.event", actor=admin_a)
    base = template.pk + 10
    AuditEvent.objects.bulk_create([_event_like(template, id=base + 2, action="test.after")])
    audit_seal(now=timezone.now() + timedelta(hours=1))  # the mark passes base + 2
    # A transaction that outlived the margin commits an event below the mark.
    AuditEvent.objects.bulk_create([_event_like(template, id=base + 1, action="test.very_late")])
    assert audit_seal().sealed == 0
    assert audit_verify_chain().unsealed == 1
    assert audit_seal(full=True).sealed == 1
    report = audit_verify_chain()
    assert report.ok and report.unsealed == 0


def test_the_clock_runs_the_sealer_and_the_checkpoints_every_few_seconds(settings):
    jobs = {job.name: job for job in clock_jobs()}
    assert {"audit_seal", "audit_checkpoint"} <= set(jobs)
    assert jobs["audit_seal"].every == timedelta(seconds=settings.AUDIT_SEAL_SECONDS) <= timedelta(seconds=60)
    assert jobs["audit_checkpoint"].every == timedelta(seconds=settings.AUDIT_CHECKPOINT_SECONDS)
    assert {job.name for job in PERIODIC_JOBS} == {"audit_seal", "audit_checkpoint"}


def test_the_clock_ticks_as_often_as_its_most_frequent_job(monkeypatch, settings):
    from dosewise.notifications import clock

    slept = []

    class Stop(Exception):
        pass

    def sleep(seconds):
        slept.append(seconds)
        raise Stop

    monkeypatch.setattr(clock, "clock_tick", lambda last_run: [])
    monkeypatch.setattr(clock.time, "sleep", sleep)
    with pytest.raises(Stop):
        clock.clock_run_forever(60)
    assert slept == [float(min(settings.AUDIT_SEAL_SECONDS, settings.AUDIT_CHECKPOINT_SECONDS))]


def test_the_prepared_insert_and_the_link_hash_cover_every_column_of_an_event():
    # A column added to AuditEvent must be added to EVENT_FIELDS (the INSERT and the hash) too.
    from dosewise.audit.services import EVENT_FIELDS

    assert list(EVENT_FIELDS) == [f.attname for f in AuditEvent._meta.concrete_fields]


@pytest.mark.django_db
def test_a_recorded_event_reads_back_as_it_was_written(admin_a, dana):
    from dosewise.audit.context import RequestOrigin, origin_reset, origin_set

    token = origin_set(RequestOrigin(ip="203.0.113.7", user_agent="Firefox"))
    try:
        event = audit_record(action="chart.open", actor=admin_a, patient=dana, obj=dana,
                             detail={"tab": "overview", "n": [1, 2]})
    finally:
        origin_reset(token)
    stored = AuditEvent.objects.get(pk=event.pk)
    for name in ("chain", "created_at", "actor_id", "actor_email", "actor_role", "clinic_id", "patient_id",
                 "action", "object_type", "object_id", "ip", "user_agent", "outcome", "detail"):
        assert getattr(stored, name) == getattr(event, name), name
    assert (stored.ip, stored.detail, stored.object_type) == ("203.0.113.7", {"tab": "overview", "n": [1, 2]},
                                                             "patients.patient")


@pytest.mark.django_db
def test_the_mark_never_moves_back_and_batches_seal_the_same_chain(admin_a, clinic_a):
    for n in range(5):
        audit_record(action="test.event", actor=admin_a, detail={"n": n})
    later = timezone.now() + timedelta(hours=1)
    result = audit_seal(batch_size=2, now=later)  # three short transactions
    assert result.sealed >= 5 and AuditSealMark.objects.get().below_id == result.below_id
    audit_record(action="test.event", actor=admin_a)
    audit_seal(now=timezone.now() - timedelta(hours=1))  # a sealer whose view of the mark is older
    assert AuditSealMark.objects.get().below_id == result.below_id
    seqs = list(AuditSeal.objects.filter(chain=clinic_a.pk).order_by("event_id").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert audit_verify_chain().ok


@pytest.mark.django_db
def test_the_mark_stays_below_events_of_a_transaction_still_writing(admin_a, monkeypatch, settings):
    """On PostgreSQL the oldest transaction still writing holds the mark back (here its start is given)."""
    from dosewise.audit import services

    settings.AUDIT_SEAL_MARGIN_SECONDS = 30
    audit_seal(now=timezone.now() + timedelta(hours=1))
    before = AuditSealMark.objects.get().below_id
    event = audit_record(action="test.event", actor=admin_a)
    monkeypatch.setattr(services, "_oldest_writing_transaction_start", lambda: event.created_at)
    audit_seal(now=timezone.now() + timedelta(hours=1))
    assert AuditSealMark.objects.get().below_id == before
    monkeypatch.setattr(services, "_oldest_writing_transaction_start", lambda: None)
    audit_seal(now=timezone.now() + timedelta(hours=1))
    assert AuditSealMark.objects.get().below_id == event.pk


@pytest.mark.django_db
def test_the_clock_seals_and_signs_what_was_recorded(admin_a, clinic_a, settings, tmp_path,
                                                     django_capture_on_commit_callbacks):
    from dosewise.audit.models import AuditCheckpoint
    from dosewise.notifications.clock import clock_tick

    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "checkpoints.jsonl")
    event = audit_record(action="chart.open", actor=admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        ran = clock_tick({}, jobs=PERIODIC_JOBS)
    assert ran == ["audit_seal", "audit_checkpoint"]
    seal = AuditSeal.objects.get(event=event)
    head = AuditChainHead.objects.get(chain=clinic_a.pk)
    assert AuditCheckpoint.objects.filter(chain=clinic_a.pk, seq=head.last_seq, head_hash=head.last_hash).exists()
    assert seal.seq <= head.last_seq and (tmp_path / "checkpoints.jsonl").read_text().count("\n") >= 1


def test_migrate_creates_the_signing_key_file(settings, tmp_path):
    from dosewise.audit.apps import _create_audit_key

    settings.AUDIT_KEY = ""
    settings.AUDIT_KEY_FILE = str(tmp_path / "audit_key")
    _create_audit_key(sender=None)
    assert (tmp_path / "audit_key").read_text().strip()
