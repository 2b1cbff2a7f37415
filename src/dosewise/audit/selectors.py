"""Reads of the audit trail: clinic admins, their own clinic only."""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from dosewise.audit.models import AuditEvent
from dosewise.clinics.roles import Capability


def audit_events(actor, *, patient_mrn: str = "", user_email: str = "", action: str = "",
                 date_from: date | None = None, date_to: date | None = None) -> QuerySet[AuditEvent]:
    """Return the clinic's audit events matching the filters, newest first."""
    if not actor.can(Capability.AUDIT_VIEW):
        raise PermissionDenied
    events = AuditEvent.objects.filter(clinic_id=actor.clinic_id).select_related("patient", "actor", "seal")
    if patient_mrn:
        # A merged duplicate's events stay on its own row (the seals cover them): they are found
        # under the record it was merged into as well.
        mrn = patient_mrn.strip()
        events = events.filter(Q(patient__mrn__iexact=mrn) | Q(patient__merged_into__mrn__iexact=mrn))
    if user_email:
        events = events.filter(actor_email__iexact=user_email.strip())
    if action:
        events = events.filter(action__startswith=action.strip())
    tz = timezone.get_current_timezone()
    if date_from:
        events = events.filter(created_at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        events = events.filter(created_at__lte=datetime.combine(date_to, time.max, tzinfo=tz))
    return events.order_by("-created_at", "-id")
