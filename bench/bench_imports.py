"""Pharmacy-fill import speed: a file of fills for 1,000 patients, and the parse-and-validate stage
alone on a million rows.

Run: `.venv/bin/python bench/bench_imports.py` (SQLite) or with DATABASE_URL set to a PostgreSQL
database (created if missing and emptied first). BENCH_FILL_ROWS (default 100,000) sets the size
of the full import (lookups, inserts and audit); BENCH_STREAM_ROWS (default 1,000,000) the
size of the stream. Prints rows per second for each. Budget: at least 5,000 rows per second for the full import
(100,000 fills in under 20 s).
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date, timedelta

from _budget import Budgets
from _setup import bench_database_setup, bench_django_setup

N_FILLS = int(os.environ.get("BENCH_FILL_ROWS", "100000"))
N_STREAM = int(os.environ.get("BENCH_STREAM_ROWS", "1000000"))
N_PATIENTS = 1000
FIRST_DAY = date(1995, 1, 1)
ROWS_PER_SECOND_FLOOR = 5000
HEADER = "mrn,drug,fill_date,days_supply,quantity,pharmacy,ndc,rx_number\n"


def _line(n: int) -> str:
    return (f"BF{n % N_PATIENTS:06d},Zoloft 50 mg,{FIRST_DAY + timedelta(days=n // N_PATIENTS)},30,30,"
            f"Main Street Pharmacy,,RX{n}\n")


def main() -> int:
    vendor = bench_database_setup()
    bench_django_setup()
    from dosewise.accounts.models import User
    from dosewise.audit.models import AuditEvent
    from dosewise.clinics.models import Clinic
    from dosewise.demo import demo_load
    from dosewise.medications.models import Medication
    from dosewise.monitoring import fill_imports, imports
    from dosewise.patients.models import Patient

    demo_load(patients=0)
    clinic = Clinic.objects.get(slug="demo")
    prescriber = User.objects.get(clinic=clinic, role="prescriber")
    Patient.objects.bulk_create([
        Patient(clinic=clinic, mrn=f"BF{n:06d}", legal_given_name=f"Given{n}", legal_family_name=f"Family{n}",
                date_of_birth=date(1970, 1, 1), sex_at_birth="unknown", created_by=prescriber)
        for n in range(N_PATIENTS)])
    Medication.objects.bulk_create([
        Medication(clinic=clinic, patient=p, ingredient="sertraline", start_date=FIRST_DAY, created_by=prescriber)
        for p in Patient.objects.filter(mrn__startswith="BF")])

    data = (HEADER + "".join(map(_line, range(N_FILLS)))).encode()
    started, cpu_started = time.perf_counter(), time.process_time()
    job = fill_imports.fill_import_create(actor=prescriber, filename="bench.csv", data=data)
    status = fill_imports.fill_import_run(job.pk)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    job.refresh_from_db()
    rate = N_FILLS / elapsed
    events = AuditEvent.objects.filter(action="pharmacy_fill.import").count()
    print(f"{vendor}: {N_FILLS:,} fills imported ({job.imported:,} stored, {job.skipped:,} skipped, {status}) in "
          f"{elapsed:.1f} s: {rate:,.0f} rows/s (budget at least {ROWS_PER_SECOND_FLOOR:,} rows/s); this process's "
          f"CPU {cpu:.1f} s ({N_FILLS / cpu:,.0f} rows per CPU second; on SQLite that includes the database's "
          f"work); {events:,} audit events (one per patient and batch); 1-minute load average "
          f"{os.getloadavg()[0]:.1f}")
    budgets = Budgets()
    budgets.at_least("fill import", rate, ROWS_PER_SECOND_FLOOR, " rows/s")
    if status != "done" or job.imported != N_FILLS:
        budgets.missed.append(f"fill import ended {status} with {job.imported:,} of {N_FILLS:,} rows stored")

    text = HEADER + "".join(map(_line, range(N_STREAM)))
    today = date.today()
    started = time.perf_counter()
    imports._check_header(text, fill_imports.FILL_COLUMNS)
    total = imports._count_rows(text)
    good = 0
    for _, raw in enumerate(imports._reader(text), start=2):
        fill_imports._ingredient(raw["drug"])
        fill_imports.fill_row_values(raw, today)
        good += 1
    elapsed = time.perf_counter() - started
    print(f"parse and validate {total:,} rows ({len(text) / 2**20:.0f} MiB), no database: {elapsed:.1f} s: "
          f"{good / elapsed:,.0f} rows/s")
    return budgets.exit_code()


if __name__ == "__main__":
    sys.exit(main())
