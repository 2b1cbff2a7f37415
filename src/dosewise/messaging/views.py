"""Pages of secure messaging: the patient's (phone first, in the portal's layout) and the care team's.

Patient pages take no patient id: `patient_view` resolves the signed-in portal account's
patient and refuses staff and unlinked accounts. Staff pages reach the patient through
`access_patient` like every chart page (break-glass for a clinician off the care team), and
the inbox lists only the threads of the user's care-team patients. Every read and write is
audited; attachments are served from the data directory by these views only.
"""

from __future__ import annotations

import functools
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dosewise.audit.services import audit_record
from dosewise.clinical.triage import URGENCY_RANK
from dosewise.clinics.roles import Capability
from dosewise.lib.access import require_clinic_staff
from dosewise.lib.contributions import chart_tabs
from dosewise.lib.forms import (
    form_add_validation_error,
    messages_from_form_errors,
    messages_from_validation_error,
)
from dosewise.lib.reader_language import reader_language, respond_in
from dosewise.medications.models import Medication, MedicationStatus
from dosewise.messaging import forms, selectors, services
from dosewise.messaging.response import business_days_phrase
from dosewise.patients.breakglass import offers_break_glass
from dosewise.patients.selectors import access_patient, chart_header


def patient_view(view=None, *, also: str = ""):
    """Give a patient page the signed-in patient; refuse everyone else (403).

    The page belongs to the portal's "messages" part: a proxy opens it only when their access
    includes messages (and `also`, e.g. "medicines" for a refill, which shows the medicine list).
    """
    if view is None:
        return functools.partial(patient_view, also=also)

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        request.portal = selectors.portal_patient(request, "messages")
        if also:
            request.portal = selectors.portal_patient(request, also)
        # In the portal's language: the reader's saved choice (the patient's, or a proxy's own).
        return respond_in(request, reader_language(request, request.portal.language),
                          lambda: view(request, request.portal.patient, *args, **kwargs))

    return wrapper


def _shell(request, patient) -> dict:
    """Return what the portal's layout reads (the request's portal record) and the clinic's reply promise."""
    target = selectors.messaging_settings(patient.clinic).response_target_business_days
    return {"portal": request.portal, "clinic": patient.clinic,
            "target": business_days_phrase(target)}


