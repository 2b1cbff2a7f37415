"""The notifications app's periodic jobs: outbox retries and the purge of faxed documents."""

from __future__ import annotations

from datetime import timedelta

from dosewise.lib.contributions import PeriodicJob
from dosewise.notifications import services

PERIODIC_JOBS = (
    PeriodicJob("outbox_sweep", timedelta(minutes=5), lambda: services.outbox_sweep()),
    PeriodicJob("outbox_attachments_purge", timedelta(hours=6), lambda: services.outbox_attachments_purge()),
)
