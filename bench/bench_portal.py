"""The patient portal's Today page: server time and queries for a patient with 2 and with 20
medicines (and 1 and 6 dose plans, a due questionnaire), and the bytes of a first visit.

Run: `.venv/bin/python bench/bench_portal.py` (SQLite; DATABASE_URL for PostgreSQL as in the other
benchmarks). Server time is the view called through Django's test client, middleware and template
rendering included, median of BENCH_REPEAT requests. First load: the HTML of /portal/ plus every
asset it links (style sheets, script, icon, manifest) and the service worker, raw and gzipped.
Budgets: under 100 ms with the same number of queries at both sizes; first load under 200 KB.
"""

from __future__ import annotations

import gzip
import os
import re
import statistics
import sys
import time
from datetime import date, timedelta
from decimal import Decimal

from _setup import bench_database_setup, bench_django_setup

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
BUDGET_MS = 100
BUDGET_KB = 200


def _patient(clinic, prescriber, index: int, medicines: int, plans: int):
    from django.utils import timezone

    from dosewise.accounts.models import User
    from dosewise.assessments.services import link_create
    from dosewise.clinics.clock import clinic_today
    from dosewise.medications import services as medication_services
    from dosewise.patients import services as patient_services
    from dosewise.patients.selectors import access_patient
    from dosewise.portal.models import PortalAccount, PortalStatus

    patient = patient_services.patient_register(actor=prescriber, data={
        "legal_given_name": f"Bench{index}", "legal_family_name": "Patient", "date_of_birth": date(1980, 1, 1),
        "sex_at_birth": "female", "pronouns": "", "email": f"bench{index}@example.org",
        "preferred_language": "English"})
    access = access_patient(prescriber, patient.pk, "medications.prescribe")
    patient_services.consent_record(actor=prescriber, access=access, kind="email", method="paper")
    today = clinic_today(clinic)
    for i in range(medicines):
        medication_services.medication_start(actor=prescriber, access=access, drug=f"Vitamin D {i}",
                                             source="supplement", frequency="daily", start_date=today)
    for _ in range(plans):
        medication_services.plan_create(actor=prescriber, access=access, kind="titration", drug="lamotrigine",
                                        start_date=today - timedelta(days=3))
    medication_services.medication_start(actor=prescriber, access=access, drug="sertraline",
                                         dose_mg_per_day=Decimal(50), frequency="once daily", start_date=today)
    link_create(actor=prescriber, access=access_patient(prescriber, patient.pk, "assessments.administer"),
                questionnaire="phq9", send_email=False)
    user = User.objects.create_user(email=f"bench{index}@example.org", password="bench-password-2026",
                                    full_name=f"Bench{index}", role="patient", clinic=clinic)
    PortalAccount.objects.create(clinic=clinic, patient=patient, user=user, status=PortalStatus.ACTIVE,
                                 invited_at=timezone.now(), invited_by=prescriber, activated_at=timezone.now())
    return user


def _measure(client, url: str) -> tuple[float, int]:
    from django.db import connection

    client.get(url)  # warm up
    # Counted by an execute wrapper: the test client's request_started signal resets connection.queries.
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(queries)


def _first_load(client) -> tuple[int, int, list[tuple[str, int]]]:
    html = client.get("/portal/").content
    urls = re.findall(rb'(?:href|src)="(/static/[^"]+|/portal/manifest\.webmanifest)"', html)
    parts = [("/portal/ (HTML)", html)]
    for url in dict.fromkeys(u.decode() for u in urls):
        answer = client.get(url)
        body = b"".join(answer.streaming_content) if answer.streaming else answer.content
        parts.append((url, body))
    worker = client.get("/portal/sw.js").content
    parts.append(("/portal/sw.js", worker))
    raw = sum(len(body) for _, body in parts)
    zipped = sum(len(gzip.compress(body)) for _, body in parts)
    return raw, zipped, [(name, len(body)) for name, body in parts]


def main() -> int:
    vendor = bench_database_setup()
    bench_django_setup()
    from django.test import Client

    from dosewise.accounts.models import User
    from dosewise.clinics.models import Clinic
    from dosewise.demo import consent_texts_create

    clinic = Clinic.objects.create(name="Bench Clinic", slug="bench", mrn_prefix="BE", timezone="America/Chicago")
    consent_texts_create(clinic)
    prescriber = User.objects.create_user(email="rx@bench.test", password="bench-password-2026",
                                          full_name="Bench Prescriber", role="prescriber", clinic=clinic)
    results = {}
    for label, medicines, plans in (("2 medicines, 1 plan", 1, 1), ("20 medicines, 6 plans", 19, 6)):
        user = _patient(clinic, prescriber, len(results), medicines, plans)
        client = Client()
        client.force_login(user)
        results[label] = _measure(client, "/portal/")
    raw, zipped, parts = _first_load(client)

    print(f"Portal Today page ({vendor}, median of {REPEAT}):")
    for label, (ms, queries) in results.items():
        print(f"  {label}: {ms:.1f} ms, {queries} queries")
    print("First load:")
    for name, size in parts:
        print(f"  {name}: {size:,} bytes")
    print(f"  total: {raw / 1024:.1f} KB raw, {zipped / 1024:.1f} KB gzipped")
    counts = {q for _, q in results.values()}
    ok = len(counts) == 1 and all(ms < BUDGET_MS for ms, _ in results.values()) and raw / 1024 < BUDGET_KB
    print(f"Budget (< {BUDGET_MS} ms, constant queries, first load < {BUDGET_KB} KB raw): {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
