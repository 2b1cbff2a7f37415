"""Permission-checked reads of outreach: the front-desk queue and one request with its ledger."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.utils import timezone

from dosewise.audit.services import audit_record
from dosewise.clinics.roles import Capability, role_can
from dosewise.notifications import consent as ledger
from dosewise.notifications.models import MessageStatus, OutboundMessage
from dosewise.outreach.models import ConsultationRequest, RequestStatus

PAGE_SIZE = 100


def require_queue_access(user) -> None:
    """Refuse (403) staff whose role does not handle consultation requests."""
    if not user.is_clinic_staff or not role_can(user.role, Capability.PATIENT_REGISTER):
        raise PermissionDenied("Consultation requests are handled by the front desk, nurses and prescribers.")


def request_queue(user, status: str) -> tuple[list[ConsultationRequest], dict[str, int]]:
    """Return the clinic's requests in `status` (oldest new first) and the count per status."""
    require_queue_access(user)
    rows = ConsultationRequest.objects.filter(clinic_id=user.clinic_id)
    counts = dict(rows.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    order = ("created_at", "pk") if status == RequestStatus.NEW else ("-updated_at", "-pk")
    items = list(rows.filter(status=status).order_by(*order)[:PAGE_SIZE])
    audit_record(action="outreach.queue_view", actor=user, detail={"status": status, "rows": len(items)})
    return items, {s: counts.get(s, 0) for s in RequestStatus.values}


def access_request(user, request_id: int) -> ConsultationRequest:
    """Return one request of the user's clinic (404 for any other), audited as a read."""
    require_queue_access(user)
    request = ConsultationRequest.objects.filter(pk=request_id, clinic_id=user.clinic_id).select_related(
        "clinic", "patient").first()
    if request is None:
        raise Http404("No such request")
    audit_record(action="outreach.request_view", actor=user, obj=request)
    return request


def request_ledger(request: ConsultationRequest):
    """Return the consent ledger events of the request's phone number and e-mail address."""
    return ledger.consent_history(clinic=request.clinic, addresses=[request.phone, request.email])


def message_problems(user, *, days: int = 7, limit: int = 50) -> list[OutboundMessage]:
    """Return the clinic's messages of the last `days` that failed or were withheld, newest first."""
    require_queue_access(user)
    since = timezone.now() - timedelta(days=days)
    return list(OutboundMessage.objects.filter(
        clinic_id=user.clinic_id, created_at__gte=since,
        status__in=[MessageStatus.FAILED, MessageStatus.UNDELIVERABLE, MessageStatus.WITHHELD])
        .defer("body", "html_body", "attachment").order_by("-created_at")[:limit])


def messages_to(request: ConsultationRequest, limit: int = 50) -> list[OutboundMessage]:
    """Return the messages the clinic queued to the request's phone or e-mail, newest first."""
    addresses = [ledger.address_key(c, a) for c, a in (("sms", request.phone), ("email", request.email)) if a]
    return list(OutboundMessage.objects.filter(clinic_id=request.clinic_id, address__in=addresses)
                .defer("body", "html_body", "attachment").order_by("-created_at")[:limit])


def patient_messages(access, limit: int = 10) -> list[OutboundMessage]:
    """Return the latest messages the clinic queued to the patient's phone or e-mail (one query)."""
    patient = access.patient
    addresses = [ledger.address_key(c, a) for c, a in (("sms", patient.phone), ("email", patient.email)) if a]
    if not addresses:
        return []
    return list(OutboundMessage.objects.filter(clinic_id=patient.clinic_id, address__in=addresses)
                .only("created_at", "sent_at", "channel", "status", "last_error", "subject", "purpose")
                .order_by("-created_at")[:limit])


FRONT_DESK_ROLES = ("front_desk", "clinic_admin")


def front_desk_summary(user) -> dict | None:
    """Return the counts the front desk sees on Today (new requests, messages not delivered this
    week), or None for other roles (two queries)."""
    if not user.is_clinic_staff or user.role not in FRONT_DESK_ROLES:
        return None
    new = ConsultationRequest.objects.filter(clinic_id=user.clinic_id, status=RequestStatus.NEW).count()
    since = timezone.now() - timedelta(days=7)
    problems = OutboundMessage.objects.filter(
        clinic_id=user.clinic_id, created_at__gte=since,
        status__in=[MessageStatus.FAILED, MessageStatus.UNDELIVERABLE, MessageStatus.WITHHELD]).count()
    return {"new_requests": new, "message_problems": problems}
