"""The monitoring app's part of the shell: the chart's Monitoring tab, out-of-range and due results on
the Overview, the side-effect burden under the score trajectories, and the daily lab reminders."""

from __future__ import annotations

from datetime import timedelta

from dosewise.clinics.roles import Capability
from dosewise.lib.contributions import ChartCard, ChartTab, PatientMergeStep, PeriodicJob
from dosewise.monitoring import forms, imports, reminders, selectors, services


def monitoring_context(request, access) -> dict:
    """Return the Monitoring tab with an empty result form in the clinic's time zone."""
    return {"monitoring": selectors.chart_tab(access),
            "result_form": forms.ResultForm(clinic=access.patient.clinic)}


def overview_card(request, access) -> dict | None:
    """Return the Overview's out-of-range results (newest of each test) and due monitoring."""
    if not access.can(Capability.MONITORING_VIEW):
        return None
    return {"overview": selectors.overview(access)}


def side_effect_burden(access) -> dict:
    """Return each side effect's burden over time for the Assessments trajectory, if the viewer may see it."""
    if not access.can(Capability.MONITORING_VIEW):
        return {}
    return selectors.side_effect_series(access.patient)


def _lab_reminders() -> object:
    return reminders.lab_reminders_send().sent


CHART_TABS = (
    ChartTab(key="monitoring", label="Monitoring", capability=Capability.MONITORING_VIEW, order=30,
             template="monitoring/chart_tab.html", context=monitoring_context),
)

CHART_CARDS = (
    ChartCard(tab="overview", order=15, template="monitoring/_overview_card.html", context=overview_card),
)

BURDEN_SERIES = (side_effect_burden,)

PERIODIC_JOBS = (
    PeriodicJob("imports_reclaim", timedelta(minutes=1), lambda: imports.import_jobs_reclaim()),
    PeriodicJob("send_lab_reminders", timedelta(days=1), _lab_reminders),
)

PATIENT_MERGE_STEPS = (
    PatientMergeStep(name="monitoring", before=services.merge_clear_due, after=services.merge_rebuild_due),
)
