"""Sends a request for a merged duplicate's chart to the record it was merged into."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from dosewise.patients.selectors import PatientMerged


class MergedRecordMiddleware:
    """Bookmarks and links to a merged duplicate keep working: a read goes to the same page of
    the record kept; a write is not replayed there (it was meant for the other record) but the
    user is told where the chart is now, and nothing was saved."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PatientMerged):
            return None
        merged = exception.patient
        target = reverse("web:patient_chart", args=[merged.merged_into_id])
        match = request.resolver_match
        if request.method in ("GET", "HEAD") and match is not None and "patient_id" in match.kwargs:
            try:
                target = reverse(match.view_name, kwargs={**match.kwargs, "patient_id": merged.merged_into_id})
            except NoReverseMatch:
                pass
            messages.info(request, f"Record {merged.mrn} was merged into this one; it is shown instead.")
        else:
            messages.warning(request, f"Record {merged.mrn} was merged into this one: nothing was saved. "
                                      "Do it again here if it is still needed.")
        return redirect(target)
