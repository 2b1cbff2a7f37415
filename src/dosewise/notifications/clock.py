"""The clock: the periodic jobs, for installations without cron.

`dosewise serve` starts it beside the web server and the worker, so the embedded default
sends scheduled questionnaires, escalates unanswered risk alerts, retries failed messages,
queues again the imports of a worker that died, reminds patients of due blood tests and
drops faxed documents from the outbox after 30 days,
without any set-up. Production may run `dosewise clock` as a service or the same commands
from cron (docs/deployment.md); each job is safe to run twice at once, so both together do no
harm.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

log = logging.getLogger(__name__)
TICK_SECONDS = 60


@dataclass(frozen=True)
class ClockJob:
    name: str
    every: timedelta
    run: Callable[[], object]


def _escalate() -> object:
    from dosewise.assessments.services import care_tasks_escalate

    return care_tasks_escalate()


def _questionnaires() -> object:
    from dosewise.assessments.services import schedules_send_due

    return schedules_send_due()


def _outbox() -> object:
    from dosewise.notifications.services import outbox_sweep

    return outbox_sweep()


def _attachments() -> object:
    from dosewise.notifications.services import outbox_attachments_purge

    return outbox_attachments_purge()


def _imports_reclaim() -> object:
    from dosewise.monitoring.imports import import_jobs_reclaim

    return import_jobs_reclaim()


def _lab_reminders() -> object:
    from dosewise.monitoring.reminders import lab_reminders_send

    return lab_reminders_send().sent


JOBS = (
    ClockJob("care_tasks_escalate", timedelta(minutes=1), _escalate),
    ClockJob("imports_reclaim", timedelta(minutes=1), _imports_reclaim),
    ClockJob("questionnaires_send_due", timedelta(minutes=5), _questionnaires),
    ClockJob("outbox_sweep", timedelta(minutes=5), _outbox),
    ClockJob("send_lab_reminders", timedelta(days=1), _lab_reminders),
    ClockJob("outbox_attachments_purge", timedelta(hours=6), _attachments),
)


def clock_tick(last_run: dict[str, datetime], now: datetime | None = None,
               jobs: tuple[ClockJob, ...] = JOBS) -> list[str]:
    """Run every job whose interval has passed; return their names.

    A failing job is logged and tried again at its next interval; it never stops the others.
    """
    now = now or timezone.now()
    ran = []
    for job in jobs:
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
    while True:
        clock_tick(last_run)
        time.sleep(tick_seconds)
