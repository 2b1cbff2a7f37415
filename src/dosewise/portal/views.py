"""Pages of the patient portal (phone first) and the staff pages that manage it.

Patient pages take no patient id: `portal_view` resolves the signed-in account's patient
and refuses staff and unlinked accounts. Staff pages reach the patient through
`access_patient` like every chart page. Every read and write is audited.
"""

from __future__ import annotations

import functools
import json

from allauth.mfa.models import Authenticator
from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dosewise.accounts import selectors as account_selectors
from dosewise.accounts import services as account_services
from dosewise.assessments import forms as assessment_forms
from dosewise.assessments import services as assessment_services
from dosewise.assessments.models import QuestionnaireResponse
from dosewise.audit.services import audit_record
from dosewise.clinical.education import education_handout
from dosewise.clinical.kb import load_kb
from dosewise.clinics.roles import Capability
from dosewise.lib.access import require_clinic_staff
from dosewise.lib.client_address import client_ip
from dosewise.lib.forms import (
    form_add_validation_error,
    messages_from_form_errors,
    messages_from_validation_error,
)
from dosewise.lib.reader_language import reader_language, respond_in
from dosewise.monitoring.models import SideEffectReporter
from dosewise.patients.breakglass import offers_break_glass
from dosewise.patients.selectors import access_patient
from dosewise.portal import forms, push, selectors, services
from dosewise.portal.models import DoseStatus, MissedReason, ProxyRelationship, ProxyScope
from dosewise.portal.selectors import OWNER


def portal_language(request, portal=None) -> str:
    """Return the portal's language for this request: the reader's saved choice (the patient's,
    or a proxy's own), else the language cookie or the browser's."""
    return reader_language(request, portal.language if portal is not None else "")


