"""The patients app's pages: search, registration and edit, the record's allergies, clinical
context, care team and consents, and emergency (break-glass) access with its report.

Each view parses input, calls one selector or service, and renders or redirects back to the
chart (the chart frame itself lives in `web`).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from dosewise.accounts import selectors as account_selectors
from dosewise.audit.services import audit_record
from dosewise.clinics.roles import Capability
from dosewise.lib.access import require_clinic_staff
from dosewise.lib.forms import form_add_validation_error, messages_from_validation_error
from dosewise.patients import forms, merging, selectors, services


@login_required
@require_GET
def patient_search(request):
    require_clinic_staff(request)
    query = request.GET.get("q", "")
    results = selectors.patient_search(request.user, query)
    if query.strip():
        audit_record(action="patient.search", actor=request.user,
                     detail={"query": query[:100], "results": [p.pk for p in results]})
    template = "patients/_search_results.html" if request.htmx else "patients/patient_search.html"
    return render(request, template, {"query": query, "results": results,
                                      "limit": settings.PATIENT_SEARCH_LIMIT})


@login_required
def patient_register(request):
    require_clinic_staff(request)
    if not request.user.can(Capability.PATIENT_REGISTER):
        raise PermissionDenied
    form = forms.PatientForm(request.POST or None, prescribers=account_selectors.clinic_prescribers(request.user))
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("version", "prescriber")}
        if not request.POST.get("not_a_duplicate"):
            duplicates = selectors.possible_duplicates(request.user, data)
        if duplicates:
            audit_record(action="patient.duplicate_check", actor=request.user,
                         detail={"matches": [p.mrn for p in duplicates]})
            return render(request, "patients/patient_form.html", {"form": form, "title": "Register a patient",
                                                                  "duplicates": duplicates}, status=409)
        try:
            patient = services.patient_register(actor=request.user, data=data,
                                                prescriber=form.cleaned_data.get("prescriber"))
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, f"Registered {patient.display_name}, MRN {patient.mrn}.")
            return redirect("web:patient_chart", patient_id=patient.pk)
    return render(request, "patients/patient_form.html", {"form": form, "title": "Register a patient"})


@login_required
def patient_edit(request, patient_id: int):
    require_clinic_staff(request)
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
            return render(request, "patients/patient_form.html",
                          {"form": form, "patient": patient, "title": f"Edit {patient.display_name}",
                           "conflict": True}, status=409)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect("web:patient_chart", patient_id=patient.pk)
    elif request.method != "POST":
        audit_record(action="patient.view_edit", actor=request.user, patient=patient)
    return render(request, "patients/patient_form.html",
                  {"form": form, "patient": patient, "title": f"Edit {patient.display_name}"})


@login_required
def patient_merge(request, patient_id: int):
    """Merge a duplicate into this chart: name the duplicate, see both records and what moves, confirm."""
    require_clinic_staff(request)
    keep = selectors.access_patient(request.user, patient_id).patient
    if not request.user.can(Capability.PATIENT_MERGE):
        raise PermissionDenied
    form = forms.MergeForm(request.POST or request.GET or None)
    other, preview, status = None, [], 200
    if form.is_bound and form.is_valid():
        other = selectors.merge_candidate(request.user, form.cleaned_data["other_mrn"])
        if other is None or other.pk == keep.pk:
            form.add_error("other_mrn", "No other record of this clinic has that MRN." if other is None else
                           "That is this chart's own MRN: enter the duplicate's.")
            other, status = None, 400
        elif request.method == "POST":
            try:
                moved = merging.patient_merge(actor=request.user, keep=keep, other=other,
                                              reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                form_add_validation_error(form, exc)
                status = 400
            else:
                messages.success(request, f"Merged {other.mrn} into {keep.mrn}: {sum(moved.values())} "
                                          f"record{'s' if sum(moved.values()) != 1 else ''} moved.")
                return redirect("web:patient_chart", patient_id=keep.pk)
        if other is not None:
            preview = merging.merge_preview(keep, other)
    elif form.is_bound:
        status = 400
    audit_record(action="patient.merge_view", actor=request.user, patient=keep,
                 detail={"other": other.mrn} if other else {})
    return render(request, "patients/patient_merge.html",
                  {"patient": keep, "keep": keep, "other": other, "form": form, "preview": preview}, status=status)


def _colleague_queryset(user):
    return account_selectors.clinic_colleagues(user)


@login_required
@require_POST
def patient_break_glass(request, patient_id: int):
    require_clinic_staff(request)
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
    return render(request, "patients/break_glass.html", {"patient": patient, "form": form, "tab": tab}, status=400)


def _chart_post(request, patient_id: int, capability: str):
    require_clinic_staff(request)
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
def break_glass_report(request):
    require_clinic_staff(request)
    # A refused review is shown beside that row's field, with the note as typed.
    refused = {"refused_grant": None, "refused_note": "", "refused_error": ""}
    if request.method == "POST":
        note = request.POST.get("note", "")
        try:
            grant_id = int(request.POST.get("grant", "0"))
            services.break_glass_review(actor=request.user, grant_id=grant_id, note=note)
            messages.success(request, "Review recorded.")
            return redirect("patients:break_glass_report")
        except (ValueError, services.BreakGlassAccess.DoesNotExist):
            messages.error(request, "No such emergency access in your clinic.")
            return redirect("patients:break_glass_report")
        except ValidationError as exc:
            refused = {"refused_grant": grant_id, "refused_note": note,
                       "refused_error": " ".join(exc.message_dict.get("note", exc.messages))}
    grants = selectors.break_glass_report(request.user)
    audit_record(action="break_glass.report", actor=request.user, detail={"count": len(grants)})
    return render(request, "patients/break_glass_report.html",
                  {"grants": grants, "now": timezone.now(), "zone": request.user.clinic.timezone, **refused},
                  status=400 if refused["refused_grant"] is not None else 200)
