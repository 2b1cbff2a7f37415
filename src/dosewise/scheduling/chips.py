"""The calendar's appointment chips, rendered in Python.

A full clinic week holds thousands of appointments; a template include per chip costs about
half a millisecond each, so the week view would miss its budget (bench/bench_schedule.py).
Every value from the database is escaped, as the template would.
"""

from __future__ import annotations

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe


def chips(entries, zone) -> SafeString:
    """Return the <li> chips of a calendar cell's appointments, in the clinic's local time."""
    prefix = reverse("scheduling:appointment_detail", args=[1])[:-2]
    parts = []
    for a in entries:
        classes = f"appt status-{a.status}" + (" intake" if a.is_intake else "")
        what = a.type_name + (" · video" if a.video_room else "")
        if a.status != "booked":
            what += " · " + a.status_label.lower() + (" (late)" if a.late_cancel else "")
        parts.append(f'<li><a class="{classes}" href="{prefix}{a.pk}/"><span class="appt-time">'
                     f'{a.starts_at.astimezone(zone):%H:%M}–{a.ends_at.astimezone(zone):%H:%M}</span>'
                     f'<span class="appt-who">{escape(a.patient_name)}</span>'
                     f'<span class="appt-what">{escape(what)}</span></a></li>')
    return mark_safe("".join(parts))  # every value from the database is escaped above
