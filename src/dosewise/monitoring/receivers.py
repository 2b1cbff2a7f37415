"""Keep due dates current when a medicine changes: every start, dose change, hold, resume
and stop writes a DoseChange row inside its service's transaction, and the due dates are
rewritten in that same transaction."""

from __future__ import annotations

from dosewise.monitoring.services import monitoring_due_refresh


def dose_change_saved(sender, instance, created: bool, **kwargs) -> None:
    if created:
        monitoring_due_refresh(instance.patient)
