"""Pages for clinic staff. Each view parses input, calls one selector or service, renders."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dosewise.accounts import selectors as account_selectors
from dosewise.accounts import services as account_services
from dosewise.accounts.roles import Capability
from dosewise.assessments import selectors as assessment_selectors
from dosewise.audit.selectors import audit_events
from dosewise.audit.services import audit_record
from dosewise.lib.csv_export import csv_response
from dosewise.lib.forms import form_add_validation_error, messages_from_validation_error
from dosewise.medications import selectors as medication_selectors
from dosewise.monitoring import forms as monitoring_forms
from dosewise.monitoring import selectors as monitoring_selectors
from dosewise.patients import selectors, services
from dosewise.patients.models import ContextKind
from dosewise.web import forms
from dosewise.web.breakglass import offers_break_glass
from dosewise.web.today import today_page

CHART_TABS = (
    ("overview", "Overview", Capability.DEMOGRAPHICS_VIEW),
    ("assessments", "Assessments", Capability.CLINICAL_VIEW),
    ("medications", "Medications", Capability.MEDICATIONS_VIEW),
    ("monitoring", "Monitoring", Capability.MONITORING_VIEW),
    ("visits", "Visits", Capability.CLINICAL_VIEW),
    ("messages", "Messages", Capability.CLINICAL_VIEW),
)


def _staff_required(request) -> None:
    if not request.user.is_clinic_staff:
        raise PermissionDenied("This page is for clinic staff.")


@require_GET
def healthz(request):
    """Answer 200 when the database answers, 503 otherwise (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # any database failure makes the instance unhealthy
        database = "unavailable"
    healthy = database == "ok"
    return JsonResponse({"status": "ok" if healthy else "error", "database": database, "version": settings.VERSION},
                        status=200 if healthy else 503)


@login_required
def home(request):
    if not request.user.is_clinic_staff:
        return render(request, "web/not_staff.html", status=403)
    page = today_page(request.user)
    for name, listed in (("my_patients", page.my_patients), ("recently_registered", page.recent_patients)):
        if listed:
            audit_record(action="patient.list", actor=request.user, detail={"count": len(listed), "list": name})
    return render(request, "web/home.html", {"page": page, "patients": page.my_patients,
                                             "today": timezone.localdate()})


@login_required
@require_GET
def patient_search(request):
    _staff_required(request)
    query = request.GET.get("q", "")
    results = selectors.patient_search(request.user, query)
    if query.strip():
        audit_record(action="patient.search", actor=request.user,
                     detail={"query": query[:100], "results": [p.pk for p in results]})
    template = "web/_search_results.html" if request.htmx else "web/patient_search.html"
    return render(request, template, {"query": query, "results": results,
                                      "limit": settings.PATIENT_SEARCH_LIMIT})


@login_required
def patient_register(request):
    _staff_required(request)
    if not request.user.can(Capability.PATIENT_REGISTER):
        raise PermissionDenied
    form = forms.PatientForm(request.POST or None, prescribers=account_selectors.clinic_prescribers(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "prescriber")}
        try:
            patient = services.patient_register(actor=request.user, data=data,
                                                prescriber=form.cleaned_data.get("prescriber"))
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, f"Registered {patient.display_name}, MRN {patient.mrn}.")
            return redirect("web:patient_chart", patient_id=patient.pk)
    return render(request, "web/patient_form.html", {"form": form, "title": "Register a patient"})


@login_required
def patient_edit(request, patient_id: int):
    _staff_required(request)
    access = selectors.access_patient(request.user, patient_id, Capability.DEMOGRAPHICS_EDIT)
    patient = access.patient
    form = forms.PatientForm(request.POST or None, instance=patient if request.method != "POST" else None,
                             initial={"version": patient.version})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.patient_update(actor=request.user, access=access,
                                    expected_version=form.cleaned_data.get("version") or 0, data=data)
        except services.EditConflict as exc:
            form.add_error(None, str(exc))
            return render(request, "web/patient_form.html",
                          {"form": form, "patient": patient, "title": f"Edit {patient.display_name}",
                           "conflict": True}, status=409)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("web:patient_chart", patient_id=patient.pk)
    elif request.method != "POST":
        audit_record(action="patient.view_edit", actor=request.user, patient=patient)
    return render(request, "web/patient_form.html",
                  {"form": form, "patient": patient, "title": f"Edit {patient.display_name}"})


