"""Audited reads of one clinic from many processes: the sealer's append against the old head lock.

Run: `.venv/bin/python bench/bench_audit.py` (SQLite) or `DATABASE_URL=postgres://postgres@127.0.0.1:5432/
dosewise_bench_audit .venv/bin/python bench/bench_audit.py` (PostgreSQL; the database is recreated).
BENCH_SECONDS (default 6) per row, BENCH_PROCESSES (default 1,2,16).

Two kinds of work, each committed on its own as a page view commits it: the audit event an
audited read writes (`chart.open`), and the whole read without HTTP and templates
(`access_patient`, the care-team check, then the event). Every process works on the same
clinic's patients, so every event goes to one chain. Three ways of writing, in the same run:

- `floor`: the same commit of one plain row into a table without any audit logic;
- `head lock` (before decision 0039): the event and the chain head's update in one transaction
  that first locks the head row, as `audit_record` did;
- `append` (today): `audit_record` is one INSERT; a sealer process runs `audit_seal` every second
  during the run, as the clock does, so its work and its locks are in the figures.

Printed: per second for each; on PostgreSQL the share of samples (pg_stat_activity, every 5 ms)
in which a running benchmark backend waited on a lock; the ratios to the head lock and to the
floor; then the sealer's and the verification's own speed. Budgets: at least 5,000 audit events
per second for the one clinic with the append, and a lock-wait share under 5% at 16 processes.
The absolute figures move with the machine's load (print `uptime` beside them); the ratios and
the lock-wait shares are measured in one run.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time

from _setup import bench_database_setup, bench_django_setup

SECONDS = float(os.environ.get("BENCH_SECONDS", "6"))
PATIENTS = 200
WORK = {"event": "audit event of a read", "read": "access check + audit event"}
PROCESSES = tuple(int(n) for n in os.environ.get("BENCH_PROCESSES", "1,2,16").split(","))
BUDGET_READS_PER_SECOND = 5000
BUDGET_LOCK_WAIT_SHARE = 0.05


def _record_with_head_lock(**kwargs):
    """The write path before decision 0039: lock the head, insert the event, move the head on."""
    from django.db import transaction

    from dosewise.audit.models import AuditChainHead
    from dosewise.audit.services import audit_record

    # A head row of its own (the real heads belong to the sealer now), locked and moved on the same way.
    chain = -kwargs["patient"].clinic_id
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().get(chain=chain)
        audit_record(**kwargs)
        AuditChainHead.objects.filter(chain=chain).update(last_seq=head.last_seq + 1, last_hash=head.last_hash)


def _reader(mode: str, work: str, user_id: int, patient_ids: list[int], ready, seconds: float, counter) -> None:
    from django.db import connection

    from dosewise.accounts.models import User
    from dosewise.audit.services import audit_record
    from dosewise.patients.models import Patient
    from dosewise.patients.selectors import access_patient

    connection.close()
    user = User.objects.select_related("clinic").get(pk=user_id)
    record = audit_record if mode == "append" else _record_with_head_lock
    patients = list(Patient.objects.filter(pk__in=patient_ids))
    if mode == "floor":
        def record(**kwargs):  # the same commit without any audit logic: one plain INSERT
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO bench_floor (note) VALUES (%s)", ["chart.open"])
    done, n = 0, 0
    ready.wait()
    stop_at = time.time() + seconds
    while time.time() < stop_at:
        if work == "read":
            access = access_patient(user, patient_ids[n % len(patient_ids)], "clinical.view")
            patient, via = access.patient, access.via
        else:
            patient, via = patients[n % len(patients)], "care_team"
        record(action="chart.open", actor=user, patient=patient, detail={"tab": "overview", "via": via})
        done += 1
        n += 1
    with counter.get_lock():
        counter.value += done
    connection.close()


def _sealer(ready, seconds: float, sealed) -> None:
    from django.db import connection

    from dosewise.audit.services import audit_seal

    connection.close()
    total = 0
    ready.wait()
    stop_at = time.time() + seconds
    while time.time() < stop_at + 0.5:
        total += audit_seal().sealed
        time.sleep(1.0)
    with sealed.get_lock():
        sealed.value += total
    connection.close()


def _lock_wait_share(pids_query: str, stop_at: float) -> tuple[float, int]:
    """Sample pg_stat_activity until stop_at; return (lock-waiting samples / backend samples, samples).

    A "lock" wait is a heavyweight lock (wait_event_type Lock: a row or table lock, the head
    lock's kind). Shorter waits (LWLock: buffers, WAL insertion; IO: the WAL flush of a commit)
    are counted apart and printed, as WAIT_OTHER, since a commit always waits for its WAL.
    """
    import psycopg
    from django.db import connection

    params = connection.get_connection_params()
    conninfo = {k: v for k, v in params.items() if k in ("dbname", "user", "host", "port", "password")}
    waiting = total = samples = 0
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        while time.time() < stop_at:
            rows = conn.execute(pids_query).fetchall()
            samples += 1
            total += len(rows)
            waiting += sum(1 for (wait_type,) in rows if wait_type == "Lock")
            for (wait_type,) in rows:
                if wait_type in ("LWLock", "IO"):
                    WAIT_OTHER[wait_type] = WAIT_OTHER.get(wait_type, 0) + 1
            WAIT_OTHER["samples"] = WAIT_OTHER.get("samples", 0) + len(rows)
            time.sleep(0.005)
    return (waiting / total if total else 0.0), samples


WAIT_OTHER: dict[str, int] = {}


def _other_waits() -> str:
    total = WAIT_OTHER.get("samples", 0)
    text = ", ".join(f"{kind} {WAIT_OTHER.get(kind, 0) / total:.1%}" for kind in ("LWLock", "IO")) if total else ""
    WAIT_OTHER.clear()
    return text


def _run(mode: str, work: str, processes: int, user_id: int, patient_ids: list[int], vendor: str) -> dict:
    from django.db import connections

    from dosewise.audit.models import AuditEvent

    connections.close_all()
    before = AuditEvent.objects.count()
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    counter, sealed = ctx.Value("q", 0), ctx.Value("q", 0)
    ready = ctx.Barrier(processes + (2 if mode == "append" else 1))
    workers = [ctx.Process(target=_reader, args=(mode, work, user_id, patient_ids, ready, SECONDS, counter))
               for _ in range(processes)]
    if mode == "append":
        workers.append(ctx.Process(target=_sealer, args=(ready, SECONDS, sealed)))
    for worker in workers:
        worker.start()
    ready.wait()
    stop_at = time.time() + SECONDS
    share, samples = None, 0
    if vendor == "postgresql":
        query = ("SELECT wait_event_type FROM pg_stat_activity WHERE datname = current_database() "
                 "AND pid <> pg_backend_pid() AND state = 'active' AND backend_type = 'client backend'")
        share, samples = _lock_wait_share(query, stop_at)
    for worker in workers:
        worker.join()
    connections.close_all()
    written = AuditEvent.objects.count() - before
    assert mode == "floor" or written == counter.value, (written, counter.value)
    return {"mode": mode, "work": work, "processes": processes, "reads": counter.value, "per_second": counter.value / SECONDS,
            "lock_wait_share": share, "samples": samples, "sealed_during_run": sealed.value}


def _chart_views_over_http(user, patient_ids: list[int], concurrency: int = 16) -> None:
    """16 chart views in flight against gunicorn (4 sync workers) with the sealer running: req/s, lock waits."""
    import http.client
    import subprocess
    import threading

    from _setup import bench_signed_in_client
    from django.db import connection

    client = bench_signed_in_client(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    port = int(os.environ.get("BENCH_PORT", "8101"))
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="dosewise.config.settings")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "dosewise.config.wsgi:application", "--bind",
                               f"127.0.0.1:{port}", "--workers", "4", "--log-level", "warning"], env=env)
    try:
        deadline = time.time() + 60
        while True:
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                probe.request("GET", "/healthz")
                if probe.getresponse().status == 200:
                    break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        counts = {"ok": 0, "other": 0}
        lock = threading.Lock()
        stop_at = time.time() + SECONDS

        def view(n: int) -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            while time.time() < stop_at:
                conn.request("GET", f"/patients/{patient_ids[n % len(patient_ids)]}/", headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
                with lock:
                    counts["ok" if response.status == 200 else "other"] += 1
                n += concurrency

        ctx = multiprocessing.get_context("fork")
        sealed = ctx.Value("q", 0)
        ready = ctx.Barrier(2)
        connection.close()
        sealer = ctx.Process(target=_sealer, args=(ready, SECONDS, sealed))
        sealer.start()
        ready.wait()
        threads = [threading.Thread(target=view, args=(n,)) for n in range(concurrency)]
        for thread in threads:
            thread.start()
        query = ("SELECT wait_event_type FROM pg_stat_activity WHERE datname = current_database() "
                 "AND pid <> pg_backend_pid() AND state = 'active' AND backend_type = 'client backend'")
        share, samples = _lock_wait_share(query, stop_at)
        for thread in threads:
            thread.join()
        sealer.join()
    finally:
        server.terminate()
        server.wait(10)
    print(f"\nchart views over HTTP, gunicorn 4 workers, {concurrency} in flight, sealer running: "
          f"{counts['ok'] / SECONDS:,.0f} views/s ({counts['other']} not 200); lock-wait share "
          f"{share:.1%} of {samples} samples ({_other_waits()}); {sealed.value:,} events sealed meanwhile")
    if counts["other"]:
        raise SystemExit("chart views failed")
    global HTTP_LOCK_WAIT_SHARE
    HTTP_LOCK_WAIT_SHARE = share


HTTP_LOCK_WAIT_SHARE = None


def main() -> int:
    vendor = bench_database_setup()
    bench_django_setup()
    from django.db import connection

    from dosewise.accounts.models import User
    from dosewise.audit.models import AuditChainHead
    from dosewise.audit.services import audit_seal, audit_verify_chain
    from dosewise.clinics.models import Clinic
    from dosewise.demo import consent_texts_create
    from dosewise.patients import services

    clinic = Clinic.objects.create(name="Bench Clinic", slug="bench", mrn_prefix="BC", timezone="America/Chicago")
    consent_texts_create(clinic)
    user = User.objects.create_user(email="reader@bench.test", password="bench-password-2026", full_name="Reader",
                                    role="prescriber", clinic=clinic)
    from datetime import date

    patient_ids = [services.patient_register(actor=user, data={
        "legal_given_name": f"Bench{n}", "legal_family_name": "Reader", "date_of_birth": date(1980, 1, 1 + n % 28),
        "sex_at_birth": "female", "pronouns": "", "email": "", "preferred_language": "English"}).pk
        for n in range(PATIENTS)]
    audit_seal(full=True)
    AuditChainHead.objects.create(chain=-clinic.pk)  # the head row the old write path locks
    with connection.cursor() as cursor:  # the floor: a commit of one plain row
        cursor.execute("CREATE TABLE bench_floor (id integer PRIMARY KEY "
                       + ("GENERATED ALWAYS AS IDENTITY" if vendor == "postgresql" else "AUTOINCREMENT")
                       + ", note varchar(60))")

    print(f"audited reads of one clinic, {vendor}, {SECONDS:g} s per row, {os.cpu_count()} cores; "
          f"every event in one chain\n")
    print("| work | write path | processes | per second | lock-wait share of backend samples (other waits) |")
    print("|---|---|---|---|---|")
    results = []
    for work in ("event", "read"):
        for processes in PROCESSES:
            for mode in ("floor", "head lock", "append"):
                result = _run(mode, work, processes, user.pk, patient_ids, vendor)
                results.append(result)
                share = "n/a (SQLite)" if result["lock_wait_share"] is None else \
                    f"{result['lock_wait_share']:.1%} ({result['samples']} samples; {_other_waits()})"
                print(f"| {WORK[work]} | {mode} | {processes} | {result['per_second']:,.0f} | {share} |", flush=True)
    print()
    for work in ("event", "read"):
        for processes in PROCESSES:
            floor, old, new = (next(r for r in results if (r["mode"], r["work"], r["processes"]) ==
                                    (mode, work, processes)) for mode in ("floor", "head lock", "append"))
            print(f"{WORK[work]}, {processes} processes: append / head lock = "
                  f"{new['per_second'] / max(old['per_second'], 1):.2f}x; append / floor = "
                  f"{new['per_second'] / max(floor['per_second'], 1):.2f}; head lock / floor = "
                  f"{old['per_second'] / max(floor['per_second'], 1):.2f}")

    if vendor == "postgresql" and os.environ.get("BENCH_HTTP", "1") != "0":
        _chart_views_over_http(user, patient_ids)

    # The sealer and the verification on what the run wrote (without the old path's own head row).
    connection.close()
    AuditChainHead.objects.filter(chain=-clinic.pk).delete()
    from dosewise.audit.models import AuditEvent, AuditSeal

    started = time.perf_counter()
    leftover = audit_seal(full=True).sealed
    seal_seconds = time.perf_counter() - started
    events = AuditEvent.objects.count()
    started = time.perf_counter()
    report = audit_verify_chain()
    verify_seconds = time.perf_counter() - started
    assert report.ok and report.unsealed == 0 and AuditSeal.objects.count() == events, report
    sealed_during = sum(r["sealed_during_run"] for r in results)
    print(f"\nsealed during the append runs by the sealer process: {sealed_during:,} events; "
          f"left for the final full seal: {leftover:,} ({seal_seconds:.2f} s, full scan of {events:,} events)")
    print(f"verify: {report.events_checked:,} events in {verify_seconds:.2f} s "
          f"({report.events_checked / verify_seconds:,.0f} events/s); intact")

    best = max(r["per_second"] for r in results if r["mode"] == "append" and r["work"] == "event")
    failures = []
    if best < BUDGET_READS_PER_SECOND:
        failures.append(f"append: {best:,.0f} audit events/s, budget {BUDGET_READS_PER_SECOND:,}")
    share16 = max(((r["lock_wait_share"] or 0.0) for r in results if r["mode"] == "append" and r["processes"] == 16),
                  default=0.0)
    share16 = share16 if vendor == "postgresql" else None
    if share16 is not None and share16 >= BUDGET_LOCK_WAIT_SHARE:
        failures.append(f"append at 16 processes: lock-wait share {share16:.1%}, budget under "
                        f"{BUDGET_LOCK_WAIT_SHARE:.0%}")
    if HTTP_LOCK_WAIT_SHARE is not None and HTTP_LOCK_WAIT_SHARE >= BUDGET_LOCK_WAIT_SHARE:
        failures.append(f"16 chart views over HTTP: lock-wait share {HTTP_LOCK_WAIT_SHARE:.1%}")
    print("\nbudgets: " + ("met" if not failures else "NOT met: " + "; ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
