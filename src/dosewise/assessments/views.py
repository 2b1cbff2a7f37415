"""Pages of measurement-based care: staff actions on a chart, tasks, the caseload, and the
patient's questionnaire form opened from a link. Each view parses input, calls one selector
or service, renders."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dosewise.assessments import forms, selectors, services
from dosewise.assessments.models import (
    MeasurementSchedule,
    QuestionnaireLink,
    QuestionnaireResponse,
)
from dosewise.audit.services import audit_record
from dosewise.clinics.clock import clinic_today
from dosewise.clinics.roles import Capability
from dosewise.lib.access import require_clinic_staff
from dosewise.lib.client_address import client_ip
from dosewise.lib.csv_export import csv_response
from dosewise.lib.forms import messages_from_form_errors, messages_from_validation_error
from dosewise.lib.throttle import AddressThrottle
from dosewise.patients.breakglass import offers_break_glass
from dosewise.patients.selectors import access_patient

PAGE_SIZE = 50



def _access(request, patient_id: int, capability: str):
    require_clinic_staff(request)
    return access_patient(request.user, patient_id, capability)


def _back_to_tab(patient_id: int, questionnaire: str = "", anchor: str = ""):
    url = reverse("web:patient_chart_tab", kwargs={"patient_id": patient_id, "tab": "assessments"})
    if questionnaire:
        url += f"?instrument={questionnaire}"
    return redirect(url + (f"#{anchor}" if anchor else ""))


# ---------------------------------------------------------------------------------------
# Staff: administering and managing questionnaires on a chart


@login_required
@offers_break_glass
def administer(request, patient_id: int, questionnaire: str):
    """Staff enter a patient's answers in clinic; a repeated post stores nothing new."""
    access = _access(request, patient_id, Capability.ASSESSMENTS_ADMINISTER)
    instrument = services.instrument_for_or_404(questionnaire)
    patient = access.patient
    errors: list[str] = []
    chosen: dict[int, int] = {}
    if request.method == "POST":
        chosen = forms.chosen_from_post(request.POST)
        try:
            answers = services.answers_parse(instrument, request.POST)
            submission = services.response_submit(
                patient=patient, questionnaire=instrument.key, answers=answers, source="clinic",
                actor=request.user, access=access, idempotency_key=request.POST.get("idempotency_key") or None)
        except ValidationError as exc:
            errors = exc.messages
        else:
            response = submission.response
            summary = f"{instrument.short_name} {response.total:g}" + (f" ({response.severity})" if response.severity
                                                                         else "")
            messages.success(request, f"{summary} saved." if submission.created else f"{summary} was already saved.")
            if response.risk:
                messages.error(request, "Urgent: " + "; ".join(a["message"] for a in response.alerts
                                                               if a["level"] in services.RISK_LEVELS)
                               + ". An urgent task was created for the care team.")
            return _back_to_tab(patient.pk, instrument.key)
    else:
        audit_record(action="assessment.form_open", actor=request.user, patient=patient,
                     detail={"questionnaire": instrument.key})
    return render(request, "assessments/administer.html", {
        "patient": patient, "instrument": instrument, "items": forms.item_rows(instrument, chosen),
        "errors": errors, "idempotency_key": request.POST.get("idempotency_key") or services.new_form_key(),
    }, status=400 if errors else 200)


@login_required
@require_POST
def patient_mode_start(request, patient_id: int):
    """Hand the device to the patient: the staff session ends and the questionnaire opens alone."""
    access = _access(request, patient_id, Capability.ASSESSMENTS_ADMINISTER)
    form = forms.PatientModeForm(request.POST)
    if not form.is_valid():
        messages_from_form_errors(request, form)
        return _back_to_tab(patient_id)
    try:
        _, token = services.patient_mode_start(actor=request.user, access=access,
                                               questionnaire=form.cleaned_data["questionnaire"])
    except ValidationError as exc:
        messages_from_validation_error(request, exc)
        return _back_to_tab(patient_id)
    # Signing out is the lock: nothing of the staff session is reachable from this device
    # until a staff member signs in again.
    logout(request)
    return redirect("assessments:public_form", token=token)


@login_required
@require_POST
def link_create(request, patient_id: int):
    """Create a remote link; the page shows it once to copy (it is never stored)."""
    access = _access(request, patient_id, Capability.ASSESSMENTS_ADMINISTER)
    form = forms.LinkForm(request.POST)
    if not form.is_valid():
        messages_from_form_errors(request, form)
        return _back_to_tab(patient_id)
    try:
        link, token = services.link_create(actor=request.user, access=access, **form.cleaned_data)
    except ValidationError as exc:
        messages_from_validation_error(request, exc)
        return _back_to_tab(patient_id)
    return _link_page(request, access.patient, link, token, form.cleaned_data["send_email"])


