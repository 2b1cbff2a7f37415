"""The assessments app's part of the shell: the chart's Assessments tab and its periodic jobs."""

from __future__ import annotations

from datetime import timedelta

from dosewise.assessments import selectors, services
from dosewise.clinics.roles import Capability
from dosewise.lib.contributions import ChartTab, PeriodicJob


def assessments_context(request, access) -> dict:
    """Return the Assessments tab for the instrument chosen in `?instrument=`."""
    return {"mbc": selectors.chart_tab(access, request.GET.get("instrument"))}


CHART_TABS = (
    ChartTab(key="assessments", label="Assessments", capability=Capability.CLINICAL_VIEW, order=10,
             template="assessments/chart_tab.html", context=assessments_context),
)

PERIODIC_JOBS = (
    PeriodicJob("care_tasks_escalate", timedelta(minutes=1), lambda: services.care_tasks_escalate()),
    PeriodicJob("questionnaires_send_due", timedelta(minutes=5), lambda: services.schedules_send_due()),
)
