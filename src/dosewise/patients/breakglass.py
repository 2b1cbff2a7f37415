"""The emergency-access (break-glass) page offered where a chart page is refused."""

from __future__ import annotations

import functools

from django.shortcuts import render

from dosewise.audit.services import audit_record
from dosewise.lib.contributions import chart_tabs
from dosewise.patients.forms import BreakGlassForm
from dosewise.patients.selectors import BreakGlassRequired


def _chart_tab_of(request) -> str:
    """Return the chart tab a refused request belongs to (its `tab`, its app's tab, or overview)."""
    match = request.resolver_match
    tab = (match.kwargs.get("tab") or match.namespace) if match else ""
    return tab if tab in {t.key for t in chart_tabs()} else "overview"


def offers_break_glass(view):
    """Answer a clinician outside the care team with the audited break-glass page (403).

    For views that reach a patient through `access_patient`, which raises BreakGlassRequired.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BreakGlassRequired as exc:
            tab = _chart_tab_of(request)
            audit_record(action="chart.open", actor=request.user, patient=exc.patient, outcome="denied",
                         detail={"tab": tab, "reason": "not on care team"})
            return render(request, "patients/break_glass.html",
                          {"patient": exc.patient, "form": BreakGlassForm(), "tab": tab}, status=403)

    return wrapper
