"""Outreach's part of the staff pages: the patient's message history on the Overview (with the
messages that were not delivered or were held back, and why), and on the front desk's Today the
new consultation requests and the messages not delivered this week."""

from __future__ import annotations

from dosewise.lib.contributions import ChartCard, TodaySection
from dosewise.outreach.selectors import front_desk_summary, patient_messages


def message_history_card(request, access) -> dict:
    """Return the patient's latest messages (one query)."""
    return {"outbox_messages": patient_messages(access)}


CHART_CARDS = (
    ChartCard(tab="overview", order=95, template="outreach/_messages_card.html", context=message_history_card),
)

TODAY_SECTIONS = (
    TodaySection(key="outreach", order=20, template="outreach/_today.html",
                 context=lambda request: front_desk_summary(request.user)),
)