def _link_page(request, patient, link: QuestionnaireLink, token: str, email_requested: bool):
    response = render(request, "assessments/link_created.html", {
        "patient": patient, "link": link, "url": services.link_url(token),
        "instrument": services.instrument_for(link.questionnaire), "email_requested": email_requested,
    })
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def link_reissue(request, patient_id: int, link_id: int):
    """Send a fresh link that opens with the answers the patient already gave."""
    access = _access(request, patient_id, Capability.ASSESSMENTS_ADMINISTER)
    send_email = request.POST.get("send_email") == "on"
    try:
        link, token = services.link_reissue(actor=request.user, access=access, link_id=link_id,
                                            send_email=send_email)
    except QuestionnaireLink.DoesNotExist:
        messages.error(request, "That link is not on this chart.")
        return _back_to_tab(patient_id)
    except ValidationError as exc:
        messages_from_validation_error(request, exc)
        return _back_to_tab(patient_id)
    return _link_page(request, access.patient, link, token, send_email)


@login_required
@require_GET
@offers_break_glass
def response_detail(request, patient_id: int, response_id: int):
    access = _access(request, patient_id, Capability.CLINICAL_VIEW)
    try:
        response = selectors.response_detail(access, response_id)
    except QuestionnaireResponse.DoesNotExist:
        return render(request, "web/error.html", {"title": "Not found", "message":
                      "That questionnaire is not on this chart."}, status=404)
    audit_record(action="assessment.view", actor=request.user, patient=access.patient, obj=response)
    return render(request, "assessments/response_detail.html", {
        "patient": access.patient, "access": access, "response": response,
        "instrument": services.instrument_for(response.questionnaire), "items": selectors.response_items(response),
        "error_form": forms.EnteredInErrorForm(),
    })


@login_required
@require_POST
def response_entered_in_error(request, patient_id: int, response_id: int):
    access = _access(request, patient_id, Capability.ASSESSMENTS_ADMINISTER)
    form = forms.EnteredInErrorForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why this score was entered in error.")
        return redirect("assessments:response_detail", patient_id=patient_id, response_id=response_id)
    try:
        response = services.response_mark_entered_in_error(actor=request.user, access=access, response_id=response_id,
                                                           reason=form.cleaned_data["reason"])
    except QuestionnaireResponse.DoesNotExist:
        messages.error(request, "That score is not on this chart, or was already withdrawn.")
        return _back_to_tab(patient_id)
    except ValidationError as exc:
        messages_from_validation_error(request, exc)
        return _back_to_tab(patient_id)
    messages.success(request, "Score marked as entered in error; it no longer counts in the trajectory.")
    return _back_to_tab(patient_id, response.questionnaire)


@login_required
@require_POST
def schedule_save(request, patient_id: int):
    access = _access(request, patient_id, Capability.ASSESSMENTS_ADMINISTER)
    form = forms.ScheduleForm(request.POST)
    if not form.is_valid():
        messages_from_form_errors(request, form)
        return _back_to_tab(patient_id, anchor="schedules")
    try:
        schedule = services.schedule_save(actor=request.user, access=access, **form.cleaned_data)
    except ValidationError as exc:
        messages_from_validation_error(request, exc)
        return _back_to_tab(patient_id, anchor="schedules")
    messages.success(request, f"Schedule saved: {services.instrument_for(schedule.questionnaire).short_name} "
                     f"every {schedule.interval_days} days, next due {schedule.next_due:%Y-%m-%d}.")
    return _back_to_tab(patient_id, anchor="schedules")


@login_required
@require_POST
def schedule_stop(request, patient_id: int, schedule_id: int):
    access = _access(request, patient_id, Capability.ASSESSMENTS_ADMINISTER)
    try:
        services.schedule_stop(actor=request.user, access=access, schedule_id=schedule_id)
    except MeasurementSchedule.DoesNotExist:
        messages.error(request, "That schedule is not active on this chart.")
    else:
        messages.success(request, "Schedule stopped.")
    return _back_to_tab(patient_id, anchor="schedules")


# ---------------------------------------------------------------------------------------
# Staff: urgent tasks and the caseload


@login_required
@require_GET
def task_list(request):
    require_clinic_staff(request)
    if not request.user.can(Capability.ASSESSMENTS_ADMINISTER):
        raise PermissionDenied("Urgent tasks are for clinicians.")
    tasks = selectors.tasks_for(request.user, include_done=request.GET.get("done") == "1")
    audit_record(action="care_task.list", actor=request.user, detail={"count": len(tasks),
                                                                      "tasks": [t.pk for t in tasks][:200]})
    return render(request, "assessments/task_list.html", {
        "tasks": tasks, "form": forms.AcknowledgeForm(), "show_done": request.GET.get("done") == "1",
        "escalation_minutes": settings.RISK_ESCALATION_MINUTES})


