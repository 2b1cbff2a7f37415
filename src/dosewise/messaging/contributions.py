"""The messaging app's part of the shell: the chart's Messages tab, the messages waiting on Today,
and the removal of files a failed send left behind."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from dosewise.clinics.roles import Capability
from dosewise.lib.contributions import ChartTab, PeriodicJob, TodaySection
from dosewise.messaging import forms, selectors, services


def messages_tab(request, access) -> dict:
    """Return the patient's conversations and an empty form to write to the patient (one query)."""
    return {"threads": selectors.chart_threads(access), "threads_now": timezone.now(),
            "new_form": forms.StaffThreadForm()}


def today_messages(request) -> dict | None:
    """Return the messages waiting for the user's care teams, or None for a role without an inbox."""
    summary = selectors.today_summary(request.user)
    return None if summary is None else {"summary": summary}


CHART_TABS = (
    ChartTab(key="messages", label="Messages", capability=Capability.CLINICAL_VIEW, order=50,
             template="messaging/chart_tab.html", context=messages_tab),
)

TODAY_SECTIONS = (
    TodaySection(key="messages", order=20, template="messaging/_today.html", context=today_messages),
)

PERIODIC_JOBS = (
    PeriodicJob("message_attachments_orphans", timedelta(hours=1), lambda: services.attachments_orphans_remove()),
)
