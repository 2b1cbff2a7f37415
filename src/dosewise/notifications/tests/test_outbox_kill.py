"""Two real outbox workers send 2,000 e-mails to a real SMTP server on loopback while one of them
is killed with SIGKILL ten times: nothing is lost, and at most one message per kill is sent
twice (the one in flight when the worker died, sent again with the same Message-ID).

The larger run (10,000 messages, 20 kills) is bench/bench_outbox.py, figures in bench/RESULTS.md.
"""

from __future__ import annotations

from dosewise.notifications.tests.outbox_harness import outbox_run


def test_workers_killed_at_random_lose_nothing_and_duplicate_at_most_one_per_kill(tmp_path):
    result = outbox_run(tmp_path, messages=2_000, workers=2, kills=10, timeout=300)
    assert result.kills == 10
    assert result.statuses == {"sent": 2_000}, result
    assert result.lost == 0, result
    assert result.duplicates <= result.kills, result
