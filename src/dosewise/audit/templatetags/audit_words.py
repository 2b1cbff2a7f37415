"""Template filters of the audit pages."""

from django import template

from dosewise.audit.wording import audit_detail_sentence

register = template.Library()
register.filter("audit_detail", audit_detail_sentence)
