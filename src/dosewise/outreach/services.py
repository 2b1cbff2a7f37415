"""Writes of outreach: public consultation requests, their handling at the front desk, consent
recorded by staff, disclosure versions, inbound text keywords and unsubscribes.

Each function is atomic and writes its audit event in the same transaction; the consent ledger
rows themselves are written through `notifications.consent`.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from dosewise.audit.services import audit_record
from dosewise.clinics.clock import clinic_today
from dosewise.clinics.roles import Capability, role_can
from dosewise.lib.contributions import sms_replies
from dosewise.lib.throttle import AddressThrottle
from dosewise.notifications import consent as ledger
from dosewise.notifications.models import Channel, ConsentPurpose, ConsentSource, OutboundMessage
from dosewise.notifications.services import outbox_enqueue_email, outbox_enqueue_sms
from dosewise.outreach.models import (
    ConsultationRequest,
    IntakeRequest,
    RejectedRequestCount,
    RequestEvent,
    RequestStatus,
)
from dosewise.patients.services import patient_register

# Abuse limits of the public form: submissions per client address an hour, and per phone number
# or e-mail address a day (the counter keys are keyed hashes, not the addresses themselves).
IP_LIMIT_PER_HOUR = 5
CONTACT_LIMIT_PER_DAY = 3
IP_THROTTLE = AddressThrottle("consultation-ip", 3600)
CONTACT_THROTTLE = AddressThrottle("consultation-contact", 86400)


class RequestRefused(Exception):
    """A public request refused for abuse; `reason` is counted, nothing else is kept."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


def _contact_key(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.strip().lower().encode(), hashlib.sha256).hexdigest()[:32]


def rejected_count_add(*, clinic, reason: str) -> None:
    """Count one refused public request (the only trace it leaves)."""
    day = clinic_today(clinic)
    row, created = RejectedRequestCount.objects.get_or_create(clinic=clinic, day=day, reason=reason,
                                                              defaults={"count": 1})
    if not created:
        RejectedRequestCount.objects.filter(pk=row.pk).update(count=F("count") + 1)


def request_throttle_check(*, clinic, ip: str | None, phone: str, email: str) -> None:
    """Raise RequestRefused when the address or the contact details have sent too many requests."""
    if IP_THROTTLE.exceeded(ip, IP_LIMIT_PER_HOUR):
        rejected_count_add(clinic=clinic, reason="rate_ip")
        raise RequestRefused("rate_ip", "Too many requests have come from this network in the last hour. "
                                        "Please try again later, or call the clinic.")
    for value in (phone, email):
        if value and CONTACT_THROTTLE.exceeded(_contact_key(value), CONTACT_LIMIT_PER_DAY):
            rejected_count_add(clinic=clinic, reason="rate_contact")
            raise RequestRefused("rate_contact", "We already have several requests with these contact details "
                                                 "today. The clinic will be in touch; you can also call us.")


def disclosure_ensure(clinic, channel: str):
    """Return the clinic's current disclosure for the channel, writing version 1 if it has none."""
    current = ledger.disclosure_current(clinic, channel)
    if current is not None:
        return current
    program = f"{clinic.name} patient messages"
    text = render_to_string(f"outreach/disclosure_{channel}.txt", {"clinic": clinic, "program": program}).strip()
    return ledger.disclosure_publish(clinic=clinic, channel=channel, program_name=program, text=text)


def disclosure_publish(*, actor, channel: str, program_name: str, text: str):
    """Publish a new disclosure version written by the clinic admin; older versions stay."""
    if not actor.is_clinic_staff or not role_can(actor.role, Capability.STAFF_MANAGE):
        raise PermissionDenied("Only the clinic admin may change the consent wording.")
    if channel not in Channel.values:
        raise ValidationError({"channel": "Choose SMS or e-mail."})
    problems = {}
    if not program_name.strip():
        problems["program_name"] = "Give the program name people see, e.g. the clinic's name and \"patient messages\"."
    lowered = text.lower()
    if channel == Channel.SMS:
        missing = [label for label, words in (("how to stop (STOP)", "stop"), ("help (HELP)", "help"),
                                              ("Msg & data rates may apply", "rates may apply"),
                                              ("that consent is not a condition of care", "not a condition"))
                   if words not in lowered]
        if missing:
            problems["text"] = "The text-message wording must say " + ", ".join(missing) + "."
    elif "unsubscribe" not in lowered or "not a condition" not in lowered:
        problems["text"] = "The e-mail wording must say how to unsubscribe and that consent is not a condition of care."
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        disclosure = ledger.disclosure_publish(clinic=actor.clinic, channel=channel, program_name=program_name,
                                               text=text, created_by=actor)
        audit_record(action="outreach.disclosure_publish", actor=actor, obj=disclosure,
                     detail={"channel": channel, "version": disclosure.version})
    return disclosure


