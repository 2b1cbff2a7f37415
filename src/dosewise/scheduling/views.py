"""Pages of the schedule: calendars, booking, an appointment and its changes, hours, settings,
the waitlist, rates, the private feed, and the patient's signed-link pages. Each view parses
input, calls one selector or service, renders or redirects."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dosewise.audit.services import audit_record
from dosewise.clinics.clock import clinic_today, clinic_zone
from dosewise.clinics.roles import Capability
from dosewise.lib.contributions import appointment_notes
from dosewise.lib.forms import (
    form_add_validation_error,
    messages_from_form_errors,
    messages_from_validation_error,
)
from dosewise.lib.middleware import CONTENT_SECURITY_POLICY
from dosewise.patients.breakglass import offers_break_glass
from dosewise.patients.selectors import BreakGlassRequired, access_patient, patient_search
from dosewise.scheduling import forms, ics, patient_portal, selectors, services, video
from dosewise.scheduling.chips import chips
from dosewise.scheduling.permissions import is_desk, may_work_on, require_admin, require_schedule_user


def _staff(request) -> None:
    require_schedule_user(request.user)


def _to_appointment(appointment_id: int):
    return redirect("scheduling:appointment_detail", appointment_id=appointment_id)


# ---------------------------------------------------------------- calendars

@login_required
@require_GET
def schedule(request):
    _staff(request)
    user = request.user
    view = "week" if request.GET.get("view") == "week" else "day"
    today = clinic_today(user.clinic)
    day = forms.parse_day(request.GET.get("date"), today)
    providers = selectors.clinic_providers(user)
    chosen = request.GET.get("provider", "" if is_desk(user) else str(user.pk))
    shown = providers if chosen in ("", "all") else [selectors.provider_for(user, chosen)]
    start = day - timedelta(days=day.weekday()) if view == "week" else day
    days = 7 if view == "week" else 1
    cal = selectors.calendar(user, providers=shown, start=start, days=days)
    # The clinician's own open appointments of today get a Start visit button on the day view.
    start_for = user.pk if view == "day" and day == today and not is_desk(user) else None
    token = get_token(request) if start_for else ""
    for row in cal.rows:
        for cell in row.days:
            cell.html = chips(cell.appointments, cal.zone, start_for=start_for, csrf_token=token)
    audit_record(action="schedule.view", actor=user, detail={"view": view, "from": start.isoformat(),
                                                             "providers": len(shown),
                                                             "appointments": cal.appointment_count})
    step = timedelta(days=days)
    return render(request, "scheduling/schedule.html", {
        "cal": cal, "view": view, "day": day, "today": today, "providers": providers, "chosen": chosen,
        "prev": start - step, "next": start + step, "is_desk": is_desk(user), "single": len(shown) == 1,
        "end": start + step - timedelta(days=1)})


# ---------------------------------------------------------------- booking

def _book_context(request, form, access, search=None):
    return {"form": form, "patient": access.patient if access else None, "search": search,
            "query": request.GET.get("q", "")}


@login_required
@require_http_methods(["GET", "POST"])
def book(request):
    _staff(request)
    user = request.user
    patient_id = request.POST.get("patient") or request.GET.get("patient")
    access = access_patient(user, patient_id) if patient_id else None
    providers = selectors.clinic_providers(user)
    kinds = selectors.appointment_types(user)
    if access is None:
        query = request.GET.get("q", "").strip()
        found = patient_search(user, query, limit=20) if query else []
        if query:
            audit_record(action="patient.search", actor=user, detail={"count": len(found), "from": "book"})
        return render(request, "scheduling/book.html", {"search": found, "query": query, "patient": None})
    initial = {"provider": request.GET.get("provider") or (user.pk if not is_desk(user) else None),
               "kind": request.GET.get("kind"), "date": request.GET.get("date"), "time": request.GET.get("time")}
    if request.method == "GET":
        form = forms.BookForm(initial=initial, clinic=user.clinic, providers=providers, kinds=kinds)
        return render(request, "scheduling/book.html", _book_context(request, form, access))
    form = forms.BookForm(request.POST, clinic=user.clinic, providers=providers, kinds=kinds)
    if "find" in request.POST:
        return _book_find(request, form, access, providers, kinds)
    if not form.is_valid():
        return render(request, "scheduling/book.html", _book_context(request, form, access), status=400)
    data = form.cleaned_data
    try:
        if data["repeat_weeks"]:
            rule = services.series_rule(every_weeks=data["repeat_weeks"], count=data["repeat_count"],
                                        weekday=data["date"].weekday())
            result = services.series_book(actor=user, access=access, provider=data["provider_obj"],
                                          kind=data["kind_obj"], first_start=data["starts_at"], rule=rule,
                                          reason=data["reason"], outside_hours=data["outside_hours"])
            messages.success(request, f"{len(result.booked)} visits booked for {access.patient.display_name}.")
            zone = clinic_zone(user.clinic)
            for start, why in result.skipped:
                messages.warning(request, f"Not booked on {start.astimezone(zone):%a %d %b %H:%M}: {why}")
            appointment = result.booked[0]
        else:
            appointment = services.appointment_book(
                actor=user, access=access, provider=data["provider_obj"], kind=data["kind_obj"],
                starts_at=data["starts_at"], reason=data["reason"], outside_hours=data["outside_hours"])
            messages.success(request, f"Booked {access.patient.display_name} with "
                                      f"{appointment.provider.display_name}.")
    except ValidationError as exc:
        form_add_validation_error(form, _on_fields(exc))
        return render(request, "scheduling/book.html", _book_context(request, form, access), status=409
                      if isinstance(exc, services.SlotTaken) else 400)
    return _to_appointment(appointment.pk)


def _on_fields(exc: ValidationError) -> ValidationError:
    """Map a service's field names onto the booking form's (starts_at is shown on the time)."""
    if hasattr(exc, "error_dict"):
        mapping = {"starts_at": "time"}
        return ValidationError({mapping.get(k, k): v for k, v in exc.error_dict.items()})
    return exc


def _book_find(request, form, access, providers, kinds):
    """Fill the form with the next free time for the type, after 'in N weeks' (a follow-up interval)."""
    user = request.user
    try:
        kind = next(k for k in kinds if str(k.pk) == request.POST.get("kind"))
    except StopIteration:
        form.is_valid()
        form.add_error("kind", "Choose the appointment type to find a time for.")
        return render(request, "scheduling/book.html", _book_context(request, form, access), status=400)
    try:
        weeks = max(0, min(int(request.POST.get("in_weeks") or 0), 52))
    except ValueError:
        weeks = 0
    chosen = [p for p in providers if str(p.pk) == request.POST.get("provider")] or providers
    after = max(timezone.now(), timezone.now() + timedelta(weeks=weeks))
    found = selectors.next_free_slot(user, providers=chosen, kind=kind, after=after)
    data = request.POST.copy()
    if found is None:
        messages.warning(request, "No free time in the six weeks searched. Add working hours or choose a date.")
    else:
        provider, start = found
        local = start.astimezone(clinic_zone(user.clinic))
        data.update({"provider": str(provider.pk), "date": local.date().isoformat(), "time": f"{local:%H:%M}"})
        messages.info(request, f"Next free time: {local:%A %d %B %H:%M} with {provider.display_name}. "
                               "Check it, then book.")
    form = forms.BookForm(initial=data.dict(), clinic=user.clinic, providers=providers, kinds=kinds)
    return render(request, "scheduling/book.html", _book_context(request, form, access))


# ---------------------------------------------------------------- one appointment

@login_required
@require_GET
def appointment_detail(request, appointment_id: int):
    appointment = selectors.appointment_for(request.user, appointment_id)
    audit_record(action="appointment.view", actor=request.user, patient=appointment.patient, obj=appointment)
    zone = clinic_zone(appointment.patient.clinic)
    local = appointment.starts_at.astimezone(zone)
    return render(request, "scheduling/appointment.html", {
        "a": appointment, "can_change": may_work_on(request.user, appointment.provider),
        "reschedule_form": forms.RescheduleForm(initial={"date": local.date(), "time": local.time(),
                                                         "version": appointment.version},
                                                clinic=appointment.patient.clinic),
        "cancel_form": forms.CancelForm(initial={"version": appointment.version}),
        "no_show_form": forms.NoShowForm(initial={"version": appointment.version}),
        "started": appointment.starts_at <= timezone.now(), "patient_link": services.appointment_link(appointment),
        "states": video.US_STATES})


def _changed(request, appointment, form_class, action, success: str, **form_kwargs):
    form = form_class(request.POST, **form_kwargs)
    if not form.is_valid():
        messages_from_form_errors(request, form)
        return _to_appointment(appointment.pk)
    try:
        action(form.cleaned_data)
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages_from_validation_error(request, exc)
        return _to_appointment(appointment.pk)
    messages.success(request, success)
    return _to_appointment(appointment.pk)


@login_required
@require_POST
def appointment_reschedule(request, appointment_id: int):
    appointment = selectors.appointment_for(request.user, appointment_id)
    return _changed(request, appointment, forms.RescheduleForm, lambda d: services.appointment_reschedule(
        actor=request.user, appointment=appointment, starts_at=d["starts_at"], expected_version=d["version"],
        outside_hours=d["outside_hours"]), "Appointment moved; the patient is told.",
        clinic=appointment.patient.clinic)


@login_required
@require_POST
def appointment_cancel(request, appointment_id: int):
    appointment = selectors.appointment_for(request.user, appointment_id)
    return _changed(request, appointment, forms.CancelForm, lambda d: services.appointment_cancel(
        actor=request.user, appointment=appointment, reason=d["reason"], by_patient=d["by_patient"],
        expected_version=d["version"]), "Appointment cancelled.")


@login_required
@require_POST
def appointment_no_show(request, appointment_id: int):
    appointment = selectors.appointment_for(request.user, appointment_id)
    return _changed(request, appointment, forms.NoShowForm, lambda d: services.appointment_no_show(
        actor=request.user, appointment=appointment, reason=d["reason"], expected_version=d["version"]),
        "No-show recorded.")


@login_required
@require_POST
def appointment_status(request, appointment_id: int):
    appointment = selectors.appointment_for(request.user, appointment_id)
    return _changed(request, appointment, forms.StatusForm, lambda d: services.appointment_set_status(
        actor=request.user, appointment=appointment, status=d["status"], expected_version=d["version"]),
        "Status saved.")


@login_required
@require_POST
@offers_break_glass
def appointment_start(request, appointment_id: int):
    """Start the visit: the video page for a video visit (with the chart and note beside it), else its note."""
    appointment = selectors.appointment_for(request.user, appointment_id)
    try:
        appointment, note = services.visit_start(actor=request.user, appointment=appointment)
    except ValidationError as exc:
        messages_from_validation_error(request, exc)
        return _to_appointment(appointment.pk)
    if appointment.is_video:
        return redirect("scheduling:video_visit", appointment_id=appointment.pk)
    return redirect("visits:note_detail", patient_id=note.patient_id, note_id=note.pk)


@login_required
@require_POST
def series_end(request, appointment_id: int):
    appointment = selectors.appointment_for(request.user, appointment_id)
    if appointment.series is None:
        raise Http404("not part of a series")
    try:
        count = services.series_end(actor=request.user, series=appointment.series, after=appointment.starts_at)
    except ValidationError as exc:
        messages_from_validation_error(request, exc)
        return _to_appointment(appointment.pk)
    messages.success(request, f"Series ended: {count} visit{'s' if count != 1 else ''} from this one on cancelled.")
    return _to_appointment(appointment.pk)


@login_required
@require_GET
def appointment_ics(request, appointment_id: int):
    appointment = selectors.appointment_for(request.user, appointment_id)
    audit_record(action="appointment.export_ics", actor=request.user, patient=appointment.patient, obj=appointment)
    response = HttpResponse(ics.appointment_ics(appointment), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="appointment-{appointment.pk}.ics"'
    return response


def _video_response(request, template: str, context: dict):
    """Render the one page whose policy lets the meeting origin use the camera and the microphone."""
    response = render(request, template, context)
    origin = video.meeting_origin()
    response["Permissions-Policy"] = video.video_permissions_policy()
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY + f"; frame-src {origin}"
    return response


def _visit_note(user, appointment):
    """Return the visit's note the clinician may open, or None (no chart access: the page still opens)."""
    notes = appointment_notes()
    if notes is None:
        return None
    try:
        access = access_patient(user, appointment.patient_id, Capability.CLINICAL_VIEW)
    except (BreakGlassRequired, Http404):
        return None
    return notes.find(user, access, appointment.pk)


