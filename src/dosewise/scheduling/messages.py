"""What the schedule tells patients, through the outbox (dosewise.notifications).

Each message names the clinic, the clinician, the time in the clinic's zone and the way to
confirm, cancel or join (a signed link), with the appointment as an .ics file. Never the type
or the reason of the visit: a message can be read on a lock screen. Consent and quiet hours are
checked by the outbox when it sends.
"""

from __future__ import annotations

from dosewise.clinics.clock import clinic_zone
from dosewise.notifications.services import outbox_enqueue_email
from dosewise.scheduling.ics import appointment_ics


def _when(appointment) -> str:
    local = appointment.starts_at.astimezone(clinic_zone(appointment.patient.clinic))
    return f"{local:%A %d %B %Y at %H:%M} ({local.tzname()})"


def _how(appointment) -> str:
    if appointment.is_video:
        return "This is a video visit: open the link below a few minutes before the start to join."
    if appointment.type.mode == "phone":
        return "This is a phone visit: the clinic will call you."
    return f"Please come to {appointment.patient.clinic.name}."


def _send(appointment, *, subject: str, lines: list[str], purpose: str, attach: bool = True) -> bool:
    patient = appointment.patient
    if not patient.email:
        return False
    clinic = patient.clinic
    body = "\n\n".join([f"Hello {patient.preferred_name or patient.legal_given_name},", *lines,
                        f"{clinic.name}" + (f", {clinic.phone}" if clinic.phone else "")])
    attachment = ("appointment.ics", appointment_ics(appointment), "text/calendar") if attach else None
    outbox_enqueue_email(to=patient.email, subject=subject, body=body, purpose=purpose, clinic=clinic,
                         attachment=attachment)
    return True


def appointment_booked(appointment, *, link: str) -> bool:
    return _send(appointment, subject=f"Your appointment on {_when(appointment)}", purpose="appointment.booked",
                 lines=[f"You have an appointment with {appointment.provider.display_name} on {_when(appointment)}.",
                        _how(appointment), f"Confirm or cancel: {link}"])


def appointment_moved(appointment, *, link: str) -> bool:
    return _send(appointment, subject=f"Your appointment has moved to {_when(appointment)}",
                 purpose="appointment.moved",
                 lines=[f"Your appointment with {appointment.provider.display_name} is now on {_when(appointment)}.",
                        _how(appointment), f"Confirm or cancel: {link}"])


def appointment_reminder(appointment, *, link: str) -> bool:
    return _send(appointment, subject=f"Reminder: appointment on {_when(appointment)}",
                 purpose="appointment.reminder",
                 lines=[f"A reminder of your appointment with {appointment.provider.display_name} on "
                        f"{_when(appointment)}.", _how(appointment), f"Confirm, cancel or join: {link}"])


def appointment_cancelled(appointment) -> bool:
    return _send(appointment, subject="Your appointment is cancelled", purpose="appointment.cancelled",
                 lines=[f"Your appointment with {appointment.provider.display_name} on {_when(appointment)} is "
                        "cancelled. Call us to find a new time."])


def slot_offered(offer, entry, *, token: str) -> bool:
    from django.urls import reverse

    from dosewise.lib.site_url import site_link

    patient = entry.patient
    if not patient.email:
        return False
    local = offer.starts_at.astimezone(clinic_zone(patient.clinic))
    link = site_link(reverse("scheduling:offer_accept", kwargs={"token": token}))
    body = "\n\n".join([
        f"Hello {patient.preferred_name or patient.legal_given_name},",
        f"An earlier appointment with {offer.provider.display_name} is free on {local:%A %d %B %Y at %H:%M} "
        f"({local.tzname()}). It goes to the first person who accepts.",
        f"Take this time: {link}", "If it does not suit you, do nothing: you keep your place on the waiting list.",
        patient.clinic.name])
    outbox_enqueue_email(to=patient.email, subject="An earlier appointment is free", body=body,
                         purpose="waitlist.offer", clinic=patient.clinic)
    return True
