"""What the schedule tells patients, through the outbox (dosewise.notifications).

Each message names the clinic, the clinician, the time in the clinic's zone and the way to
confirm, cancel or join (a signed link), with the appointment as an .ics file. Never the type
or the reason of the visit: a message can be read on a lock screen. Consent and quiet hours are
checked by the outbox when it sends.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from dosewise.clinics.clock import clinic_zone
from dosewise.notifications import consent, quiet_hours
from dosewise.notifications.models import Channel, ConsentPurpose
from dosewise.notifications.services import outbox_enqueue_email, outbox_enqueue_sms
from dosewise.notifications.sms import SmsError, e164
from dosewise.scheduling.ics import appointment_ics

# FCC 15-72 (2015 TCPA Declaratory Ruling and Order), para. 147: an exempted healthcare text
# must be concise, generally one message of 160 characters or less, and say how to opt out.
TEXT_REMINDER_MAX = 160
REPLY_HINT = "Reply C to confirm, X to cancel, STOP to opt out."


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


def short_when(appointment) -> str:
    """Return the appointment's time for a text, e.g. "Tue 08 Dec at 09:30", in the clinic's zone."""
    local = appointment.starts_at.astimezone(clinic_zone(appointment.patient.clinic))
    return f"{local:%a %d %b at %H:%M}"


def reminder_text_body(appointment) -> str:
    """Return the words of a text reminder: who and when, never the type or reason of the visit."""
    clinic, when = appointment.patient.clinic.name, short_when(appointment)
    how = " (video)" if appointment.is_video else " (phone)" if appointment.type.mode == "phone" else ""
    for body in (f"{clinic}: reminder of your appointment with {appointment.provider.display_name} on {when}{how}. "
                 f"{REPLY_HINT}",
                 f"{clinic}: reminder of your appointment on {when}{how}. {REPLY_HINT}",
                 f"Reminder: your appointment on {when}{how}. {REPLY_HINT}"):
        if len(body) <= TEXT_REMINDER_MAX:
            return body
    return body[:TEXT_REMINDER_MAX]


def appointment_reminder_text(appointment, *, now: datetime | None = None):
    """Put a text reminder in the outbox and return it, or None when it may not or cannot go.

    It goes only to a valid mobile number with consent to appointment reminders on record
    (the outbox checks again when it sends, so a STOP in between holds it back), and not when
    quiet hours would hold it until the visit has begun.
    """
    patient = appointment.patient
    if not patient.phone:
        return None
    try:
        number = e164(patient.phone)
    except SmsError:
        return None
    clinic = patient.clinic
    if not consent.consent_granted(clinic=clinic, channel=Channel.SMS, address=number,
                                   purpose=ConsentPurpose.APPOINTMENT_REMINDERS):
        return None
    held_until = quiet_hours.next_allowed(now or timezone.now(), clinic.timezone)
    if held_until is not None and held_until >= appointment.starts_at:
        return None
    return outbox_enqueue_sms(to=number, body=reminder_text_body(appointment), purpose="appointment.reminder",
                              clinic=clinic, consent_purpose=ConsentPurpose.APPOINTMENT_REMINDERS,
                              healthcare_exempt=True)


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
