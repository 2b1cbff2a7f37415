"""Prescribing in Dosewise side by side with a one-line prescription in GNU Health 5, both on SQLite.

Run: `make bench-gnuhealth` (or `.venv/bin/python bench/bench_gnuhealth.py`). Not part of
`make bench`: the first run installs GNU Health from PyPI into its own virtualenv,
bench/.gnuhealth-venv (about a minute, network needed), and initialises a Tryton database
template under bench/.gnuhealth-var (under a minute); both are git-ignored and reused. GNU Health
(GPL) is never imported by Dosewise: it runs in its own interpreter (bench/_gnuhealth_worker.py)
and answers over a pipe.

Dosewise side: the care-team access check (`access_patient`) and `medication_start` for the
patient of bench_prescribing.py (six medicines, pregnant, eGFR 55, a penicillin allergy), with
its full safety check, override rows when a finding needs one and audit events, each in its
own committed transaction; the medicine is discontinued again, untimed, so that every
prescription meets the same regimen. The check alone (`order_check`) is timed too, to show its
share. GNU Health side: a one-line prescription order (sertraline 50 mg, once a day) for a
woman of 36, created through Tryton's API as the client does, as a doctor user with access
rights enforced, each in its own committed transaction; once with the database as
trytond-admin leaves it (rollback journal, synchronous=FULL) and once with Dosewise's SQLite
settings (WAL, synchronous=NORMAL). The rows run in interleaved batches so that load on the
machine falls on all of them alike; CPU time per prescription (time.process_time in each
process) is printed next to wall-clock time because it moves far less with that load.
Environment: BENCH_REPEAT (default 200 per row), BENCH_KEEP=1 keeps the run's databases.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import bench_database_setup, bench_django_setup
from _sql_census import sql_census
from bench_prescribing import prescribe_sertraline, prescribing_patient

GNUHEALTH_VERSION = "5.0.6"
HERE = Path(__file__).resolve().parent
VENV = HERE / ".gnuhealth-venv"
VAR = HERE / ".gnuhealth-var"
TEMPLATE = VAR / "template"
DATABASE = "gnuhealth"
REPEAT = int(os.environ.get("BENCH_REPEAT", "200"))
WARMUP = 20
BATCH = 10
# Issue 16's budgets: Dosewise's create at most a quarter of GNU Health's time (as shipped), and
# create-and-confirm against GNU Health's create-and-confirm at most 0.15, as ratios of medians.
CREATE_RATIO_BUDGET = 0.25
CONFIRM_RATIO_BUDGET = 0.15
QUIET_ENV = {**os.environ, "PYTHONWARNINGS": "ignore::DeprecationWarning"}


def _say(message: str) -> None:
    print(f"[gnuhealth] {message}", file=sys.stderr, flush=True)


def _venv_python() -> Path:
    return VENV / "bin" / "python"


def gnuhealth_install() -> None:
    """Create bench/.gnuhealth-venv and install GNU Health into it, unless that version is there already."""
    python = _venv_python()
    if python.exists():
        found = subprocess.run([python, "-c", "import importlib.metadata as m; print(m.version('gnuhealth'))"],
                               capture_output=True, text=True, check=False).stdout.strip()
        if found == GNUHEALTH_VERSION:
            return
        _say(f"found GNU Health {found or 'nothing'} in {VENV.relative_to(HERE.parent)}, want {GNUHEALTH_VERSION}")
    else:
        _say(f"creating the virtualenv {VENV.relative_to(HERE.parent)} (kept apart from Dosewise's)")
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    _say(f"installing gnuhealth=={GNUHEALTH_VERSION} from PyPI with trytond and its modules (about a minute)")
    started = time.monotonic()
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    f"gnuhealth=={GNUHEALTH_VERSION}"], check=True)
    shutil.rmtree(TEMPLATE, ignore_errors=True)  # a template from another version would be stale
    _say(f"installed in {time.monotonic() - started:.0f} s")


def _config(directory: Path) -> Path:
    path = directory / "trytond.conf"
    path.write_text(f"[database]\nuri = sqlite://\npath = {directory}\n")
    return path


def gnuhealth_template() -> Path:
    """Return a directory holding an initialised GNU Health database, created once with trytond-admin."""
    marker = TEMPLATE / f"initialised-{GNUHEALTH_VERSION}"
    if marker.exists():
        return TEMPLATE
    shutil.rmtree(TEMPLATE, ignore_errors=True)
    TEMPLATE.mkdir(parents=True)
    config = _config(TEMPLATE)
    (TEMPLATE / f"{DATABASE}.sqlite").touch()
    password_file = os.environ.get("TRYTONPASSFILE")
    if not password_file:
        password_file = str(VAR / "admin-password")
        if not Path(password_file).exists():
            Path(password_file).write_text(secrets.token_urlsafe(16) + "\n")
            os.chmod(password_file, 0o600)
    _say("initialising a GNU Health database: trytond-admin activates health and its dependencies (under a minute)")
    started = time.monotonic()
    subprocess.run([VENV / "bin" / "trytond-admin", "-c", config, "-d", DATABASE, "--all", "-u", "health",
                    "--activate-dependencies", "--email", "admin@example.org"],
                   check=True, env={**QUIET_ENV, "TRYTONPASSFILE": password_file})
    marker.touch()
    _say(f"initialised in {time.monotonic() - started:.0f} s")
    return TEMPLATE


class GnuHealthWorker:
    """One GNU Health process with its own copy of the template database."""

    def __init__(self, run_dir: Path, name: str, *, wal: bool):
        directory = run_dir / name
        directory.mkdir()
        shutil.copy(TEMPLATE / f"{DATABASE}.sqlite", directory / f"{DATABASE}.sqlite")
        command = [_venv_python(), HERE / "_gnuhealth_worker.py", "--config", _config(directory),
                   "--database", DATABASE] + (["--wal"] if wal else [])
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                        env=QUIET_ENV)
        self.info = self._read()

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the GNU Health worker stopped (exit code {self.process.wait()}); see its error above")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply

    def ask(self, command: str) -> dict:
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self._read()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
            self.process.wait(timeout=60)


def _p95(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=20)[18]


def _sqlite_settings(worker: GnuHealthWorker) -> str:
    return f"journal_mode={worker.info['journal_mode']}, synchronous={worker.info['synchronous']}"


def _tables(writes: dict[str, int]) -> str:
    return ", ".join(f"{key}" + (f" ×{count}" if count > 1 else "") for key, count in writes.items())


def main() -> int:
    if os.environ.pop("DATABASE_URL", None):
        _say("DATABASE_URL ignored: this comparison runs both sides on SQLite")
    try:
        gnuhealth_install()
        gnuhealth_template()
    except subprocess.CalledProcessError as exc:
        _say(f"could not prepare GNU Health: {' '.join(map(str, exc.cmd))} exited with {exc.returncode} (its "
             "output is above); the first run needs PyPI, later runs reuse bench/.gnuhealth-venv")
        return 2
    VAR.mkdir(exist_ok=True)
    run_dir = Path(tempfile.mkdtemp(prefix="run-", dir=VAR))
    workers: dict[str, GnuHealthWorker] = {}
    try:
        _say("starting two GNU Health workers and setting up Dosewise")
        workers["shipped"] = GnuHealthWorker(run_dir, "shipped", wal=False)
        workers["wal"] = GnuHealthWorker(run_dir, "wal", wal=True)
        return _compare(workers)
    finally:
        for worker in workers.values():
            worker.close()
        if os.environ.get("BENCH_KEEP") == "1":
            _say(f"databases kept in {run_dir}")
        else:
            shutil.rmtree(run_dir, ignore_errors=True)


def _compare(workers: dict[str, GnuHealthWorker]) -> int:
    bench_database_setup()
    bench_django_setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dosewise.medications import selectors, services
    from dosewise.patients.selectors import access_patient

    prescriber, access = prescribing_patient()
    patient_id = access.patient.pk

    def dosewise_prescribe():
        # As a request does: the care-team access check, then the service; GNU Health's side
        # checks the user's access rights inside its transaction too.
        return prescribe_sertraline(prescriber, access_patient(prescriber, patient_id, "medications.prescribe"))
    check = selectors.order_check(access.patient, drug="sertraline", dose_mg_per_day=50)

    def dosewise_once() -> tuple[float, float]:
        t0, c0 = time.perf_counter(), time.process_time()
        medication = dosewise_prescribe()
        elapsed = (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000
        services.medication_discontinue(actor=prescriber, access=access, medication_id=medication.pk,
                                        expected_version=medication.version, reason="completed")
        return elapsed

    def dosewise_batch(n: int) -> list[tuple[float, float]]:
        return [dosewise_once() for _ in range(n)]

    def check_once() -> tuple[float, float]:
        t0, c0 = time.perf_counter(), time.process_time()
        selectors.order_check(access.patient, drug="sertraline", dose_mg_per_day=50)
        return (time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000

    def check_batch(n: int) -> list[tuple[float, float]]:
        return [check_once() for _ in range(n)]

    def gnuhealth_batch(worker: str, command: str):
        def batch(n: int) -> list[tuple[float, float]]:
            reply = workers[worker].ask(f"time {n}{command}")
            return list(zip(reply["timings_ms"], reply["cpu_ms"], strict=True))
        return batch

    rows = {  # key: (label, how to time a batch of n)
        "dosewise": ("Dosewise: `access_patient`, then `medication_start` with its full safety check and audit",
                     dosewise_batch),
        "check": ("of which Dosewise's safety check alone (`order_check`: regimen and context queries, engine)",
                  check_batch),
        "shipped": (f"GNU Health: create the order (as shipped: {_sqlite_settings(workers['shipped'])})",
                    gnuhealth_batch("shipped", "")),
        "shipped_confirm": ("GNU Health: create and confirm (as shipped)", gnuhealth_batch("shipped", " confirm")),
        "wal": (f"GNU Health: create the order (Dosewise's SQLite settings: {_sqlite_settings(workers['wal'])})",
                gnuhealth_batch("wal", "")),
        "wal_confirm": (f"GNU Health: create and confirm ({_sqlite_settings(workers['wal'])})",
                        gnuhealth_batch("wal", " confirm")),
    }
    load_before = os.getloadavg()[0]
    _say(f"warming up ({WARMUP} prescriptions a row), then {REPEAT} a row in interleaved batches of {BATCH}")
    for _, batch in rows.values():
        batch(WARMUP)
    runs: dict[str, list[tuple[float, float]]] = {key: [] for key in rows}
    for _ in range(-(-REPEAT // BATCH)):
        for key, (_, batch) in rows.items():
            runs[key].extend(batch(min(BATCH, REPEAT - len(runs[key]))))

    with CaptureQueriesContext(connection) as captured:
        medication = dosewise_prescribe()
    services.medication_discontinue(actor=prescriber, access=access, medication_id=medication.pk,
                                    expected_version=medication.version, reason="completed")
    load_after = os.getloadavg()[0]
    census = {"dosewise": sql_census([query["sql"] for query in captured.captured_queries])}
    with CaptureQueriesContext(connection) as captured:
        selectors.order_check(access.patient, drug="sertraline", dose_mg_per_day=50)
    census["check"] = sql_census([query["sql"] for query in captured.captured_queries])
    for key, worker, command in (("shipped", "shipped", "trace"), ("shipped_confirm", "shipped", "trace confirm"),
                                 ("wal", "wal", "trace"), ("wal_confirm", "wal", "trace confirm")):
        reply = workers[worker].ask(command)
        census[key] = (reply["statements"], reply["writes"])

    info = workers["shipped"].info
    import django

    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()")
        sqlite_version = cursor.fetchone()[0]
    print(f"# Prescribing: Dosewise {REPEAT}x against GNU Health {info['gnuhealth']} (trytond {info['trytond']}), "
          f"SQLite\n")
    print(f"Python {info['python']}, Django {django.get_version()}, SQLite {sqlite_version} (Dosewise) and "
          f"{info['sqlite']} (GNU Health). Each prescription is its own committed transaction; no network or "
          f"HTTP on either side. Load average {load_before:.1f} before, {load_after:.1f} after, on "
          f"{os.cpu_count()} CPUs.\n")
    print("| per prescription | median ms | p95 ms | median CPU ms | SQL statements (select/insert/update/delete) |")
    print("|---|---:|---:|---:|---|")
    wall, cpu = {}, {}
    for key, (label, _) in rows.items():
        wall[key] = statistics.median(elapsed for elapsed, _ in runs[key])
        cpu[key] = statistics.median(used for _, used in runs[key])
        verbs, _ = census[key]
        counts = "/".join(str(verbs.get(verb, 0)) for verb in ("SELECT", "INSERT", "UPDATE", "DELETE"))
        print(f"| {label} | {wall[key]:.1f} | {_p95([elapsed for elapsed, _ in runs[key]]):.1f} | {cpu[key]:.1f} "
              f"| {counts} |")
    print("\n| ratio of medians, Dosewise / GNU Health | wall clock | CPU |")
    print("|---|---:|---:|")
    for key, label in (("shipped", "create, as shipped"), ("shipped_confirm", "create and confirm, as shipped"),
                       ("wal", "create, same SQLite settings"),
                       ("wal_confirm", "create and confirm, same SQLite settings")):
        print(f"| {label} | {wall['dosewise'] / wall[key]:.2f} | {cpu['dosewise'] / cpu[key]:.2f} |")
    print(f"\nDosewise's check of this order: {len(check.findings)} findings on the regimen "
          f"({len(check.blocking)} about sertraline needing an override reason), KB {check.kb_version}.")
    print("\nRows written per prescription:\n")
    for key in ("dosewise", "shipped", "shipped_confirm"):
        print(f"- {rows[key][0].split(':')[0]}{' (create and confirm)' if key == 'shipped_confirm' else ''}: "
              f"{_tables(census[key][1])}")
    from _budget import Budgets, verdict

    budgets = Budgets()
    create = wall["dosewise"] / wall["shipped"]
    confirm = wall["dosewise"] / wall["shipped_confirm"]
    create_met = budgets.at_most("create, Dosewise / GNU Health (as shipped)", create, CREATE_RATIO_BUDGET)
    confirm_met = budgets.at_most("create and confirm, Dosewise / GNU Health (as shipped)", confirm,
                                  CONFIRM_RATIO_BUDGET)
    print(f"\nBudgets: create ratio {create:.2f} <= {CREATE_RATIO_BUDGET} {verdict(create_met)}; create and "
          f"confirm ratio {confirm:.2f} <= {CONFIRM_RATIO_BUDGET} {verdict(confirm_met)}")
    return budgets.exit_code()


if __name__ == "__main__":
    sys.exit(main())