@login_required
@require_GET
def video_visit(request, appointment_id: int):
    appointment = selectors.appointment_for(request.user, appointment_id)
    if not appointment.is_video:
        raise Http404("not a video visit")
    if appointment.provider_id != request.user.pk:
        raise PermissionDenied("Only the appointment's clinician starts the video visit.")
    audit_record(action="video.start", actor=request.user, patient=appointment.patient, obj=appointment)
    return _video_response(request, "scheduling/video.html", {
        "a": appointment, "note": _visit_note(request.user, appointment), "join_url": video.join_url(appointment, name=request.user.display_name, moderator=True),
        "state_name": video.US_STATES.get(appointment.patient_location_state, "")})


# ---------------------------------------------------------------- hours and time off

@login_required
@require_http_methods(["GET", "POST"])
def availability(request):
    _staff(request)
    user = request.user
    providers = selectors.clinic_providers(user)
    provider = selectors.provider_for(user, request.GET.get("provider") or request.POST.get("provider")
                                      or providers[0].pk) if providers else None
    if provider is None:
        raise Http404("no clinicians yet")
    hours_form = forms.HoursForm(prefix="h")
    exception_form = forms.ExceptionForm(prefix="x", clinic=user.clinic)
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("add") == "hours":
                hours_form = forms.HoursForm(request.POST, prefix="h")
                if hours_form.is_valid():
                    services.weekly_hours_add(actor=user, provider=provider, **hours_form.cleaned_data)
                    messages.success(request, "Hours added.")
                    return redirect(reverse("scheduling:availability") + f"?provider={provider.pk}")
            else:
                exception_form = forms.ExceptionForm(request.POST, prefix="x", clinic=user.clinic)
                if exception_form.is_valid():
                    d = exception_form.cleaned_data
                    services.schedule_exception_add(actor=user, provider=provider, kind=d["kind"],
                                                    starts_at=d["starts_at"], ends_at=d["ends_at"], note=d["note"])
                    messages.success(request, "Saved.")
                    return redirect(reverse("scheduling:availability") + f"?provider={provider.pk}")
        except ValidationError as exc:
            form_add_validation_error(hours_form if request.POST.get("add") == "hours" else exception_form, exc)
        status = 400
    from dosewise.scheduling.models import ScheduleException, WeeklyHours

    return render(request, "scheduling/availability.html", {
        "providers": providers, "provider": provider, "hours_form": hours_form, "exception_form": exception_form,
        "hours": WeeklyHours.objects.filter(provider=provider), "weekdays": dict(forms.WEEKDAYS),
        "exceptions": ScheduleException.objects.filter(provider=provider, ends_at__gt=timezone.now()),
        "can_change": may_work_on(user, provider)}, status=status)


