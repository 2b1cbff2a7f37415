"""The patient's appointment pages in the portal's layout (phone first); see patient_portal."""

from __future__ import annotations

import functools
from types import SimpleNamespace

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dosewise.audit.services import audit_record
from dosewise.lib.forms import form_add_validation_error, messages_from_validation_error
from dosewise.lib.reader_language import reader_language, respond_in
from dosewise.scheduling import ics, patient_portal, services


def patient_view(view):
    """Give a patient page the signed-in patient; refuse everyone else (403)."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        # The portal's record for this request (a proxy's only within the appointments scope).
        request.portal = patient_portal.portal_patient(request, "appointments")
        # In the portal's language: the reader's saved choice (the patient's, or a proxy's own).
        return respond_in(request, reader_language(request, request.portal.language),
                          lambda: view(request, request.portal.patient, *args, **kwargs))

    return wrapper


# How the visit happens, in the patient's words (the type's own name stays as the clinic wrote it).
MODE_WORDS = {"in_person": gettext_lazy("at the clinic"), "video": gettext_lazy("video visit"),
              "phone": gettext_lazy("phone call")}


class AppointmentRequestForm(forms.Form):
    kind = forms.TypedChoiceField(label=gettext_lazy("What kind of appointment?"), coerce=int, choices=())
    note = forms.CharField(label=gettext_lazy("When suits you? (optional)"), required=False,
                           max_length=patient_portal.REQUEST_NOTE_LIMIT,
                           help_text=gettext_lazy("For example: Tuesday or Thursday mornings. Do not write about "
                                                  "symptoms here; send your care team a message instead."),
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.pk, _("%(kind)s (%(minutes)d minutes, %(mode)s)") % {
            "kind": k.name, "minutes": k.duration_minutes, "mode": MODE_WORDS.get(k.mode, k.get_mode_display().lower())})
            for k in kinds]


def _shell(request, patient) -> dict:
    return {"portal": request.portal, "clinic": patient.clinic}


@require_http_methods(["GET", "POST"])
@patient_view
def portal_appointments(request, patient):
    kinds = patient_portal.requestable_types(patient)
    form = AppointmentRequestForm(request.POST or None, kinds=kinds)
    if request.method == "POST":
        if form.is_valid():
            try:
                patient_portal.appointment_request_by_patient(actor=request.user, patient=patient,
                                                              kind_id=form.cleaned_data["kind"],
                                                              note=form.cleaned_data["note"])
            except ValidationError as exc:
                form_add_validation_error(form, exc)
            else:
                messages.success(request, _("Your request is sent. The clinic will call or write to offer a time."))
                return redirect("scheduling:portal_appointments")
    appointments = services_rows(patient)
    audit_record(action="appointment.list", actor=request.user, patient=patient,
                 detail={"appointments": [row.appointment.pk for row in appointments], "by": request.portal.by})
    return render(request, "scheduling/portal_appointments.html", {
        **_shell(request, patient), "rows": appointments, "form": form, "kinds": kinds,
        "requests": patient_portal.open_requests(patient)})


def services_rows(patient) -> list[SimpleNamespace]:
    """Return the coming appointments with what the page offers on each (token for the video room)."""
    from dosewise.scheduling.selectors import patient_appointments

    rows = []
    for appointment in patient_appointments(patient):
        rows.append(SimpleNamespace(appointment=appointment, can_join=patient_portal.can_join(appointment),
                                    token=services.appointment_link_token(appointment)))
    return rows


@require_POST
@patient_view
def portal_appointment_action(request, patient, appointment_id: int):
    appointment = patient_portal.patient_appointment(patient, appointment_id)
    action = request.POST.get("action")
    try:
        if action == "confirm":
            services.appointment_confirm_by_patient(appointment=appointment)
            messages.success(request, _("Thank you, your appointment is confirmed."))
        elif action == "cancel":
            services.appointment_cancel(actor=None, appointment=appointment, reason="patient_request",
                                        by_patient=True)
            messages.success(request, _("Your appointment is cancelled. Ask for a new one below or call the clinic."))
        else:
            messages.error(request, _("Choose confirm or cancel."))
    except ValidationError as exc:
        messages_from_validation_error(request, exc)
    return redirect("scheduling:portal_appointments")


@require_POST
@patient_view
def portal_request_withdraw(request, patient, entry_id: int):
    patient_portal.appointment_request_withdraw(actor=request.user, patient=patient, entry_id=entry_id)
    messages.success(request, _("Your request is withdrawn."))
    return redirect("scheduling:portal_appointments")


@require_GET
@patient_view
def portal_appointment_ics(request, patient, appointment_id: int):
    appointment = patient_portal.patient_appointment(patient, appointment_id)
    audit_record(action="appointment.ics", actor=request.user, patient=patient, obj=appointment,
                 detail={"by": request.portal.by})
    response = HttpResponse(ics.appointment_ics(appointment, link=services.appointment_link(appointment)),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="appointment-{appointment.pk}.ics"'
    return response
