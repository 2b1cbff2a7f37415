"""A real task worker killed with SIGKILL in the middle of an import, then started again: the
import resumes after its last committed batch and finishes, with every row stored once.

Runs on its own SQLite file in a temporary data directory (the worker is a separate process
and cannot see the test database), whichever database the rest of the suite uses.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROWS = 5_000
LEASE_SECONDS = 3

SETUP = f"""
import django
django.setup()
from datetime import date
from dosewise.accounts.models import User
from dosewise.clinics.models import Clinic
from dosewise.monitoring.imports import result_import_create
from dosewise.patients.services import patient_register

clinic = Clinic.objects.create(name="Kill Test Clinic", slug="kill", mrn_prefix="KT", timezone="America/Chicago")
alice = User.objects.create_user(email="alice@kill.test", password="violet-harbour-lantern-93",
                                 full_name="Alice Adams", role="prescriber", clinic=clinic)
dana = patient_register(actor=alice, data={{"legal_given_name": "Dana", "legal_family_name": "Diaz",
    "date_of_birth": date(1985, 4, 12), "sex_at_birth": "female"}})
rows = "".join(f"{{dana.mrn}},sodium,{{130 + n % 10}},mmol/L,2024-{{1 + n // 8000:02d}}-{{1 + n // 400 % 20:02d}} "
               f"{{n // 20 % 20:02d}}:{{n % 20 * 3:02d}}\\n" for n in range({ROWS}))
job = result_import_create(actor=alice, filename="labs.csv", data=("mrn,test,value,unit,date\\n" + rows).encode())
print(job.pk)
"""


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TASK_BACKEND", "DOSEWISE_ENV"}}
    env.update(DOSEWISE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="dosewise.config.settings",
               IMPORT_LEASE_SECONDS=str(LEASE_SECONDS), PYTHONUNBUFFERED="1")
    return env


def _job(database: Path, job_id: int) -> tuple[str, int, int]:
    with sqlite3.connect(database, timeout=20) as connection:
        return connection.execute("SELECT status, processed_rows, imported FROM monitoring_resultimport WHERE id = ?",
                                  (job_id,)).fetchone()


def _worker(env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "dosewise.cli", "worker", "--interval", "0.2"], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)


def _wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def _stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return process.stdout.read().decode(errors="replace") if process.stdout else ""


def test_a_worker_killed_mid_import_is_replaced_and_the_import_finishes_with_every_row_once(tmp_path):
    env = _env(tmp_path)
    database = tmp_path / "dosewise.sqlite3"
    for command in (["migrate", "--no-input", "-v", "0"], ["createcachetable"]):
        subprocess.run([sys.executable, "-m", "dosewise.cli", "manage", *command], env=env, cwd=ROOT, check=True,
                       timeout=300, capture_output=True)
    setup = subprocess.run([sys.executable, "-c", SETUP], env=env, cwd=ROOT, check=True, timeout=300,
                           capture_output=True, text=True)
    job_id = int(setup.stdout.strip().splitlines()[-1])
    assert _job(database, job_id) == ("queued", 0, 0)

    first = _worker(env)
    try:
        status, processed, _ = _wait_for(lambda: (row := _job(database, job_id)) and row[1] > 0 and row,
                                         120, "the first committed batch")
        os.killpg(first.pid, signal.SIGKILL)
        first.wait(timeout=20)
    finally:
        output = _stop(first)
    status, processed, imported = _job(database, job_id)
    assert status == "running" and 0 < processed < ROWS, (status, processed, output)
    assert imported == processed

    # The lease runs out; the next worker queues the import again at its start and resumes it.
    time.sleep(LEASE_SECONDS + 0.5)
    second = _worker(env)
    try:
        _wait_for(lambda: _job(database, job_id)[0] in ("done", "failed"), 300, "the import to finish")
    finally:
        output = _stop(second)
    assert _job(database, job_id) == ("done", ROWS, ROWS), output
    assert "1 queued again" in output
    with sqlite3.connect(database) as connection:
        stored, distinct = connection.execute(
            "SELECT COUNT(*), COUNT(DISTINCT effective_at) FROM monitoring_observation").fetchone()
        attempts = connection.execute("SELECT attempts FROM monitoring_resultimport WHERE id = ?",
                                      (job_id,)).fetchone()[0]
    assert (stored, distinct, attempts) == (ROWS, ROWS, 2)
