"""The clock: the periodic jobs, for installations without cron.

`dosewise serve` starts it beside the web server and the worker, so the embedded default
sends scheduled questionnaires, escalates unanswered risk alerts, retries failed messages,
queues again the imports of a worker that died, reminds patients of due blood tests and
drops faxed documents from the outbox after 30 days,
without any set-up. Production may run `dosewise clock` as a service or the same commands
from cron (docs/deployment.md); each job is safe to run twice at once, so both together do no
harm (tests/app/test_clock_twice.py runs two clocks at once against one that ran alone).

The jobs themselves belong to their apps, which list them in their `contributions.py`
(`PERIODIC_JOBS`); the clock only keeps time.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

from django.utils import timezone

from dosewise.lib.contributions import PeriodicJob, contributions

log = logging.getLogger(__name__)
TICK_SECONDS = 60


def clock_jobs() -> tuple[PeriodicJob, ...]:
    """Return the periodic jobs the apps contribute (their `contributions.PERIODIC_JOBS`)."""
    return contributions("PERIODIC_JOBS")


def clock_tick(last_run: dict[str, datetime], now: datetime | None = None,
               jobs: tuple[PeriodicJob, ...] | None = None) -> list[str]:
    """Run every job whose interval has passed; return their names.

    A failing job is logged and tried again at its next interval; it never stops the others.
    """
    now = now or timezone.now()
    ran = []
    for job in clock_jobs() if jobs is None else jobs:
        previous = last_run.get(job.name)
        if previous is not None and now - previous < job.every:
            continue
        last_run[job.name] = now
        try:
            result = job.run()
        except Exception:  # a broken job must not stop escalation of risk alerts
            log.exception("clock job %s failed", job.name)
            continue
        log.info("clock job %s: %s", job.name, result)
        ran.append(job.name)
    return ran


def clock_run_forever(tick_seconds: int = TICK_SECONDS) -> None:
    last_run: dict[str, datetime] = {}
    # A job due every few seconds (the audit sealer) shortens the tick to its interval.
    shortest = min((job.every.total_seconds() for job in clock_jobs()), default=tick_seconds)
    tick = max(1.0, min(float(tick_seconds), shortest))
    while True:
        clock_tick(last_run)
        time.sleep(tick)
