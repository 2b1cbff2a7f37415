"""Account pages of Dosewise's own (allauth serves sign-in and MFA): a prescriber's DEA number and NPI."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from dosewise.accounts import selectors, services
from dosewise.accounts.forms import PrescriberNumbersForm
from dosewise.accounts.models import User
from dosewise.lib.forms import form_add_validation_error


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
