"""iCalendar (RFC 5545) files: one appointment for the patient, and a clinician's private feed.

The feed leaves the clinic's systems (it is read by a phone's calendar app), so it carries no
health information: each event says "Appointment", its time and its room or "Video visit",
never the patient's name, the type (which can reveal a treatment) or the reason.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from icalendar import Calendar, Event

PRODID = "-//Dosewise//Schedule//EN"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _uid(appointment) -> str:
    return f"appointment-{appointment.pk}@dosewise"


def appointment_ics(appointment, *, link: str = "") -> bytes:
    """Return the patient's .ics of one appointment: the clinic, the clinician, the time, where."""
    calendar = _calendar(appointment.clinic.name if hasattr(appointment, "clinic") else "Appointment")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", _uid(appointment))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", f"Appointment with {appointment.provider.display_name}")
    event.add("location", "Video visit (link in your appointment page)" if appointment.is_video
              else appointment.patient.clinic.name)
    if link:
        event.add("url", link)
        event.add("description", f"Confirm, cancel or join: {link}")
    event.add("sequence", appointment.version)
    event.add("status", "CANCELLED" if appointment.status == "cancelled" else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()


def feed_ics(user, appointments, rooms: dict[int, str]) -> bytes:
    """Return the user's feed: times and place only (see the module docstring)."""
    calendar = _calendar("Dosewise schedule")
    calendar.add("refresh-interval;value=duration", "PT15M")
    now = timezone.now()
    for appointment in appointments:
        event = Event()
        event.add("uid", _uid(appointment))
        event.add("dtstamp", now)
        event.add("dtstart", appointment.starts_at)
        event.add("dtend", appointment.ends_at)
        event.add("summary", "Appointment")
        place = "Video visit" if appointment.video_room else rooms.get(appointment.pk, "")
        if place:
            event.add("location", place)
        event.add("transp", "OPAQUE")
        event.add("class", "PRIVATE")
        calendar.add_component(event)
    return calendar.to_ical()


FEED_PAST = timedelta(days=14)
FEED_AHEAD = timedelta(days=120)