@login_required
@require_POST
def task_acknowledge(request, task_id: int):
    require_clinic_staff(request)
    form = forms.AcknowledgeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write what you did about the task before acknowledging it.")
        return redirect("assessments:task_list")
    try:
        task = services.care_task_acknowledge(actor=request.user, task_id=task_id, note=form.cleaned_data["note"])
    except ValidationError as exc:
        messages_from_validation_error(request, exc)
    else:
        messages.success(request, f"Task for {task.patient.display_name} acknowledged.")
    return redirect("assessments:task_list")


@login_required
@require_GET
def caseload(request):
    require_clinic_staff(request)
    scopes = selectors.caseload_allowed_scopes(request.user)
    if not scopes:
        raise PermissionDenied("The caseload is for clinicians.")
    form = forms.CaseloadForm(request.GET or None, scopes=scopes)
    scope = form.value("scope", scopes[0])
    instrument = services.instrument_for(form.value("instrument", "phq9"))
    status, sort = form.value("status", "all"), form.value("sort", "risk")
    today = clinic_today(request.user.clinic)
    rows = selectors.caseload(request.user, scope=scope, questionnaire=instrument.key, status=status, sort=sort,
                              today=today)
    filters = {"scope": scope, "instrument": instrument.key, "status": status, "sort": sort}
    if request.GET.get("format") == "csv":
        return _caseload_csv(request, rows, instrument, filters, today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    ids = [p.pk for p in page.object_list]
    extras = selectors.caseload_extras(request.user.clinic_id, ids, today)
    audit_record(action="caseload.view", actor=request.user, detail={**filters, "patients": ids})
    query = request.GET.copy()
    for key in ("page", "sort", "format"):
        query.pop(key, None)
    return render(request, "assessments/caseload.html", {
        "form": form, "page": page, "instrument": instrument, "scope": scope, "status": status, "sort": sort,
        "overdue": extras.overdue, "open_risk": extras.open_risk, "query": query.urlencode(),
        "status_label": selectors.CASELOAD_FILTERS.get(status, ""),
        "sorts": [("name", "Patient"), ("latest", "Latest"), ("change", "Change"), ("last", "Last scored"),
                  ("overdue", "Overdue"), ("risk", "Risk")],
    })


def _caseload_csv(request, rows, instrument, filters: dict, today):
    patients = list(rows)
    ids = [p.pk for p in patients]
    extras = selectors.caseload_extras(request.user.clinic_id, ids, today)
    audit_record(action="caseload.export", actor=request.user, detail={**filters, "count": len(ids),
                                                                        "patients": ids})
    header = ["mrn", "patient", "measure", "baseline", "baseline_date", "latest", "latest_date", "severity",
              "change", "reduction_percent", "response", "remission", "reliable_change", "not_improving",
              "overdue_measures", "open_risk_alerts"]
    rows = ([p.mrn, p.display_name, instrument.short_name, _num(p.baseline_total), _day(p.baseline_at),
             _num(p.latest_total), _day(p.latest_at), p.latest_severity or "", _num(p.change),
             "" if p.reduction is None else round(p.reduction * 100), _yes(p.response), _yes(p.remission),
             p.reliable_change or "", _yes(p.not_improving),
             "; ".join(f"{name} due {due:%Y-%m-%d}" for name, due in extras.overdue.get(p.pk, [])),
             extras.open_risk.get(p.pk, 0)] for p in patients)
    return csv_response(filename=f"caseload-{instrument.key}-{today.isoformat()}.csv", header=header, rows=rows)


def _num(value) -> str:
    return "" if value is None else f"{value:g}"


def _day(value) -> str:
    return "" if value is None else timezone.localtime(value).date().isoformat()


def _yes(value) -> str:
    return "yes" if value else "no"


# ---------------------------------------------------------------------------------------
# Patient: the questionnaire opened from a link (no account; the token is the key)


# Unknown questionnaire links per address in 15 minutes: guessing tokens gets a 429.
_BAD_LINKS = AddressThrottle("questionnaire-bad-link", window_seconds=15 * 60)


def _bad_links_exceeded(request) -> bool:
    return _BAD_LINKS.exceeded(client_ip(request), settings.QUESTIONNAIRE_BAD_LINK_LIMIT)


def _count_bad_link(request) -> None:
    _BAD_LINKS.hit(client_ip(request))


def _public(request, template: str, context: dict, status: int = 200):
    response = render(request, template, context, status=status)
    # Answers and tokens must not stay in shared caches or the browser's back history. (The
    # site-wide same-origin referrer policy already keeps the token from other sites.)
    response["Cache-Control"] = "no-store"
    return response


def _confirmation(request, link: QuestionnaireLink, response: QuestionnaireResponse):
    return _public(request, "assessments/public_done.html", {
        "clinic": link.clinic, "link": link, "risk": response.risk,
        "staff_next": reverse("web:patient_chart_tab", kwargs={"patient_id": link.patient_id, "tab": "assessments"}),
    })


def _unusable(request, exc: services.LinkUnusable, *, kept: bool = False):
    link = exc.link
    status = 404 if exc.reason == "unknown" else 410
    return _public(request, "assessments/public_unusable.html", {
        "reason": exc.reason, "link": link, "clinic": link.clinic if link else None, "kept": kept,
    }, status=status)


def public_form(request, token: str):
    """The patient's questionnaire: saves progress, submits exactly once, shows crisis resources on risk."""
    if _bad_links_exceeded(request):
        return _public(request, "assessments/public_unusable.html", {"reason": "limited"}, status=429)
    try:
        link = services.link_find(token)
    except services.LinkUnusable as exc:
        return _link_unusable_answer(request, exc)
    instrument = services.instrument_for(link.questionnaire)
    errors: list[str] = []
    saved = False
    chosen = forms.chosen_from_saved(link.partial_answers)
    if request.method == "POST":
        chosen = forms.chosen_from_post(request.POST)
        if request.POST.get("action") == "save":
            services.link_save_partial(link=link, answers=services.answers_parse(instrument, request.POST,
                                                                                 partial=True))
            saved = True
        else:
            try:
                submission = services.link_submit(link=link, data=request.POST)
            except services.LinkUnusable as exc:
                return _link_unusable_answer(request, exc)
            except ValidationError as exc:
                errors = exc.messages
                services.link_save_partial(link=link, answers=services.answers_parse(instrument, request.POST,
                                                                                     partial=True))
            else:
                return _confirmation(request, link, submission.response)
    elif request.method != "GET":
        return _public(request, "assessments/public_unusable.html", {"reason": "method"}, status=405)
    else:
        audit_record(action="questionnaire_link.open", patient=link.patient, obj=link,
                     actor_email="patient via questionnaire link", detail={"questionnaire": link.questionnaire})
    return _public(request, "assessments/public_form.html", {
        "link": link, "clinic": link.clinic, "instrument": instrument, "items": forms.item_rows(instrument, chosen),
        "errors": errors, "saved": saved, "token": token,
    }, status=400 if errors else 200)


def _link_unusable_answer(request, exc: services.LinkUnusable):
    link = exc.link
    if link is None:
        _count_bad_link(request)
        return _unusable(request, exc)
    if request.method == "POST" and exc.reason == "used":
        response = QuestionnaireResponse.objects.filter(link=link).first()
        if response is not None:
            # A double tap or a retry after success: the same confirmation, nothing new stored.
            return _confirmation(request, link, response)
    if request.method == "POST" and exc.reason == "expired":
        # The link expired while the patient was answering: keep what they gave for a fresh link.
        instrument = services.instrument_for(link.questionnaire)
        services.link_save_partial(link=link, answers=services.answers_parse(instrument, request.POST, partial=True))
        audit_record(action="questionnaire_link.expired_submit", patient=link.patient, obj=link,
                     actor_email="patient via questionnaire link", outcome="failure",
                     detail={"questionnaire": link.questionnaire})
        return _unusable(request, exc, kept=True)
    return _unusable(request, exc)


@require_POST
def public_save(request, token: str):
    """Save progress as the patient answers (htmx, on every change); answers a short status line."""
    if _bad_links_exceeded(request):
        return _public(request, "assessments/_save_status.html", {"state": "limited"}, status=429)
    try:
        link = services.link_find(token)
    except services.LinkUnusable as exc:
        if exc.link is None:
            _count_bad_link(request)
        elif exc.reason == "expired":
            instrument = services.instrument_for(exc.link.questionnaire)
            services.link_save_partial(link=exc.link, answers=services.answers_parse(instrument, request.POST,
                                                                                     partial=True))
        return _public(request, "assessments/_save_status.html", {"state": exc.reason})
    instrument = services.instrument_for(link.questionnaire)
    services.link_save_partial(link=link, answers=services.answers_parse(instrument, request.POST, partial=True))
    return _public(request, "assessments/_save_status.html", {"state": "saved", "at": timezone.now(),
                                                              "clinic": link.clinic})
