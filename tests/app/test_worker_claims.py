"""Several worker processes on one shared database send every waiting message exactly once.

Each process stands for a worker on another machine: it has its own connection and claims
messages with the outbox's conditional update. The workers cannot see the test database (its
rows live in the test's transaction), so each run has a database of its own: an SQLite file in
a temporary data directory and, when the suite runs on PostgreSQL, a scratch PostgreSQL
database on the same server, where the claims race over real concurrent connections.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tests.app.scratch_database import scratch_database, scratch_env

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


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_four_workers_sweeping_the_same_outbox_send_each_message_once(kind, tmp_path, db):
    with scratch_database(kind, tmp_path) as (url, connect):
        _sweep_with_four_workers(scratch_env(tmp_path, url), tmp_path, connect)


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
