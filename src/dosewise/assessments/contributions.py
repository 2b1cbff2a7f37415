"""The assessments app's part of the shell: the chart's Assessments tab, risk alerts and latest scores
on the Overview, and its periodic jobs."""

from __future__ import annotations

from datetime import timedelta

from dosewise.assessments import selectors, services
from dosewise.clinics.roles import Capability
from dosewise.lib.contributions import ChartCard, ChartTab, PatientMergeStep, PeriodicJob


def assessments_context(request, access) -> dict:
    """Return the Assessments tab for the instrument chosen in `?instrument=`."""
    return {"mbc": selectors.chart_tab(access, request.GET.get("instrument"))}


def overview_card(request, access) -> dict | None:
    """Return the Overview's open risk alerts and urgent tasks and the latest score of each scale."""
    if not access.can(Capability.CLINICAL_VIEW):
        return None
    return {"overview": selectors.overview(access)}


CHART_TABS = (
    ChartTab(key="assessments", label="Assessments", capability=Capability.CLINICAL_VIEW, order=10,
             template="assessments/chart_tab.html", context=assessments_context),
)

CHART_CARDS = (
    ChartCard(tab="overview", order=10, template="assessments/_overview_card.html", context=overview_card),
)

PERIODIC_JOBS = (
    PeriodicJob("care_tasks_escalate", timedelta(minutes=1), lambda: services.care_tasks_escalate()),
    PeriodicJob("questionnaires_send_due", timedelta(minutes=5), lambda: services.schedules_send_due()),
)

PATIENT_MERGE_STEPS = (
    PatientMergeStep(name="assessments", before=services.merge_clear_derived, after=services.merge_rebuild_derived),
)
