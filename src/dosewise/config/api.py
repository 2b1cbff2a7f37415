"""The one JSON API (OpenAPI at /api/docs): each app's router, mounted under /api/.

An app adds endpoints in its own `api.py` and gets one line here, as it gets one line in
`config/urls.py` for its pages.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.security import django_auth

api = NinjaAPI(title="Dosewise API", version="1", auth=django_auth, urls_namespace="api")
api.add_router("/", "dosewise.patients.api.router")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": "forbidden"}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "not found"}, status=404)
