"""Outreach's part of the staff chart: the patient's message history on the Overview, with
messages that were not delivered or were held back and why."""

from __future__ import annotations

from dosewise.lib.contributions import ChartCard
from dosewise.outreach.selectors import patient_messages


def message_history_card(request, access) -> dict:
    """Return the patient's latest messages (one query)."""
    return {"outbox_messages": patient_messages(access)}


CHART_CARDS = (
    ChartCard(tab="overview", order=95, template="outreach/_messages_card.html", context=message_history_card),
)
