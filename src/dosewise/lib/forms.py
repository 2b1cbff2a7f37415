"""Form helpers shared by the apps: a date widget, and a service's ValidationError shown where the
person will read it (on the form or as messages)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError


class DateInput(forms.DateInput):
    """A native date picker (the browser's own, accessible on phones)."""

    input_type = "date"


def form_add_validation_error(form, exc: ValidationError) -> None:
    """Put a service's errors on the form: on their field when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def messages_from_validation_error(request, exc: ValidationError) -> None:
    """Show each message of a service's ValidationError as an error message."""
    for message in exc.messages:
        messages.error(request, message)


def messages_from_form_errors(request, form) -> None:
    """Show each error of an invalid form as a message, prefixed by its field's label."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