@login_required
@require_POST
def hours_remove(request, hours_id: int):
    _staff(request)
    try:
        services.weekly_hours_remove(actor=request.user, hours_id=hours_id)
    except ObjectDoesNotExist:
        raise Http404("no such hours") from None
    messages.success(request, "Hours removed.")
    return redirect(reverse("scheduling:availability") + f"?provider={request.POST.get('provider', '')}")


@login_required
@require_POST
def exception_remove(request, exception_id: int):
    _staff(request)
    try:
        services.schedule_exception_remove(actor=request.user, exception_id=exception_id)
    except ObjectDoesNotExist:
        raise Http404("no such entry") from None
    messages.success(request, "Removed.")
    return redirect(reverse("scheduling:availability") + f"?provider={request.POST.get('provider', '')}")


# ---------------------------------------------------------------- clinic settings

@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    user = request.user
    require_admin(user)
    found_resources = selectors.resources(user)
    type_form = forms.AppointmentTypeForm(prefix="t", resources=found_resources)
    resource_form = forms.ResourceForm(prefix="r")
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("add") == "resource":
                resource_form = forms.ResourceForm(request.POST, prefix="r")
                if resource_form.is_valid():
                    services.resource_create(actor=user, **resource_form.cleaned_data)
                    messages.success(request, "Resource added.")
                    return redirect("scheduling:settings")
            else:
                type_form = forms.AppointmentTypeForm(request.POST, prefix="t", resources=found_resources)
                if type_form.is_valid():
                    d = type_form.cleaned_data
                    services.appointment_type_create(
                        actor=user, name=d["name"], duration_minutes=d["duration_minutes"],
                        buffer_minutes=d["buffer_minutes"], mode=d["mode"], bookable_by=d["bookable_by"],
                        reminder_offsets=d["reminders"], late_cancel_hours=d["late_cancel_hours"],
                        is_intake=d["is_intake"], resources=[r for r in found_resources if r.pk in d["resources"]])
                    messages.success(request, "Appointment type added.")
                    return redirect("scheduling:settings")
        except ValidationError as exc:
            form_add_validation_error(resource_form if request.POST.get("add") == "resource" else type_form, exc)
        status = 400
    return render(request, "scheduling/settings.html", {
        "types": selectors.appointment_types(user, active_only=False), "resources": found_resources,
        "type_form": type_form, "resource_form": resource_form}, status=status)