def in_portal_language(view):
    """Render a page that needs no sign-in in the visitor's language (cookie or browser)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return respond_in(request, portal_language(request), lambda: view(request, *args, **kwargs))

    return wrapper


def portal_view(view=None, *, scope: str | None = None):
    """Give a patient page the record this request opens, in the reader's language; refuse everyone else.

    `scope` names the part of the portal the page belongs to (a ProxyScope value, or OWNER for
    the patient's own pages); a proxy outside it is refused (403). None: open to every record.
    """
    if view is None:
        return functools.partial(portal_view, scope=scope)

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        portal = selectors.portal_access(request.user, request.session, scope)
        return respond_in(request, portal_language(request, portal), lambda: view(request, portal, *args, **kwargs))

    return wrapper


def _audit_read(request, portal, action: str, **detail) -> None:
    if portal.proxy is not None:
        detail["proxy"] = portal.proxy.pk
    audit_record(action=action, actor=request.user, patient=portal.patient, detail=detail)


@require_GET
@portal_view
def home(request, portal):
    page = selectors.today_page(portal)
    _audit_read(request, portal, "portal.today.view", medicines=[d.medicine.pk for d in page.doses],
                plans=[p.plan.pk for p in page.plans])
    return render(request, "portal/home.html", {"portal": portal, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def choose(request):
    """Whose record to open, for a person who speaks for several patients (or is one and helps another)."""
    records = selectors.portal_records(request.user)
    target = request.POST.get("next") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()) or not target.startswith("/portal/"):
        target = reverse("portal:home")
    if not records:
        selectors.portal_access(request.user)  # refuses with the reason (access ended, not linked)
    language = portal_language(request, records[0] if len(records) == 1 else None)
    with translation.override(language):
        request.LANGUAGE_CODE = language
        if request.method == "POST":
            chosen = request.POST.get("patient", "")
            found = next((r for r in records if str(r.patient.pk) == chosen), None)
            if found is None:
                messages.error(request, _("Choose one of the records listed."))
                return redirect(f"{reverse('portal:choose')}?{urlencode({'next': target})}")
            request.session[selectors.SESSION_RECORD] = found.patient.pk
            _audit_read(request, found, "portal.record.choose")
            return redirect(target)
        current = request.session.get(selectors.SESSION_RECORD)
        return render(request, "portal/choose.html", {"records": records, "current": current, "next": target,
                                                      "clinic": records[0].patient.clinic})


@require_http_methods(["GET", "POST"])
@portal_view
def family(request, portal):
    """Family and helpers: who else can open this record, for what and until when; end an access."""
    if request.method == "POST":
        proxy_id = request.POST.get("proxy", "")
        try:
            ended = services.proxy_revoke_in_portal(actor=request.user, portal=portal,
                                                    proxy_id=int(proxy_id) if proxy_id.isdigit() else 0)
        except ValidationError as exc:
            messages_from_validation_error(request, exc)
            return redirect("portal:family")
        if portal.proxy is not None and ended.pk == portal.proxy.pk:
            request.session.pop(selectors.SESSION_RECORD, None)
            if not ended.user.is_active or not selectors.portal_records(request.user):
                logout(request)
                return redirect("account_login")
            messages.success(request, _("Your access to %(name)s's record has ended.")
                             % {"name": portal.patient.display_name})
            return redirect("portal:home")
        messages.success(request, _("%(name)s can no longer open this record.") % {"name": ended.name})
        return redirect("portal:family")
    proxies = selectors.proxies_for_portal(portal)
    _audit_read(request, portal, "portal.family.view", proxies=[p.pk for p in proxies])
    return render(request, "portal/family.html", {
        "portal": portal, "proxies": proxies, "can_end_helpers": portal.proxy is None
        or portal.proxy.relationship != ProxyRelationship.HELPER})


@require_GET
@portal_view(scope=ProxyScope.MEDICINES)
def medicines(request, portal):
    found = selectors.active_medicines(portal)
    ingredients = load_kb().ingredients
    _audit_read(request, portal, "portal.medicines.view", medicines=[m.pk for m in found])
    return render(request, "portal/medicines.html", {
        "portal": portal,
        "medicines": [(m, m.in_formulary and m.ingredient in ingredients) for m in found]})


@require_GET
@portal_view(scope=ProxyScope.MEDICINES)
def handout(request, portal, medication_id: int):
    medicine = selectors.medicine_get(portal, medication_id)
    ingredient = load_kb().ingredients.get(medicine.ingredient) if medicine.in_formulary else None
    if ingredient is None:
        return render(request, "portal/error.html", {"portal": portal, "title": _("No handout yet"), "message":
                      _("There is no handout for %(drug)s yet. Ask your care team about it.") % {
                          "drug": medicine.ingredient}}, status=404)
    _audit_read(request, portal, "portal.handout.view", medication=medicine.pk)
    # The patient's own sig first, as one sentence per part.
    clinic = portal.patient.clinic
    sheet = education_handout(ingredient, how_to_take=". ".join(filter(None, [medicine.dose_display,
                                                                              medicine.instructions.rstrip(".")])),
                              clinic_name=clinic.name, clinic_phone=clinic.phone)
    return render(request, "portal/handout.html", {"portal": portal, "medicine": medicine, "handout": sheet})


@require_GET
@portal_view(scope=ProxyScope.MEDICINES)
def calendar(request, portal):
    plans = selectors.current_plans(portal)
    _audit_read(request, portal, "portal.calendar.view", plans=[p.plan.pk for p in plans])
    return render(request, "portal/calendar.html", {"portal": portal, "plans": plans, "today": portal.today})


@portal_view(scope=ProxyScope.MEDICINES)
def dose_log(request, portal):
    error_key, form_errors = "", {}
    if request.method == "POST":
        form = forms.DoseLogForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            error_key = f"{data['medication']}-{data['day'].isoformat()}"
            try:
                entry = services.dose_log_record(
                    actor=request.user, portal=portal, medication_id=data["medication"], day=data["day"],
                    status=data["status"], reason=data["reason"], note=data["note"], replaces_id=data["replaces"])
            except ValidationError as exc:
                form_errors = _errors(exc)
            else:
                said = (_("taken") if entry.status == DoseStatus.TAKEN
                        else _("missed (%(reason)s)") % {"reason": entry.reason_display})
                when = _("today") if entry.day == portal.today else _("yesterday")
                messages.success(request, _("Saved: %(drug)s %(said)s, %(when)s.") % {
                    "drug": entry.medication.ingredient, "said": said, "when": when})
                return redirect("portal:dose_log")
        else:
            error_key = f"{request.POST.get('medication', '')}-{request.POST.get('day', '')}"
            form_errors = {field: list(errors) for field, errors in form.errors.items()}
    page = selectors.dose_log_page(portal)
    _audit_read(request, portal, "portal.dose_log.view", days=[d.isoformat() for d, _, _ in page.days])
    return render(request, "portal/dose_log.html", {
        "portal": portal, "page": page, "reasons": MissedReason.choices, "error_key": error_key,
        "form_errors": form_errors, "posted": request.POST if form_errors else {},
    }, status=400 if form_errors else 200)


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [m for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
    return {"__all__": exc.messages}


@portal_view(scope=ProxyScope.MEDICINES)
def side_effect_new(request, portal):
    medicines_now = selectors.active_medicines(portal)
    form = forms.SideEffectReportForm(request.POST or None, medicines=medicines_now)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.side_effect_report(actor=request.user, portal=portal, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            # The advice page tells the patient what to do next, at once for an emergency.
            return redirect("portal:side_effect_advice", side_effect_id=item.pk)
    elif request.method == "GET":
        _audit_read(request, portal, "portal.side_effect.form")
    return render(request, "portal/side_effect_new.html", {"portal": portal, "form": form,
                                                           "burden_values": range(11)},
                  status=400 if form.errors else 200)


@require_GET
@portal_view(scope=ProxyScope.MEDICINES)
def side_effect_advice(request, portal, side_effect_id: int):
    """What to do next about a side effect the patient just reported, with the clinic's phone."""
    item = selectors.side_effect_get(portal, side_effect_id)
    _audit_read(request, portal, "portal.side_effect.advice", side_effect=item.pk, urgency=item.urgency)
    return render(request, "portal/side_effect_advice.html", {"portal": portal, "item": item,
                                                              "clinic": portal.patient.clinic})


# ---------------------------------------------------------------------------------------
# Questionnaires, answered in the portal with the same scoring and risk escalation as in clinic


@require_POST
@portal_view(scope=OWNER)
def questionnaire_start(request, portal, questionnaire: str):
    """Open the due questionnaire (the link staff sent, or a fresh one for a due schedule)."""
    try:
        link = assessment_services.portal_link_open(actor=request.user, patient=portal.patient,
                                                    questionnaire=questionnaire)
    except ValidationError:
        # The one refusal a patient can meet here: the schedule is not due (or was stopped) meanwhile.
        messages.error(request, _("This questionnaire is not due now. Your care team will ask when it is."))
        return redirect("portal:home")
    return redirect("portal:questionnaire", link_id=link.pk)


@portal_view(scope=OWNER)
def questionnaire(request, portal, link_id: int):
    """One questionnaire: saves progress, submits exactly once, shows crisis resources at once on risk."""
    link = selectors.questionnaire_link_get(portal, link_id)
    if link.state == "used":
        done = QuestionnaireResponse.objects.filter(link=link).first()
        if done is not None:
            return _questionnaire_done(request, portal, done)
    if link.state != "open":
        return render(request, "portal/error.html", {
            "portal": portal, "title": _("This questionnaire has closed"),
            "message": _("Its time ran out or your care team withdrew it. If it is still due, it is on your Today "
                         "page again; otherwise your care team will ask when it is.")}, status=410)
    instrument = assessment_services.instrument_for(link.questionnaire)
    errors: list[str] = []
    saved = False
    chosen = assessment_forms.chosen_from_saved(link.partial_answers)
    if request.method == "POST":
        chosen = assessment_forms.chosen_from_post(request.POST)
        partial = assessment_services.answers_parse(instrument, request.POST, partial=True)
        if request.POST.get("action") == "save":
            assessment_services.link_save_partial(link=link, answers=partial)
            saved = True
        else:
            try:
                answers = assessment_services.answers_parse(instrument, request.POST)
                assessment_services.response_submit(
                    patient=portal.patient, questionnaire=link.questionnaire, answers=answers, source=link.source,
                    link=link, actor=request.user)
            except assessment_services.LinkUnusable:
                return redirect("portal:questionnaire", link_id=link.pk)
            except ValidationError as exc:
                errors = exc.messages
                assessment_services.link_save_partial(link=link, answers=partial)
            else:
                return redirect("portal:questionnaire", link_id=link.pk)
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    else:
        _audit_read(request, portal, "portal.questionnaire.open", link=link.pk, questionnaire=link.questionnaire)
    return render(request, "portal/questionnaire.html", {
        "portal": portal, "link": link, "instrument": instrument,
        "items": assessment_forms.item_rows(instrument, chosen), "errors": errors, "saved": saved,
    }, status=400 if errors else 200)


def _questionnaire_done(request, portal, response):
    _audit_read(request, portal, "portal.questionnaire.done", response=response.pk, risk=response.risk)
    return render(request, "portal/questionnaire_done.html", {
        "portal": portal, "response": response, "clinic": portal.patient.clinic,
        "instrument": assessment_services.instrument_for(response.questionnaire)})


@require_http_methods(["GET", "POST"])
@portal_view(scope=OWNER)
def messages_consent(request, portal):
    """Which texts and e-mails the clinic may send the patient, per purpose; one switch per POST."""
    if request.method == "POST":
        form = forms.MessagesConsentForm(request.POST)
        if not form.is_valid():
            messages_from_form_errors(request, form)
            return redirect("portal:messages_consent")
        data = form.cleaned_data
        try:
            event = services.messages_consent_set(
                actor=request.user, portal=portal, channel=data["channel"], purpose=data["purpose"],
                agreed=data["agreed"] == "on", disclosure_id=data["disclosure"], ip=client_ip(request),
                user_agent=request.headers.get("User-Agent", ""))
        except ValidationError as exc:
            messages_from_validation_error(request, exc)
        else:
            words = {"what": selectors.MESSAGE_CONSENT_PURPOSES[data["purpose"]][0],
                     "how": selectors.CHANNEL_WORDS[data["channel"]].lower()}
            if event is None:
                messages.info(request, _("No change: %(what)s by %(how)s were already as you chose.") % words)
            elif data["agreed"] == "on":
                messages.success(request, _("Turned on: %(what)s by %(how)s.") % words)
            else:
                messages.success(request, _("Turned off: %(what)s by %(how)s. None are sent from now on, "
                                            "including any already waiting to go.") % words)
        return redirect("portal:messages_consent")
    page = selectors.messages_consent_page(portal, services.messages_consent_disclosures(portal.patient.clinic))
    _audit_read(request, portal, "portal.messages_consent.view",
                on=[f"{b.channel}:{r.purpose}" for b in page.channels for r in b.rows if r.on])
    return render(request, "portal/messages_consent.html", {"portal": portal, "page": page})


@require_POST
@portal_view
def language(request, portal):
    """Remember the patient's language on their account (and in a cookie for the sign-in page)."""
    chosen = request.POST.get("language", "")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()) or not target.startswith("/portal/"):
        target = reverse("portal:home")
    try:
        services.language_save(actor=request.user, portal=portal, language=chosen)
    except ValidationError as exc:
        messages_from_validation_error(request, exc)
        return redirect(target)
    response = redirect(target)
    response.set_cookie(django_settings.LANGUAGE_COOKIE_NAME, chosen, max_age=365 * 24 * 3600, samesite="Lax",
                        secure=django_settings.SESSION_COOKIE_SECURE)
    return response


