"""The audit app's periodic jobs: seal committed events into their chains, sign the heads.

Both run every few seconds (AUDIT_SEAL_SECONDS, AUDIT_CHECKPOINT_SECONDS), so an event is
in its chain seconds after it committed and under a signed checkpoint seconds later.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from dosewise.lib.contributions import PeriodicJob


def _seal():
    from dosewise.audit.services import audit_seal

    return audit_seal()


def _checkpoint():
    from dosewise.audit.checkpoints import audit_checkpoint

    return audit_checkpoint()  # seals first


PERIODIC_JOBS = (
    PeriodicJob("audit_seal", timedelta(seconds=settings.AUDIT_SEAL_SECONDS), _seal),
    PeriodicJob("audit_checkpoint", timedelta(seconds=settings.AUDIT_CHECKPOINT_SECONDS), _checkpoint),
)