# ---------------------------------------------------------------- waitlist and rates

@login_required
@require_http_methods(["GET", "POST"])
def waitlist(request):
    _staff(request)
    user = request.user
    providers = selectors.clinic_providers(user)
    kinds = selectors.appointment_types(user)
    patient_id = request.POST.get("patient") or request.GET.get("patient")
    access = access_patient(user, patient_id) if patient_id else None
    form = forms.WaitlistForm(providers=providers, kinds=kinds, any_provider=is_desk(user))
    status = 200
    if request.method == "POST":
        if access is None:
            raise Http404("no patient")
        form = forms.WaitlistForm(request.POST, providers=providers, kinds=kinds, any_provider=is_desk(user))
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.waitlist_add(actor=user, access=access, kind=next(k for k in kinds if k.pk == d["kind"]),
                                      provider=next((p for p in providers if p.pk == d["provider"]), None),
                                      priority=d["priority"], note=d["note"])
                messages.success(request, f"{access.patient.display_name} is on the waiting list.")
                return redirect("scheduling:waitlist")
            except ValidationError as exc:
                form_add_validation_error(form, exc)
        status = 400
    entries = selectors.waitlist(user)
    if entries:
        audit_record(action="patient.list", actor=user, detail={"count": len(entries), "list": "waitlist"})
    return render(request, "scheduling/waitlist.html", {"entries": entries, "form": form, "patient": access.patient
                                                        if access else None}, status=status)


