"""The medications app's part of the shell: the chart's Medications tab, the current medicines and
problems on the Overview, and the medication events drawn on the score trajectories."""

from __future__ import annotations

from dosewise.clinics.roles import Capability
from dosewise.lib.contributions import ChartCard, ChartTab
from dosewise.medications import selectors
from dosewise.medications.markers import medication_markers


def medications_context(request, access) -> dict:
    """Return the Medications tab."""
    return {"meds": selectors.chart_tab(access)}


def overview_card(request, access) -> dict | None:
    """Return the Overview's current medicines, plan steps of the day, overrides in force and problems."""
    if not access.can(Capability.MEDICATIONS_VIEW):
        return None
    return {"overview": selectors.overview(access)}


CHART_TABS = (
    ChartTab(key="medications", label="Medications", capability=Capability.MEDICATIONS_VIEW, order=20,
             template="medications/chart_tab.html", context=medications_context),
)

TRAJECTORY_MARKERS = (medication_markers,)

CHART_CARDS = (
    ChartCard(tab="overview", order=20, template="medications/_overview_card.html", context=overview_card),
)
