"""The clinic's clock: what day and time it is where the clinic is.

Times are stored in UTC; schedules, due dates and "today" are counted in the clinic's own
time zone, so that two clinics of one installation in different zones each get their own
day (a dose taken at 23:30 in Chicago belongs to that day, not to the next UTC day). Every
app asks here; none asks another domain app for the date.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone


def clinic_zone(clinic) -> ZoneInfo:
    """Return the clinic's time zone."""
    return ZoneInfo(clinic.timezone)


def local_date(clinic, moment: datetime) -> date:
    """Return the calendar day of `moment` in the clinic's time zone (schedules count in local days)."""
    return moment.astimezone(clinic_zone(clinic)).date()


def clinic_today(clinic) -> date:
    """Return today's date where the clinic is."""
    return local_date(clinic, timezone.now())
