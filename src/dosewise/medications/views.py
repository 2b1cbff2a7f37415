"""Pages of the medication list: the order form with its live safety check, dose and status
changes, and the clinic's override report. Each view parses input, calls one selector or
service, renders."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from dosewise.audit.services import audit_record
from dosewise.clinical.education import TARGET_GRADE, education_handout
from dosewise.clinical.equivalence import convert_dose, covered_drugs, equivalence_tables
from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import load_kb
from dosewise.clinical.names import resolve_drug
from dosewise.clinical.pgx import supported_genes
from dosewise.clinics.roles import Capability
from dosewise.lib.access import require_clinic_staff
from dosewise.lib.forms import (
    form_add_validation_error,
    messages_from_form_errors,
    messages_from_validation_error,
)
from dosewise.lib.pdf import html_to_pdf, pdf_response
from dosewise.lib.text import sentence
from dosewise.medications import forms, selectors, services
from dosewise.medications.models import Medication, MedicationPlan, MedicationSource, PlanFollowUp, Problem
from dosewise.medications.problems import icd10_search
from dosewise.medications.transmission import (
    FaxTransmitter,
    PrintTransmitter,
    prescriber_numbers_url,
    prescription_filename,
    prescription_refusal,
)
from dosewise.patients import services as patient_services
from dosewise.patients.breakglass import offers_break_glass
from dosewise.patients.selectors import access_patient, pgx_results
from dosewise.patients.services import EditConflict


def _access(request, patient_id: int, capability: str):
    require_clinic_staff(request)
    return access_patient(request.user, patient_id, capability)


def _back_to_tab(patient_id: int):
    return redirect(reverse("web:patient_chart_tab", kwargs={"patient_id": patient_id, "tab": "medications"}))


def _sources(access) -> list[str]:
    allowed = []
    if access.can(Capability.MEDICATIONS_PRESCRIBE):
        allowed.append(MedicationSource.CLINIC)
    if access.can(Capability.MEDICATIONS_RECORD):
        allowed += [MedicationSource.OTHER_PRESCRIBER, MedicationSource.OTC, MedicationSource.SUPPLEMENT]
    return allowed


def _formulary_names() -> list[str]:
    kb = load_kb()
    return sorted({name for i in kb.ingredients.values() for name in (i.name, *i.brands)}, key=str.casefold)


def _decimal(value: str) -> Decimal | None:
    try:
        number = Decimal(value.strip())
    except (InvalidOperation, AttributeError):
        return None
    return number if number.is_finite() else None


@login_required
@offers_break_glass
def order(request, patient_id: int):
    """Prescribe a medicine, or record one from elsewhere, with the safety check beside the form."""
    access = _access(request, patient_id, Capability.MEDICATIONS_RECORD)
    patient = access.patient
    check_url = reverse("medications:order_check", kwargs={"patient_id": patient.pk})
    form = forms.OrderForm(request.POST or None, check_url=check_url, sources=_sources(access),
                           problems=selectors.active_problems(access),
                           initial={"source": request.GET.get("source", "")})
    check = None
    if request.method == "POST":
        if form.is_valid():
            try:
                medication = services.medication_start(actor=request.user, access=access, **form.cleaned_data)
            except ValidationError as exc:
                form_add_validation_error(form, exc)
            else:
                messages.success(request, f"{medication.ingredient} {medication.dose_display} added to the list.")
                refusal = prescription_refusal(medication) if medication.source == MedicationSource.CLINIC else ""
                if refusal:
                    messages.warning(request, refusal)
                return _back_to_tab(patient.pk)
        check = selectors.order_check(patient, drug=request.POST.get("drug", ""),
                                      dose_mg_per_day=_decimal(request.POST.get("dose_mg_per_day", "")))
    else:
        audit_record(action="medication.order_open", actor=request.user, patient=patient)
    source = request.POST.get("source") or form["source"].value() or MedicationSource.CLINIC
    return render(request, "medications/order.html", {
        "patient": patient, "form": form, "check": check, "formulary_names": _formulary_names(),
        "prescribing": source == MedicationSource.CLINIC,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def order_check(request, patient_id: int):
    """Answer the safety-check panel for what is typed so far (htmx, on every pause in typing)."""
    access = _access(request, patient_id, Capability.MEDICATIONS_RECORD)
    exclude = None
    drug = request.POST.get("drug", "")
    medication_id = request.POST.get("medication", "")
    if medication_id.isdigit():
        try:
            medication = selectors.medication_get(access, int(medication_id))
        except Medication.DoesNotExist:
            medication = None
        if medication is not None:
            exclude, drug = medication.pk, medication.ingredient
    check = selectors.order_check(access.patient, drug=drug[:120],
                                  dose_mg_per_day=_decimal(request.POST.get("dose_mg_per_day", "")),
                                  exclude_medication_id=exclude)
    refills = request.POST.get("refills", "0").strip()
    audit_record(action="medication.safety_check", actor=request.user, patient=access.patient, detail={
        "drug": check.ingredient.name if check.ingredient else check.text[:60],
        "findings": [f.rule_id for f in check.findings], "kb_version": check.kb_version})
    return render(request, "medications/_check.html", {
        "check": check, "prescribing": request.POST.get("source", MedicationSource.CLINIC) == MedicationSource.CLINIC,
        "refills_given": refills.isdigit() and int(refills) > 0,
    })


@login_required
@offers_break_glass
def dose_change(request, patient_id: int, medication_id: int):
    access = _access(request, patient_id, Capability.MEDICATIONS_RECORD)
    try:
        medication = selectors.medication_get(access, medication_id)
    except Medication.DoesNotExist:
        return render(request, "web/error.html", {"title": "Not found", "message":
                      "That medication is not on this chart."}, status=404)
    check_url = reverse("medications:order_check", kwargs={"patient_id": patient_id})
    form = forms.DoseForm(request.POST or None, check_url=check_url,
                          initial={"version": medication.version, "dose_mg_per_day": medication.dose_mg_per_day,
                                   "frequency": medication.frequency})
    conflict = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            updated = services.medication_change_dose(
                actor=request.user, access=access, medication_id=medication.pk, expected_version=data["version"],
                dose_mg_per_day=data["dose_mg_per_day"], frequency=data["frequency"], reason=data["reason"],
                override_reason_code=data["override_reason_code"], override_reason=data["override_reason"],
                confirm_high_dose=data["confirm_high_dose"], effective_date=data["effective_date"])
        except EditConflict as exc:
            conflict = True
            medication.refresh_from_db()
            form = _with_current_version(form, forms.DoseForm, medication, check_url=check_url)
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, f"{updated.ingredient} changed to {updated.dose_display}.")
            return _back_to_tab(patient_id)
    elif request.method == "GET":
        audit_record(action="medication.view", actor=request.user, patient=access.patient, obj=medication)
    check = selectors.order_check(access.patient, drug=medication.ingredient, exclude_medication_id=medication.pk,
                                  dose_mg_per_day=_decimal(request.POST.get("dose_mg_per_day", "")) if request.POST
                                  else medication.dose_mg_per_day) if medication.in_formulary else None
    return render(request, "medications/dose.html", {
        "patient": access.patient, "medication": medication, "form": form, "check": check, "conflict": conflict,
        "prescribing": medication.source == MedicationSource.CLINIC,
    }, status=409 if conflict else 400 if form.errors else 200)


def _with_current_version(form, form_class, medication: Medication, **kwargs):
    """Return the form with what the user typed and the newest version, so a second save is deliberate."""
    data = form.data.copy()
    data["version"] = str(medication.version)
    fresh = form_class(data, **kwargs)
    fresh.is_valid()
    return fresh


@login_required
@offers_break_glass
def status_change(request, patient_id: int, medication_id: int):
    """Hold, resume or discontinue a medicine (with the reason)."""
    access = _access(request, patient_id, Capability.MEDICATIONS_RECORD)
    try:
        medication = selectors.medication_get(access, medication_id)
    except Medication.DoesNotExist:
        return render(request, "web/error.html", {"title": "Not found", "message":
                      "That medication is not on this chart."}, status=404)
    form = forms.StatusForm(request.POST or None, initial={"version": medication.version,
                                                           "action": request.GET.get("action", "discontinue")})
    conflict = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        common = {"actor": request.user, "access": access, "medication_id": medication.pk,
                  "expected_version": data["version"], "note": data["note"],
                  "effective_date": data["effective_date"]}
        try:
            if data["action"] == "hold":
                updated = services.medication_hold(**common)
            elif data["action"] == "resume":
                updated = services.medication_resume(**common)
            else:
                updated = services.medication_discontinue(reason=data["reason"], **common)
        except EditConflict as exc:
            conflict = True
            medication.refresh_from_db()
            form = _with_current_version(form, forms.StatusForm, medication)
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, f"{updated.ingredient}: {updated.get_status_display().lower()}.")
            return _back_to_tab(patient_id)
    elif request.method == "GET":
        audit_record(action="medication.view", actor=request.user, patient=access.patient, obj=medication)
    return render(request, "medications/status.html", {
        "patient": access.patient, "medication": medication, "form": form, "conflict": conflict,
    }, status=409 if conflict else 400 if form.errors else 200)


@login_required
@offers_break_glass
def plan_new(request, patient_id: int):
    """Lay out a titration, taper or switch, preview its steps and end date, then save it."""
    access = _access(request, patient_id, Capability.MEDICATIONS_PRESCRIBE)
    current = selectors.chart_tab(access).current
    form = forms.PlanForm(request.POST or None, medications=[m for m in current if m.in_formulary],
                          initial={"kind": request.GET.get("kind", "titration"),
                                   "medication": request.GET.get("medication", "")})
    draft = summary = active_plan_id = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        options = {"medication_id": data.pop("medication"), **data,
                   "taper_model": data.get("taper_model") or "percentage"}
        try:
            if "save" in request.POST:
                plan = services.plan_create(actor=request.user, access=access, **options)
            else:
                draft = services.plan_build(actor=request.user, access=access, **options)
        except ValidationError as exc:
            active_plan_id = next((e.params["plan_id"] for errors in getattr(exc, "error_dict", {}).values()
                                   for e in errors if e.code == "active_plan"), None)
            form_add_validation_error(form, exc)
        else:
            if draft is None:
                messages.success(request, f"Plan saved: {plan.summary}.")
                return redirect("medications:plan_detail", patient_id=patient_id, plan_id=plan.pk)
            summary = selectors.plan_summary(draft.schedules, draft.start_date)
            audit_record(action="medication_plan.preview", actor=request.user, patient=access.patient,
                         detail={"kind": draft.kind, "summary": draft.summary})
    return render(request, "medications/plan_new.html", {
        "patient": access.patient, "form": form, "draft": draft, "summary": summary,
        "active_plan_id": active_plan_id}, status=400 if form.errors else 200)


def _revision_form_options(plan: MedicationPlan) -> dict:
    if plan.kind == "switch":
        return {"stop_only": True}
    if plan.kind != "taper":
        return {}
    return {"step_unit": plan.plan.get("step", {}).get("unit", ""), "current_step": plan.plan.get("step", {}).get("size"),
            "current_interval": plan.plan.get("interval_days")}


def _render_plan(request, access, plan: MedicationPlan, *, revise_form=None, status: int = 200):
    page = selectors.plan_page(access, plan)
    revise_form = revise_form or forms.PlanRevisionForm(initial={"version": plan.version},
                                                        **_revision_form_options(plan))
    days = selectors.plan_calendar(plan)
    return render(request, "medications/plan_detail.html", {
        "patient": access.patient, "plan": plan, "page": page, "days": days,
        "steps": selectors.plan_dose_blocks(plan, days),
        "summary": selectors.plan_summary(plan.schedules, plan.start_date),
        "drugs": list(plan.schedules), "findings": plan.plan.get("safety", {}).get("findings", []),
        "revise_form": revise_form if page.can_revise else None, "complete_form": forms.FollowUpCompleteForm(),
        "latest_findings": page.revisions[0].findings if page.revisions else plan.plan.get("schedule_safety"),
    }, status=status)


@login_required
@require_GET
@offers_break_glass
def plan_detail(request, patient_id: int, plan_id: int):
    """The plan: today's step, the day-by-day calendar, its revisions and its follow-ups."""
    access = _access(request, patient_id, Capability.MEDICATIONS_VIEW)
    try:
        plan = selectors.plan_get(access, plan_id)
    except MedicationPlan.DoesNotExist:
        return _not_on_chart(request, "plan")
    audit_record(action="medication_plan.view", actor=request.user, patient=access.patient, obj=plan)
    return _render_plan(request, access, plan)


