"""The schedule's part of the shell: a clinician's day on Today, the appointments card on a
chart's Overview, and the reminder job."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from dosewise.clinics.clock import clinic_zone
from dosewise.clinics.roles import Capability
from dosewise.lib.contributions import ChartCard, PeriodicJob, SmsReplies, TodaySection
from dosewise.scheduling import selectors, services, text_replies
from dosewise.scheduling.permissions import is_clinician, is_desk


def today_section(request) -> dict | None:
    """Return the clinician's appointments of today, or None for anyone who has no calendar."""
    user = request.user
    if not is_clinician(user):
        return None
    appointments = selectors.today_appointments(user)
    if appointments:
        from dosewise.audit.services import audit_record

        audit_record(action="patient.list", actor=user, detail={"count": len(appointments), "list": "today_schedule"})
    now = timezone.now()
    # Sections are rendered apart from the page, so they name the clinic's zone themselves.
    return {"appointments": appointments, "now": now, "zone": clinic_zone(user.clinic)}


def chart_card(request, access) -> dict | None:
    """Return the patient's coming appointments for the Overview (desk: all; clinician: with them)."""
    user = request.user
    if not (is_desk(user) or is_clinician(user)) or not access.can(Capability.DEMOGRAPHICS_VIEW):
        return None
    coming = selectors.patient_appointments(access.patient)
    if not is_desk(user):
        coming = [a for a in coming if a.provider_id == user.pk]
    return {"coming_appointments": coming, "zone": clinic_zone(access.patient.clinic)}


def intakes_section(request) -> dict | None:
    """Return the intakes the front door asked for and the desk has still to book, or None."""
    from dosewise.scheduling.intakes import intakes_to_book

    intakes, total, kind = intakes_to_book(request.user)
    if not intakes:
        return None
    return {"intakes": intakes, "total": total, "kind": kind}


TODAY_SECTIONS = (
    TodaySection(key="schedule", order=10, template="scheduling/_today.html", context=today_section),
    TodaySection(key="intakes", order=12, template="scheduling/_today_intakes.html", context=intakes_section),
)

CHART_CARDS = (ChartCard(tab="overview", order=20, template="scheduling/_chart_card.html", context=chart_card),)

PERIODIC_JOBS = (PeriodicJob("appointment_reminders", timedelta(minutes=5), lambda: services.reminders_send()),)

SMS_REPLIES = (SmsReplies(texted=text_replies.appointment_texted, confirm=text_replies.text_confirm,
                          cancel=text_replies.text_cancel, help=text_replies.text_help,
                          clinic=lambda texted: texted.appointment.patient.clinic,
                          about=lambda texted: {"appointment": texted.appointment_id}),)
