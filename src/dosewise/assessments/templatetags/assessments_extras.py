from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """Return mapping[key], or an empty list when the key is absent (for per-row lookups)."""
    return mapping.get(key, [])