@login_required
@require_POST
@offers_break_glass
def plan_revise(request, patient_id: int, plan_id: int):
    """Pause, slow down or stop a plan as a new version; a concurrent revision is refused (409)."""
    access = _access(request, patient_id, Capability.MEDICATIONS_PRESCRIBE)
    try:
        plan = selectors.plan_get(access, plan_id)
    except MedicationPlan.DoesNotExist:
        return _not_on_chart(request, "plan")
    form = forms.PlanRevisionForm(request.POST, **_revision_form_options(plan))
    if form.is_valid():
        data = form.cleaned_data
        common = {"actor": request.user, "access": access, "plan_id": plan.pk, "expected_version": data["version"],
                  "reason": data["reason"], "effective_date": data["effective_date"]}
        try:
            if data["action"] == "pause":
                revised = services.plan_pause(days=data.get("days"), **common)
            elif data["action"] == "slow":
                revised = services.plan_slow(interval_days=data.get("interval_days"),
                                             step_size=data.get("step_size"), **common)
            else:
                revised = services.plan_stop(**common)
        except EditConflict as exc:
            plan.refresh_from_db()
            form = _with_current_version(form, forms.PlanRevisionForm, plan, **_revision_form_options(plan))
            form.add_error(None, str(exc))
            return _render_plan(request, access, plan, revise_form=form, status=409)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, f"Plan {revised.revisions.latest('created_at').get_kind_display().lower()}: "
                                      f"version {revised.version} saved.")
            return redirect("medications:plan_detail", patient_id=patient_id, plan_id=plan.pk)
    return _render_plan(request, access, plan, revise_form=form, status=400)


