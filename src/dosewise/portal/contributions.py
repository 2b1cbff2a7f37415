"""The portal's part of the staff chart: its status card on the Overview and the patient's own
dose log on the Monitoring tab; the periodic jobs that queue dose reminders and deliver push
notifications; and, for the apps below it whose patient pages live in the portal's layout
(messaging), who the signed-in patient is."""

from __future__ import annotations

from datetime import timedelta

from dosewise.clinics.roles import Capability
from dosewise.lib.contributions import ChartCard, PeriodicJob
from dosewise.portal.selectors import dose_log_summary, portal_access, portal_account_for


def portal_status_card(request, access) -> dict:
    """Return the patient's portal status and what the viewer may do with it (one query)."""
    return {"account": portal_account_for(access), "can_manage": access.can(Capability.CONSENT_RECORD),
            "can_see_doses": access.can(Capability.MONITORING_VIEW)}


def dose_log_card(request, access) -> dict:
    """Return the patient's dose log of the last 30 days (two queries)."""
    return {"summary": dose_log_summary(access)}


CHART_CARDS = (
    ChartCard(tab="overview", order=90, template="portal/_chart_card.html", context=portal_status_card),
    ChartCard(tab="monitoring", order=10, template="portal/_adherence.html", context=dose_log_card),
)


def portal_patient(request, scope: str):
    """Return the portal record this request opens (the patient's own, or a proxy's within `scope`)."""
    return portal_access(request.user, request.session, scope)


PORTAL_PATIENT = (portal_patient,)


def _deliver_push() -> int:
    from dosewise.portal.services import push_deliver

    return push_deliver()


def _queue_dose_reminders() -> int:
    from dosewise.portal.services import dose_reminders_queue

    return dose_reminders_queue()


PERIODIC_JOBS = (
    PeriodicJob("portal_dose_reminders", timedelta(minutes=5), _queue_dose_reminders),
    PeriodicJob("portal_push_deliver", timedelta(minutes=1), _deliver_push),
)
