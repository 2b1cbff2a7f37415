"""Sends a person who speaks for several patients to the page where they choose whose record to open."""

from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from dosewise.portal.selectors import ChooseRecord


class PortalRecordChoiceMiddleware:
    """A portal page asked for the record in use before one was chosen (a parent of two children,
    a patient who also helps a relative): ask, then come back to the page (a GET) or to Today."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ChooseRecord):
            return None
        target = reverse("portal:choose")
        if request.method in ("GET", "HEAD") and request.path.startswith("/portal/"):
            target += "?" + urlencode({"next": request.get_full_path()})
        return redirect(target)