@require_http_methods(["GET", "POST"])
@portal_view
def security(request, portal):
    """Sign-in security: two-factor, passkeys, the signed-in browsers, and signing out everywhere."""
    if request.method == "POST":
        everywhere = request.POST.get("scope") == "everywhere"
        ended = account_services.sessions_end(actor=request.user, current_session_key=request.session.session_key,
                                              keep_current=not everywhere)
        if everywhere:
            logout(request)
            return redirect("account_login")
        messages.success(request, ngettext("Signed out of %(count)d other device.",
                                           "Signed out of %(count)d other devices.", ended) % {"count": ended})
        return redirect("portal:security")
    _audit_read(request, portal, "portal.security.view")
    authenticators = {a.type for a in Authenticator.objects.filter(user=request.user)}
    return render(request, "portal/security.html", {
        "portal": portal, "sessions": account_selectors.account_sessions(request.user),
        "current_key": request.session.session_key, "has_totp": Authenticator.Type.TOTP in authenticators,
        "has_passkey": Authenticator.Type.WEBAUTHN in authenticators})


# ---------------------------------------------------------------------------------------
# Reminders and notifications, the installable app (docs/decisions/0053)


@portal_view(scope=OWNER)
def settings_page(request, portal):
    """The patient's reminders, message alerts and the devices that receive them."""
    account = portal.account
    form = forms.RemindersForm(request.POST or None, initial={
        "dose_reminder": account.dose_reminder_time is not None, "dose_reminder_time": account.dose_reminder_time,
        "message_alerts": account.message_alerts})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.reminders_save(actor=request.user, portal=portal, message_alerts=data["message_alerts"],
                                dose_reminder_time=data["dose_reminder_time"] if data["dose_reminder"] else None)
        messages.success(request, _("Your reminder choices are saved."))
        return redirect("portal:settings")
    elif request.method == "GET":
        _audit_read(request, portal, "portal.settings.view")
    devices = selectors.push_devices(portal, request.user)
    return render(request, "portal/settings.html", {
        "portal": portal, "form": form, "devices": devices, "push_available": push.push_available(),
        "vapid_key": push.application_server_key() if push.push_available() else "",
        "endpoints": " ".join(d.endpoint for d in devices),
    }, status=400 if form.errors else 200)


