"""The clinic's week: 20 providers and 2,000 appointments, and the next free slot across them.

Run: `.venv/bin/python bench/bench_schedule.py` (SQLite) or `DATABASE_URL=postgres://postgres@127.0.0.1:5432/
dosewise_bench_schedule .venv/bin/python bench/bench_schedule.py` (PostgreSQL; the database is recreated).
Twenty clinicians work 08:00-18:00 Monday to Friday; the measured week is full (20 half-hour
appointments a day each, 2,000 in all, bulk-inserted), and a lighter week holds 200. Prints the
week view's server time (the view through Django's test client, template included) and its
query count for both weeks, and the time to find the next free slot across the 20 providers
from the start of the full week (the answer lies in the following week, so the search walks
every busy day first). Budgets: week view under 150 ms with a constant number of queries; next
free slot under 20 ms.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock

from _setup import bench_database_setup, bench_django_setup, bench_signed_in_client

PROVIDERS = 20
REPEAT = int(os.environ.get("BENCH_REPEAT", "15"))
WEEK_BUDGET_MS, SLOT_BUDGET_MS = 150, 20


def _load():
    from django.db import transaction

    from dosewise.accounts.models import User
    from dosewise.clinics.clock import clinic_today, clinic_zone
    from dosewise.clinics.models import Clinic
    from dosewise.patients.models import Patient
    from dosewise.scheduling.models import Appointment, AppointmentType, WeeklyHours

    clinic = Clinic.objects.create(name="Bench clinic", slug="bench", timezone="America/Chicago")
    zone = clinic_zone(clinic)
    desk = User.objects.create_user(email="desk@bench.test", full_name="Desk", role="front_desk", clinic=clinic)
    with transaction.atomic():
        providers = [User.objects.create_user(email=f"p{n}@bench.test", full_name=f"Provider {n:02d}",
                                              role="prescriber", clinic=clinic) for n in range(PROVIDERS)]
        WeeklyHours.objects.bulk_create([WeeklyHours(clinic=clinic, provider=p, weekday=d, start_time=clock(8),
                                                     end_time=clock(18)) for p in providers for d in range(5)])
        patients = Patient.objects.bulk_create([
            Patient(clinic=clinic, mrn=f"BS{n:05d}", legal_given_name=f"Given{n}", legal_family_name=f"Family{n}",
                    date_of_birth=datetime(1970, 1, 1).date(), sex_at_birth="female", created_by=desk)
            for n in range(2000)])
        kind = AppointmentType.objects.create(clinic=clinic, name="Follow-up", duration_minutes=30)
        today = clinic_today(clinic)
        full = today + timedelta(days=7 - today.weekday())  # next Monday
        light = full + timedelta(weeks=2)
        rows, n = [], 0
        for week, per_day in ((full, 20), (light, 2)):
            for p in providers:
                for d in range(5):
                    for slot in range(per_day):
                        start = datetime.combine(week + timedelta(days=d), clock(8), tzinfo=zone) + timedelta(
                            minutes=30 * slot)
                        rows.append(Appointment(clinic=clinic, patient=patients[n % len(patients)], provider=p,
                                                type=kind, starts_at=start, ends_at=start + timedelta(minutes=30),
                                                blocks_until=start + timedelta(minutes=30), booked_by=desk))
                        n += 1
        Appointment.objects.bulk_create(rows, batch_size=1000)
    return desk, providers, kind, full, light, zone


def _median_ms(run) -> tuple[float, float]:
    """Return the medians of wall-clock and CPU time (ms); on a loaded machine CPU time is the steadier."""
    wall, cpu = [], []
    for _ in range(REPEAT):
        start, start_cpu = time.perf_counter(), time.process_time()
        run()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> int:
    vendor = bench_database_setup()
    bench_django_setup()
    from django.db import connection
    from django.urls import reverse

    from dosewise.scheduling.models import Appointment
    from dosewise.scheduling.selectors import next_free_slot

    desk, providers, kind, full, light, zone = _load()
    client = bench_signed_in_client(desk)
    url = reverse("scheduling:schedule")
    figures = {}
    for label, week in (("full week", full), ("light week", light)):
        params = {"view": "week", "date": week.isoformat(), "provider": "all"}
        assert client.get(url, params).status_code == 200
        statements: list[str] = []

        def counted(execute, sql, *args, seen=statements):
            seen.append(sql)
            return execute(sql, *args)

        with connection.execute_wrapper(counted):
            client.get(url, params)
        count = Appointment.objects.filter(starts_at__gte=datetime.combine(week, clock(0), tzinfo=zone),
                                           starts_at__lt=datetime.combine(week + timedelta(days=7), clock(0),
                                                                          tzinfo=zone)).count()
        figures[label] = (count, _median_ms(lambda p=params: client.get(url, p)), len(statements))
    after = datetime.combine(full, clock(0), tzinfo=zone)
    found = next_free_slot(desk, providers=providers, kind=kind, after=after)
    slot_ms = _median_ms(lambda: next_free_slot(desk, providers=providers, kind=kind, after=after))
    print(f"database: {vendor}; {PROVIDERS} providers; median of {REPEAT} runs\n")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores\n")
    print("| week view | appointments | median ms (wall) | median ms (CPU) | queries |\n|---|---:|---:|---:|---:|")
    for label, (count, (wall, cpu), queries) in figures.items():
        print(f"| {label} | {count} | {wall:.1f} | {cpu:.1f} | {queries} |")
    print(f"\nnext free slot across {PROVIDERS} providers from the full week's Monday: "
          f"{found[1].astimezone(zone):%a %Y-%m-%d %H:%M} with {found[0].full_name}; "
          f"median {slot_ms[0]:.2f} ms wall, {slot_ms[1]:.2f} ms CPU")
    constant = figures["full week"][2] == figures["light week"][2]
    week_cpu = figures["full week"][1][1]
    ok = week_cpu < WEEK_BUDGET_MS and constant and slot_ms[1] < SLOT_BUDGET_MS
    print(f"\nbudgets (CPU time): week view < {WEEK_BUDGET_MS} ms with constant queries "
          f"({'met' if week_cpu < WEEK_BUDGET_MS and constant else 'NOT met'}); "
          f"next free slot < {SLOT_BUDGET_MS} ms ({'met' if slot_ms[1] < SLOT_BUDGET_MS else 'NOT met'})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
