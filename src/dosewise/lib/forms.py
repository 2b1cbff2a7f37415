"""Form helpers shared by the apps: a date widget, a choice of rows read in one plain query, empty
add-forms rendered once, and a service's ValidationError shown where the person will read it (on
the form or as messages)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator


class DateInput(forms.DateInput):
    """A native date picker (the browser's own, accessible on phones)."""

    input_type = "date"


class ListedModelChoiceIterator(ModelChoiceIterator):
    """Django's choice iterator reads the rows with `QuerySet.iterator()`, which on PostgreSQL opens
    a server-side cursor (DECLARE, FETCH, CLOSE: three round trips) for a list of a few dozen
    colleagues. This one reads them with one plain query, once per form."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:  # evaluated once: the form's own copy keeps the rows
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A choice of a clinic's rows (colleagues, prescribers): short lists read in one query."""

    iterator = ListedModelChoiceIterator


class RenderedOnceWhenEmpty:
    """An add-form whose empty rendering depends only on its class, its initial values and
    `render_key()`: the `form_fields` template tag keeps that HTML per process and language
    instead of running Django's widget templates on every page view (the chart's Overview shows
    four such forms, 11-12 ms of its 56 ms). A bound form (one with errors) is always rendered.

    A form whose fields change with arguments other than its initial values says so in
    `render_key()` (the care-team form: the colleagues it offers)."""

    def render_key(self) -> tuple:
        return ()


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