def _confirmation(request: ConsultationRequest, sms_ok: bool, email_ok: bool) -> None:
    """Queue one confirmation on a channel the person agreed to, their preferred one first."""
    clinic = request.clinic
    order = [Channel.SMS, Channel.EMAIL] if request.preferred_channel == "sms" else [Channel.EMAIL, Channel.SMS]
    for channel in order:
        if channel == Channel.EMAIL and email_ok:
            body = render_to_string("outreach/email/confirmation.txt", {"request": request, "clinic": clinic})
            outbox_enqueue_email(to=request.email, subject=f"{clinic.name}: we have your request", body=body,
                                 purpose="outreach.request_confirmation", clinic=clinic,
                                 consent_purpose=ConsentPurpose.CARE_MESSAGES)
            return
        if channel == Channel.SMS and sms_ok:
            outbox_enqueue_sms(to=request.phone, clinic=clinic, purpose="outreach.request_confirmation",
                               consent_purpose=ConsentPurpose.CARE_MESSAGES, recipient_state=request.state,
                               body=f"{clinic.name}: we have your consultation request and will contact you soon. "
                                    "Reply STOP to stop, HELP for help.")
            return


def consultation_request_submit(*, clinic, data: dict, sms_consent: bool, email_consent: bool, ip: str | None,
                                user_agent: str) -> ConsultationRequest:
    """Store a request from the public form, its consents in the ledger, and queue the confirmation.

    The caller has validated `data` and checked the throttles; this counts the submission.
    """
    fields = ("given_name", "family_name", "phone", "email", "preferred_channel", "reason", "preferred_times",
              "state")
    with transaction.atomic():
        request = ConsultationRequest(clinic=clinic, **{k: data.get(k, "") for k in fields})
        request.full_clean()
        request.save()
        granted = []
        for channel, agreed, address in ((Channel.SMS, sms_consent, request.phone),
                                         (Channel.EMAIL, email_consent, request.email)):
            if not (agreed and address):
                continue
            disclosure = disclosure_ensure(clinic, channel)
            for purpose in ledger.DEFAULT_PURPOSES:
                ledger.consent_grant(clinic=clinic, channel=channel, address=address, purpose=purpose,
                                     source=ConsentSource.PUBLIC_FORM, disclosure=disclosure, ip=ip,
                                     user_agent=user_agent)
            granted.append(f"{channel} v{disclosure.version}")
        audit_record(action="outreach.request_submit", clinic=clinic, obj=request,
                     actor_email=request.email or "public form", detail={"consents": granted})
        _confirmation(request, sms_ok=sms_consent and bool(request.phone),
                      email_ok=email_consent and bool(request.email))
    IP_THROTTLE.hit(ip)
    for value in (request.phone, request.email):
        if value:
            CONTACT_THROTTLE.hit(_contact_key(value))
    return request


def _require_queue(actor, request: ConsultationRequest) -> None:
    if not actor.is_clinic_staff or not role_can(actor.role, Capability.PATIENT_REGISTER):
        raise PermissionDenied("Consultation requests are handled by the front desk, nurses and prescribers.")
    if request.clinic_id != actor.clinic_id:
        raise PermissionDenied("This request belongs to another clinic.")


def request_status_set(*, actor, request: ConsultationRequest, status: str, note: str = "") -> ConsultationRequest:
    """Move a request to `status` with an optional note; a booked or declined request can be reopened."""
    _require_queue(actor, request)
    if status not in RequestStatus.values:
        raise ValidationError({"status": "Choose new, contacted, booked or declined."})
    if status == RequestStatus.DECLINED and not note.strip():
        raise ValidationError({"note": "Say why the request is declined (the person may call back)."})
    with transaction.atomic():
        ConsultationRequest.objects.filter(pk=request.pk).update(status=status)
        RequestEvent.objects.create(request=request, actor=actor, status=status, note=note.strip()[:500])
        audit_record(action="outreach.request_status", actor=actor, obj=request, detail={"status": status})
    request.refresh_from_db()
    return request