@login_required
@require_POST
def waitlist_remove(request, entry_id: int):
    _staff(request)
    entry = next((e for e in selectors.waitlist(request.user) if e.pk == entry_id), None)
    if entry is None:
        raise Http404("no such entry")
    services.waitlist_remove(actor=request.user, entry=entry)
    messages.success(request, "Removed from the waiting list.")
    return redirect("scheduling:waitlist")


@login_required
@require_GET
def rates(request):
    _staff(request)
    user = request.user
    if not is_desk(user):
        raise PermissionDenied("Attendance rates are for the front desk and clinic admins.")
    days = 90 if request.GET.get("days") not in ("30", "180", "365") else int(request.GET["days"])
    since = clinic_today(user.clinic) - timedelta(days=days)
    by_type, by_patient = selectors.attendance_rates(user, since=since)
    if by_patient:
        audit_record(action="patient.list", actor=user, detail={"count": len(by_patient), "list": "attendance"})
    return render(request, "scheduling/rates.html", {"by_type": by_type, "by_patient": by_patient, "days": days,
                                                     "since": since})


# ---------------------------------------------------------------- private calendar feed

@login_required
@require_http_methods(["GET", "POST"])
def feed_settings(request):
    _staff(request)
    token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(actor=request.user)
            messages.success(request, "The feed address no longer works. Calendars using it stop updating.")
            return redirect("scheduling:feed_settings")
        token = services.calendar_feed_create(actor=request.user)
    url = None
    if token:
        from dosewise.lib.site_url import site_link

        url = site_link(reverse("scheduling:feed", kwargs={"token": token}))
    return render(request, "scheduling/feed.html", {"feed": selectors.feed_status(request.user), "url": url})


