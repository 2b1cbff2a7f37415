"""Pages of visit notes, letters and the treatment history. Each view parses input, calls one
service or selector, and renders or redirects; a refused input comes back with the text kept."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dosewise.audit.services import audit_record
from dosewise.clinics.roles import Capability
from dosewise.lib.access import require_clinic_staff
from dosewise.lib.forms import (
    form_add_validation_error,
    messages_from_form_errors,
    messages_from_validation_error,
)
from dosewise.lib.pdf import html_to_pdf, pdf_response
from dosewise.medications import services as medication_services
from dosewise.medications.problems import InvalidIcd10Code
from dosewise.patients.breakglass import offers_break_glass
from dosewise.patients.selectors import access_patient
from dosewise.visits import forms, policy, selectors, services
from dosewise.visits.models import NoteKind, TreatmentTrial, VisitNote


def _access(request, patient_id: int, capability: str = Capability.CLINICAL_VIEW):
    require_clinic_staff(request)
    return access_patient(request.user, patient_id, capability)


def _tab(patient_id: int, anchor: str = ""):
    return redirect(reverse("web:patient_chart_tab", kwargs={"patient_id": patient_id, "tab": "visits"})
                    + (f"#{anchor}" if anchor else ""))


def _note_url(note: VisitNote) -> str:
    return reverse("visits:note_detail", kwargs={"patient_id": note.patient_id, "note_id": note.pk})


def _note(request, access, note_id: int) -> VisitNote:
    try:
        return selectors.note_get(access, request.user, note_id)
    except VisitNote.DoesNotExist:
        from django.http import Http404

        raise Http404("no such note on this chart") from None


@login_required
@require_POST
@offers_break_glass
def note_start(request, patient_id: int):
    access = _access(request, patient_id)
    form = forms.NoteStartForm(request.POST, templates=services.templates_available(access.patient.clinic),
                               recipients=selectors.chart_tab(access, request.user).recipients)
    if not form.is_valid():
        messages_from_form_errors(request, form)
        return _tab(patient_id, "start-note")
    try:
        note = services.note_start(actor=request.user, access=access, template_id=form.cleaned_data["template"],
                                   visit_date=form.cleaned_data["visit_date"],
                                   recipient_id=form.cleaned_data["recipient"] or None)
    except ValidationError as exc:
        messages_from_validation_error(request, exc)
        return _tab(patient_id, "start-note")
    return redirect(_note_url(note))


def _edit_form(request, access, note, data=None):
    initial = {"version": note.version, "editor": secrets.token_hex(16), "sensitive": note.sensitive, "supervisor": note.supervisor_id or "",
               "follow_up_weeks": note.follow_up_weeks}
    for section in note.template.sections:
        initial[f"section_{section['key']}"] = note.sections.get(section["key"], "")
        initial[f"reviewed_{section['key']}"] = section["key"] in note.reviewed
    return forms.NoteEditForm(data, initial=initial, note=note, supervisors=selectors.supervisors(request.user))


def _refused(request, access, note, exc: ValidationError):
    """Return the edit form holding what was posted (or the saved draft) with the refusal on it."""
    data = request.POST.copy() if any(k.startswith("section_") for k in request.POST) else None
    if data is not None:
        data["version"] = str(note.version)
    form = _edit_form(request, access, note, data)
    if data is None:
        form = _edit_form(request, access, note, {**{name: form[name].value() for name in form.fields},
                                                  "version": note.version})
    form.is_valid()
    form_add_validation_error(form, exc)
    return form


def _render_note(request, access, note, *, form=None, status=200, addendum_form=None, send_form=None):
    page = selectors.note_page(access, request.user, note)
    editing = note.status == "draft" and page.is_author
    context = {"patient": access.patient, "page": page, "note": note, "editing": editing,
               "form": form or (_edit_form(request, access, note) if editing else None),
               "addendum_form": addendum_form or forms.AddendumForm(), "cosign_form": forms.CosignForm(),
               "send_form": send_form or forms.LetterSendForm(initial={"channel": "email"}),
               "diagnosis_form": forms.DiagnosisForm(), "is_evaluation": note.kind == NoteKind.INITIAL_EVALUATION,
               "can_diagnose": access.can(Capability.CLINICAL_EDIT)}
    return render(request, "visits/note.html", context, status=status)


@login_required
@require_GET
@offers_break_glass
def note_detail(request, patient_id: int, note_id: int):
    access = _access(request, patient_id)
    note = _note(request, access, note_id)
    audit_record(action="visit_note.view", actor=request.user, patient=access.patient, obj=note)
    return _render_note(request, access, note)


@login_required
@require_POST
@offers_break_glass
def note_save(request, patient_id: int, note_id: int):
    """Save the draft. With htmx (the autosave) answer a one-line status; else re-render or redirect."""
    access = _access(request, patient_id)
    note = _note(request, access, note_id)
    form = _edit_form(request, access, note, request.POST)
    if form.is_valid():
        try:
            note = services.note_save(actor=request.user, access=access, note_id=note.pk,
                                      expected_version=form.cleaned_data["version"], changes=form.changes())
        except ValidationError as exc:
            form_add_validation_error(form, exc)
    if request.htmx:
        if form.errors:
            problems = "; ".join(e for errs in form.errors.values() for e in errs)
            return HttpResponse(render_to_string("visits/_autosave.html", {"error": problems}), status=409
                                if any(isinstance(e, str) and e == services.CONFLICT_MESSAGE
                                       for errs in form.errors.values() for e in errs) else 400)
        return HttpResponse(render_to_string("visits/_autosave.html", {"saved_at": timezone.now(), "note": note,
                                                                       "patient": access.patient}))
    if form.errors:
        return _render_note(request, access, note, form=form, status=400)
    if request.POST.get("then") == "sign":
        try:
            note = services.note_sign(actor=request.user, access=access, note_id=note.pk,
                                      expected_version=note.version, editor=form.cleaned_data["editor"])
        except ValidationError as exc:
            return _render_note(request, access, note, form=_refused(request, access, note, exc), status=400)
        return _signed(request, note)
    messages.success(request, "Draft saved.")
    return redirect(_note_url(note))


@login_required
@require_POST
@offers_break_glass
def note_sign(request, patient_id: int, note_id: int):
    access = _access(request, patient_id)
    note = _note(request, access, note_id)
    form = forms.SignForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Reload the note and sign again.")
        note = services.note_sign(actor=request.user, access=access, note_id=note.pk,
                                  expected_version=form.cleaned_data["version"], editor=form.cleaned_data["editor"])
    except ValidationError as exc:
        note.refresh_from_db()
        return _render_note(request, access, note, form=_refused(request, access, note, exc), status=400)
    return _signed(request, note)


def _signed(request, note):
    messages.success(request, "Signed; the note is now locked. Later changes are addenda.")
    return redirect(_note_url(note))


@login_required
@require_POST
@offers_break_glass
def note_refresh(request, patient_id: int, note_id: int):
    access = _access(request, patient_id)
    note = _note(request, access, note_id)
    try:
        services.note_refresh_interval(actor=request.user, access=access, note_id=note.pk)
    except ValidationError as exc:
        messages_from_validation_error(request, exc)
    else:
        messages.success(request, "The summary since the last visit was read again; your text is unchanged.")
    return redirect(_note_url(note))


@login_required
@require_POST
@offers_break_glass
def note_discard(request, patient_id: int, note_id: int):
    access = _access(request, patient_id)
    note = _note(request, access, note_id)
    try:
        services.note_discard(actor=request.user, access=access, note_id=note.pk)
    except ValidationError as exc:
        messages_from_validation_error(request, exc)
        return redirect(_note_url(note))
    messages.success(request, "Draft discarded. It stays on record as a discarded draft.")
    return _tab(patient_id)


@login_required
@require_POST
@offers_break_glass
def addendum_create(request, patient_id: int, note_id: int):
    access = _access(request, patient_id)
    note = _note(request, access, note_id)
    form = forms.AddendumForm(request.POST)
    if form.is_valid():
        try:
            services.addendum_add(actor=request.user, access=access, note_id=note.pk, text=form.cleaned_data["text"])
        except ValidationError as exc:
            form_add_validation_error(form, exc)
    if form.errors:
        return _render_note(request, access, note, addendum_form=form, status=400)
    messages.success(request, "Addendum added below the signed note.")
    return redirect(_note_url(note) + "#addenda")


@login_required
@require_POST
@offers_break_glass
def note_cosign(request, patient_id: int, note_id: int):
    access = _access(request, patient_id)
    note = _note(request, access, note_id)
    form = forms.CosignForm(request.POST)
    form.is_valid()
    try:
        services.note_cosign(actor=request.user, access=access, note_id=note.pk,
                             comment=form.cleaned_data.get("comment", ""))
    except ValidationError as exc:
        messages_from_validation_error(request, exc)
    else:
        messages.success(request, "Co-signed.")
    return redirect(_note_url(note))


def _note_pdf(request, access, note) -> bytes:
    page = selectors.note_page(access, request.user, note)
    return html_to_pdf(render_to_string("visits/note_pdf.html", {
        "patient": access.patient, "page": page, "note": note, "clinic": access.patient.clinic,
        "printed_at": timezone.now()}))


@login_required
@require_GET
@offers_break_glass
def note_pdf(request, patient_id: int, note_id: int):
    access = _access(request, patient_id)
    note = _note(request, access, note_id)
    audit_record(action="visit_note.view", actor=request.user, patient=access.patient, obj=note,
                 detail={"format": "pdf"})
    return pdf_response(_note_pdf(request, access, note), f"{'letter' if note.kind == 'letter' else 'note'}-{note.pk}.pdf")


@login_required
@require_POST
@offers_break_glass
def letter_send(request, patient_id: int, note_id: int):
    access = _access(request, patient_id)
    note = _note(request, access, note_id)
    form = forms.LetterSendForm(request.POST)
    if form.is_valid():
        try:
            dispatch = services.letter_send(actor=request.user, access=access, note_id=note.pk,
                                            channel=form.cleaned_data["channel"],
                                            fax_number=form.cleaned_data["fax_number"],
                                            pdf=_note_pdf(request, access, note))
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, PermissionDenied):
                raise
            form_add_validation_error(form, exc)
    if form.errors:
        return _render_note(request, access, note, send_form=form, status=400)
    messages.success(request, f"Letter queued to {dispatch.shown_destination}; its delivery shows below.")
    return redirect(_note_url(note) + "#dispatches")


@login_required
@require_POST
@offers_break_glass
def diagnosis_add(request, patient_id: int, note_id: int):
    """Put a diagnosis of the evaluation on the problem list (the medications app owns it)."""
    access = _access(request, patient_id, Capability.CLINICAL_EDIT)
    note = _note(request, access, note_id)
    form = forms.DiagnosisForm(request.POST)
    if not form.is_valid():
        messages_from_form_errors(request, form)
        return redirect(_note_url(note) + "#diagnoses")
    try:
        problem = medication_services.problem_add(actor=request.user, access=access, code=form.cleaned_data["code"],
                                                  onset_date=form.cleaned_data["onset_date"])
    except (ValidationError, InvalidIcd10Code) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "Your role does not add diagnoses to the problem list.")
    else:
        messages.success(request, f"{problem.code} {problem.description} is on the problem list.")
    return redirect(_note_url(note) + "#diagnoses")


# ---------------------------------------------------------------------------------------
# Treatment history


@login_required
@require_POST
@offers_break_glass
def trial_create(request, patient_id: int):
    access = _access(request, patient_id, Capability.CLINICAL_EDIT)
    form = forms.TrialForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            trial = services.trial_record(actor=request.user, access=access, trial=services.TrialInput(
                drug=data["drug"], max_dose_mg_per_day=data["max_dose_mg_per_day"], weeks=data["weeks"],
                weeks_at_max_dose=data["weeks_at_max_dose"], adherence=data["adherence"], response=data["response"],
                side_effects=data["side_effects"], stop_reason=data["stop_reason"],
                current_episode=data["current_episode"], started_on=data["started_on"],
                source="medication_history" if data["medication_id"] else "interview",
                medication_id=data["medication_id"]))
        except ValidationError as exc:
            form_add_validation_error(form, exc)
    if form.errors:
        return _history_page(request, access, form, status=400)
    messages.success(request, f"{trial.drug} added to the treatment history.")
    return _tab(patient_id, "treatment-history")


def _history_page(request, access, form, status=200):
    return render(request, "visits/trial_form.html", {"patient": access.patient, "form": form}, status=status)


@login_required
@require_http_methods(["GET"])
@offers_break_glass
def trial_new(request, patient_id: int):
    """The trial form on its own page, filled from a proposal of the medication history when given."""
    access = _access(request, patient_id, Capability.CLINICAL_EDIT)
    initial = {key: request.GET.get(key) for key in ("drug", "max_dose_mg_per_day", "weeks", "started_on",
                                                       "stop_reason", "medication_id") if request.GET.get(key)}
    return _history_page(request, access, forms.TrialForm(initial={"current_episode": True, **initial}))


@login_required
@require_POST
@offers_break_glass
def trial_entered_in_error(request, patient_id: int, trial_id: int):
    access = _access(request, patient_id, Capability.CLINICAL_EDIT)
    form = forms.EnteredInErrorForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why this trial is wrong.")
        return _tab(patient_id, "treatment-history")
    try:
        services.trial_mark_entered_in_error(actor=request.user, access=access, trial_id=trial_id,
                                             reason=form.cleaned_data["reason"])
    except TreatmentTrial.DoesNotExist:
        messages.error(request, "That trial is not on this chart, or was already withdrawn.")
    except ValidationError as exc:
        messages_from_validation_error(request, exc)
    else:
        messages.success(request, "Trial marked as entered in error; it no longer counts.")
    return _tab(patient_id, "treatment-history")


# ---------------------------------------------------------------------------------------
# The clinic's note templates


@login_required
@require_http_methods(["GET", "POST"])
def templates(request):
    require_clinic_staff(request)
    if request.user.role not in policy.TEMPLATE_EDITORS:
        raise PermissionDenied("Prescribers and clinic admins manage note templates.")
    form = forms.TemplateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                template = services.note_template_create(actor=request.user, name=data["name"], kind=data["kind"],
                                                         description=data["description"],
                                                         section_labels=data["sections"].splitlines())
            except ValidationError as exc:
                form_add_validation_error(form, exc)
            else:
                messages.success(request, f"Template “{template.name}” added; it is offered on every chart.")
                return redirect("visits:templates")
        status = 400
    return render(request, "visits/templates.html", {
        "form": form, "templates": services.templates_available(request.user.clinic)}, status=status)


# ---------------------------------------------------------------------------------------
# Shared decisions


def _decision_page(request, access, *, status=200, errors=None, posted=None):
    from dosewise.clinical.decision_aid import PRIORITIES

    source = posted if posted is not None else request.GET
    raw = [c for c in source.getlist("candidate") if c.strip()]
    priorities = [p for p in source.getlist("priority") if p in PRIORITIES]
    drugs, problem = [], ""
    if raw:
        try:
            drugs = services.decision_candidates(raw)
        except ValidationError as exc:
            problem = " ".join(exc.messages)
    aid = selectors.decision_aid(access, drugs, priorities)
    template = "visits/decision_patient.html" if request.GET.get("version") == "patient" else "visits/decision.html"
    return render(request, template, {
        "patient": access.patient, "aid": aid, "raw": raw + [""] * (4 - len(raw)), "chosen_priorities": priorities,
        "all_priorities": list(PRIORITIES.items()), "candidate_error": problem, "errors": errors or {},
        "concerns": source.get("concerns", ""), "drugs": drugs,
        "can_record": access.can(Capability.MEDICATIONS_PRESCRIBE)}, status=status)


@login_required
@require_GET
@offers_break_glass
def decision_aid(request, patient_id: int):
    access = _access(request, patient_id, Capability.MEDICATIONS_VIEW)
    if request.GET.getlist("candidate"):
        audit_record(action="shared_decision.view", actor=request.user, patient=access.patient,
                     detail={"candidates": request.GET.getlist("candidate")[:4]})
    return _decision_page(request, access)


@login_required
@require_POST
@offers_break_glass
def decision_record(request, patient_id: int):
    access = _access(request, patient_id, Capability.MEDICATIONS_PRESCRIBE)
    try:
        decision = services.decision_record(actor=request.user, access=access,
                                            candidates=request.POST.getlist("candidate"),
                                            priorities=request.POST.getlist("priority"),
                                            concerns=request.POST.get("concerns", ""),
                                            chosen=request.POST.get("chosen", ""))
    except ValidationError as exc:
        errors = {key: " ".join(msgs) for key, msgs in exc.message_dict.items()} if hasattr(exc, "error_dict") \
            else {"chosen": " ".join(exc.messages)}
        return _decision_page(request, access, status=400, errors=errors, posted=request.POST)
    chosen = "no change" if decision.chosen == "none" else decision.chosen
    messages.success(request, f"Decision recorded: {chosen}, with the patient's preferences."
                     + (" Linked to the current order." if decision.medication_id else
                        " Prescribe it on the Medications tab; the decision stays on the Visits tab."))
    return _tab(patient_id, "decisions")
