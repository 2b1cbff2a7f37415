"""The calendar's appointment chips, rendered in Python.

A full clinic week holds thousands of appointments; a template include per chip costs about
half a millisecond each, so the week view would miss its budget (bench/bench_schedule.py).
Every value from the database is escaped, as the template would.
"""

from __future__ import annotations

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from dosewise.scheduling.models import OPEN_STATUSES


def _start_form(prefix: str, a, csrf_token: str) -> str:
    label = "Return to the visit" if a.status == "started" else "Start video visit" if a.video_room else "Start visit"
    return (f'<form method="post" action="{prefix}{a.pk}/start/" class="chip-start">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
            f'<button type="submit" class="small">{label}</button></form>')


def chips(entries, zone, *, start_for: int | None = None, csrf_token: str = "") -> SafeString:
    """Return the <li> chips of a calendar cell's appointments, in the clinic's local time.

    `start_for` is the clinician (a user id) whose open appointments get a Start visit button:
    the day view of today, for the clinician's own column.
    """
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
                     f'<span class="appt-what">{escape(what)}</span></a>'
                     + (_start_form(prefix, a, csrf_token) if start_for is not None and a.provider_id == start_for
                        and a.status in OPEN_STATUSES else "") + '</li>')
    return mark_safe("".join(parts))  # every value from the database is escaped above