@never_cache
@require_GET
def feed(request, token: str):
    user = services.calendar_feed_user(token)
    if user is None:
        raise Http404("no such feed")
    appointments, rooms = selectors.feed_appointments(user)
    return HttpResponse(ics.feed_ics(user, appointments, rooms), content_type="text/calendar; charset=utf-8")


# ---------------------------------------------------------------- the patient's signed links

def _patient_appointment(token: str):
    appointment = services.appointment_from_token(token)
    if appointment is None:
        raise Http404("This link is not valid. Call the clinic.")
    return appointment


@never_cache
@require_http_methods(["GET", "POST"])
def patient_link(request, token: str):
    appointment = _patient_appointment(token)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "confirm":
                services.appointment_confirm_by_patient(appointment=appointment)
                messages.success(request, "Thank you, your appointment is confirmed.")
            elif action == "cancel":
                services.appointment_cancel(actor=None, appointment=appointment, reason="patient_request",
                                            by_patient=True)
                messages.success(request, "Your appointment is cancelled. Call us to find a new time.")
        except ValidationError as exc:
            messages_from_validation_error(request, exc)
        return redirect("scheduling:patient_link", token=token)
    audit_record(action="appointment.view", actor=None, actor_email="patient-link", patient=appointment.patient,
                 obj=appointment)
    now = timezone.now()
    return render(request, "scheduling/patient_link.html", {
        "a": appointment, "token": token, "past": appointment.ends_at < now,
        "can_join": patient_portal.can_join(appointment, now)})


@never_cache
@require_http_methods(["GET", "POST"])
def patient_video(request, token: str):
    appointment = _patient_appointment(token)
    if not appointment.is_video:
        raise Http404("not a video visit")
    now = timezone.now()
    if not patient_portal.can_join(appointment, now):
        messages.info(request, "The video room opens 30 minutes before your appointment.")
        return redirect("scheduling:patient_link", token=token)
    consent = services.telehealth_consent_active(appointment.patient)
    form = forms.VideoCheckInForm(initial={"location_state": appointment.patient_location_state})
    if request.method == "POST":
        form = forms.VideoCheckInForm(request.POST)
        if form.is_valid():
            try:
                appointment = services.video_visit_check_in(
                    appointment=appointment, location_state=form.cleaned_data["location_state"],
                    consent_confirmed=form.cleaned_data["consent"])
            except ValidationError as exc:
                form_add_validation_error(form, exc)
        if not form.errors:
            patient = appointment.patient
            return _video_response(request, "scheduling/patient_video.html", {
                "a": appointment, "token": token, "join_url": video.join_url(
                    appointment, name=patient.preferred_name or patient.legal_given_name, moderator=False)})
    return render(request, "scheduling/patient_checkin.html", {
        "a": appointment, "token": token, "form": form, "first_time": consent is None,
        "consent_text": services.TELEHEALTH_TEXT}, status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def offer_accept(request, token: str):
    found = services.slot_offer_from_token(token)
    if found is None:
        raise Http404("This offer link is not valid.")
    offer, entry = found
    zone = clinic_zone(entry.patient.clinic)
    context = {"offer": offer, "local": offer.starts_at.astimezone(zone), "token": token}
    if request.method == "POST":
        try:
            appointment = services.slot_offer_accept(offer=offer, entry=entry)
        except ValidationError as exc:
            return render(request, "scheduling/offer.html", {**context, "error": " ".join(exc.messages)}, status=409)
        return redirect("scheduling:patient_link", token=services.appointment_link_token(appointment))
    return render(request, "scheduling/offer.html", {**context, "taken": offer.status != "open"})


