"""The measurement-based-care caseload of a prescriber with 2,000 patients and 50,000 scores.

Run: `.venv/bin/python bench/bench_caseload.py` (SQLite) or `DATABASE_URL=postgres://postgres@127.0.0.1:5432/
dosewise_bench_caseload .venv/bin/python bench/bench_caseload.py` (PostgreSQL; the database is created if
missing and emptied first). The data is bulk-inserted: 25 PHQ-9 responses per patient with their
summary rows, a schedule per patient (a fifth overdue) and an urgent task for one patient in fifty.
Prints server-side medians (the view called through Django's test client, template rendering
included) and query counts as a markdown table. Budget: under 300 ms, constant queries.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import date, timedelta

from _setup import bench_database_setup, bench_django_setup, bench_signed_in_client

N_PATIENTS = int(os.environ.get("BENCH_PATIENTS", "2000"))
N_SCORES = int(os.environ.get("BENCH_SCORES", "50000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
BUDGET_MS = 300


def _load(clinic, prescriber) -> None:
    """Bulk-insert the patients, their care-team rows, scores, summaries, schedules and tasks."""
    from django.db import transaction
    from django.utils import timezone

    from dosewise.assessments.models import (
        CareTask,
        MeasurementSchedule,
        QuestionnaireResponse,
        ScoreSummary,
    )
    from dosewise.assessments.services import judge_outcomes, kb_version
    from dosewise.clinical.instruments import get_instrument, score
    from dosewise.patients.models import CareTeamMember, Patient

    rng = random.Random(11)
    phq9 = get_instrument("phq9")
    version = kb_version()
    now = timezone.now()
    today = timezone.localdate()
    per_patient = N_SCORES // N_PATIENTS
    with transaction.atomic():
        patients = Patient.objects.bulk_create([
            Patient(clinic=clinic, mrn=f"BC{n:06d}", legal_given_name=f"Given{n}", legal_family_name=f"Family{n:05d}",
                    date_of_birth=date(1950 + n % 50, 1 + n % 12, 1 + n % 28), sex_at_birth="female",
                    created_by=prescriber)
            for n in range(N_PATIENTS)
        ], batch_size=1000)
        CareTeamMember.objects.bulk_create([
            CareTeamMember(clinic=clinic, patient=p, member=prescriber, team_role="prescriber",
                           since=today - timedelta(days=400), added_by=prescriber) for p in patients
        ], batch_size=1000)
        responses, summaries, schedules, tasks = [], [], [], []
        for index, patient in enumerate(patients):
            start = rng.randint(8, 24)
            slope = rng.uniform(-0.8, 0.2)
            history = []
            for k in range(per_patient):
                total = max(0, min(24, round(start + slope * k + rng.uniform(-2, 2))))
                answers = [min(3, max(0, total - 3 * i)) for i in range(8)] + [0]
                result = score(phq9, answers)
                authored = now - timedelta(days=14 * (per_patient - k))
                history.append((authored, result.total, result.severity))
                responses.append(QuestionnaireResponse(
                    clinic=clinic, patient=patient, questionnaire="phq9", questionnaire_version=version,
                    status="completed", authored=authored, source="remote", answers=list(result.answers),
                    code="44261-6", total=result.total, severity=result.severity, positive=None, alerts=[],
                    risk=False))
            judged = judge_outcomes(phq9, [(a.date(), t) for a, t, _ in history])
            first, last = history[0], history[-1]
            summaries.append(ScoreSummary(
                clinic=clinic, patient=patient, questionnaire="phq9", count=len(history), baseline_total=first[1],
                baseline_at=first[0], latest_total=last[1], latest_at=last[0], latest_severity=last[2],
                change=last[1] - first[1], reduction=(first[1] - last[1]) / first[1] if first[1] else None,
                response=judged.response, remission=judged.remission, reliable_change=judged.reliable_change,
                not_improving=judged.not_improving))
            overdue = index % 5 == 0
            schedules.append(MeasurementSchedule(
                clinic=clinic, patient=patient, questionnaire="phq9", interval_days=14,
                next_due=today - timedelta(days=3) if overdue else today + timedelta(days=7), created_by=prescriber))
            if index % 50 == 0:
                tasks.append(CareTask(clinic=clinic, patient=patient, kind="urgent-risk",
                                      message="PHQ-9 item 9 endorsed", assigned_role="prescriber",
                                      assigned_user=prescriber, created_at=now - timedelta(hours=2)))
        QuestionnaireResponse.objects.bulk_create(responses, batch_size=2000)
        ScoreSummary.objects.bulk_create(summaries, batch_size=1000)
        MeasurementSchedule.objects.bulk_create(schedules, batch_size=1000)
        CareTask.objects.bulk_create(tasks, batch_size=1000)


def main() -> int:
    vendor = bench_database_setup()
    bench_django_setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dosewise.accounts.models import User
    from dosewise.assessments.models import QuestionnaireResponse
    from dosewise.clinics.models import Clinic
    from dosewise.demo import database_analyze, demo_load

    demo_load(patients=0)
    clinic = Clinic.objects.get(slug="demo")
    prescriber = User.objects.get(clinic=clinic, role="prescriber")
    started = time.perf_counter()
    _load(clinic, prescriber)
    database_analyze()
    load_seconds = time.perf_counter() - started

    client = bench_signed_in_client(prescriber)

    scenarios = {
        "caseload, default (open risk first)": {},
        "sorted by latest score": {"sort": "latest"},
        "filtered: not improving": {"status": "not_improving"},
        "filtered: overdue, page 5": {"status": "overdue", "page": "5"},
    }
    print(f"# Caseload, {vendor}: {N_PATIENTS} patients on one prescriber's care teams, "
          f"{QuestionnaireResponse.objects.count()} scores (loaded in {load_seconds:.1f} s)\n")
    print("| view | median ms | p90 ms | queries |")
    print("|---|---:|---:|---:|")
    failures = []
    for label, params in scenarios.items():
        client.get("/assessments/caseload/", params)  # warm up
        timings = []
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            response = client.get("/assessments/caseload/", params)
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as queries:
            client.get("/assessments/caseload/", params)
        median = statistics.median(timings)
        p90 = sorted(timings)[int(len(timings) * 0.9) - 1]
        print(f"| {label} | {median:.1f} | {p90:.1f} | {len(queries)} |")
        if median > BUDGET_MS:
            failures.append(f"{label}: median {median:.0f} ms over the {BUDGET_MS} ms budget")
    print(f"\nBudget: median under {BUDGET_MS} ms per view; the query count is the same for any caseload size "
          "(asserted by src/dosewise/assessments/tests/test_views.py).")
    for failure in failures:
        print(f"OVER BUDGET: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
