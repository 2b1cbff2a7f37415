"""Several worker processes on one shared database send every waiting message exactly once.

Each process stands for a worker on another machine: it has its own connection and claims
messages with the outbox's conditional update. The workers cannot see the test database (its
rows live in the test's transaction), so each run has a database of its own: an SQLite file in
a temporary data directory and, when the suite runs on PostgreSQL, a scratch PostgreSQL
database on the same server, where the claims race over real concurrent connections.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = 120
WORKERS = 4

SETUP = f"""
import django
django.setup()
from django.db import transaction
from dosewise.notifications.services import outbox_enqueue_email
with transaction.atomic():
    for n in range({MESSAGES}):
        outbox_enqueue_email(to=f"p{{n}}@example.org", subject=f"message {{n}}", body="Your reminder.",
                             purpose="test")
"""
# A worker: deliver whatever waits until nothing does, writing each subject it sent to its own file.
WORKER = """
import sys
import django
django.setup()
from django.core.mail import EmailMultiAlternatives
from dosewise.notifications.services import outbox_sweep

sent = open(sys.argv[1], "a")
def send(self, fail_silently=False):
    sent.write(self.subject + "\\n")
    sent.flush()
    return 1
EmailMultiAlternatives.send = send
while outbox_sweep():
    pass
"""


def _env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TASK_BACKEND", "DOSEWISE_ENV"}}
    env.update(DOSEWISE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="dosewise.config.settings")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


@contextmanager
def _scratch_postgresql():
    """Yield (DATABASE_URL, cursor factory) of a new database on the suite's server; drop it after."""
    import psycopg

    settings = connection.settings_dict
    name = f"dosewise_claims_{secrets.token_hex(4)}"
    server = {"host": settings["HOST"] or "127.0.0.1", "port": settings["PORT"] or 5432,
              "user": settings["USER"], "password": settings["PASSWORD"] or None}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    url = f"postgres://{settings['USER']}{password}@{server['host']}:{server['port']}/{name}"
    try:
        yield url, lambda: psycopg.connect(dbname=name, **server)
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def _database(kind: str, tmp_path: Path):
    if kind == "sqlite":
        yield None, lambda: sqlite3.connect(tmp_path / "dosewise.sqlite3")
        return
    if connection.vendor != "postgresql":
        pytest.skip("the suite runs on SQLite: the PostgreSQL run is made by the PostgreSQL suite")
    with _scratch_postgresql() as found:
        yield found


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_four_workers_sweeping_the_same_outbox_send_each_message_once(kind, tmp_path, db):
    with _database(kind, tmp_path) as (url, connect):
        _sweep_with_four_workers(_env(tmp_path, url), tmp_path, connect)


def _sweep_with_four_workers(env, tmp_path, connect):
    subprocess.run([sys.executable, "-m", "dosewise.cli", "manage", "migrate", "--no-input", "-v", "0"], env=env,
                   cwd=ROOT, check=True, timeout=300, capture_output=True)
    subprocess.run([sys.executable, "-c", SETUP], env=env, cwd=ROOT, check=True, timeout=300, capture_output=True)
    logs = [tmp_path / f"worker-{n}.txt" for n in range(WORKERS)]
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, str(log)], env=env, cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for log in logs]
    outputs = [worker.communicate(timeout=300)[0].decode(errors="replace") for worker in workers]
    assert all(worker.returncode == 0 for worker in workers), outputs
    sent = [line for log in logs if log.exists() for line in log.read_text().splitlines()]
    assert sorted(sent) == sorted(f"message {n}" for n in range(MESSAGES))  # each once, none lost
    database = connect()
    try:
        statuses = dict(database.execute("SELECT status, COUNT(*) FROM notifications_outboundmessage "
                                         "GROUP BY status").fetchall())
        attempts = database.execute("SELECT MAX(attempts) FROM notifications_outboundmessage").fetchone()[0]
    finally:
        database.close()
    assert statuses == {"sent": MESSAGES} and attempts == 1