def request_consent_record(*, actor, request: ConsultationRequest, channel: str, agreed: bool, words: str,
                           purposes=ledger.DEFAULT_PURPOSES):
    """Record consent (or its withdrawal) the person gave staff on the phone, in their own words."""
    _require_queue(actor, request)
    address = request.phone if channel == Channel.SMS else request.email
    if not address:
        raise ValidationError({"channel": f"The request has no {'phone number' if channel == Channel.SMS else 'e-mail address'}."})
    if not words.strip():
        raise ValidationError({"words": "Write down what the person said, in their words."})
    with transaction.atomic():
        if agreed:
            disclosure = disclosure_ensure(request.clinic, channel)
            events = [ledger.consent_grant(clinic=request.clinic, channel=channel, address=address, purpose=p,
                                           source=ConsentSource.STAFF_PHONE, disclosure=disclosure,
                                           words=words.strip(), recorded_by=actor) for p in purposes]
        else:
            events = [ledger.consent_withdraw(clinic=request.clinic, channel=channel, address=address,
                                              purpose=ConsentPurpose.ALL, source=ConsentSource.STAFF_PHONE,
                                              words=words.strip(), recorded_by=actor)]
        audit_record(action="outreach.consent_record", actor=actor, obj=request,
                     detail={"channel": channel, "agreed": agreed})
    return events


def request_convert(*, actor, request: ConsultationRequest, demographics: dict) -> IntakeRequest:
    """Register the person as a patient and record the intake they asked for; the request is booked."""
    _require_queue(actor, request)
    if request.patient_id:
        raise ValidationError("This request is already a patient record.")
    data = {"email": request.email, "phone": request.phone, **demographics}
    with transaction.atomic():
        patient = patient_register(actor=actor, data=data)
        intake = IntakeRequest.objects.create(clinic=request.clinic, patient=patient, consultation=request,
                                              preferred_times=request.preferred_times, reason=request.reason,
                                              created_by=actor)
        ConsultationRequest.objects.filter(pk=request.pk).update(patient=patient, status=RequestStatus.BOOKED)
        RequestEvent.objects.create(request=request, actor=actor, status=RequestStatus.BOOKED,
                                    note=f"Registered as patient {patient.mrn}; intake requested.")
        audit_record(action="outreach.request_convert", actor=actor, patient=patient, obj=intake,
                     detail={"request": request.pk, "mrn": patient.mrn})
    request.refresh_from_db()
    return intake


STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPT OUT", "OPTOUT"})
START_WORDS = frozenset({"START", "UNSTOP"})
HELP_WORDS = frozenset({"HELP", "INFO"})
# Answers to an appointment reminder. CANCEL stays a STOP word: 47 CFR 64.1200(a)(10) counts
# "cancel" among the words that revoke consent to texts, and carriers opt the number out on it.
CONFIRM_WORDS = frozenset({"C", "CONFIRM"})
CANCEL_APPOINTMENT_WORDS = frozenset({"X"})
# At most one answer to unreadable texts per number in this time, so that two auto-responders
# cannot keep texting each other.
UNREADABLE_REPLY_EVERY = timedelta(hours=1)


def _word(body: str) -> str:
    return " ".join((body or "").split()).strip(" .!").upper()


def keyword_of(body: str) -> str:
    """Return STOP, START, HELP, CONFIRM, CANCEL_APPOINTMENT or "" for an inbound text: the keyword alone, in any case."""
    word = _word(body)
    if word in STOP_WORDS:
        return "STOP"
    if word in START_WORDS:
        return "START"
    if word in HELP_WORDS:
        return "HELP"
    if word in CONFIRM_WORDS:
        return "CONFIRM"
    if word in CANCEL_APPOINTMENT_WORDS:
        return "CANCEL_APPOINTMENT"
    return ""


def _program(clinic) -> tuple[str, str]:
    if clinic is None:
        return "Dosewise patient messages", ""
    current = ledger.disclosure_current(clinic, Channel.SMS)
    return (current.program_name if current else f"{clinic.name} patient messages"), clinic.phone


def _call(phone: str) -> str:
    return f"call {phone}" if phone else "call the clinic"


def _unreadable_reply_allowed(sender: str) -> bool:
    key = ledger.address_key(Channel.SMS, sender)
    if not ledger.send_permission(clinic_id=None, channel=Channel.SMS, address=key, purpose="sms.unreadable",
                                  consent_purpose="").allowed:
        return False  # after STOP only the keywords are answered
    return not OutboundMessage.objects.filter(channel=Channel.SMS, address=key,
                                              purpose=ledger.KEYWORD_REPLY_PURPOSE,
                                              created_at__gte=timezone.now() - UNREADABLE_REPLY_EVERY).exists()


