"""The prescriber's worklist for a clinic of 10,000 patients with 1,000,000 results, and a
100,000-row CSV import of lab results.

Run: `.venv/bin/python bench/bench_worklist.py` (SQLite) or `DATABASE_URL=postgres://postgres@127.0.0.1:5432/
dosewise_bench_worklist .venv/bin/python bench/bench_worklist.py` (PostgreSQL; the database is created if
missing and emptied first). BENCH_PATIENTS, BENCH_OBSERVATIONS and BENCH_IMPORT_ROWS scale it down.
The results are bulk-inserted: drug levels and sodium spread over two years, one in a hundred
out of range and waiting for review. Prints server-side medians (the view called through Django's
test client, template rendering included), query counts and the import time. Budgets: worklist
under 500 ms with a constant number of queries; 100,000 rows imported in under 60 s.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

from _setup import bench_database_setup, bench_django_setup, bench_signed_in_client

N_PATIENTS = int(os.environ.get("BENCH_PATIENTS", "10000"))
N_OBSERVATIONS = int(os.environ.get("BENCH_OBSERVATIONS", "1000000"))
N_IMPORT = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
BUDGET_MS = 500
IMPORT_BUDGET_S = 60
# (test, unit, canonical low..high of the usual values, a flagged value)
TESTS = [("lithium-level", "mmol/L", (0.6, 1.0), "1.8"), ("sodium", "mmol/L", (136, 144), "128"),
         ("valproate-level", "ug/mL", (55, 95), "140"), ("anc", "/uL", (2000, 6000), "1200")]


def _load(clinic, prescriber) -> list:
    """Bulk-insert the patients, care-team rows and results; return the patients."""
    from django.db import transaction
    from django.utils import timezone

    from dosewise.clinical.monitoring import interpret_result
    from dosewise.monitoring.catalogue import result_tests
    from dosewise.monitoring.models import Observation
    from dosewise.monitoring.services import review_priority
    from dosewise.patients.models import CareTeamMember, Patient

    rng = random.Random(7)
    now = timezone.now()
    today = timezone.localdate()
    catalogue = result_tests()
    bands = {}
    with transaction.atomic():
        patients = Patient.objects.bulk_create([
            Patient(clinic=clinic, mrn=f"BW{n:06d}", legal_given_name=f"Given{n}", legal_family_name=f"Family{n:05d}",
                    date_of_birth=date(1950 + n % 50, 1 + n % 12, 1 + n % 28), sex_at_birth="female",
                    created_by=prescriber)
            for n in range(N_PATIENTS)
        ], batch_size=2000)
        CareTeamMember.objects.bulk_create([
            CareTeamMember(clinic=clinic, patient=p, member=prescriber, team_role="prescriber",
                           since=today - timedelta(days=800), added_by=prescriber) for p in patients[::2]
        ], batch_size=2000)
    batch = []
    for n in range(N_OBSERVATIONS):
        test, unit, (low, high), flagged = TESTS[n % len(TESTS)]
        abnormal = rng.random() < 0.01
        raw = flagged if abnormal else f"{rng.uniform(low, high):.2f}"
        key = (test, raw)
        if key not in bands:
            found = interpret_result(test, float(raw), unit)
            bands[key] = (found.flag, found.band, found.action, review_priority(found.flag, found.action))
        flag, band, action, priority = bands[key]
        value = Decimal(raw)
        batch.append(Observation(
            clinic=clinic, patient=patients[n % N_PATIENTS], test=test, code=catalogue[test].loinc, value=value,
            unit=unit, value_canonical=value, unit_canonical=unit,
            effective_at=now - timedelta(minutes=rng.randint(60, 2 * 365 * 24 * 60)), flag=flag, band=band,
            action=action, kb_version="bench", review_priority=priority, recorded_by=prescriber, source="csv"))
        if len(batch) == 5000:
            Observation.objects.bulk_create(batch)
            batch = []
    Observation.objects.bulk_create(batch)
    return patients


def _import_file(patients) -> bytes:
    rng = random.Random(3)
    lines = ["mrn,test,value,unit,date"]
    base = date.today() - timedelta(days=1)
    for n in range(N_IMPORT):
        patient = patients[(n // 10) % len(patients)]
        test, unit, (low, high), flagged = TESTS[n % len(TESTS)]
        value = flagged if rng.random() < 0.01 else f"{rng.uniform(low, high):.2f}"
        lines.append(f"{patient.mrn},{test},{value},{unit},{base:%Y-%m-%d} {n % 24:02d}:{n % 60:02d}")
    return ("\n".join(lines) + "\n").encode()


def main() -> int:
    vendor = bench_database_setup()
    bench_django_setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dosewise.accounts.models import User
    from dosewise.clinics.models import Clinic
    from dosewise.demo import database_analyze, demo_load
    from dosewise.monitoring import imports
    from dosewise.monitoring.models import Observation, ResultImport

    demo_load(patients=0)
    clinic = Clinic.objects.get(slug="demo")
    prescriber = User.objects.get(clinic=clinic, role="prescriber")
    started = time.perf_counter()
    patients = _load(clinic, prescriber)
    database_analyze()
    load_seconds = time.perf_counter() - started

    client = bench_signed_in_client(prescriber)

    print(f"# Worklist, {vendor}: {N_PATIENTS} patients, {Observation.objects.count()} results, "
          f"{Observation.objects.filter(review_priority__isnull=False).count()} waiting for review "
          f"(loaded in {load_seconds:.1f} s)\n")
    print("| view | median ms | p90 ms | queries |")
    print("|---|---:|---:|---:|")
    failures = []
    for label, params in {"worklist, my patients (half the clinic)": {"scope": "mine"},
                          "worklist, whole clinic": {"scope": "clinic"}}.items():
        client.get("/monitoring/worklist/", params)
        timings = []
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            response = client.get("/monitoring/worklist/", params)
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as queries:
            client.get("/monitoring/worklist/", params)
        median = statistics.median(timings)
        p90 = sorted(timings)[int(len(timings) * 0.9) - 1]
        print(f"| {label} | {median:.1f} | {p90:.1f} | {len(queries)} |")
        if median > BUDGET_MS:
            failures.append(f"{label}: median {median:.0f} ms over the {BUDGET_MS} ms budget")

    data = _import_file(patients)
    t0 = time.perf_counter()
    job = imports.result_import_create(actor=prescriber, filename="bench.csv", data=data)
    ResultImport.objects.filter(pk=job.pk).update(status="queued")
    imports.result_import_run(job.pk)
    seconds = time.perf_counter() - t0
    job.refresh_from_db()
    print(f"\nImport of {N_IMPORT} CSV rows ({len(data) // 1024} kB, 10 rows per patient): {seconds:.1f} s, "
          f"{job.imported} imported, {job.skipped} skipped ({N_IMPORT / seconds:.0f} rows/s).")
    if N_IMPORT >= 100000 and seconds > IMPORT_BUDGET_S:
        failures.append(f"import: {seconds:.0f} s over the {IMPORT_BUDGET_S} s budget")
    print(f"\nBudgets: worklist median under {BUDGET_MS} ms with a constant number of queries (asserted by "
          f"src/dosewise/monitoring/tests/test_views.py); 100,000 rows imported in under {IMPORT_BUDGET_S} s.")
    for failure in failures:
        print(f"OVER BUDGET: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