@login_required
@offers_break_glass
def patient_chart(request, patient_id: int, tab: str = "overview"):
    _staff_required(request)
    capability = {key: cap for key, _, cap in CHART_TABS}.get(tab)
    if capability is None:
        return redirect("web:patient_chart", patient_id=patient_id)
    access = selectors.access_patient(request.user, patient_id, capability)
    header = selectors.chart_header(access)
    audit_record(action="chart.open", actor=request.user, patient=access.patient, detail={"tab": tab, "via": access.via})
    context = {"access": access, "header": header, "patient": access.patient, "tab": tab,
               "tabs": [(key, label) for key, label, cap in CHART_TABS if access.can(cap)]}
    if tab == "overview":
        context.update(
            consents=selectors.patient_consents(access.patient),
            care_team_history=selectors.care_team_history(access.patient),
            consent_form=forms.ConsentForm(),
            revoke_form=forms.RevokeConsentForm(),
        )
        if access.can(Capability.CLINICAL_VIEW):
            context.update(allergies=header.allergies, allergy_form=forms.AllergyForm(),
                           context_form=forms.ContextForm(), context_kinds=ContextKind,
                           context_history=selectors.clinical_context_history(access.patient))
        if access.can(Capability.CARE_TEAM_MANAGE):
            context["care_team_form"] = forms.CareTeamForm(colleagues=_colleague_queryset(request.user))
    elif tab == "assessments":
        context["mbc"] = assessment_selectors.chart_tab(access, request.GET.get("instrument"))
    elif tab == "medications":
        context["meds"] = medication_selectors.chart_tab(access)
    elif tab == "monitoring":
        context.update(monitoring=monitoring_selectors.chart_tab(access),
                       result_form=monitoring_forms.ResultForm(clinic=access.patient.clinic))
    return render(request, f"web/chart_{tab}.html", context)


def _colleague_queryset(user):
    return account_selectors.clinic_colleagues(user)


@login_required
@require_POST
def patient_break_glass(request, patient_id: int):
    _staff_required(request)
    # Only a role that could see the record on a care team may break the glass (404 for others).
    try:
        patient = selectors.access_patient(request.user, patient_id, Capability.CLINICAL_VIEW).patient
    except selectors.BreakGlassRequired as exc:
        patient = exc.patient
    form = forms.BreakGlassForm(request.POST)
    tab = request.POST.get("tab", "overview")
    if form.is_valid():
        try:
            services.break_glass_grant(actor=request.user, patient=patient, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.warning(request, f"Emergency access granted for {services.BREAK_GLASS_HOURS} hours. "
                             "It is logged and reviewed by your clinic admin.")
            return redirect("web:patient_chart_tab", patient_id=patient.pk, tab=tab)
    return render(request, "web/break_glass.html", {"patient": patient, "form": form, "tab": tab}, status=400)


def _chart_post(request, patient_id: int, capability: str):
    _staff_required(request)
    return selectors.access_patient(request.user, patient_id, capability)


def _back_to_chart(patient_id: int, anchor: str = ""):
    return redirect(reverse("web:patient_chart", kwargs={"patient_id": patient_id}) + (f"#{anchor}" if anchor else ""))


@login_required
@require_POST
def allergy_add(request, patient_id: int):
    access = _chart_post(request, patient_id, Capability.CLINICAL_EDIT)
    form = forms.AllergyForm(request.POST)
    if form.is_valid():
        try:
            services.allergy_add(actor=request.user, access=access, **form.cleaned_data)
            messages.success(request, f"Allergy to {form.cleaned_data['substance']} recorded.")
        except ValidationError as exc:
            messages_from_validation_error(request, exc)
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"Allergy {field}: {' '.join(errors)}")
    return _back_to_chart(patient_id, "allergies")


@login_required
@require_POST
def allergy_entered_in_error(request, patient_id: int, allergy_id: int):
    access = _chart_post(request, patient_id, Capability.CLINICAL_EDIT)
    form = forms.EnteredInErrorForm(request.POST)
    if form.is_valid():
        try:
            services.allergy_mark_entered_in_error(actor=request.user, access=access, allergy_id=allergy_id,
                                                   reason=form.cleaned_data["reason"])
            messages.success(request, "Allergy marked as entered in error.")
        except ValidationError as exc:
            messages_from_validation_error(request, exc)
        except services.Allergy.DoesNotExist:
            messages.error(request, "That allergy is not on this chart.")
    else:
        messages.error(request, "Say why the allergy was entered in error.")
    return _back_to_chart(patient_id, "allergies")


@login_required
@require_POST
def context_add(request, patient_id: int):
    access = _chart_post(request, patient_id, Capability.CLINICAL_EDIT)
    form = forms.ContextForm(request.POST)
    if form.is_valid():
        try:
            entry = services.context_record(actor=request.user, access=access, **form.cleaned_data)
            messages.success(request, f"{entry.get_kind_display()} recorded: {entry.display_value}.")
        except ValidationError as exc:
            messages_from_validation_error(request, exc)
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{field}: {' '.join(errors)}")
    return _back_to_chart(patient_id, "context")


@login_required
@require_POST
def care_team_add(request, patient_id: int):
    access = _chart_post(request, patient_id, Capability.CARE_TEAM_MANAGE)
    form = forms.CareTeamForm(request.POST, colleagues=_colleague_queryset(request.user))
    if form.is_valid():
        try:
            services.care_team_add(actor=request.user, access=access, **form.cleaned_data)
            messages.success(request, f"{form.cleaned_data['member'].full_name} joined the care team.")
        except ValidationError as exc:
            messages_from_validation_error(request, exc)
    else:
        messages.error(request, "Choose a colleague and their role on the team.")
    return _back_to_chart(patient_id, "care-team")


