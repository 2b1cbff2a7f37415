"""Several worker processes on one shared database send every waiting message exactly once.

Each process stands for a worker on another machine: it has its own connection and claims
messages with the outbox's conditional update. Runs on its own SQLite file in a temporary data
directory (the workers cannot see the test database), whichever database the suite uses.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

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


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TASK_BACKEND", "DOSEWISE_ENV"}}
    env.update(DOSEWISE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="dosewise.config.settings")
    return env


def test_four_workers_sweeping_the_same_outbox_send_each_message_once(tmp_path):
    env = _env(tmp_path)
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
    with sqlite3.connect(tmp_path / "dosewise.sqlite3") as connection:
        statuses = dict(connection.execute("SELECT status, COUNT(*) FROM notifications_outboundmessage "
                                           "GROUP BY status").fetchall())
        attempts = connection.execute("SELECT MAX(attempts) FROM notifications_outboundmessage").fetchone()[0]
    assert statuses == {"sent": MESSAGES} and attempts == 1
