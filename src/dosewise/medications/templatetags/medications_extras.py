from django import template

register = template.Library()


@register.filter
def get_dose(doses, drug: str):
    """Return a calendar day's dose of one drug."""
    return doses.get(drug, 0)
