"""The medications app's part of the shell: the chart's Medications tab and the medication events
drawn on the score trajectories."""

from __future__ import annotations

from dosewise.clinics.roles import Capability
from dosewise.lib.contributions import ChartTab
from dosewise.medications import selectors
from dosewise.medications.markers import medication_markers


def medications_context(request, access) -> dict:
    """Return the Medications tab."""
    return {"meds": selectors.chart_tab(access)}


CHART_TABS = (
    ChartTab(key="medications", label="Medications", capability=Capability.MEDICATIONS_VIEW, order=20,
             template="medications/chart_tab.html", context=medications_context),
)

TRAJECTORY_MARKERS = (medication_markers,)