def _json_body(request) -> dict:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


@require_POST
@portal_view(scope=OWNER)
def push_subscribe(request, portal):
    """Keep this browser's push subscription (JSON from portal.js)."""
    if not push.push_available():
        return JsonResponse({"error": _("Notifications are not offered on this server.")}, status=409)
    data = _json_body(request) if request.content_type == "application/json" else request.POST
    try:
        subscription = services.push_subscribe(
            actor=request.user, portal=portal, endpoint=str(data.get("endpoint", "")),
            p256dh=str(data.get("p256dh", "")), auth=str(data.get("auth", "")), device=str(data.get("device", "")))
    except ValidationError as exc:
        return JsonResponse({"error": " ".join(exc.messages)}, status=400)
    return JsonResponse({"id": subscription.pk})


@require_POST
@portal_view(scope=OWNER)
def push_unsubscribe(request, portal):
    """Stop notifications to a device: from its list entry (form) or from the browser itself (JSON)."""
    is_json = request.content_type == "application/json"
    data = _json_body(request) if is_json else request.POST
    device = str(data.get("device", ""))
    try:
        services.push_unsubscribe(actor=request.user, portal=portal,
                                  subscription_id=int(device) if device.isdigit() else None,
                                  endpoint=str(data.get("endpoint", "")))
    except ValidationError as exc:
        if is_json:
            return JsonResponse({"error": " ".join(exc.messages)}, status=404)
        messages_from_validation_error(request, exc)
        return redirect("portal:settings")
    if is_json:
        return JsonResponse({"ended": True})
    messages.success(request, _("That device will no longer get notifications."))
    return redirect("portal:settings")