@login_required
@require_POST
def care_team_end(request, patient_id: int, membership_id: int):
    access = _chart_post(request, patient_id, Capability.CARE_TEAM_MANAGE)
    try:
        services.care_team_end(actor=request.user, access=access, membership_id=membership_id)
        messages.success(request, "Care-team membership ended.")
    except services.CareTeamMember.DoesNotExist:
        messages.error(request, "That membership is not current on this chart.")
    return _back_to_chart(patient_id, "care-team")


@login_required
@require_POST
def consent_add(request, patient_id: int):
    access = _chart_post(request, patient_id, Capability.CONSENT_RECORD)
    form = forms.ConsentForm(request.POST)
    if form.is_valid():
        try:
            consent = services.consent_record(actor=request.user, access=access, **form.cleaned_data)
            messages.success(request, f"{consent.get_kind_display()} recorded (text v{consent.text_version.version}).")
        except ValidationError as exc:
            messages_from_validation_error(request, exc)
    else:
        messages.error(request, "Choose the kind of consent and how it was given.")
    return _back_to_chart(patient_id, "consents")


@login_required
@require_POST
def consent_revoke(request, patient_id: int, consent_id: int):
    access = _chart_post(request, patient_id, Capability.CONSENT_RECORD)
    form = forms.RevokeConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_revoke(actor=request.user, access=access, consent_id=consent_id,
                                    method=form.cleaned_data["method"])
            messages.success(request, "Consent revoked.")
        except ValidationError as exc:
            messages_from_validation_error(request, exc)
        except services.Consent.DoesNotExist:
            messages.error(request, "That consent is not on this chart.")
    return _back_to_chart(patient_id, "consents")


@login_required
def staff_list(request):
    _staff_required(request)
    staff = account_selectors.clinic_staff(request.user)
    form = forms.InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = account_services.staff_invite(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, f"Invitation sent to {user.email}.")
            return redirect("web:staff_list")
    return render(request, "web/staff_list.html", {"staff": staff, "form": form})


@login_required
@require_POST
def staff_set_active(request, user_id: int):
    _staff_required(request)
    active = request.POST.get("active") == "1"
    try:
        user = account_services.staff_set_active(actor=request.user, user_id=user_id, active=active)
        messages.success(request, f"{user.full_name} {'reactivated' if active else 'deactivated'}.")
    except ValidationError as exc:
        messages_from_validation_error(request, exc)
    except account_services.User.DoesNotExist:
        messages.error(request, "No such colleague in your clinic.")
    return redirect("web:staff_list")


@login_required
def audit_report(request):
    _staff_required(request)
    form = forms.AuditFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"patient_mrn": data["patient"], "user_email": data["user"], "action": data["action"],
                   "date_from": data["date_from"], "date_to": data["date_to"]}
    events = audit_events(request.user, **filters)
    if request.GET.get("format") == "csv":
        audit_record(action="audit.export", actor=request.user, detail={k: str(v) for k, v in filters.items() if v})
        return _audit_csv(events)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    audit_record(action="audit.view", actor=request.user, detail={k: str(v) for k, v in filters.items() if v})
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "web/audit_report.html", {"form": form, "page": page, "query": query.urlencode()})


def _audit_csv(events) -> StreamingHttpResponse:
    header = ["time_utc", "actor", "role", "action", "outcome", "patient_mrn", "object_type", "object_id", "ip",
              "user_agent", "detail", "chain", "seq", "hash"]
    rows = ([event.created_at.isoformat(), event.actor_email, event.actor_role, event.action, event.outcome,
             event.patient.mrn if event.patient else "", event.object_type, event.object_id, event.ip or "",
             event.user_agent, event.detail, event.chain, event.seq, event.hash]
            for event in events.iterator(chunk_size=2000))
    return csv_response(filename=f"audit-{timezone.localdate().isoformat()}.csv", header=header, rows=rows)


@login_required
def break_glass_report(request):
    _staff_required(request)
    if request.method == "POST":
        try:
            services.break_glass_review(actor=request.user, grant_id=int(request.POST.get("grant", "0")))
            messages.success(request, "Marked as reviewed.")
        except (ValueError, services.BreakGlassAccess.DoesNotExist):
            messages.error(request, "No such emergency access in your clinic.")
        return redirect("web:break_glass_report")
    grants = selectors.break_glass_report(request.user)
    audit_record(action="break_glass.report", actor=request.user, detail={"count": len(grants)})
    return render(request, "web/break_glass_report.html", {"grants": grants, "now": timezone.now()})


def not_found(request, exception=None):
    return render(request, "web/error.html", {"title": "Not found", "message":
                  "There is nothing here, or you do not have access to it."}, status=404)


def forbidden(request, exception=None):
    return render(request, "web/error.html", {"title": "Not allowed", "message":
                  str(exception) if exception and str(exception) else "Your role does not give access to this page."},
                  status=403)

