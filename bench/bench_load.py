"""Clinicians and portal users at once, with locust, against gunicorn on loopback.

Run: `make bench-load` (SQLite, for a quick look) or on PostgreSQL
`make bench-load DATABASE_URL=postgres://postgres@127.0.0.1:5432/dosewise_bench_load`
(the database is dropped and recreated). Decision 0059 says why locust and how the run is bounded.

Size (environment variables; the defaults finish in a few minutes on 2 cores, the issue's full
size is in brackets):
  BENCH_LOAD_CLINICIANS   20   [200]    prescribers, each signed in, each with a share of the caseload
  BENCH_LOAD_PORTAL_USERS 200  [2000]   patients signed in to the portal, one account each
  BENCH_LOAD_SECONDS      120  [600]    run time of locust, the ramp included
  BENCH_LOAD_SPAWN_RATE   20   [20]     users started per second; statistics restart once all run
  BENCH_PATIENTS          1000 [10000]  synthetic patients (at least BENCH_LOAD_PORTAL_USERS with medicines)
  BENCH_YEARS             2    [5]      years of history each
  BENCH_WORKERS           4             gunicorn sync workers
Think times: BENCH_LOAD_CLINICIAN_WAIT (default "5,15" seconds between a clinician's actions) and
BENCH_LOAD_PORTAL_WAIT (default "20,60"), the same at both sizes: the default offers one tenth of
the full size's rate.

Users arrive at random within one think time of their start, not all with a first click at
once, and the statistics restart once all have started. Before locust starts, every page of the
mix and the safety check are asked from 8 threads (each worker has compiled its templates and
loaded the knowledge base, as on a server that has been up a while), then `/healthz` is
requested by 16 threads for 5 s: the framework's floor in requests per second on this machine.
During the run one more locust user asks `/healthz` every half second, so every endpoint's
median sits beside the floor's under the same load ("share of floor" = median of `/healthz` /
median of the endpoint, the sense of bench_pages_http.py's share: a page at 0.10 takes ten
times as long as the floor).

Budgets (issue 16): no failed request, and p99 under 300 ms for every endpoint at the offered rate.
The load generator shares the two cores with gunicorn and the database, so the offered rate and
the latencies are those of one machine doing everything; the 1-minute load average is printed.
"""

from __future__ import annotations

import csv
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from _budget import Budgets, verdict
from _http import ROOT, free_port, gunicorn_running, hammer, percentile, population_prepare, session_key
from _setup import bench_database_setup, bench_django_setup

