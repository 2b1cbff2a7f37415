"""Replies to the schedule's text reminders, for the one inbound SMS handler
(`dosewise.outreach.services.inbound_sms_handle`).

A reply is about the appointment of the newest reminder texted to that number in the last
week: C or CONFIRM confirms it, X cancels it (flagged late inside the type's late-cancel
window, as a cancellation from the signed link is). Each answer names the appointment by its
time only, never its type or reason: a text can be read on a lock screen.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from dosewise.notifications.consent import address_key
from dosewise.notifications.models import Channel
from dosewise.scheduling import services
from dosewise.scheduling.messages import REPLY_HINT, short_when
from dosewise.scheduling.models import AppointmentText, CancelReason, Status

REPLY_WINDOW = timedelta(days=7)
VIA = "text message"


def appointment_texted(sender: str) -> AppointmentText | None:
    """Return the newest reminder texted to `sender` in the last week, or None."""
    return (AppointmentText.objects
            .select_related("appointment__patient__clinic", "appointment__provider", "appointment__type")
            .filter(address=address_key(Channel.SMS, sender), created_at__gte=timezone.now() - REPLY_WINDOW)
            .order_by("-created_at", "-pk").first())


def _call(clinic) -> str:
    return f"call {clinic.phone}" if clinic.phone else "call the clinic"


def _not_changeable(appointment) -> str | None:
    """Return why a text can no longer change the appointment, or None when it can."""
    if appointment.status == Status.CANCELLED:
        return f"your appointment on {short_when(appointment)} is already cancelled."
    if appointment.status not in (Status.BOOKED, Status.CONFIRMED) or appointment.starts_at <= timezone.now():
        return f"your appointment on {short_when(appointment)} has already begun or taken place."
    return None


def text_confirm(text: AppointmentText) -> str:
    """Confirm the texted appointment; return the reply."""
    appointment, clinic = text.appointment, text.appointment.patient.clinic
    problem = _not_changeable(appointment)
    if problem:
        return f"{clinic.name}: {problem} To book, {_call(clinic)}."
    services.appointment_confirm_by_patient(appointment=appointment, via=VIA)
    return (f"{clinic.name}: thank you, your appointment with {appointment.provider.display_name} on "
            f"{short_when(appointment)} is confirmed. Reply X to cancel.")


def text_cancel(text: AppointmentText) -> tuple[str, bool]:
    """Cancel the texted appointment at the patient's request; return the reply and whether it was cancelled."""
    appointment, clinic = text.appointment, text.appointment.patient.clinic
    problem = _not_changeable(appointment)
    if problem:
        return f"{clinic.name}: {problem} For anything else, {_call(clinic)}.", False
    try:
        cancelled = services.appointment_cancel(actor=None, appointment=appointment,
                                                reason=CancelReason.PATIENT_REQUEST, by_patient=True, via=VIA)
    except ValidationError:
        # Changed by someone else between the look-up and the lock: say what it is now.
        appointment.refresh_from_db()
        return f"{clinic.name}: {_not_changeable(appointment) or 'nothing was changed.'}", False
    late = (f" This is less than {cancelled.type.late_cancel_hours} hours before the visit, which the clinic "
            "records as a late cancellation.") if cancelled.late_cancel else ""
    return (f"{clinic.name}: your appointment on {short_when(cancelled)} is cancelled.{late} "
            f"To book a new time, {_call(clinic)}."), True


def text_help(text: AppointmentText) -> str:
    """Return the short answer to a text about a reminded appointment that is not C, X or a keyword."""
    clinic = text.appointment.patient.clinic
    return (f"{clinic.name}: about your appointment on {short_when(text.appointment)}: {REPLY_HINT} We cannot answer "
            f"other texts; {_call(clinic)}. In an emergency call 911 or 988.")
