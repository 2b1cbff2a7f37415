"""The staff inbox of secure messages with 10,000 threads, and the Today section beside it.

Run: `.venv/bin/python bench/bench_inbox.py` (SQLite) or with DATABASE_URL set to a PostgreSQL
database (created if missing and emptied first). BENCH_THREADS and BENCH_PATIENTS scale it.
Threads are bulk-inserted for patients on the prescriber's care team: three in five open,
one in five waiting on the patient, one in five closed, one in a hundred urgent, due times
spread over two weeks either side of now. The inbox is measured first with a tenth of the
threads and then with all of them, in one run, so the ratio compares like with like.
Prints server-side medians (the view through Django's test client, templates included), as wall
time and as the process's CPU time (which the other programs on a shared machine do not inflate),
and query counts. Budget: the inbox with 10,000 threads under 100 ms, with the same number of
queries at both sizes. Today is printed for information: its other sections (the worklist, the
patients) belong to other apps and vary with their data.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import date, timedelta

from _setup import bench_database_setup, bench_django_setup, bench_signed_in_client

N_THREADS = int(os.environ.get("BENCH_THREADS", "10000"))
N_PATIENTS = int(os.environ.get("BENCH_PATIENTS", "2000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
BUDGET_MS = 100


def _patients(clinic, prescriber) -> list:
    from django.utils import timezone

    from dosewise.patients.models import CareTeamMember, Patient

    today = timezone.localdate()
    patients = Patient.objects.bulk_create([
        Patient(clinic=clinic, mrn=f"BM{n:06d}", legal_given_name=f"Given{n}", legal_family_name=f"Family{n:05d}",
                date_of_birth=date(1950 + n % 50, 1 + n % 12, 1 + n % 28), sex_at_birth="female",
                created_by=prescriber) for n in range(N_PATIENTS)], batch_size=2000)
    CareTeamMember.objects.bulk_create([
        CareTeamMember(clinic=clinic, patient=p, member=prescriber, team_role="prescriber",
                       since=today - timedelta(days=400), added_by=prescriber) for p in patients], batch_size=2000)
    return patients


def _threads(clinic, prescriber, patients, count: int, start: int) -> None:
    from django.utils import timezone

    from dosewise.messaging.models import Message, Thread

    rng = random.Random(start)
    now = timezone.now()
    rows = []
    for n in range(start, start + count):
        status = ("open", "open", "open", "waiting", "closed")[n % 5]
        last = now - timedelta(minutes=rng.randint(1, 60 * 24 * 60))
        awaiting = last if status == "open" else None
        rows.append(Thread(
            clinic=clinic, patient=patients[n % len(patients)], subject=f"Question {n}", status=status,
            urgent=n % 100 == 0, urgency="emergency" if n % 100 == 0 else "routine",
            assigned_to=prescriber if n % 3 == 0 else None, created_by=prescriber, created_at=last,
            last_message_at=last, last_excerpt=f"About my medicine, message {n}", awaiting_since=awaiting,
            reply_due_at=now + timedelta(hours=rng.randint(-14 * 24, 14 * 24)) if awaiting else None,
            staff_unread=status == "open", closed_at=last if status == "closed" else None))
    Thread.objects.bulk_create(rows, batch_size=2000)
    made = Thread.objects.filter(subject__startswith="Question ").order_by("-pk")[:count]
    Message.objects.bulk_create([
        Message(clinic=clinic, patient_id=t.patient_id, thread=t, author=prescriber, from_patient=True,
                body=t.last_excerpt, created_at=t.last_message_at, urgency=t.urgency) for t in made], batch_size=2000)


def _measure(client, path: str, params: dict) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path, params)
    timings, cpu = [], []
    for _ in range(REPEAT):
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(path, params)
        timings.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(path, params)
    return statistics.median(timings), statistics.median(cpu), len(queries)


def main() -> int:
    vendor = bench_database_setup()
    bench_django_setup()
    from dosewise.accounts.models import User
    from dosewise.clinics.models import Clinic
    from dosewise.demo import database_analyze, demo_load
    from dosewise.messaging.models import Thread

    demo_load(patients=0)
    clinic = Clinic.objects.get(slug="demo")
    prescriber = User.objects.get(clinic=clinic, role="prescriber")
    patients = _patients(clinic, prescriber)
    client = bench_signed_in_client(prescriber)
    views = {"inbox, open (page 1)": ("/messages/", {}),
             "inbox, all statuses, page 20": ("/messages/", {"status": "all", "page": "20"}),
             "inbox, assigned to me": ("/messages/", {"scope": "assigned"}),
             "Today (with the messages section)": ("/", {})}
    figures: dict[str, dict[int, tuple]] = {label: {} for label in views}
    small = N_THREADS // 10
    for size, add, start in ((small, small, 0), (N_THREADS, N_THREADS - small, small)):
        _threads(clinic, prescriber, patients, add, start)
        database_analyze()
        for label, (path, params) in views.items():
            figures[label][size] = _measure(client, path, params)
    print(f"# Staff inbox, {vendor}: {Thread.objects.count()} threads of {N_PATIENTS} patients on the "
          f"prescriber's care team, {REPEAT} requests each\n")
    print(f"| view | {small} threads: wall ms, CPU ms, queries | {N_THREADS} threads: wall ms, CPU ms, queries "
          "| CPU ratio |")
    print("|---|---:|---:|---:|")
    failures = []
    for label, by_size in figures.items():
        (m1, c1, q1), (m2, c2, q2) = by_size[small], by_size[N_THREADS]
        print(f"| {label} | {m1:.1f}, {c1:.1f}, {q1} | {m2:.1f}, {c2:.1f}, {q2} | {c2 / c1:.2f} |")
        if label.startswith("inbox") and q1 != q2:
            failures.append(f"{label}: {q1} queries with {small} threads, {q2} with {N_THREADS}")
        if label.startswith("inbox") and c2 > BUDGET_MS:
            failures.append(f"{label}: median CPU {c2:.0f} ms over the {BUDGET_MS} ms budget")
    print(f"\nBudget: the inbox with {N_THREADS} threads under {BUDGET_MS} ms, the same queries at both sizes.")
    for failure in failures:
        print(f"OVER BUDGET: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
