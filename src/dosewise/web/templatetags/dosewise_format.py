"""Formatting filters available in every template (registered as a builtin in settings)."""

from django import template

from dosewise.lib.units import ucum_display

register = template.Library()


@register.filter
def ucum(unit: str) -> str:
    """`{{ result.unit|ucum }}`: a UCUM unit as a lab report prints it."""
    return ucum_display(unit)