def inbound_sms_handle(*, sender: str, body: str, clinic=None) -> str:
    """Act on an inbound text: STOP revokes SMS at once, START resumes, HELP explains; C confirms and
    X cancels the appointment of the last reminder texted to the number (CANCEL does both: it stops
    the texts and cancels that appointment); any other text gets a short help reply.

    Returns the keyword handled ("" for any other text). Each text gets at most one reply, sent even
    after STOP for a keyword (it is the confirmation of the STOP itself).
    """
    keyword = keyword_of(body)
    # The newest text an app above sent this number (the schedule's reminder), which a reply answers.
    replies = sms_replies()
    texted = replies.texted(sender) if replies is not None else None
    if texted is not None:
        clinic = clinic or replies.clinic(texted)
    program, phone = _program(clinic)
    detail = {}
    with transaction.atomic():
        if keyword == "STOP":
            ledger.consent_withdraw(clinic=None, channel=Channel.SMS, address=sender, purpose=ConsentPurpose.ALL,
                                    source=ConsentSource.SMS_KEYWORD, words=body.strip()[:500])
            reply = (f"{program}: you are unsubscribed and will get no more text messages. "
                     "Reply START to subscribe again.")
            if texted is not None and _word(body) == "CANCEL":
                answer, cancelled = replies.cancel(texted)
                detail = {**replies.about(texted), "cancelled": cancelled}
                reply = f"{answer} You will also get no more text messages; reply START to get them again."
        elif keyword == "START":
            ledger.consent_resume(channel=Channel.SMS, address=sender, source=ConsentSource.SMS_KEYWORD,
                                  words=body.strip()[:500])
            reply = f"{program}: you are subscribed again. Reply STOP to stop, HELP for help."
        elif keyword == "HELP":
            contact = f" Call {phone}." if phone else " Call the clinic."
            reply = (f"{program}: appointment reminders, questionnaires and care messages.{contact} "
                     "Msg & data rates may apply. Reply STOP to stop. If this is an emergency, call 911 or 988.")
        elif keyword in ("CONFIRM", "CANCEL_APPOINTMENT") and texted is not None:
            detail = replies.about(texted)
            if keyword == "CONFIRM":
                reply = replies.confirm(texted)
            else:
                reply, detail["cancelled"] = replies.cancel(texted)
        elif keyword in ("CONFIRM", "CANCEL_APPOINTMENT"):
            reply = (f"{program}: we sent no appointment reminder to this number in the last week, so nothing "
                     f"was changed. To confirm or cancel an appointment, {_call(phone)}.")
        elif _unreadable_reply_allowed(sender):
            if texted is not None:
                detail = replies.about(texted)
                reply = replies.help(texted)
            else:
                reply = (f"{program}: this number cannot read texts. To reach the clinic, {_call(phone)}. Reply "
                         "HELP for help, STOP to opt out. In an emergency call 911 or 988.")
        else:
            return keyword
        action = keyword.lower() if keyword else "unreadable"
        audit_record(action=f"outreach.sms_{action}", clinic=clinic, actor_email="text message",
                     object_type="notifications.contactconsent", object_id=ledger.address_key(Channel.SMS, sender),
                     detail=detail)
        outbox_enqueue_sms(to=sender, body=reply, purpose=ledger.KEYWORD_REPLY_PURPOSE, clinic=clinic)
    return keyword


def unsubscribe(*, token_data: dict, everything: bool, ip: str | None, user_agent: str) -> None:
    """Withdraw the consent an unsubscribe link stands for (its purpose, or every e-mail of the clinic)."""
    from dosewise.clinics.models import Clinic

    clinic = Clinic.objects.filter(pk=token_data["k"]).first() if token_data["k"] else None
    purpose = ConsentPurpose.ALL if everything or token_data["p"] not in ConsentPurpose.values else token_data["p"]
    with transaction.atomic():
        ledger.consent_withdraw(clinic=clinic, channel=token_data["c"], address=token_data["a"], purpose=purpose,
                                source=ConsentSource.UNSUBSCRIBE_LINK, ip=ip, user_agent=user_agent)
        audit_record(action="outreach.unsubscribe", clinic=clinic, actor_email="unsubscribe link",
                     object_type="notifications.contactconsent", object_id=token_data["a"],
                     detail={"purpose": purpose, "channel": token_data["c"]})
