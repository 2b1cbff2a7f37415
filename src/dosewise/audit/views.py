"""The audit app's pages: the clinic's audit report with filters, and its CSV export (itself audited)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render

from dosewise.audit.forms import AuditFilterForm
from dosewise.audit.selectors import audit_events
from dosewise.audit.services import audit_record
from dosewise.clinics.clock import clinic_today
from dosewise.lib.access import require_clinic_staff
from dosewise.lib.csv_export import csv_response


@login_required
def audit_report(request):
    require_clinic_staff(request)
    form = AuditFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"patient_mrn": data["patient"], "user_email": data["user"], "action": data["action"],
                   "date_from": data["date_from"], "date_to": data["date_to"]}
    events = audit_events(request.user, **filters)
    if request.GET.get("format") == "csv":
        audit_record(action="audit.export", actor=request.user, detail={k: str(v) for k, v in filters.items() if v})
        return _audit_csv(events, clinic_today(request.user.clinic))
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    audit_record(action="audit.view", actor=request.user, detail={k: str(v) for k, v in filters.items() if v})
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/audit_report.html", {"form": form, "page": page, "query": query.urlencode(),
                                                       "zone": request.user.clinic.timezone})


def _link(event) -> tuple:
    """(seq, hash) of the event's seal, or blanks while the sealer has not reached it (seconds)."""
    seal = getattr(event, "seal", None)
    return (seal.seq, seal.hash) if seal is not None else ("", "")


def _audit_csv(events, today) -> StreamingHttpResponse:
    header = ["time_utc", "actor", "role", "action", "outcome", "patient_mrn", "object_type", "object_id", "ip",
              "user_agent", "detail", "chain", "seq", "hash"]
    rows = ([event.created_at.isoformat(), event.actor_email, event.actor_role, event.action, event.outcome,
             event.patient.mrn if event.patient else "", event.object_type, event.object_id, event.ip or "",
             event.user_agent, event.detail, event.chain, *_link(event)]
            for event in events.iterator(chunk_size=2000))
    return csv_response(filename=f"audit-{today.isoformat()}.csv", header=header, rows=rows)