CLINICIANS = int(os.environ.get("BENCH_LOAD_CLINICIANS", "20"))
PORTAL_USERS = int(os.environ.get("BENCH_LOAD_PORTAL_USERS", "200"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "120"))
SPAWN_RATE = float(os.environ.get("BENCH_LOAD_SPAWN_RATE", "20"))
N_PATIENTS = int(os.environ.get("BENCH_PATIENTS", "1000"))
YEARS = int(os.environ.get("BENCH_YEARS", "2"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
FLOOR_CONCURRENCY = 16
FLOOR_SECONDS = 5
P99_BUDGET_MS = 300
PORTAL_QUESTIONNAIRES = ("phq9", "gad7")
HEALTHZ = "/healthz"


def _answer_sets(key: str, count: int, rng: random.Random) -> list[dict[str, str]]:
    """Return `count` complete answer sets for a questionnaire that raise no risk alert.

    A risk answer would open an urgent task for the care team on every submission, which no
    clinic sees at this rate; the load test answers like patients who are not at risk.
    """
    from dosewise.clinical.instruments import load_instruments, score

    instrument = load_instruments()[key]
    found: list[dict[str, str]] = []
    while len(found) < count:
        values = [rng.choice(sorted(item.allowed)[:2]) for item in instrument.items]
        if not score(instrument, values).alerts:
            found.append({f"item_{item.number}": str(value) for item, value in zip(instrument.items, values,
                                                                                   strict=True)})
    return found


def accounts_create(clinic, *, clinicians: int, portal_users: int, path: Path, seed: int = 16) -> dict:
    """Create the signed-in accounts the locust users take, and write them to `path` as JSON.

    Clinicians are prescribers, each on the care team of every `clinicians`-th patient. Portal
    users are patients with at least one current medicine (the dose log needs one), each with an
    open PHQ-9 and GAD-7 link to answer. Sessions are made here, past the two-factor check, so
    the run measures the pages and not the sign-in.
    """
    from django.conf import settings
    from django.utils import timezone

    from dosewise.accounts.models import User
    from dosewise.assessments.services import link_create
    from dosewise.clinics.clock import clinic_today
    from dosewise.clinics.roles import Capability, Role
    from dosewise.medications.models import Medication, MedicationStatus
    from dosewise.patients.models import CareTeamMember, CareTeamRole, Patient
    from dosewise.patients.selectors import access_patient
    from dosewise.portal.models import PortalAccount, PortalStatus

    rng = random.Random(seed)
    today = clinic_today(clinic)
    owner = User.objects.get(clinic=clinic, role=Role.PRESCRIBER)
    patients = list(Patient.objects.filter(clinic=clinic).order_by("pk").values_list("pk", flat=True))
    staff = [User.objects.create_user(email=f"clinician{i}@load.dosewise.test", full_name=f"Load Clinician {i}",
                                      role=Role.PRESCRIBER, clinic=clinic) for i in range(clinicians)]
    CareTeamMember.objects.bulk_create([
        CareTeamMember(clinic=clinic, patient_id=patient, member=staff[n % clinicians], team_role=CareTeamRole.PRESCRIBER,
                       since=today, added_by=owner) for n, patient in enumerate(patients)], batch_size=5000)
    with_medicines = list(Medication.objects.filter(clinic=clinic, status=MedicationStatus.ACTIVE)
                          .exclude(patient__in=PortalAccount.objects.values("patient"))  # the demo's portal patient
                          .order_by("patient_id").values_list("patient_id", flat=True).distinct()[:portal_users])
    if len(with_medicines) < portal_users:
        raise SystemExit(f"only {len(with_medicines)} patients take a current medicine; raise BENCH_PATIENTS "
                         f"above {N_PATIENTS} for {portal_users} portal users")
    team = {patient: staff[n % clinicians] for n, patient in enumerate(patients)}
    portal = []
    now = timezone.now()
    for i, patient in enumerate(with_medicines):
        user = User.objects.create_user(email=f"patient{i}@load.dosewise.test", full_name=f"Load Patient {i}",
                                        role=Role.PATIENT, clinic=clinic)
        PortalAccount.objects.create(clinic=clinic, patient_id=patient, user=user, status=PortalStatus.ACTIVE,
                                     invited_at=now, invited_by=owner, activated_at=now)
        access = access_patient(team[patient], patient, Capability.ASSESSMENTS_ADMINISTER)
        links = {key: link_create(actor=team[patient], access=access, questionnaire=key, send_email=False)[0].pk
                 for key in PORTAL_QUESTIONNAIRES}
        portal.append({"session": session_key(user), "links": links})
    caseloads = [patients[n::clinicians] for n in range(clinicians)]
    accounts = {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "clinicians": [{"session": session_key(user), "patients": rng.sample(mine, min(50, len(mine)))}
                       for user, mine in zip(staff, caseloads, strict=True)],
        "portal": portal,
        "answers": {key: _answer_sets(key, 20, rng) for key in ("phq9", *PORTAL_QUESTIONNAIRES)},
    }
    path.write_text(json.dumps(accounts), encoding="utf-8")
    return accounts


def workers_warm(port: int, accounts: dict, *, concurrency: int = 8, seconds: float = 1.0) -> int:
    """Ask every page of the mix, and the safety check, from `concurrency` threads; return the errors.

    Each gunicorn worker then has its templates compiled and the knowledge base loaded before the
    run, as a server that has been up for a while has: the measured run is not its first minute.
    """
    import requests

    cookie_name = accounts["session_cookie"]
    clinician, portal = accounts["clinicians"][0], accounts["portal"][0]
    patient = clinician["patients"][0]
    staff_pages = ["/", "/monitoring/worklist/", "/assessments/caseload/", f"/patients/{patient}/",
                   *(f"/patients/{patient}/tab/{tab}/" for tab in ("medications", "assessments", "monitoring")),
                   f"/medications/patients/{patient}/new/", f"/assessments/patients/{patient}/administer/phq9/"]
    portal_pages = ["/portal/", "/portal/medicines/", "/portal/doses/",
                    *(f"/portal/questionnaires/{link}/" for link in portal["links"].values())]
    errors = 0
    for cookie, pages in ((f"{cookie_name}={clinician['session']}", staff_pages),
                          (f"{cookie_name}={portal['session']}", portal_pages)):
        for path in pages:
            errors += hammer(port, path, cookie, concurrency=concurrency, seconds=seconds)[1]

    def checks() -> None:
        nonlocal errors
        session = requests.Session()
        session.cookies.set(cookie_name, clinician["session"])
        html = session.get(f"http://127.0.0.1:{port}/medications/patients/{patient}/new/", timeout=30).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        for drug in ("sertraline", "lithium", "quetiapine"):
            answer = session.post(f"http://127.0.0.1:{port}/medications/patients/{patient}/check/", timeout=30,
                                  data={"csrfmiddlewaretoken": token.group(1) if token else "", "drug": drug,
                                        "source": "clinic"})
            errors += answer.status_code != 200

    threads = [threading.Thread(target=checks) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def locust_run(host: str, accounts_path: Path, csv_prefix: Path, *, users: int, seconds: int, spawn_rate: float,
               reset_stats: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run bench/locustfile.py headless against `host` for `seconds`; statistics go to `csv_prefix`_stats.csv.

    With `reset_stats` the statistics restart once every user runs (the ramp is not measured).
    The process is killed if it outlives its run time by two minutes.
    """
    command = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
               "--host", host, "--users", str(users), "--spawn-rate", f"{spawn_rate:g}", "--run-time", f"{seconds}s",
               "--stop-timeout", "10", "--csv", str(csv_prefix), "--only-summary", "--loglevel", "WARNING",
               *(["--reset-stats"] if reset_stats else [])]
    environment = dict(os.environ, BENCH_LOAD_ACCOUNTS=str(accounts_path), **(env or {}))
    return subprocess.run(command, env=environment, cwd=ROOT, capture_output=True, text=True, check=False,
                          timeout=seconds + 120)


def stats_read(csv_prefix: Path) -> tuple[list[dict], dict | None, list[dict]]:
    """Return the per-endpoint rows, the aggregated row and the failures of a locust run."""
    with open(f"{csv_prefix}_stats.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    endpoints = [row for row in rows if row["Name"] != "Aggregated"]
    total = next((row for row in rows if row["Name"] == "Aggregated"), None)
    failures_path = Path(f"{csv_prefix}_failures.csv")
    failures = []
    if failures_path.exists():
        with open(failures_path, encoding="utf-8", newline="") as handle:
            failures = list(csv.DictReader(handle))
    return endpoints, total, failures


def _number(row: dict, column: str) -> float:
    value = row.get(column, "")
    return float(value) if value not in ("", "N/A") else float("nan")


def main() -> int:
    vendor = bench_database_setup()
    bench_django_setup()
    from django.db import connection

    out = Path(os.environ["DOSEWISE_DATA_DIR"]) / "load"
    out.mkdir()
    clinic, counts, loaded = population_prepare(N_PATIENTS, YEARS)
    started = time.perf_counter()
    accounts = accounts_create(clinic, clinicians=CLINICIANS, portal_users=PORTAL_USERS, path=out / "accounts.json")
    signed_in = time.perf_counter() - started
    connection.close()

    port = free_port()
    with gunicorn_running(port, WORKERS):
        warm_errors = workers_warm(port, accounts)
        hammer(port, HEALTHZ, "", concurrency=FLOOR_CONCURRENCY, seconds=2)
        ok, errors, floor_latencies = hammer(port, HEALTHZ, "", concurrency=FLOOR_CONCURRENCY, seconds=FLOOR_SECONDS)
        floor_rate = ok / FLOOR_SECONDS
        load_before = os.getloadavg()[0]
        result = locust_run(f"http://127.0.0.1:{port}", out / "accounts.json", out / "locust", users=CLINICIANS
                            + PORTAL_USERS + 1, seconds=SECONDS, spawn_rate=SPAWN_RATE)
        load_after = os.getloadavg()[0]
    try:
        endpoints, total, failures = stats_read(out / "locust")
    except FileNotFoundError:
        print(result.stdout[-4000:], result.stderr[-4000:], sep="\n", file=sys.stderr)
        print("locust wrote no statistics (see its output above)", file=sys.stderr)
        return 1

    ramp = (CLINICIANS + PORTAL_USERS + 1) / SPAWN_RATE
    print(f"# Load test, {vendor}, gunicorn {WORKERS} sync workers on loopback; {CLINICIANS} clinicians and "
          f"{PORTAL_USERS} portal users for {SECONDS} s (ramp {ramp:.0f} s, not measured); {counts.patients} patients, "
          f"{counts.observations} results, {counts.medication_events} medication events, {counts.responses} "
          f"questionnaire answers (loaded in {loaded:.0f} s, accounts in {signed_in:.0f} s)")
    print(f"# uptime: {subprocess.run(['uptime'], capture_output=True, text=True, check=False).stdout.strip()}")
    print(f"# 1-minute load average {load_before:.1f} when locust started, {load_after:.1f} when it ended; "
          f"{os.cpu_count()} cores")
    print(f"# /healthz floor before the run: {floor_rate:.0f} req/s at {FLOOR_CONCURRENCY} concurrent, median "
          f"{statistics.median(floor_latencies):.1f} ms, p99 {percentile(floor_latencies, 0.99):.1f} ms, "
          f"{errors} errors\n")

    budgets = Budgets()
    if warm_errors:
        budgets.missed.append(f"{warm_errors} requests failed while the workers were warmed up")
    floor_row = next((row for row in endpoints if row["Name"] == HEALTHZ), None)
    floor_median = _number(floor_row, "50%") if floor_row else float("nan")
    print("| endpoint | requests | req/s | median ms | p95 ms | p99 ms | failures | share of floor | verdict |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    for row in sorted(endpoints, key=lambda r: (r["Name"] != HEALTHZ, r["Type"], r["Name"])):
        label = f"{row['Type']} {row['Name']}"
        failed = int(row["Failure Count"])
        median, p95, p99 = _number(row, "50%"), _number(row, "95%"), _number(row, "99%")
        share = floor_median / median if median else float("nan")
        met = budgets.at_most(f"{label} p99", p99, P99_BUDGET_MS, " ms")
        if failed:
            budgets.missed.append(f"{label}: {failed} of {row['Request Count']} requests failed")
        print(f"| {label} | {row['Request Count']} | {_number(row, 'Requests/s'):.1f} | {median:.0f} | {p95:.0f} | "
              f"{p99:.0f} | {failed} | {share:.2f} | "
              f"{'floor' if row['Name'] == HEALTHZ else verdict(met and not failed)} |")
    if total is not None:
        offered = _number(total, "Requests/s")
        print(f"| all | {total['Request Count']} | {offered:.1f} | {_number(total, '50%'):.0f} | "
              f"{_number(total, '95%'):.0f} | {_number(total, '99%'):.0f} | {total['Failure Count']} | | |")
        print(f"\nOffered rate {offered:.1f} req/s, {offered / floor_rate:.3f} of the /healthz floor's "
              f"{floor_rate:.0f} req/s.")
        budgets.at_most("all requests p99", _number(total, "99%"), P99_BUDGET_MS, " ms")
    for failure in failures:
        print(f"failure: {failure['Method']} {failure['Name']}: {failure['Error']} ({failure['Occurrences']}x)")
    if not endpoints:
        budgets.missed.append("locust recorded no requests")
    return budgets.exit_code()


if __name__ == "__main__":
    sys.exit(main())
