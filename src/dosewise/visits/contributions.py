"""The visits app's part of the shell: the chart's Visits tab."""

from __future__ import annotations

from dosewise.clinics.roles import Capability
from dosewise.lib.contributions import AppointmentNotes, ChartTab
from dosewise.visits import forms, selectors, services


def visits_context(request, access) -> dict:
    """Return the Visits tab for this viewer: notes, drafts, treatment history and the start form."""
    tab = selectors.chart_tab(access, request.user)
    return {"visits": tab, "start_form": forms.NoteStartForm(templates=tab.templates, recipients=tab.recipients,
                                                             initial={"visit_date": tab.today}),
            "trial_form": forms.TrialForm(initial={"current_episode": True})}


CHART_TABS = (
    ChartTab(key="visits", label="Visits", capability=Capability.CLINICAL_VIEW, order=40,
             template="visits/chart_tab.html", context=visits_context),
)

APPOINTMENT_NOTES = (AppointmentNotes(open=services.note_for_appointment, find=selectors.appointment_note),)
