"""Staff pages over HTTP against gunicorn, each as a share of `/healthz` measured in the same run.

Run: `DATABASE_URL=postgres://postgres@127.0.0.1:5432/dosewise_bench_pages .venv/bin/python
bench/bench_pages_http.py` (the database is recreated; without DATABASE_URL a SQLite file).
BENCH_PATIENTS (default 3200) patients with BENCH_YEARS (default 2) years of history are loaded
with `population_load`; gunicorn runs BENCH_WORKERS (default 4) sync workers on loopback; each
page is requested by BENCH_CONCURRENCY (default 16) client threads for BENCH_SECONDS (default
10) seconds. Prints requests per second, the share of `/healthz`, median and p99 latency.

Budgets (goal 1 of issue 16): every staff page at least 0.10 of `/healthz` with p99 under 150 ms.
The client runs on the same two cores as the server, which caps `/healthz` far lower than a
separate load generator would; the share is therefore a conservative figure for the pages.
"""

from __future__ import annotations

import os
import statistics
import sys

from _budget import Budgets, verdict
from _http import free_port, gunicorn_running, hammer, percentile, population_prepare, session_cookie
from _setup import bench_database_setup, bench_django_setup

N_PATIENTS = int(os.environ.get("BENCH_PATIENTS", "3200"))
YEARS = int(os.environ.get("BENCH_YEARS", "2"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
SHARE_FLOOR = 0.10
P99_BUDGET_MS = 150


def _hammer(port: int, path: str, cookie: str) -> tuple[int, int, list[float]]:
    return hammer(port, path, cookie, concurrency=CONCURRENCY, seconds=SECONDS)


def main() -> int:
    vendor = bench_database_setup()
    bench_django_setup()
    from django.db import connection

    from dosewise.accounts.models import User
    from dosewise.patients.models import CareTeamMember

    clinic, counts, loaded = population_prepare(N_PATIENTS, YEARS)
    prescriber = User.objects.get(clinic=clinic, role="prescriber")
    cookie = session_cookie(prescriber)
    patient = (CareTeamMember.objects.filter(member=prescriber).order_by("patient_id")
               .values_list("patient_id", flat=True)[N_PATIENTS // 3])
    connection.close()

    port = free_port()
    with gunicorn_running(port, WORKERS):
        pages = {
            "/healthz": "/healthz",
            "Today": "/",
            "worklist (first page)": "/monitoring/worklist/",
            "caseload": "/assessments/caseload/",
            "chart overview": f"/patients/{patient}/",
            "chart assessments": f"/patients/{patient}/tab/assessments/",
            "chart medications": f"/patients/{patient}/tab/medications/",
            "chart monitoring": f"/patients/{patient}/tab/monitoring/",
        }
        print(f"# Pages over HTTP, {vendor}, gunicorn {WORKERS} sync workers, {CONCURRENCY} concurrent clients, "
              f"{SECONDS:g} s each; {counts.patients} patients, {counts.observations} results, "
              f"{counts.medication_events} medication events, {counts.responses} questionnaire answers "
              f"(loaded in {loaded:.0f} s); 1-minute load average {os.getloadavg()[0]:.1f}\n")
        print("| page | req/s | share of /healthz | median ms | p99 ms | errors | verdict |")
        print("|---|---:|---:|---:|---:|---:|---|")
        budgets = Budgets()
        floor = None
        for label, path in pages.items():
            _hammer(port, path, cookie)  # warm up the workers (imports, knowledge base, caches)
            ok, errors, latencies = _hammer(port, path, cookie)
            rate = ok / SECONDS
            floor = floor or rate
            share = rate / floor
            median = statistics.median(latencies) if latencies else float("nan")
            p99 = percentile(latencies, 0.99)
            met = True
            if path != "/healthz":
                met = budgets.at_least(f"{label} share of /healthz", share, SHARE_FLOOR)
                met = budgets.at_most(f"{label} p99", p99, P99_BUDGET_MS, " ms") and met
            if errors:
                budgets.missed.append(f"{label}: {errors} requests failed")
            print(f"| {label} | {rate:.0f} | {share:.3f} | {median:.0f} | {p99:.0f} | {errors} | "
                  f"{'reference' if path == '/healthz' else verdict(met and not errors)} |", flush=True)
    return budgets.exit_code()


if __name__ == "__main__":
    sys.exit(main())
