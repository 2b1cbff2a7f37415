"""Pages of outreach: the public consultation form, the front-desk queue, the consent wording,
one-click unsubscribe and the Twilio webhook. Each view parses input, calls one service or
selector, and renders or redirects."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from dosewise.audit.services import audit_record
from dosewise.clinics.models import Clinic
from dosewise.clinics.roles import Capability, role_can
from dosewise.lib.access import require_clinic_staff
from dosewise.lib.client_address import client_ip
from dosewise.lib.forms import form_add_validation_error
from dosewise.lib.site_url import site_link
from dosewise.notifications import consent as ledger
from dosewise.notifications.models import Channel, ConsentDisclosure, MessageStatus, OutboundMessage
from dosewise.outreach import forms, selectors, services
from dosewise.outreach.models import RequestStatus
from dosewise.patients import selectors as patient_selectors

log = logging.getLogger(__name__)


def _public_clinic(slug: str | None) -> Clinic:
    if slug:
        clinic = Clinic.objects.filter(slug=slug).first()
    else:
        wanted = getattr(settings, "OUTREACH_CLINIC", "")
        clinic = (Clinic.objects.filter(slug=wanted).first() if wanted else Clinic.objects.order_by("pk").first())
    if clinic is None:
        raise Http404("No clinic takes requests here")
    return clinic


def _user_agent(request) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:300]


@require_http_methods(["GET", "POST"])
def consultation_request(request, slug: str | None = None):
    clinic = _public_clinic(slug)
    disclosures = {channel: services.disclosure_ensure(clinic, channel) for channel in (Channel.SMS, Channel.EMAIL)}
    form = forms.ConsultationRequestForm(request.POST or None)
    status = 200
    if request.method == "POST":
        ip = client_ip(request)
        if int(request.META.get("CONTENT_LENGTH") or 0) > forms.MAX_BODY_BYTES:
            services.rejected_count_add(clinic=clinic, reason="too_large")
            return HttpResponse("The request is too large.", status=413, content_type="text/plain")
        if request.POST.get("website"):
            # A bot: it is told what a person is told, and nothing of it is kept but the count.
            services.rejected_count_add(clinic=clinic, reason="honeypot")
            return redirect(reverse("outreach:consultation_request_sent"))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.request_throttle_check(clinic=clinic, ip=ip, phone=data["phone"], email=data["email"])
                services.consultation_request_submit(
                    clinic=clinic, data=data, sms_consent=data["sms_consent"], email_consent=data["email_consent"],
                    ip=ip, user_agent=_user_agent(request))
            except services.RequestRefused as exc:
                form.add_error(None, str(exc))
                status = 429
            except ValidationError as exc:
                form_add_validation_error(form, exc)
                status = 400
            else:
                request.session["outreach_sent"] = {"sms": data["sms_consent"], "email": data["email_consent"],
                                                    "clinic": clinic.name, "phone": clinic.phone}
                return redirect(reverse("outreach:consultation_request_sent"))
        else:
            status = 400
    return render(request, "outreach/request_form.html", {"form": form, "clinic": clinic,
                                                          "sms_disclosure": disclosures[Channel.SMS],
                                                          "email_disclosure": disclosures[Channel.EMAIL]},
                  status=status)


def consultation_request_sent(request):
    return render(request, "outreach/request_sent.html", {"sent": request.session.pop("outreach_sent", None)})


def _staff(request):
    require_clinic_staff(request)
    selectors.require_queue_access(request.user)


@login_required
def queue(request):
    _staff(request)
    status = request.GET.get("status", RequestStatus.NEW)
    if status not in RequestStatus.values:
        status = RequestStatus.NEW
    items, counts = selectors.request_queue(request.user, status)
    return render(request, "outreach/queue.html", {
        "items": items, "status": status, "tabs": [(v, label, counts[v]) for v, label in RequestStatus.choices],
        "problems": selectors.message_problems(request.user)})


def _detail_context(request, consultation, **extra):
    initial = {"legal_given_name": consultation.given_name, "legal_family_name": consultation.family_name}
    context = {
        "r": consultation, "ledger": selectors.request_ledger(consultation),
        "outbox": selectors.messages_to(consultation),
        "status_form": forms.StatusForm(initial={"status": consultation.status}),
        "consent_form": forms.PhoneConsentForm(),
        "convert_form": forms.ConvertForm(initial=initial),
    }
    context.update(extra)
    return context


@login_required
def request_detail(request, request_id: int):
    _staff(request)
    consultation = selectors.access_request(request.user, request_id)
    return render(request, "outreach/request_detail.html", _detail_context(request, consultation))


@login_required
@require_POST
def request_status(request, request_id: int):
    _staff(request)
    consultation = selectors.access_request(request.user, request_id)
    form = forms.StatusForm(request.POST)
    if form.is_valid():
        try:
            services.request_status_set(actor=request.user, request=consultation, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, f"Request marked {consultation.get_status_display().lower()}.")
            return redirect(reverse("outreach:request_detail", kwargs={"request_id": request_id}))
    return render(request, "outreach/request_detail.html", _detail_context(request, consultation, status_form=form),
                  status=400)


@login_required
@require_POST
def request_consent(request, request_id: int):
    _staff(request)
    consultation = selectors.access_request(request.user, request_id)
    form = forms.PhoneConsentForm(request.POST)
    if form.is_valid():
        try:
            services.request_consent_record(actor=request.user, request=consultation, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, "Consent recorded in the ledger.")
            return redirect(reverse("outreach:request_detail", kwargs={"request_id": request_id}) + "#ledger")
    return render(request, "outreach/request_detail.html", _detail_context(request, consultation, consent_form=form),
                  status=400)


@login_required
@require_POST
def request_convert(request, request_id: int):
    _staff(request)
    consultation = selectors.access_request(request.user, request_id)
    form = forms.ConvertForm(request.POST)
    if form.is_valid():
        demographics = {k: v for k, v in form.cleaned_data.items() if v != ""}
        # The person may already be a patient (a returning one, or registered by phone): show the
        # match before a second record is made, as registration does.
        duplicates = [] if request.POST.get("not_a_duplicate") else patient_selectors.possible_duplicates(
            request.user, {**demographics, "email": consultation.email, "phone": consultation.phone})
        if duplicates:
            audit_record(action="patient.duplicate_check", actor=request.user,
                         detail={"matches": [p.mrn for p in duplicates], "request": consultation.pk})
            return render(request, "outreach/request_detail.html",
                          _detail_context(request, consultation, convert_form=form, duplicates=duplicates), status=409)
        try:
            intake = services.request_convert(actor=request.user, request=consultation, demographics=demographics)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, f"{intake.patient.display_name} is registered ({intake.patient.mrn}) and an "
                                      "intake appointment is requested.")
            return redirect(reverse("outreach:request_detail", kwargs={"request_id": request_id}))
    return render(request, "outreach/request_detail.html", _detail_context(request, consultation, convert_form=form),
                  status=400)


@login_required
@require_http_methods(["GET", "POST"])
def disclosures(request):
    require_clinic_staff(request)
    if not role_can(request.user.role, Capability.STAFF_MANAGE):
        raise PermissionDenied("Only the clinic admin may change the consent wording.")
    clinic = request.user.clinic
    for channel in (Channel.SMS, Channel.EMAIL):
        services.disclosure_ensure(clinic, channel)
    posted = forms.DisclosureForm(request.POST) if request.method == "POST" else None
    if posted is not None and posted.is_valid():
        try:
            disclosure = services.disclosure_publish(actor=request.user, **posted.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(posted, exc)
        else:
            messages.success(request, f"{disclosure} is now shown on the request form.")
            return redirect(reverse("outreach:disclosures"))
    versions = list(ConsentDisclosure.objects.filter(clinic=clinic).select_related("created_by"))
    blocks = []
    for channel, label in Channel.choices:
        of_channel = [v for v in versions if v.channel == channel]
        current = of_channel[0]
        form = posted if posted is not None and posted.data.get("channel") == channel else forms.DisclosureForm(
            initial={"channel": channel, "program_name": current.program_name, "text": current.text},
            auto_id=f"id_{channel}_%s")
        blocks.append({"channel": channel, "label": label, "current": current, "older": of_channel[1:], "form": form})
    return render(request, "outreach/disclosures.html", {"blocks": blocks}, status=400 if posted else 200)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    data = ledger.unsubscribe_token_read(token)
    if data is None:
        return render(request, "outreach/unsubscribe.html", {"invalid": True}, status=404)
    one_click = request.POST.get("List-Unsubscribe") == "One-Click"
    if request.method == "POST":
        # RFC 8058: a mail client's one-click POST, or the person's own button on this page.
        services.unsubscribe(token_data=data, everything=request.POST.get("everything") == "1",
                             ip=client_ip(request), user_agent=_user_agent(request))
        if one_click:
            return HttpResponse("Unsubscribed.", content_type="text/plain")
        return render(request, "outreach/unsubscribe.html", {"done": True, "everything": request.POST.get("everything") == "1"})
    # A GET never unsubscribes: link scanners of mail providers open every link.
    return render(request, "outreach/unsubscribe.html", {"token": token, "channel": data["c"]})


def _twilio_url(request) -> str:
    # Twilio signs the address it was given, which is the public one (behind any proxy).
    return site_link(request.get_full_path())


@csrf_exempt
@require_POST
def twilio_sms(request):
    from twilio.request_validator import RequestValidator

    token = settings.TWILIO_AUTH_TOKEN
    signature = request.META.get("HTTP_X_TWILIO_SIGNATURE", "")
    if not token or not signature or not RequestValidator(token).validate(_twilio_url(request), request.POST.dict(),
                                                                           signature):
        log.warning("twilio webhook refused: missing or forged signature from %s", client_ip(request))
        return HttpResponseForbidden("Forbidden")
    params = request.POST
    if params.get("MessageStatus") and params.get("MessageSid") and not params.get("Body"):
        _delivery_status(params)
    elif params.get("From"):
        services.inbound_sms_handle(sender=params["From"], body=params.get("Body", ""))
    return HttpResponse('<?xml version="1.0" encoding="UTF-8"?><Response></Response>', content_type="text/xml")


def _delivery_status(params) -> None:
    """Record Twilio's report that a sent text could not be delivered."""
    state = params["MessageStatus"]
    if state not in ("failed", "undelivered"):
        return
    code = params.get("ErrorCode", "")
    with transaction.atomic():
        OutboundMessage.objects.filter(provider_reference=params["MessageSid"]).update(
            status=MessageStatus.UNDELIVERABLE,
            last_error=f"The phone company reported the text as {state}" + (f" (Twilio error {code})." if code else "."))