@login_required
@require_POST
@offers_break_glass
def follow_up_complete(request, patient_id: int, follow_up_id: int):
    """Mark a plan follow-up done; back to the worklist, the plan or the chart."""
    access = _access(request, patient_id, Capability.MEDICATIONS_RECORD)
    try:
        follow_up = selectors.follow_up_get(access, follow_up_id)
    except PlanFollowUp.DoesNotExist:
        return _not_on_chart(request, "follow-up")
    form = forms.FollowUpCompleteForm(request.POST)
    if not form.is_valid():
        messages_from_form_errors(request, form)
    else:
        try:
            services.plan_follow_up_complete(actor=request.user, access=access, follow_up_id=follow_up.pk,
                                             note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages_from_validation_error(request, exc)
        else:
            messages.success(request, "Follow-up done.")
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("medications:plan_detail", patient_id=patient_id, plan_id=follow_up.plan_id)


@login_required
@offers_break_glass
def genotype_add(request, patient_id: int):
    """Record a pharmacogenomic result; the clinical core derives its CPIC phenotype."""
    access = _access(request, patient_id, Capability.CLINICAL_EDIT)
    form = forms.GenotypeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = patient_services.genotype_record(actor=request.user, access=access, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, f"{result.gene} {result.diplotype} recorded: {result.phenotype}.")
            return _back_to_tab(patient_id)
    elif request.method == "GET":
        audit_record(action="pgx_result.add_open", actor=request.user, patient=access.patient)
    return render(request, "medications/genotype_add.html", {
        "patient": access.patient, "form": form, "genes": supported_genes(),
    }, status=400 if form.errors else 200)


@login_required
@offers_break_glass
def genotype_entered_in_error(request, patient_id: int, result_id: int):
    """Take a pharmacogenomic result out of use, with the reason; it stays on the chart struck through."""
    access = _access(request, patient_id, Capability.CLINICAL_EDIT)
    result = next((r for r in pgx_results(access.patient) if r.pk == result_id), None)
    if result is None:
        return _not_on_chart(request, "result")
    form = forms.GenotypeErrorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            patient_services.genotype_mark_entered_in_error(actor=request.user, access=access, result_id=result.pk,
                                                            reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, f"{result.gene} {result.diplotype}: entered in error.")
            return _back_to_tab(patient_id)
    elif request.method == "GET":
        audit_record(action="pgx_result.view", actor=request.user, patient=access.patient, obj=result)
    return render(request, "medications/genotype_error.html", {
        "patient": access.patient, "result": result, "form": form,
    }, status=400 if form.errors else 200)


@login_required
@require_GET
@offers_break_glass
def plan_calendar_pdf(request, patient_id: int, plan_id: int):
    """The patient's calendar of a saved plan as PDF: the plan page's calendar, one block per dose step."""
    access = _access(request, patient_id, Capability.MEDICATIONS_VIEW)
    try:
        plan = selectors.plan_get(access, plan_id)
    except MedicationPlan.DoesNotExist:
        return _not_on_chart(request, "plan")
    audit_record(action="medication_plan.view", actor=request.user, patient=access.patient, obj=plan,
                 detail={"format": "pdf"})
    pdf = html_to_pdf(render_to_string("medications/document_pdf.html", {
        "patient": access.patient, "plan": plan, "steps": selectors.plan_dose_blocks(plan),
        "body_template": "medications/_plan_calendar_body.html", "pdf_title": "Medicine calendar",
        "pdf_footer": f"{access.patient.clinic.name} · plan {plan.pk}",
    }))
    return pdf_response(pdf, f"medication-plan-{plan.pk}.pdf")


@login_required
@require_GET
def override_report(request):
    """The clinic's safety overrides; clinic admins land on the review queue."""
    require_clinic_staff(request)
    can_review = request.user.can(Capability.AUDIT_VIEW)
    show = request.GET.get("show") or ("to-review" if can_review else "all")
    if show not in selectors.OVERRIDE_VIEWS:
        show = "all"
    overrides = selectors.override_report(request.user, show=show)
    audit_record(action="medication.override_report", actor=request.user,
                 detail={"count": len(overrides), "show": show, "overrides": [o.pk for o in overrides][:200]})
    return render(request, "medications/override_report.html", {
        "overrides": overrides, "show": show, "can_review": can_review, "review_form": forms.OverrideReviewForm(),
        "views": (("to-review", "To review"), ("active", "Active"), ("all", "All"))})


@login_required
@require_POST
def override_review(request, override_id: int):
    """Record a clinic admin's review of one override, with a note."""
    if not request.user.is_clinic_staff:
        raise PermissionDenied("This page is for clinic staff.")
    form = forms.OverrideReviewForm(request.POST)
    if form.is_valid():
        try:
            services.override_review(actor=request.user, override_id=override_id, note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages_from_validation_error(request, exc)
        except services.PrescriptionOverride.DoesNotExist:
            messages.error(request, "No such override in your clinic.")
        else:
            messages.success(request, "Override marked as reviewed.")
    else:
        messages_from_form_errors(request, form)
    return redirect(reverse("medications:override_report") + "?show=to-review")


@login_required
@require_POST
def override_resolve(request, patient_id: int, override_id: int):
    """Mark an active override resolved, with a note."""
    access = _access(request, patient_id, Capability.MEDICATIONS_PRESCRIBE)
    form = forms.OverrideResolveForm(request.POST)
    if form.is_valid():
        try:
            row = services.override_resolve(actor=request.user, access=access, override_id=override_id,
                                            note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages_from_validation_error(request, exc)
        except services.PrescriptionOverride.DoesNotExist:
            messages.error(request, "That override is not on this chart.")
        else:
            messages.success(request, f"Override of {row.summary[:80]} marked resolved.")
    else:
        messages_from_form_errors(request, form)
    return _back_to_tab(patient_id)


def _equivalence_name(text: str) -> str:
    """Return the tables' spelling of a drug: as typed when a table lists it, else resolved from a brand or synonym."""
    name = text.strip().lower()
    return name if name in covered_drugs() else resolve_drug(text)


@login_required
@require_GET
def equivalence(request):
    """Convert a daily dose to an approximately equivalent dose of another drug (no patient data)."""
    if not request.user.can(Capability.MEDICATIONS_VIEW):
        raise PermissionDenied("The dose-equivalence calculator is for clinical staff.")
    tables = equivalence_tables()
    form = forms.EquivalenceForm(request.GET or None, tables=tables)
    result = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = convert_dose(_equivalence_name(data["from_drug"]), float(data["dose_mg"]),
                                  _equivalence_name(data["to_drug"]), data["table"] or None)
        except ClinicalInputError as exc:
            form.add_error(None, sentence(exc))
    return render(request, "medications/equivalence.html", {
        "form": form, "result": result, "tables": tables,
        "doses": (f"{result.from_dose_mg:g}", f"{result.to_dose_mg:g}") if result else None,
    }, status=400 if form.errors else 200)


def _not_on_chart(request, what: str):
    return render(request, "web/error.html", {"title": "Not found", "message": f"That {what} is not on this chart."},
                  status=404)


@login_required
@require_GET
def icd10_search_results(request):
    """Answer the code search box: codable ICD-10-CM codes by code prefix or description words (no patient data)."""
    if not request.user.can(Capability.CLINICAL_EDIT):
        raise PermissionDenied("Searching diagnosis codes is for clinicians who keep the problem list.")
    query = request.GET.get("q", "")[:100]
    return render(request, "medications/_icd10_results.html", {"query": query, "results": icd10_search(query)})


@login_required
@offers_break_glass
def problem_add(request, patient_id: int):
    """Add an ICD-10-CM coded problem; the page also serves the code search without htmx (?q=)."""
    access = _access(request, patient_id, Capability.CLINICAL_EDIT)
    form = forms.ProblemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            problem = services.problem_add(actor=request.user, access=access, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, f"Problem added: {problem.code} {problem.description}.")
            return _back_to_tab(patient_id)
    elif request.method == "GET":
        audit_record(action="problem.add_open", actor=request.user, patient=access.patient)
    query = request.GET.get("q", "")[:100]
    return render(request, "medications/problem_add.html", {
        "patient": access.patient, "form": form, "query": query, "results": icd10_search(query),
    }, status=400 if form.errors else 200)


@login_required
@offers_break_glass
def problem_status(request, patient_id: int, problem_id: int):
    """Resolve a problem, or mark it entered in error with the reason."""
    access = _access(request, patient_id, Capability.CLINICAL_EDIT)
    try:
        problem = selectors.problem_get(access, problem_id)
    except Problem.DoesNotExist:
        return _not_on_chart(request, "problem")
    form = forms.ProblemStatusForm(request.POST or None, initial={"action": request.GET.get("action", "resolve")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == "resolve":
                updated = services.problem_resolve(actor=request.user, access=access, problem_id=problem.pk,
                                                   resolved_date=data["resolved_date"], note=data["note"])
            else:
                updated = services.problem_mark_entered_in_error(actor=request.user, access=access,
                                                                 problem_id=problem.pk, note=data["note"])
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, f"{updated.code} {updated.description}: {updated.get_status_display().lower()}.")
            return _back_to_tab(patient_id)
    elif request.method == "GET":
        audit_record(action="problem.view", actor=request.user, patient=access.patient, obj=problem)
    return render(request, "medications/problem_status.html", {
        "patient": access.patient, "problem": problem, "form": form,
    }, status=400 if form.errors else 200)


def _prescription_or_error(request, access, medication_id: int):
    """Return (medication, None) when its prescription may be shown, else (None, an error page)."""
    try:
        medication = selectors.medication_get(access, medication_id)
    except Medication.DoesNotExist:
        return None, _not_on_chart(request, "medication")
    if medication.source != MedicationSource.CLINIC:
        return None, render(request, "web/error.html", {"title": "Not a prescription", "message":
                            f"{medication.ingredient} was not prescribed here; there is no prescription to print."},
                            status=400)
    refusal = prescription_refusal(medication)
    if refusal:
        return None, render(request, "medications/prescription_refused.html", {
            "patient": access.patient, "medication": medication, "message": refusal,
            "numbers_url": prescriber_numbers_url(medication)}, status=409)
    return medication, None


def _prescription_page(request, access, medication: Medication, *, fax_form=None, status: int = 200):
    fax_refusal = FaxTransmitter.refusal(medication)
    kwargs = {"patient_id": access.patient.pk, "medication_id": medication.pk}
    actions = {
        "pdf_url": reverse("medications:prescription_pdf", kwargs=kwargs),
        "fax_url": reverse("medications:prescription_fax", kwargs=kwargs),
        "fax_form": fax_form or forms.FaxForm(), "fax_refusal": fax_refusal,
        "transmissions": selectors.prescription_transmissions(medication),
    }
    return HttpResponse(PrintTransmitter().render(medication, actions=actions, request=request), status=status)


@login_required
@offers_break_glass
def prescription(request, patient_id: int, medication_id: int):
    """GET: the printable prescription with print, PDF and fax. POST: send it through the configured transmitter."""
    access = _access(request, patient_id, Capability.MEDICATIONS_PRESCRIBE)
    if request.method == "POST":
        try:
            medication = selectors.medication_get(access, medication_id)
        except Medication.DoesNotExist:
            return _not_on_chart(request, "medication")
        try:
            result = services.prescription_transmit(actor=request.user, access=access, medication_id=medication.pk)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return _back_to_tab(patient_id)
        if result.document and result.channel == PrintTransmitter.channel:
            # The page the chart's "Print or send" leads to: the prescription with print, PDF and fax.
            return _prescription_page(request, access, medication)
        if result.document:
            return HttpResponse(result.document)
        (messages.error if result.status in services.FAILED_TRANSMISSIONS else messages.success)(request, result.detail)
        return _back_to_tab(patient_id)
    medication, error = _prescription_or_error(request, access, medication_id)
    if error:
        return error
    audit_record(action="prescription.view", actor=request.user, patient=access.patient, obj=medication)
    return _prescription_page(request, access, medication)


@login_required
@require_GET
@offers_break_glass
def prescription_pdf(request, patient_id: int, medication_id: int):
    """The printable prescription as a PDF download, from the same body template as the page."""
    access = _access(request, patient_id, Capability.MEDICATIONS_PRESCRIBE)
    medication, error = _prescription_or_error(request, access, medication_id)
    if error:
        return error
    audit_record(action="prescription.view", actor=request.user, patient=access.patient, obj=medication,
                 detail={"format": "pdf"})
    return pdf_response(PrintTransmitter().render_pdf(medication), prescription_filename(medication))


@login_required
@require_POST
@offers_break_glass
def prescription_fax(request, patient_id: int, medication_id: int):
    """Fax the prescription to the pharmacy number typed on the prescription page."""
    access = _access(request, patient_id, Capability.MEDICATIONS_PRESCRIBE)
    medication, error = _prescription_or_error(request, access, medication_id)
    if error:
        return error
    form = forms.FaxForm(request.POST)
    if form.is_valid():
        try:
            result = services.prescription_fax(actor=request.user, access=access, medication_id=medication.pk,
                                               fax_number=form.cleaned_data["fax_number"])
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            (messages.error if result.status in services.FAILED_TRANSMISSIONS else messages.success)(
                request, result.detail)
            return redirect("medications:prescription", patient_id=patient_id, medication_id=medication.pk)
    # The typed number stays in the form: nothing is lost to a typing mistake.
    return _prescription_page(request, access, medication, fax_form=form, status=400)


def _handout_context(access, medication: Medication) -> dict | None:
    ingredient = load_kb().ingredients.get(medication.ingredient) if medication.in_formulary else None
    if ingredient is None:
        return None
    clinic = access.patient.clinic
    sheet = education_handout(ingredient, how_to_take=" ".join(filter(None, [medication.dose_display,
                                                                             medication.instructions])),
                              clinic_name=clinic.name, clinic_phone=clinic.phone)
    return {"patient": access.patient, "medication": medication, "handout": sheet, "target_grade": TARGET_GRADE}


def _no_handout(request, medication: Medication):
    return render(request, "web/error.html", {"title": "No handout", "message":
                  f"{medication.ingredient} is not in the formulary, so there is no handout for it."}, status=404)


@login_required
@require_GET
@offers_break_glass
def handout(request, patient_id: int, medication_id: int):
    """A printable plain-language handout about one medicine, from the knowledge base."""
    access = _access(request, patient_id, Capability.MEDICATIONS_VIEW)
    try:
        medication = selectors.medication_get(access, medication_id)
    except Medication.DoesNotExist:
        return _not_on_chart(request, "medication")
    context = _handout_context(access, medication)
    if context is None:
        return _no_handout(request, medication)
    audit_record(action="medication.handout", actor=request.user, patient=access.patient, obj=medication)
    return render(request, "medications/handout.html", context)


@login_required
@require_GET
@offers_break_glass
def handout_pdf(request, patient_id: int, medication_id: int):
    """The handout as a PDF download, from the same body template as the page."""
    access = _access(request, patient_id, Capability.MEDICATIONS_VIEW)
    try:
        medication = selectors.medication_get(access, medication_id)
    except Medication.DoesNotExist:
        return _not_on_chart(request, "medication")
    context = _handout_context(access, medication)
    if context is None:
        return _no_handout(request, medication)
    audit_record(action="medication.handout", actor=request.user, patient=access.patient, obj=medication,
                 detail={"format": "pdf"})
    pdf = html_to_pdf(render_to_string("medications/document_pdf.html", {
        **context, "body_template": "medications/_handout_body.html",
        "pdf_title": f"About {context['handout'].drug}",
        "pdf_footer": f"{access.patient.clinic.name} · about {context['handout'].drug}",
    }))
    return pdf_response(pdf, f"handout-{slugify(medication.ingredient)}.pdf")
