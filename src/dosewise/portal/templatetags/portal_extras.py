"""The portal's card on the staff chart: the patient's portal status and links."""

from __future__ import annotations

from django import template

from dosewise.accounts.roles import Capability
from dosewise.portal.selectors import dose_log_summary, portal_account_for

register = template.Library()


@register.inclusion_tag("portal/_chart_card.html")
def portal_chart_card(access):
    """Render the portal status of the chart's patient (one query)."""
    return {"access": access, "patient": access.patient, "account": portal_account_for(access),
            "can_manage": access.can(Capability.CONSENT_RECORD),
            "can_see_doses": access.can(Capability.MONITORING_VIEW)}


@register.inclusion_tag("portal/_adherence.html")
def portal_dose_log_summary(access):
    """Render the patient's own dose log of the last 30 days on the monitoring tab (two queries)."""
    return {"patient": access.patient, "summary": dose_log_summary(access)}
