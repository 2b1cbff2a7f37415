"""Formatting filters available in every template (registered as a builtin in settings)."""

import datetime
from functools import lru_cache

from django import template
from django.template.defaultfilters import date as django_date

from dosewise.lib.units import ucum_display

register = template.Library()


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
