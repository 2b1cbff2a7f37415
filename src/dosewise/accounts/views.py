"""Account pages of Dosewise's own (allauth serves sign-in and MFA): the clinic's staff list with
invitations and deactivation, and a prescriber's DEA number and NPI."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from dosewise.accounts import selectors, services
from dosewise.accounts.forms import InviteForm, PrescriberNumbersForm
from dosewise.accounts.models import User
from dosewise.lib.access import require_clinic_staff
from dosewise.lib.forms import form_add_validation_error, messages_from_validation_error


@login_required
def prescriber_numbers(request, user_id: int):
    """Show and change the DEA number and NPI printed on a prescriber's prescriptions."""
    try:
        prescriber = selectors.prescriber_for_numbers(request.user, user_id)
    except User.DoesNotExist:
        return render(request, "web/error.html", {"title": "Not found", "message":
                      "There is no prescriber with that number in your clinic."}, status=404)
    form = PrescriberNumbersForm(request.POST or None,
                                 initial={"dea_number": prescriber.dea_number, "npi": prescriber.npi})
    if request.method == "POST" and form.is_valid():
        try:
            prescriber, warnings = services.prescriber_numbers_set(actor=request.user, user_id=prescriber.pk,
                                                                   **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, f"Prescriber numbers of {prescriber.full_name} saved.")
            for warning in warnings:
                messages.warning(request, warning)
            return redirect("accounts:prescriber_numbers", user_id=prescriber.pk)
    return render(request, "accounts/prescriber_numbers.html", {
        "prescriber": prescriber, "form": form, "own": prescriber.pk == request.user.pk,
    }, status=400 if form.errors else 200)



@login_required
def staff_list(request):
    require_clinic_staff(request)
    staff = selectors.clinic_staff(request.user)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.staff_invite(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_validation_error(form, exc)
        else:
            messages.success(request, f"Invitation sent to {user.email}.")
            return redirect("accounts:staff_list")
    return render(request, "accounts/staff_list.html", {"staff": staff, "form": form})


@login_required
@require_POST
def staff_set_active(request, user_id: int):
    require_clinic_staff(request)
    active = request.POST.get("active") == "1"
    try:
        user = services.staff_set_active(actor=request.user, user_id=user_id, active=active)
        messages.success(request, f"{user.full_name} {'reactivated' if active else 'deactivated'}.")
    except ValidationError as exc:
        messages_from_validation_error(request, exc)
    except services.User.DoesNotExist:
        messages.error(request, "No such colleague in your clinic.")
    return redirect("accounts:staff_list")