def _file_response(content: bytes, attachment) -> HttpResponse:
    response = HttpResponse(content, content_type=attachment.content_type)
    disposition = "inline" if attachment.is_image else "attachment"
    # RFC 6266 with an RFC 5987 name, so any character of the original name survives.
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(attachment.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


# ---------------------------------------------------------------------------------------
# The patient's pages


@require_GET
@patient_view
def portal_inbox(request, patient):
    threads = selectors.patient_threads(patient)
    audit_record(action="message.thread.list", actor=request.user, patient=patient,
                 detail={"threads": [t.pk for t in threads], "by": request.portal.by})
    return render(request, "messaging/portal_inbox.html", {**_shell(request, patient), "threads": threads})


@patient_view
def portal_new(request, patient):
    form = forms.PatientThreadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            message = services.thread_start_by_patient(
                actor=request.user, patient=patient, by_proxy=request.portal.is_proxy, subject=data["subject"],
                body=data["body"], files=data["files"])
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            return redirect(f"{reverse('messaging:portal_thread', args=[message.thread_id])}?sent={message.pk}")
    elif request.method == "GET":
        audit_record(action="message.form.view", actor=request.user, patient=patient,
                     detail={"by": request.portal.by})
    return render(request, "messaging/portal_new.html", {**_shell(request, patient), "form": form},
                  status=400 if form.errors else 200)


def _sent_message(request, thread_messages):
    """Return the message the patient just sent (named in ?sent=), to show its advice first."""
    sent = request.GET.get("sent", "")
    return next((m for m in thread_messages if str(m.pk) == sent and m.from_patient), None)


@patient_view
def portal_thread(request, patient, thread_id: int):
    thread = selectors.patient_thread_get(patient, thread_id)
    form = forms.PatientReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            message = services.message_send_by_patient(
                actor=request.user, patient=patient, by_proxy=request.portal.is_proxy, thread_id=thread.pk,
                body=form.cleaned_data["body"], files=form.cleaned_data["files"])
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            return redirect(f"{reverse('messaging:portal_thread', args=[thread.pk])}?sent={message.pk}#advice")
    found = selectors.thread_messages(thread)
    services.thread_read_by_patient(actor=request.user, patient=patient, thread=thread,
                                    message_ids=[m.pk for m in found])
    return render(request, "messaging/portal_thread.html", {
        **_shell(request, patient), "thread": thread, "thread_messages": found, "form": form,
        "sent": _sent_message(request, found)}, status=400 if form.errors else 200)


@require_GET
@patient_view
def portal_attachment(request, patient, attachment_id: int):
    attachment = selectors.patient_attachment_get(patient, attachment_id)
    try:
        content = services.attachment_read(actor=request.user, patient=patient, attachment=attachment)
    except ValidationError as exc:
        return render(request, "portal/error.html", {**_shell(request, patient), "title": _("File not available"),
                                                     "message": " ".join(exc.messages)}, status=410)
    return _file_response(content, attachment)


@patient_view(also="medicines")
def portal_refill(request, patient):
    medicines = list(Medication.objects.filter(clinic_id=patient.clinic_id,
                                               patient=patient, status=MedicationStatus.ACTIVE)
                     .order_by("ingredient", "pk"))
    form = forms.RefillForm(request.POST or None, medicines=medicines,
                            initial={"medication": request.GET.get("medication")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            message = services.refill_request(
                actor=request.user, patient=patient, by_proxy=request.portal.is_proxy,
                medication_id=data["medication"], days_left=data["days_left"], note=data["note"])
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, _("Your refill request was sent to your prescriber."))
            return redirect(f"{reverse('messaging:portal_thread', args=[message.thread_id])}?sent={message.pk}")
    elif request.method == "GET":
        audit_record(action="refill.form.view", actor=request.user, patient=patient,
                     detail={"medicines": [m.pk for m in medicines], "by": request.portal.by})
    return render(request, "messaging/portal_refill.html", {**_shell(request, patient), "form": form,
                                                            "medicines": medicines},
                  status=400 if form.errors else 200)


# ---------------------------------------------------------------------------------------
# The care team's pages


def _staff_access(request, patient_id: int, capability: str = Capability.CLINICAL_VIEW):
    require_clinic_staff(request)
    return access_patient(request.user, patient_id, capability)


def _page(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1


@login_required
@require_GET
def inbox(request):
    require_clinic_staff(request)
    page = selectors.inbox(request.user, scope=request.GET.get("scope", "team"),
                           status=request.GET.get("status", "open"), urgent_only=request.GET.get("urgent") == "1",
                           page=_page(request.GET.get("page")))
    audit_record(action="message.inbox.view", actor=request.user,
                 detail={"scope": page.scope, "status": page.status, "page": page.page,
                         "threads": [t.pk for t in page.threads]})
    return render(request, "messaging/inbox.html", {"page": page, "statuses": [
        ("open", "Open"), ("waiting", "Waiting on patient"), ("closed", "Closed"), ("all", "All")],
        "target": business_days_phrase(page.target_days)})


def _most_urgent(found):
    """Return the patient's most urgent message of the thread (the latest of equals), for the banner."""
    rated = [m for m in found if m.from_patient and m.urgency in URGENCY_RANK]
    return min(reversed(rated), key=lambda m: URGENCY_RANK[m.urgency], default=None)


def _thread_page(request, access, thread, *, reply_form=None, status=200):
    found = selectors.thread_messages(thread)
    services.thread_read_by_staff(actor=request.user, access=access, thread=thread,
                                  message_ids=[m.pk for m in found])
    people = selectors.assignable(access)
    refill = selectors.refill_context(access, thread)
    return render(request, "messaging/thread.html", {
        "patient": access.patient, "access": access, "thread": thread, "thread_messages": found,
        "reply_form": reply_form or forms.StaffReplyForm(),
        "assign_form": forms.AssignForm(people=people, initial={"assignee": thread.assigned_to_id}),
        "status_form": forms.StatusForm(initial={"status": thread.status}),
        "refill": refill, "refill_form": forms.RefillDecisionForm() if refill else None,
        "can_decide": access.can(Capability.MEDICATIONS_PRESCRIBE),
        "flagged": _most_urgent(found),
    }, status=status)


@login_required
@offers_break_glass
def thread(request, patient_id: int, thread_id: int):
    """One conversation (GET) or the team's reply to it (POST)."""
    access = _staff_access(request, patient_id)
    found = selectors.staff_thread_get(access, thread_id)
    if request.method != "POST":
        return _thread_page(request, access, found)
    form = forms.StaffReplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.message_send_by_staff(actor=request.user, access=access, thread_id=found.pk,
                                           body=form.cleaned_data["body"], files=form.cleaned_data["files"],
                                           status=form.cleaned_data["status"])
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, "Reply sent. The patient gets an e-mail that a message is waiting "
                                      "(when they agreed to e-mail).")
            return redirect("messaging:thread", patient_id=patient_id, thread_id=found.pk)
    found.refresh_from_db()
    return _thread_page(request, access, found, reply_form=form, status=400)


@login_required
@require_POST
@offers_break_glass
def thread_new(request, patient_id: int):
    """The team writes to the patient first, from the chart's Messages tab."""
    access = _staff_access(request, patient_id)
    form = forms.StaffThreadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            message = services.thread_start_by_staff(actor=request.user, access=access,
                                                     subject=form.cleaned_data["subject"],
                                                     body=form.cleaned_data["body"], files=form.cleaned_data["files"])
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, "Message sent to the patient's portal.")
            return redirect("messaging:thread", patient_id=patient_id, thread_id=message.thread_id)
    audit_record(action="chart.open", actor=request.user, patient=access.patient,
                 detail={"tab": "messages", "via": access.via})
    return render(request, "messaging/chart_tab.html", {
        "access": access, "patient": access.patient, "tab": "messages",
        "header": chart_header(access), "tabs": _tabs(access), "threads": selectors.chart_threads(access), "new_form": form, "cards": []},
        status=400)


def _tabs(access):
    return [(t.key, t.label) for t in chart_tabs() if access.can(t.capability)]


@login_required
@require_POST
@offers_break_glass
def thread_assign(request, patient_id: int, thread_id: int):
    access = _staff_access(request, patient_id)
    found = selectors.staff_thread_get(access, thread_id)
    form = forms.AssignForm(request.POST, people=selectors.assignable(access))
    if not form.is_valid():
        messages_from_form_errors(request, form)
    else:
        try:
            done = services.thread_assign(actor=request.user, access=access, thread_id=found.pk,
                                          assignee_id=form.cleaned_data["assignee"])
        except ValidationError as exc:
            messages_from_validation_error(request, exc)
        else:
            messages.success(request, f"Assigned to {done.assigned_to.display_name}." if done.assigned_to
                             else "Nobody is assigned now.")
    return redirect("messaging:thread", patient_id=patient_id, thread_id=found.pk)


@login_required
@require_POST
@offers_break_glass
def thread_status(request, patient_id: int, thread_id: int):
    access = _staff_access(request, patient_id)
    found = selectors.staff_thread_get(access, thread_id)
    form = forms.StatusForm(request.POST)
    if not form.is_valid():
        messages_from_form_errors(request, form)
    else:
        try:
            done = services.thread_status_set(actor=request.user, access=access, thread_id=found.pk,
                                              status=form.cleaned_data["status"],
                                              clear_urgent=form.cleaned_data["clear_urgent"])
        except ValidationError as exc:
            messages_from_validation_error(request, exc)
        else:
            messages.success(request, f"Status: {done.get_status_display().lower()}."
                             + (" The urgent flag is lifted." if form.cleaned_data["clear_urgent"] else ""))
    return redirect("messaging:thread", patient_id=patient_id, thread_id=found.pk)


@login_required
@require_POST
@offers_break_glass
def refill_decide(request, patient_id: int, thread_id: int):
    access = _staff_access(request, patient_id, Capability.MEDICATIONS_PRESCRIBE)
    found = selectors.staff_thread_get(access, thread_id)
    form = forms.RefillDecisionForm(request.POST)
    if not form.is_valid():
        messages_from_form_errors(request, form)
    else:
        try:
            services.refill_decide(actor=request.user, access=access, thread_id=found.pk,
                                   decision=form.cleaned_data["decision"], note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages_from_validation_error(request, exc)
        else:
            messages.success(request, "Decision sent to the patient; the request is closed.")
    return redirect("messaging:thread", patient_id=patient_id, thread_id=found.pk)


@login_required
@require_GET
@offers_break_glass
def attachment(request, patient_id: int, attachment_id: int):
    access = _staff_access(request, patient_id)
    found = selectors.staff_attachment_get(access, attachment_id)
    try:
        content = services.attachment_read(actor=request.user, patient=access.patient, attachment=found)
    except ValidationError as exc:
        return render(request, "web/error.html", {"title": "File not available", "message": " ".join(exc.messages)},
                      status=410)
    return _file_response(content, found)


@login_required
def settings_page(request):
    """The clinic's response-time target (clinic admins change it; clinicians read it)."""
    require_clinic_staff(request)
    if not request.user.can(Capability.STAFF_MANAGE):
        return render(request, "web/error.html", {"title": "Not allowed", "message":
                      "Only a clinic admin sets the response-time target."}, status=403)
    current = selectors.messaging_settings(request.user.clinic)
    form = forms.SettingsForm(request.POST or None,
                              initial={"response_target_business_days": current.response_target_business_days})
    if request.method == "POST" and form.is_valid():
        try:
            services.messaging_settings_update(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, "Response-time target saved. New messages are due within "
                             f"{business_days_phrase(form.cleaned_data['response_target_business_days'])}.")
            return redirect("messaging:settings")
    return render(request, "messaging/settings.html", {"form": form, "current": current},
                  status=400 if form.errors else 200)

