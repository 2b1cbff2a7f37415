"""Patient search and chart header over a 10,000-patient clinic.

Run: `make bench` (SQLite) or `DATABASE_URL=postgres://postgres@127.0.0.1:5432/dosewise_bench
.venv/bin/python bench/bench_patients.py` (PostgreSQL; the database is created if missing and
emptied first). Prints server-side medians (the view called through Django's test client,
so template rendering is included and the network is not) and query counts. Budgets: a search
median under 20 ms; the chart costs the same number of queries for a short and a long history.
"""

from __future__ import annotations

import os
import statistics
import sys
import time

from _budget import Budgets
from _setup import bench_database_setup, bench_django_setup, bench_signed_in_client

N_PATIENTS = int(os.environ.get("BENCH_PATIENTS", "10000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
SEARCH_BUDGET_MS = 20


def main() -> int:
    vendor = bench_database_setup()
    bench_django_setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dosewise.accounts.models import User
    from dosewise.demo import database_analyze, demo_load, generate_patients
    from dosewise.patients.models import Patient

    started = time.perf_counter()
    demo_load(patients=50)
    from dosewise.clinics.models import Clinic

    clinic = Clinic.objects.get(slug="demo")
    staff = {u.role: u for u in User.objects.filter(clinic=clinic)}
    generate_patients(clinic, N_PATIENTS - 50, seed=7, staff=staff)
    database_analyze()
    load_seconds = time.perf_counter() - started

    prescriber = staff["prescriber"]
    client = bench_signed_in_client(prescriber)

    sample = Patient.objects.filter(clinic=clinic, care_team__member=prescriber).first()
    queries = {
        "name prefix 'gar'": "gar",
        "two words 'jose gar'": "jose gar",
        "accented 'núñ'": "núñ",
        "date of birth": sample.date_of_birth.isoformat(),
        "MRN": sample.mrn,
    }
    print(f"# Patient search, {vendor}, {Patient.objects.count()} patients (generated in {load_seconds:.1f} s)\n")
    print("| query | results | median ms | p90 ms | queries |")
    print("|---|---:|---:|---:|---:|")
    budgets = Budgets()
    for label, q in queries.items():
        client.get("/patients/", {"q": q})  # warm caches
        times = []
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            response = client.get("/patients/", {"q": q}, headers={"HX-Request": "true"})
            times.append((time.perf_counter() - t0) * 1000)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/patients/", {"q": q}, headers={"HX-Request": "true"})
        results = response.content.count(b"<tr>") - 1
        times.sort()
        budgets.at_most(f"search {label}, median", statistics.median(times), SEARCH_BUDGET_MS, " ms")
        print(f"| {label} | {max(results, 0)} | {statistics.median(times):.1f} | {times[int(len(times) * 0.9)]:.1f} "
              f"| {len(ctx.captured_queries)} |")

    chart_queries = set()
    print("\n| chart page | median ms | queries |")
    print("|---|---:|---:|")
    for label, patient in (("patient with short history", sample),
                           ("patient with most allergies/context", Patient.objects.filter(
                               clinic=clinic, care_team__member=prescriber).order_by("-pk").first())):
        times = []
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            client.get(f"/patients/{patient.pk}/")
            times.append((time.perf_counter() - t0) * 1000)
        with CaptureQueriesContext(connection) as ctx:
            client.get(f"/patients/{patient.pk}/")
        print(f"| {label} | {statistics.median(times):.1f} | {len(ctx.captured_queries)} |")
        chart_queries.add(len(ctx.captured_queries))
    if len(chart_queries) > 1:
        budgets.missed.append(f"chart: {sorted(chart_queries)} queries for a short and a long history")
    return budgets.exit_code()


if __name__ == "__main__":
    sys.exit(main())
