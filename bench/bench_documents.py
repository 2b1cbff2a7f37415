"""Render time of the printable documents as PDF: prescription, patient handout, plan calendar.

Run: `.venv/bin/python bench/bench_documents.py` (SQLite; DATABASE_URL for PostgreSQL as the other
benchmarks). A demo prescriber with a DEA number and NPI prescribes lorazepam (schedule IV) and
sertraline and saves a sertraline taper. Each document is fetched through Django's test client
(session, access check, audit event, template, PDF renderer), and the renderer alone is timed
on the prepared HTML. Set BENCH_PDF_DIR to keep one PDF of each for looking at.
Prints medians and p90 as a markdown table with the size and page count of each PDF.
Budget: a prescription or handout under 1 s server time (a prescriber waits for it at the desk);
a calendar under 10 ms per day of the plan, since it prints a box for every day.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from _setup import bench_database_setup, bench_django_setup, bench_signed_in_client

REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
BUDGET_MS = 1000
# A calendar has a box per day: its render time grows with the plan's length (about 3 ms a day).
CALENDAR_MS_PER_DAY = 10


def _days(plan) -> int:
    from dosewise.medications.selectors import plan_calendar

    return len(plan_calendar(plan))


def _timed(call) -> tuple[float, float]:
    call()  # warm up: templates compiled, fonts loaded
    timings = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        call()
        timings.append((time.perf_counter() - t0) * 1000)
    return statistics.median(timings), sorted(timings)[max(int(len(timings) * 0.9) - 1, 0)]


def main() -> int:
    vendor = bench_database_setup()
    bench_django_setup()
    from django.urls import reverse
    from pypdf import PdfReader

    from dosewise.accounts.models import User
    from dosewise.clinics.models import Clinic
    from dosewise.demo import demo_load
    from dosewise.medications import services
    from dosewise.medications.transmission import PrintTransmitter
    from dosewise.patients import services as patient_services
    from dosewise.patients.selectors import access_patient

    demo_load(patients=0)
    clinic = Clinic.objects.get(slug="demo")
    prescriber = User.objects.get(clinic=clinic, role="prescriber")
    last_initial = prescriber.full_name.split()[-1][0].upper()
    prescriber.dea_number, prescriber.npi = f"A{last_initial}1234563", "1234567893"
    prescriber.save(update_fields=["dea_number", "npi"])
    patient = patient_services.patient_register(actor=prescriber, data={
        "legal_given_name": "Bench", "legal_family_name": "Patient", "date_of_birth": date(1990, 5, 1),
        "sex_at_birth": "female", "address": "12 Lake Street, Springfield, IL 62701"})
    access = access_patient(prescriber, patient.pk, "medications.prescribe")
    lorazepam = services.medication_start(
        actor=prescriber, access=access, drug="lorazepam", dose_mg_per_day=Decimal(2), strength_mg=Decimal(1),
        frequency="twice daily", quantity=60, refills=1, days_supply=30, instructions="One tablet twice a day",
        indication="Generalized anxiety disorder", indication_icd10="F41.1", pdmp_attested=True)
    sertraline = services.medication_start(actor=prescriber, access=access, drug="sertraline",
                                           dose_mg_per_day=Decimal(100), frequency="once daily")
    taper = services.plan_create(actor=prescriber, access=access, kind="taper", medication_id=sertraline.pk)
    titration = services.plan_create(actor=prescriber, access=access, kind="titration", drug="lamotrigine")

    client = bench_signed_in_client(prescriber)
    ids = {"patient_id": patient.pk}
    documents = (
        ("prescription (lorazepam, C-IV)", reverse("medications:prescription_pdf",
                                                   kwargs={**ids, "medication_id": lorazepam.pk})),
        ("patient handout (lorazepam)", reverse("medications:handout_pdf",
                                                kwargs={**ids, "medication_id": lorazepam.pk})),
    ) + tuple(
        (f"plan calendar: {plan.summary}, {_days(plan)} days",
         reverse("medications:plan_calendar_pdf", kwargs={**ids, "plan_id": plan.pk}))
        for plan in (titration, taper))
    keep = os.environ.get("BENCH_PDF_DIR")
    print(f"### Documents, {vendor}: PDF through the page's view (median of {REPEAT})\n")
    print("| document | median ms | p90 ms | pages | kB |")
    print("|---|---:|---:|---:|---:|")
    over = []
    for label, url in documents:
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF"), (label, response.status_code)
        pages = len(PdfReader(io.BytesIO(response.content)).pages)
        if keep:
            Path(keep).mkdir(parents=True, exist_ok=True)
            (Path(keep) / f"{url.rstrip('/').split('/')[-1].split('.')[0]}-{response.content[-40:].hex()[:6]}.pdf"
             ).write_bytes(response.content)
        median, p90 = _timed(lambda url=url: client.get(url))
        over += [label] if median > BUDGET_MS and "calendar" not in label else []
        over += [label] if "calendar" in label and median > CALENDAR_MS_PER_DAY * int(label.split()[-2]) else []
        print(f"| {label} | {median:.1f} | {p90:.1f} | {pages} | {len(response.content) / 1024:.0f} |")
    transmitter = PrintTransmitter()
    median, p90 = _timed(lambda: transmitter.render_pdf(lorazepam))
    print(f"| renderer alone: prescription (no request, no audit) | {median:.1f} | {p90:.1f} | | |")
    print(f"\nBudget: a prescription and a handout under {BUDGET_MS} ms server time; a plan calendar under "
          f"{CALENDAR_MS_PER_DAY} ms per day of the plan (a three-month plan under 1 s).")
    if over:
        print(f"OVER BUDGET: {', '.join(over)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
