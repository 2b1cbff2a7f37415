"""Pages of monitoring: results on a chart and the prescriber's worklist. Each view parses
input, calls one selector or service, renders or redirects."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dosewise.assessments.services import care_task_acknowledge
from dosewise.audit.services import audit_record
from dosewise.clinics.roles import Capability
from dosewise.lib.access import require_clinic_staff
from dosewise.lib.csv_export import csv_response
from dosewise.lib.forms import (
    form_add_validation_error,
    messages_from_form_errors,
    messages_from_validation_error,
)
from dosewise.lib.units import ucum_display
from dosewise.monitoring import fill_imports, forms, imports, selectors, services
from dosewise.patients.selectors import access_patient


def _access(request, patient_id: int):
    require_clinic_staff(request)
    return access_patient(request.user, patient_id, Capability.MONITORING_VIEW)


def _back_to_tab(patient_id: int):
    return redirect(reverse("web:patient_chart_tab", kwargs={"patient_id": patient_id, "tab": "monitoring"})
                    + "#results")


@login_required
@require_POST
def result_create(request, patient_id: int):
    access = _access(request, patient_id)
    form = forms.ResultForm(request.POST, clinic=access.patient.clinic)
    if form.is_valid():
        try:
            result = services.observation_record(actor=request.user, access=access, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
    if form.errors:
        first = next(iter(form.errors))
        if first in form.fields:
            form.fields[first].widget.attrs["autofocus"] = True
        # The refused entry comes back with the error next to its field and everything typed kept.
        return render(request, "monitoring/result_refused.html", {"patient": access.patient, "form": form},
                      status=400)
    summary = f"{result.value.normalize():f} {ucum_display(result.unit)} saved ({result.band})"
    if result.out_of_range:
        messages.error(request, f"{summary}: {result.action}")
    else:
        messages.success(request, f"{summary}.")
    return _back_to_tab(patient_id)


@login_required
@require_http_methods(["GET", "POST"])
def result_entered_in_error(request, patient_id: int, observation_id: int):
    """Withdraw one result, from a page of its own: the tab links each row here instead of
    carrying a hidden form per result (bench/RESULTS.md, pages of issue 16)."""
    access = _access(request, patient_id)
    posted = request.method == "POST"
    form = forms.EnteredInErrorForm(request.POST if posted else None)
    try:
        result = selectors.result_to_withdraw(access.patient, observation_id)
        if posted and form.is_valid():
            services.observation_mark_entered_in_error(actor=request.user, access=access, observation_id=observation_id,
                                                       reason=form.cleaned_data["reason"])
            messages.success(request, "Result marked as entered in error; it no longer counts.")
            return _back_to_tab(patient_id)
    except ObjectDoesNotExist:
        messages.error(request, "That result is not on this chart, or was already withdrawn.")
        return _back_to_tab(patient_id)
    except ValidationError as exc:
        form_add_validation_error(form, exc)
    if not posted:
        audit_record(action="observation.view", actor=request.user, patient=access.patient, obj=result,
                     detail={"purpose": "entered in error"})
    # A refused reason comes back with its error beside it and what was typed kept.
    return render(request, "monitoring/result_withdraw.html",
                  {"patient": access.patient, "result": result, "form": form,
                   "can_record": access.can(Capability.CLINICAL_EDIT)}, status=400 if posted else 200)


@login_required
@require_POST
def side_effect_create(request, patient_id: int):
    access = _access(request, patient_id)
    form = forms.SideEffectForm(request.POST, medicines=selectors.chart_medicines(access.patient))
    if not form.is_valid():
        messages_from_form_errors(request, form)
        return _back_to_tab(patient_id)
    try:
        item = services.side_effect_record(actor=request.user, access=access, **form.cleaned_data)
    except ValidationError as exc:
        messages_from_validation_error(request, exc)
        return _back_to_tab(patient_id)
    note = " It is on the worklist for review." if item.heavy else ""
    messages.success(request, f"Side effect saved: {item.effect or item.get_code_display()}.{note}")
    if item.care_task_id:
        messages.warning(request, f"Triage: {item.get_urgency_display().lower()}. {item.clinician_advice} "
                                  "An urgent task was raised for the care team.")
    return _back_to_tab(patient_id)


@login_required
@require_POST
def pharmacy_fill_create(request, patient_id: int):
    access = _access(request, patient_id)
    form = forms.PharmacyFillForm(request.POST, medicines=selectors.chart_medicines(access.patient))
    if not form.is_valid():
        messages_from_form_errors(request, form)
        return _back_to_tab(patient_id)
    try:
        fill = services.pharmacy_fill_record(actor=request.user, access=access, **form.cleaned_data)
    except ValidationError as exc:
        messages_from_validation_error(request, exc)
        return _back_to_tab(patient_id)
    messages.success(request, f"Fill of {fill.medication.ingredient} on {fill.filled_on.isoformat()} "
                              f"({fill.days_supply} days) saved.")
    return _back_to_tab(patient_id)


@login_required
@require_GET
def worklist(request):
    require_clinic_staff(request)
    scopes = selectors.worklist_allowed_scopes(request.user)
    if not scopes:
        raise PermissionDenied("The worklist is for prescribers and nurses.")
    scope = request.GET.get("scope") if request.GET.get("scope") in scopes else scopes[0]
    number = request.GET.get("page", "1")
    page = selectors.worklist_page(request.user, scope=scope, page=int(number) if number.isdigit() else 1)
    audit_record(action="worklist.view", actor=request.user,
                 detail={"scope": scope, "count": page.total, "page": page.number,
                         "patients": sorted({i.patient.pk for i in page.items})})
    return render(request, "monitoring/worklist.html", {
        "items": page.items, "page": page, "scope": scope, "scopes": scopes,
        "kinds": [(one if page.counts[kind] == 1 else many, page.counts[kind])
                  for kind, one, many in WORKLIST_KIND_LABELS if page.counts[kind]],
        "can_import": imports.import_allowed(request.user),
        "acknowledge_url": reverse("monitoring:worklist_acknowledge"),
        "back_url": reverse("monitoring:worklist") + f"?scope={scope}&page={page.number}"})


WORKLIST_KIND_LABELS = (("result", "result to review", "results to review"), ("risk", "risk alert", "risk alerts"),
                        ("overdue", "overdue monitoring", "overdue monitoring"),
                        ("plan-follow-up", "plan follow-up", "plan follow-ups"),
                        ("side-effect", "heavy side effect", "heavy side effects"),
                        ("low-adherence", "low adherence", "low adherence"),
                        ("not-improving", "not improving", "not improving"))


@login_required
@require_POST
def worklist_acknowledge(request):
    require_clinic_staff(request)
    form = forms.AcknowledgeForm(request.POST)
    scope = request.POST.get("scope") if request.POST.get("scope") in ("mine", "clinic") else "mine"
    number = request.POST.get("page", "1")
    back = redirect(reverse("monitoring:worklist") + f"?scope={scope}&page={number if number.isdigit() else 1}")
    if not form.is_valid():
        messages.error(request, "Write what you did about the item before acknowledging it.")
        return back
    data = form.cleaned_data
    try:
        if data["kind"] == "risk":
            care_task_acknowledge(actor=request.user, task_id=data["object_id"], note=data["note"])
        else:
            access = _access(request, data["patient_id"])
            if data["kind"] == "result":
                services.observation_acknowledge(actor=request.user, access=access, observation_id=data["object_id"],
                                                 note=data["note"])
            elif data["kind"] == "side-effect":
                services.side_effect_acknowledge(actor=request.user, access=access, side_effect_id=data["object_id"],
                                                 note=data["note"])
            elif data["kind"] == "low-adherence":
                services.low_adherence_acknowledge(actor=request.user, access=access,
                                                   medication_id=data["object_id"], note=data["note"])
            elif data["kind"] == "overdue":
                services.due_acknowledge(actor=request.user, access=access, due_id=data["object_id"],
                                         note=data["note"])
            else:
                services.not_improving_acknowledge(actor=request.user, access=access, summary_id=data["object_id"],
                                                   note=data["note"])
    except ObjectDoesNotExist:
        messages.error(request, "That item is not on this patient's chart.")
    except ValidationError as exc:
        messages_from_validation_error(request, exc)
    else:
        messages.success(request, "Acknowledged.")
    return back


# ---------------------------------------------------------------------------------------
# Labs to order


def _labs_scope(request) -> tuple[str, list[str]]:
    require_clinic_staff(request)
    scopes = selectors.worklist_allowed_scopes(request.user)
    if not scopes:
        raise PermissionDenied("The list of labs to order is for prescribers and nurses.")
    return (request.GET.get("scope") if request.GET.get("scope") in scopes else scopes[0]), scopes


@login_required
@require_GET
def labs_to_order(request):
    scope, scopes = _labs_scope(request)
    rows = selectors.labs_to_order(request.user, scope=scope)
    audit_record(action="labs_to_order.view", actor=request.user,
                 detail={"scope": scope, "count": len(rows), "patients": sorted({r.due.patient_id for r in rows})})
    return render(request, "monitoring/labs_to_order.html", {
        "rows": rows, "scope": scope, "scopes": scopes, "horizon": selectors.LABS_HORIZON_DAYS})


@login_required
@require_GET
def labs_to_order_export(request):
    scope, _ = _labs_scope(request)
    rows = selectors.labs_to_order(request.user, scope=scope)
    audit_record(action="labs_to_order.export", actor=request.user,
                 detail={"scope": scope, "count": len(rows), "patients": sorted({r.due.patient_id for r in rows})})
    return csv_response(
        filename=f"labs-to-order-{scope}.csv",
        header=["mrn", "patient", "test", "loinc", "due_date", "status", "reason"],
        rows=([r.due.patient.mrn, r.due.patient.display_name, r.test_name, r.loinc, r.due.due_date.isoformat(),
               "overdue" if r.overdue else "due", r.due.reason] for r in rows))


# ---------------------------------------------------------------------------------------
# Importing lab results


def _import_required(request) -> None:
    require_clinic_staff(request)
    if not imports.import_allowed(request.user):
        raise PermissionDenied("Importing results is for prescribers and nurses.")


@login_required
def import_start(request):
    _import_required(request)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = imports.result_import_create(actor=request.user, filename=upload.name, data=upload.read())
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("monitoring:import_detail", import_id=job.pk)
    return render(request, "monitoring/import_start.html", {
        "form": form, "columns": imports.COLUMNS, "recent": selectors.imports_recent(request.user),
    }, status=400 if form.errors else 200)


@login_required
@require_GET
def import_detail(request, import_id: int):
    _import_required(request)
    job = selectors.import_get(request.user, import_id)
    audit_record(action="observation_import.view", actor=request.user, obj=job)
    template = "monitoring/_import_progress.html" if request.htmx else "monitoring/import_detail.html"
    return render(request, template, {"job": job})


# ---------------------------------------------------------------------------------------
# Importing pharmacy fills


@login_required
def fill_import_start(request):
    _import_required(request)
    form = forms.FillImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = fill_imports.fill_import_create(actor=request.user, filename=upload.name, data=upload.read())
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect(job)
    return render(request, "monitoring/fill_import_start.html", {
        "form": form, "columns": fill_imports.FILL_COLUMNS, "optional": fill_imports.OPTIONAL_COLUMNS,
        "recent": selectors.fill_imports_recent(request.user),
    }, status=400 if form.errors else 200)


@login_required
@require_GET
def fill_import_detail(request, import_id: int):
    _import_required(request)
    job = selectors.fill_import_get(request.user, import_id)
    audit_record(action="pharmacy_fill_import.view", actor=request.user, obj=job)
    template = "monitoring/_import_progress.html" if request.htmx else "monitoring/fill_import_detail.html"
    return render(request, template, {"job": job})
