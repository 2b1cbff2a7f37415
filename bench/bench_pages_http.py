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

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from _budget import Budgets, verdict
from _setup import bench_database_setup, bench_django_setup

N_PATIENTS = int(os.environ.get("BENCH_PATIENTS", "3200"))
YEARS = int(os.environ.get("BENCH_YEARS", "2"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "16"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
SHARE_FLOOR = 0.10
P99_BUDGET_MS = 150


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _session_cookie(user) -> str:
    """Return a session cookie value for `user`, signed in and past the two-factor check."""
    from django.conf import settings
    from django.test import Client

    from dosewise.accounts.middleware import MFA_OK_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[MFA_OK_KEY] = True
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _hammer(port: int, path: str, cookie: str) -> tuple[int, int, list[float]]:
    """Request `path` from CONCURRENCY threads for SECONDS; return (ok, errors, latencies in ms)."""
    stop = time.perf_counter() + SECONDS
    results: list[tuple[int, int, list[float]]] = []
    lock = threading.Lock()

    def run() -> None:
        ok = errors = 0
        latencies: list[float] = []
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", path, headers={"Cookie": cookie, "Host": "localhost"})
                response = conn.getresponse()
                response.read()
                conn.close()
                good = response.status == 200
            except OSError:
                good = False
            latencies.append((time.perf_counter() - started) * 1000)
            ok, errors = ok + good, errors + (not good)
        with lock:
            results.append((ok, errors, latencies))

    threads = [threading.Thread(target=run) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return (sum(r[0] for r in results), sum(r[1] for r in results),
            sorted(latency for r in results for latency in r[2]))


def main() -> int:
    vendor = bench_database_setup()
    bench_django_setup()
    from django.db import connection

    from dosewise.accounts.models import User
    from dosewise.clinics.models import Clinic
    from dosewise.demo import database_analyze, demo_load
    from dosewise.patients.models import CareTeamMember
    from dosewise.web.population import population_load

    demo_load(patients=0)
    clinic = Clinic.objects.get(slug="demo")
    started = time.perf_counter()
    counts = population_load(clinic, patients=N_PATIENTS, years=YEARS)
    database_analyze()
    loaded = time.perf_counter() - started
    prescriber = User.objects.get(clinic=clinic, role="prescriber")
    cookie = _session_cookie(prescriber)
    patient = (CareTeamMember.objects.filter(member=prescriber).order_by("patient_id")
               .values_list("patient_id", flat=True)[N_PATIENTS // 3])
    connection.close()

    port = _free_port()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="dosewise.config.settings")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "dosewise.config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--log-level", "warning"], env=env, cwd=Path(__file__).parent.parent)
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
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
            p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else float("nan")
            met = True
            if path != "/healthz":
                met = budgets.at_least(f"{label} share of /healthz", share, SHARE_FLOOR)
                met = budgets.at_most(f"{label} p99", p99, P99_BUDGET_MS, " ms") and met
            if errors:
                budgets.missed.append(f"{label}: {errors} requests failed")
            print(f"| {label} | {rate:.0f} | {share:.3f} | {median:.0f} | {p99:.0f} | {errors} | "
                  f"{'reference' if path == '/healthz' else verdict(met and not errors)} |", flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return budgets.exit_code()


if __name__ == "__main__":
    sys.exit(main())
