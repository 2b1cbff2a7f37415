"""A million-row file goes through the import with memory bounded by one batch, not by the file.

What depends on the size of the file is checked on 1,000,000 rows, in a fresh interpreter
whose peak resident memory is read from the kernel: the upload checks (columns, counting the
records) and the worker's stream of rows, each row parsed and validated (drug name, dates,
days' supply, quantity) batch by batch. What happens once per batch (the patient, medicine
and duplicate lookups, the bulk insert and its audit) runs against the database on a sample
of the same file, three batches long. Speed is measured in bench/bench_imports.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from datetime import date, timedelta

import pytest
from django.utils import timezone

from dosewise.medications.models import Medication
from dosewise.monitoring import fill_imports, imports
from dosewise.monitoring.models import PharmacyFill
from dosewise.patients.models import Patient

ROWS = 1_000_000
PATIENTS = 100
FIRST_DAY = date(1999, 1, 1)
# What the import may hold beyond the file itself: one batch of rows and the interpreter's slack.
WORKING_MEMORY = 48 * 1024 * 1024

FILL_HEADER = "mrn,drug,fill_date,days_supply,quantity,pharmacy,ndc,rx_number\n"


def fill_line(n: int) -> str:
    """Return row n of a fill file: each patient one fill a day, every 1000th with a days' supply of 0."""
    days = 0 if n % 1000 == 999 else 30
    return (f"SC{n % PATIENTS:06d},Zoloft 50 mg,{FIRST_DAY + timedelta(days=n // PATIENTS)},{days},30,"
            f"Main Street Pharmacy,,RX{n}\n")


def fill_file(rows: int) -> str:
    return FILL_HEADER + "".join(map(fill_line, range(rows)))


STREAM_SCRIPT = textwrap.dedent("""
    import gc, json, sys, time
    import django
    django.setup()
    from datetime import date
    from dosewise.monitoring import fill_imports, imports
    from dosewise.monitoring.tests.test_import_scale import FILL_HEADER, fill_line

    def status(field):
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) * 1024 for line in f if line.startswith(field + ":"))

    rows = int(sys.argv[1])
    chunks = [FILL_HEADER] + ["".join(map(fill_line, range(s, min(s + 10000, rows)))) for s in range(0, rows, 10000)]
    text = "".join(chunks)
    del chunks
    gc.collect()
    before = status("VmRSS")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # restart the peak (VmHWM) from here
    started = time.process_time()
    imports._check_header(text, fill_imports.FILL_COLUMNS)
    total = imports._count_rows(text)
    good = bad = batches = last = 0
    batch = []
    for number, row in enumerate(imports._reader(text), start=2):
        batch.append((number, row))
        if len(batch) == imports.BATCH_SIZE:
            batches += 1
            for number, raw in batch:
                last = number
                try:
                    assert fill_imports._ingredient(raw["drug"])[0] == "sertraline"
                    fill_imports.fill_row_values(raw, date(2030, 1, 1))
                    good += 1
                except ValueError:
                    bad += 1
            batch = []
    print(json.dumps({"total": total, "good": good, "bad": bad, "batches": batches, "last": last,
                      "file": len(text), "growth": status("VmHWM") - before,
                      "cpu": time.process_time() - started}))
""")


def test_a_million_row_file_is_parsed_and_validated_in_bounded_memory():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE",
                                                                  "dosewise.config.settings")}
    done = subprocess.run([sys.executable, "-c", STREAM_SCRIPT, str(ROWS)], capture_output=True, text=True,
                          env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert (found["total"], found["good"], found["bad"], found["batches"], found["last"]) == (
        ROWS, ROWS - ROWS // 1000, ROWS // 1000, ROWS // imports.BATCH_SIZE, ROWS + 1)
    # Reading the file through an io.StringIO buffer alone would take up to four times its size.
    print(f"\n{ROWS} rows, file {found['file'] / 2**20:.0f} MiB: peak grew by {found['growth'] / 2**20:.1f} MiB, "
          f"{found['cpu']:.1f} s of CPU")
    assert found["growth"] < WORKING_MEMORY, f"peak grew by {found['growth'] / 2**20:.0f} MiB"
    assert found["file"] > 64 * 1024 * 1024 > WORKING_MEMORY


def _patients(clinic, actor) -> list[Patient]:
    Patient.objects.bulk_create([
        Patient(clinic=clinic, mrn=f"SC{n:06d}", legal_given_name="Scale", legal_family_name=f"Test {n}",
                date_of_birth=date(1970, 1, 1), sex_at_birth="unknown", created_by=actor)
        for n in range(PATIENTS)])
    patients = list(Patient.objects.filter(mrn__startswith="SC").order_by("mrn"))
    Medication.objects.bulk_create([
        Medication(clinic=clinic, patient=p, ingredient="sertraline", start_date=FIRST_DAY, created_by=actor)
        for p in patients])
    return patients


@pytest.mark.django_db
def test_the_same_rows_are_looked_up_and_written_batch_by_batch(prescriber_a):
    patients = _patients(prescriber_a.clinic, prescriber_a)
    rows = 3 * imports.BATCH_SIZE
    job = fill_imports.fill_import_create(actor=prescriber_a, filename="sample.csv", data=fill_file(rows).encode())
    assert fill_imports.fill_import_run(job.pk) == "done"
    job.refresh_from_db()
    assert (job.processed_rows, job.imported, job.skipped) == (rows, rows - rows // 1000, rows // 1000)
    assert job.problems[0] == [1001, "days' supply must be 1 to 365, got 0"]
    assert PharmacyFill.objects.filter(fill_import=job, patient=patients[0]).count() == 30
    assert PharmacyFill.objects.filter(fill_import=job).latest("filled_on").filled_on < timezone.localdate()
