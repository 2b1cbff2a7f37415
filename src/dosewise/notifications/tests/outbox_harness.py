"""Run real outbox workers (separate processes) against a real SMTP server on loopback, with an
SQLite file of their own, for the kill test and the throughput benchmark (bench/bench_outbox.py).

The messages are written straight into the outbox table; each carries its idempotency key as
its Message-ID, so the sink can count what was lost (a key never received) and what was sent
twice (a key received more than once).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from dosewise.notifications.smtp_sink import SmtpSink

ROOT = Path(__file__).resolve().parents[4]

FILL = """
import django, uuid
django.setup()
from dosewise.notifications.models import OutboundMessage
rows = [OutboundMessage(channel="email", to=f"person{{n}}@example.org", address=f"person{{n}}@example.org",
                        subject=f"Reminder {{n}}", body="Your appointment is tomorrow at 10:00.",
                        purpose="bench.reminder") for n in range({count})]
OutboundMessage.objects.bulk_create(rows, batch_size=2000)
"""


def outbox_env(data_dir: Path, smtp_port: int, stale_seconds: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TASK_BACKEND", "DOSEWISE_ENV",
                                                             "EMAIL_BACKEND", "DKIM_PRIVATE_KEY"}}
    env.update(DOSEWISE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="dosewise.config.settings",
               EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
               EMAIL_PORT=str(smtp_port), OUTBOX_STALE_CLAIM_SECONDS=str(stale_seconds), PYTHONUNBUFFERED="1",
               DEFAULT_FROM_EMAIL="Dosewise <no-reply@bench.example>")
    return env


def outbox_prepare(data_dir: Path, env: dict[str, str], count: int) -> None:
    """Create the database in `data_dir` and write `count` e-mails into its outbox."""
    for command in (["migrate", "--no-input", "-v", "0"], ["createcachetable"]):
        subprocess.run([sys.executable, "-m", "dosewise.cli", "manage", *command], env=env, cwd=ROOT, check=True,
                       timeout=600, capture_output=True)
    subprocess.run([sys.executable, "-c", FILL.format(count=count)], env=env, cwd=ROOT, check=True, timeout=600,
                   capture_output=True)


def outbox_worker(env: dict[str, str], batch: int = 20) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "dosewise.cli", "outbox-worker", "--batch", str(batch),
                             "--idle", "0.1"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)


def stop(process: subprocess.Popen, how=signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, how)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database, timeout=30) as connection:
        return dict(connection.execute("SELECT status, COUNT(*) FROM notifications_outboundmessage GROUP BY status"))


def expected_ids(database: Path, domain: str = "bench.example") -> set[str]:
    with sqlite3.connect(database, timeout=30) as connection:
        keys = [row[0] for row in connection.execute("SELECT idempotency_key FROM notifications_outboundmessage")]
    # Django stores UUIDs in SQLite as 32 hex digits without dashes.
    return {f"<{key[:8]}-{key[8:12]}-{key[12:16]}-{key[16:20]}-{key[20:]}@{domain}>" for key in keys}


def latencies(database: Path) -> list[float]:
    with sqlite3.connect(database, timeout=30) as connection:
        return [row[0] for row in connection.execute(
            "SELECT (julianday(sent_at) - julianday(created_at)) * 86400.0 FROM notifications_outboundmessage "
            "WHERE sent_at IS NOT NULL")]


@dataclass
class RunResult:
    messages: int
    workers: int
    kills: int
    seconds: float
    received: int
    lost: int
    duplicates: int
    statuses: dict[str, int] = field(default_factory=dict)

    @property
    def per_second(self) -> float:
        return self.received / self.seconds if self.seconds else 0.0


def outbox_run(data_dir: Path, *, messages: int, workers: int, kills: int = 0, timeout: float = 600,
               stale_seconds: int = 5, batch: int = 20, seed: int = 12) -> RunResult:
    """Send `messages` e-mails with `workers` processes, killing one with SIGKILL `kills` times."""
    sink = SmtpSink().start()
    try:
        env = outbox_env(data_dir, sink.port, stale_seconds)
        outbox_prepare(data_dir, env, messages)
        database = data_dir / "dosewise.sqlite3"
        randomness = random.Random(seed)
        started = time.monotonic()
        pool = [outbox_worker(env, batch) for _ in range(workers)]
        done_kills = 0
        deadline = started + timeout
        try:
            while time.monotonic() < deadline:
                received = len(sink.messages)
                if done_kills < kills and received >= (done_kills + 1) * messages / (kills + 2):
                    victim = randomness.randrange(len(pool))
                    time.sleep(randomness.uniform(0, 0.05))
                    stop(pool[victim], signal.SIGKILL)
                    pool[victim] = outbox_worker(env, batch)
                    done_kills += 1
                # The table is counted only once the sink has had every message: counting 50,000
                # rows every 20 ms would take a good share of a core from the workers measured.
                if received >= messages and counts(database).get("sent", 0) >= messages:
                    break
                time.sleep(0.02)
            seconds = time.monotonic() - started
        finally:
            for process in pool:
                stop(process)
        ids = sink.message_ids()
        wanted = expected_ids(database)
        return RunResult(messages=messages, workers=workers, kills=done_kills, seconds=seconds, received=len(ids),
                         lost=len(wanted - set(ids)), duplicates=len(ids) - len(set(ids)),
                         statuses=counts(database))
    finally:
        sink.stop()
