"""The response-time target: when a reply to a patient's message is due.

Counted in business days (Monday to Friday) in the clinic's time zone, from the moment the
message arrived; a message sent on a weekend starts counting on Monday at midnight. Public
holidays are not known to Dosewise: a clinic that closes on one sees such replies as due a
day early, never late.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils.translation import ngettext

from dosewise.clinics.clock import clinic_zone


def reply_due(clinic, received: datetime, business_days: int) -> datetime:
    """Return the moment a reply to a message received at `received` is due."""
    local = received.astimezone(clinic_zone(clinic))
    if local.weekday() >= 5:
        local = datetime.combine(local.date() + timedelta(days=7 - local.weekday()), time(0), local.tzinfo)
    left = business_days
    while left > 0:
        local += timedelta(days=1)
        if local.weekday() < 5:
            left -= 1
    return local


def business_days_phrase(days: int) -> str:
    """"2 business days", in the language of the page (the portal's for patients)."""
    return ngettext("%(n)d business day", "%(n)d business days", days) % {"n": days}
