"""Outbox throughput, latency, loss and duplicates through a real SMTP server on loopback.

Runs real `dosewise outbox-worker` processes on an SQLite file of their own against an aiosmtpd
sink in this process:
  1. throughput with 1 and then 2 workers, nothing killed (MESSAGES each, default 50,000):
     messages per second, enqueue-to-send latency (median, p99; every message is queued before
     the workers start, so the latency includes the wait in the queue), lost and duplicated;
  2. the kill run of the issue: 10,000 messages, 2 workers, 20 SIGKILLs at random moments.

Usage: .venv/bin/python bench/bench_outbox.py [MESSAGES] (e.g. 5000 for a quick look).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from dosewise.notifications.tests.outbox_harness import latencies, outbox_run  # noqa: E402


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def sink_alone(count: int = 2_000) -> float:
    """Return how many messages a second the sink accepts from a plain smtplib loop (the ceiling here)."""
    import smtplib
    import time

    from dosewise.notifications.smtp_sink import SmtpSink

    sink = SmtpSink().start()
    body = (b"From: a@bench.example\r\nTo: b@example.org\r\nSubject: x\r\nMessage-ID: <1@bench.example>\r\n\r\n"
            b"Your appointment is tomorrow.\r\n")
    try:
        client = smtplib.SMTP("127.0.0.1", sink.port)
        started = time.monotonic()
        for _ in range(count):
            client.sendmail("a@bench.example", ["b@example.org"], body)
        seconds = time.monotonic() - started
        client.quit()
    finally:
        sink.stop()
    return count / seconds


def main() -> int:
    messages = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    print(f"the sink alone: {sink_alone():.0f} messages/s over one connection\n")
    print("| workers | messages | seconds | messages/s | latency median s | latency p99 s | lost | duplicated |")
    print("|---|---|---|---|---|---|---|---|")
    rates = {}
    failed = False
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as folder:
            result = outbox_run(Path(folder), messages=messages, workers=workers, timeout=3600, batch=50)
            waits = latencies(Path(folder) / "dosewise.sqlite3")
        rates[workers] = result.per_second
        failed |= result.lost > 0 or result.duplicates > 0
        print(f"| {workers} | {messages:,} | {result.seconds:.1f} | {result.per_second:.0f} | "
              f"{statistics.median(waits):.1f} | {_percentile(waits, 0.99):.1f} | {result.lost} | "
              f"{result.duplicates} |", flush=True)
    print(f"\ntwo workers / one worker: {rates[2] / rates[1]:.2f}x")
    with tempfile.TemporaryDirectory() as folder:
        killed = outbox_run(Path(folder), messages=10_000, workers=2, kills=20, timeout=3600)
    print(f"\nkill run: {killed.messages:,} messages, 2 workers, {killed.kills} SIGKILLs: {killed.seconds:.1f} s, "
          f"lost {killed.lost}, duplicated {killed.duplicates} (allowed: one per kill), statuses {killed.statuses}")
    failed |= killed.lost > 0 or killed.duplicates > killed.kills
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