@require_POST
@portal_view(scope=OWNER)
def push_test(request, portal):
    """Send a test notification to the patient's devices now."""
    sent = services.push_test(actor=request.user, portal=portal)
    if sent:
        messages.success(request, _("A test notification was sent. It may take a minute to arrive."))
    else:
        messages.error(request, _("No device of yours gets notifications yet. Turn them on first."))
    return redirect("portal:settings")


@require_GET
@in_portal_language
def manifest(request):
    """The web app manifest: what a phone needs to install the portal as an app."""
    icon = static
    data = {
        "name": _("My health: patient portal"), "short_name": _("My health"), "id": reverse("portal:home"),
        "start_url": reverse("portal:home"), "scope": reverse("portal:home"), "display": "standalone",
        "background_color": "#f6f8fa", "theme_color": "#0b5cad", "lang": translation.get_language() or "en",
        "description": _("Your medicines, plan, questionnaires and reminders from your clinic."),
        "icons": [
            {"src": icon("dosewise/icons/portal-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": icon("dosewise/icons/portal-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": icon("dosewise/icons/portal-maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
            {"src": icon("dosewise/icons/portal.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
        ],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


@require_GET
@in_portal_language
def service_worker(request):
    """The service worker, served under /portal/ so that its scope is the portal."""
    response = render(request, "portal/pwa/sw.js", {
        "version": django_settings.VERSION, "css_url": static("dosewise/portal.css"),
        "icon_url": static("dosewise/icons/portal-192.png"),
        "fallback_title": _("Reminder"), "fallback_body": _("You have a reminder from your clinic."),
    }, content_type="text/javascript")
    response["Service-Worker-Allowed"] = reverse("portal:home")
    return response


@require_GET
@in_portal_language
def offline(request):
    """The page the service worker shows with no connection: no health information on it."""
    return render(request, "portal/offline.html")


# ---------------------------------------------------------------------------------------
# Staff pages


def _staff_access(request, patient_id: int, capability: str):
    require_clinic_staff(request)
    return access_patient(request.user, patient_id, capability)


def _staff_access_page(request, access, *, form=None, proxy_form=None):
    """The chart's portal page: the patient's account, the invitation, and family and helpers."""
    patient = access.patient
    form = form or forms.InviteForm(initial={"email": patient.email})
    minor = patient.is_minor
    proxy_form = proxy_form or forms.ProxyGrantForm(initial={
        "relationship": ProxyRelationship.PARENT if minor else ProxyRelationship.HELPER,
        "consent_by": "guardian" if minor else "patient"})
    failed = bool(form.errors or proxy_form.errors)
    return render(request, "portal/staff_access.html", {
        "patient": patient, "access": access, "account": selectors.portal_account_for(access), "form": form,
        "revoke_form": forms.RevokeForm(), "can_manage": access.can(Capability.CONSENT_RECORD),
        "can_see_doses": access.can(Capability.MONITORING_VIEW), "proxies": selectors.proxies_for_staff(access),
        "proxy_form": proxy_form, "proxy_revoke_form": forms.ProxyRevokeForm(), "minor": minor,
        "minor_last_day": services.proxy_last_day_for_minor(patient) if minor else None,
    }, status=400 if failed else 200)


@login_required
@offers_break_glass
def staff_access(request, patient_id: int):
    """The patient's portal status with the invitation form (GET) or a new invitation (POST)."""
    access = _staff_access(request, patient_id, Capability.DEMOGRAPHICS_VIEW if request.method == "GET"
                           else Capability.CONSENT_RECORD)
    form = forms.InviteForm(request.POST or None, initial={"email": access.patient.email})
    if request.method == "POST" and form.is_valid():
        try:
            account = services.portal_invite(actor=request.user, access=access, email=form.cleaned_data["email"])
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, f"Portal invitation sent to {account.user.email}.")
            return redirect("portal:staff_access", patient_id=patient_id)
    elif request.method == "GET":
        audit_record(action="portal.status.view", actor=request.user, patient=access.patient,
                     detail={"via": access.via})
    return _staff_access_page(request, access, form=form)


@login_required
@require_POST
@offers_break_glass
def staff_revoke(request, patient_id: int):
    access = _staff_access(request, patient_id, Capability.CONSENT_RECORD)
    form = forms.RevokeForm(request.POST)
    if not form.is_valid():
        messages_from_form_errors(request, form)
    else:
        try:
            services.portal_revoke(actor=request.user, access=access, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages_from_validation_error(request, exc)
        else:
            messages.success(request, "Portal access revoked. The patient is signed out at their next click.")
    return redirect("portal:staff_access", patient_id=patient_id)


@login_required
@require_POST
@offers_break_glass
def staff_proxy_grant(request, patient_id: int):
    """Record a parent's, guardian's or helper's access with its consent; they get an e-mail to sign in."""
    access = _staff_access(request, patient_id, Capability.CONSENT_RECORD)
    proxy_form = forms.ProxyGrantForm(request.POST)
    if proxy_form.is_valid():
        data = proxy_form.cleaned_data
        try:
            proxy = services.proxy_grant(
                actor=request.user, access=access, name=data["name"], email=data["email"],
                relationship=data["relationship"], relationship_detail=data["relationship_detail"],
                scopes=data["scopes"], expires_on=data["expires_on"], consent_by=data["consent_by"],
                consent_words=data["consent_words"])
        except ValidationError as exc:
            form_add_validation_error(proxy_form, exc)
        else:
            messages.success(request, f"{proxy.name} can now open {access.patient.display_name}'s portal "
                                      f"({', '.join(proxy.scope_labels).lower()}) until "
                                      f"{proxy.expires_on:%b} {proxy.expires_on.day}, {proxy.expires_on.year}. "
                                      f"An e-mail to sign in went to {proxy.user.email}.")
            return redirect(f"{reverse('portal:staff_access', args=[patient_id])}#family-h")
    return _staff_access_page(request, access, proxy_form=proxy_form)


@login_required
@require_POST
@offers_break_glass
def staff_proxy_revoke(request, patient_id: int):
    access = _staff_access(request, patient_id, Capability.CONSENT_RECORD)
    form = forms.ProxyRevokeForm(request.POST)
    if not form.is_valid():
        messages_from_form_errors(request, form)
    else:
        try:
            proxy = services.proxy_revoke(actor=request.user, access=access, proxy_id=form.cleaned_data["proxy"],
                                          reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages_from_validation_error(request, exc)
        else:
            messages.success(request, f"{proxy.name}'s access ended. They are signed out of this record at "
                                      "their next click.")
    return redirect(f"{reverse('portal:staff_access', args=[patient_id])}#family-h")


@login_required
@require_GET
@offers_break_glass
def staff_dose_log(request, patient_id: int):
    """The last 30 days of the patient's own dose log, per medicine, with the missed-dose reasons."""
    access = _staff_access(request, patient_id, Capability.MONITORING_VIEW)
    summary = selectors.dose_log_summary(access)
    audit_record(action="dose_log.summary.view", actor=request.user, patient=access.patient,
                 detail={"via": access.via, "from": summary.start.isoformat(), "to": summary.end.isoformat()})
    return render(request, "portal/staff_dose_log.html", {
        "patient": access.patient, "summary": summary, "account": selectors.portal_account_for(access),
        "chart_url": reverse("web:patient_chart_tab", kwargs={"patient_id": patient_id, "tab": "monitoring"}),
        "patient_reporter": SideEffectReporter.PATIENT})
