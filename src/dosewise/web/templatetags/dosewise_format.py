"""Formatting filters and the form-field tag available in every template (registered as a builtin in settings)."""

import datetime
from functools import lru_cache

from django import template
from django.template.defaultfilters import date as django_date
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from dosewise.lib.forms import RenderedOnceWhenEmpty
from dosewise.lib.units import ucum_display

register = template.Library()

FIELD_TEMPLATE = "web/_field.html"
# Empty add-forms as rendered, by form, initial values, language and whether required fields
# are marked; bounded so that a form keyed by a date (the context form's today) cannot grow it.
_EMPTY_FORMS: dict[tuple, str] = {}
_EMPTY_FORMS_MAX = 512


@register.simple_tag(takes_context=True)
def form_fields(context, form):
    """Render each field of `form` with web/_field.html (label, control, help, errors).

    An empty form of a `RenderedOnceWhenEmpty` class is rendered once per process and key; a bound
    form, or any other, is rendered every time."""
    if form.is_bound or not isinstance(form, RenderedOnceWhenEmpty):
        return _fields_html(context, form)
    initial = tuple(sorted((name, str(value)) for name, value in form.initial.items()))
    key = (type(form), form.prefix, initial, form.render_key(), get_language(), bool(context.get("mark_required")))
    html = _EMPTY_FORMS.get(key)
    if html is None:
        if len(_EMPTY_FORMS) >= _EMPTY_FORMS_MAX:
            _EMPTY_FORMS.clear()
        html = _EMPTY_FORMS[key] = _fields_html(context, form)
    return html


def _fields_html(context, form) -> str:
    field_template = context.template.engine.get_template(FIELD_TEMPLATE)
    parts = []
    for field in form:
        with context.push(field=field):
            parts.append(field_template.render(context))
    return mark_safe("".join(parts))


@register.filter
def ucum(unit: str) -> str:
    """`{{ result.unit|ucum }}`: a UCUM unit as a lab report prints it."""
    return ucum_display(unit)


# Format characters whose output does not depend on the language, with the field they print.
_NUMERIC = {"Y": "{0.year:04d}", "m": "{0.month:02d}", "d": "{0.day:02d}", "H": "{0.hour:02d}",
            "i": "{0.minute:02d}", "s": "{0.second:02d}"}
_TIME_PARTS = frozenset("His")
_SEPARATORS = frozenset("-:/. ,")


@lru_cache(maxsize=64)
def _numeric_format(arg: str) -> tuple[str, bool] | None:
    """Return (str.format pattern, needs a time) for a format of numeric parts only, else None."""
    pieces = []
    for char in arg:
        if char in _NUMERIC:
            pieces.append(_NUMERIC[char])
        elif char in _SEPARATORS:
            pieces.append(char)
        else:
            return None
    return "".join(pieces), bool(_TIME_PARTS & set(arg))


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's `date` filter, with the numeric formats the pages use ("Y-m-d", "Y-m-d H:i") built
    without the localisation machinery.

    Django's filter looks the format up through the active language and builds a formatter object
    on every call: about 65 µs a date and 100 µs a datetime, several milliseconds of a chart tab
    with a table of results (bench/RESULTS.md). Those formats print the same in every language, so
    they are filled in directly (the same zero-padded figures as Django's Y, m, d, H, i and s);
    every other format, and every value that is not a date, goes to Django's own filter.
    """
    if isinstance(arg, str) and isinstance(value, datetime.date):
        numeric = _numeric_format(arg)
        if numeric is not None and (not numeric[1] or isinstance(value, datetime.datetime)):
            return numeric[0].format(value)
    return django_date(value, arg)
