"""The patients app's part of the shell: the chart's Overview tab."""

from __future__ import annotations

from dosewise.accounts.selectors import clinic_colleagues
from dosewise.clinics.clock import clinic_today
from dosewise.clinics.roles import Capability
from dosewise.lib.contributions import ChartTab
from dosewise.patients import forms, selectors
from dosewise.patients.models import ContextKind


def overview_context(request, access) -> dict:
    """Return the Overview tab: consents, care-team history, allergies and clinical context, with their forms."""
    consents = selectors.patient_consents(access.patient)
    context = {
        "consents": consents,
        "contact_consent": selectors.contact_consent_by_purpose(access.patient, consents),
        "care_team_history": selectors.care_team_history_of(access),
        "consent_form": forms.ConsentForm(),
        "revoke_form": forms.RevokeConsentForm(),
    }
    if access.can(Capability.CLINICAL_VIEW):
        context.update(allergy_form=forms.AllergyForm(), context_form=forms.ContextForm(initial={"effective_date": clinic_today(access.patient.clinic)}),
                       context_kinds=ContextKind,
                       context_history=selectors.clinical_context_history_of(access))
    if access.can(Capability.CARE_TEAM_MANAGE):
        context["care_team_form"] = forms.CareTeamForm(colleagues=clinic_colleagues(request.user))
    return context


CHART_TABS = (
    ChartTab(key="overview", label="Overview", capability=Capability.DEMOGRAPHICS_VIEW, order=0,
             template="patients/chart_overview.html", context=overview_context),
)
