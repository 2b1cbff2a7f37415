"""Pre-filling a follow-up note for a patient with five years of history.

Run: `.venv/bin/python bench/bench_visits_prefill.py` (SQLite) or with DATABASE_URL set to a
PostgreSQL database (recreated). Two patients of one clinic: one with a month of history, one
with five years (a PHQ-9 and a GAD-7 every two weeks, a dose change every quarter, monthly
side-effect reports, fills and lab results), each with a signed visit note four weeks ago.
Prints the server time of `note_start` for a follow-up (the interval summary, the insert and
its audit event) as medians of wall-clock and CPU time, and the number of queries for each
patient. Budget: under 100 ms, and the same number of queries for both histories.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal

from _setup import bench_database_setup, bench_django_setup

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
YEARS = 5
BUDGET_MS = 100


def _history(patient, prescriber, days: int) -> None:
    """Bulk-insert `days` of history for the patient (fast; the services are tested elsewhere)."""
    from django.utils import timezone

    from dosewise.assessments.models import QuestionnaireResponse, ScoreSummary
    from dosewise.medications.models import DoseChange, Medication
    from dosewise.monitoring.models import Observation, PharmacyFill, SideEffect

    now = timezone.now()
    start = now - timedelta(days=days)
    meds = [Medication.objects.create(clinic=patient.clinic, patient=patient, ingredient=drug,
                                      dose_mg_per_day=Decimal(dose), frequency="once daily",
                                      start_date=start.date(), created_by=prescriber)
            for drug, dose in (("sertraline", "100"), ("lithium carbonate", "900"), ("quetiapine", "100"))]
    responses = []
    for n in range(days // 14 + 1):
        for key, total, severity in (("phq9", 18 - (n % 12), "moderate"), ("gad7", 12 - (n % 9), "moderate")):
            responses.append(QuestionnaireResponse(
                clinic=patient.clinic, patient=patient, questionnaire=key, questionnaire_version="bench",
                authored=start + timedelta(days=14 * n), source="clinic", answers=[], total=total, severity=severity))
    QuestionnaireResponse.objects.bulk_create(responses)
    for key in ("phq9", "gad7"):
        ScoreSummary.objects.create(clinic=patient.clinic, patient=patient, questionnaire=key,
                                    count=len(responses) // 2, latest_total=10, latest_at=now)
    DoseChange.objects.bulk_create([
        DoseChange(clinic=patient.clinic, patient=patient, medication=meds[n % 3], kind="dose",
                   old_dose_mg_per_day=Decimal(50), new_dose_mg_per_day=Decimal(100), changed_by=prescriber)
        for n in range(days // 90 + 1)])
    changes = list(DoseChange.objects.filter(patient=patient).order_by("pk"))
    for n, change in enumerate(changes):  # spread over the years (changed_at is set on insert)
        change.changed_at = start + timedelta(days=90 * n)
    DoseChange.objects.bulk_update(changes, ["changed_at"])
    SideEffect.objects.bulk_create([
        SideEffect(clinic=patient.clinic, patient=patient, code="nausea", severity="mild", burden=2,
                   noted_on=(start + timedelta(days=30 * n)).date(), recorded_by=prescriber)
        for n in range(days // 30 + 1)])
    PharmacyFill.objects.bulk_create([
        PharmacyFill(clinic=patient.clinic, patient=patient, medication=meds[n % 3],
                     filled_on=(start + timedelta(days=30 * (n // 3))).date(), days_supply=30, quantity=30,
                     recorded_by=prescriber)
        for n in range(3 * (days // 30 + 1))])
    Observation.objects.bulk_create([
        Observation(clinic=patient.clinic, patient=patient, test="lithium-level", value=Decimal("0.7"), unit="mmol/L",
                    value_canonical=Decimal("0.7"), unit_canonical="mmol/L",
                    effective_at=start + timedelta(days=30 * n), flag="normal", band="therapeutic", action="",
                    kb_version="bench", recorded_by=prescriber)
        for n in range(days // 30 + 1)])


def main() -> int:
    vendor = bench_database_setup()
    bench_django_setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from dosewise.accounts.models import User
    from dosewise.clinics.models import Clinic
    from dosewise.patients import services as patient_services
    from dosewise.patients.selectors import access_patient
    from dosewise.visits import services
    from dosewise.visits.models import NoteTemplate

    clinic = Clinic.objects.create(name="Bench", slug="bench", mrn_prefix="BV", timezone="America/Chicago")
    prescriber = User.objects.create_user(email="p@bench.test", password="x" * 20, full_name="Bench Prescriber",
                                          role="prescriber", clinic=clinic)
    services.shipped_templates_ensure()
    follow_up = NoteTemplate.objects.get(clinic__isnull=True, key="follow-up")
    patients = {}
    for label, days in (("one month", 30), (f"{YEARS} years", 365 * YEARS)):
        patient = patient_services.patient_register(actor=prescriber, data={
            "legal_given_name": "Bench", "legal_family_name": label.replace(" ", ""), "date_of_birth": "1980-01-01",
            "sex_at_birth": "female"})
        _history(patient, prescriber, days)
        access = access_patient(prescriber, patient.pk, "clinical.edit")
        note = services.note_start(actor=prescriber, access=access, template_id=follow_up.pk)
        note.visit_date = note.visit_date - timedelta(days=28)
        note.save()
        note = services.note_save(actor=prescriber, access=access, note_id=note.pk, expected_version=note.version,
                                  changes=services.DraftChanges(sections={"plan": "Continue"}, reviewed=[],
                                                                sensitive=False, supervisor_id=None,
                                                                follow_up_weeks=4))
        services.note_sign(actor=prescriber, access=access, note_id=note.pk, expected_version=note.version)
        patients[label] = access
    print(f"Follow-up note pre-fill ({vendor}), {REPEAT} runs each, note_start inside a rolled-back transaction")
    print(f"{'history':<10} {'rows':>6} {'median wall ms':>15} {'median CPU ms':>14} {'queries':>8}")
    failed = False
    counts = []
    for label, access in patients.items():
        services.note_start(actor=prescriber, access=access, template_id=follow_up.pk)  # warm caches
        walls, cpus = [], []
        for _ in range(REPEAT):
            with transaction.atomic():
                with CaptureQueriesContext(connection) as queries:
                    wall, cpu = time.perf_counter(), time.process_time()
                    note = services.note_start(actor=prescriber, access=access, template_id=follow_up.pk)
                    cpus.append((time.process_time() - cpu) * 1000)
                    walls.append((time.perf_counter() - wall) * 1000)
                transaction.set_rollback(True)
        rows = sum(len(v) for k, v in note.interval.items() if isinstance(v, list))
        counts.append(len(queries.captured_queries))
        print(f"{label:<10} {rows:>6} {statistics.median(walls):>15.1f} {statistics.median(cpus):>14.1f} "
              f"{counts[-1]:>8}")
        failed |= statistics.median(walls) >= BUDGET_MS
    constant = len(set(counts)) == 1
    print(f"budget {BUDGET_MS} ms: {'met' if not failed else 'MISSED'}; queries constant: {constant}")
    return 0 if constant and not failed else 1


if __name__ == "__main__":
    sys.exit(main())
