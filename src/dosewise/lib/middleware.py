"""Request-wide behaviour the framework does not provide itself: security headers, the clinic clock."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone

# Everything comes from this server: no third-party origin, no inline script.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class ClinicTimezoneMiddleware:
    """Show times on the signed-in user's clinic clock.

    Times are stored in UTC; without this a 10:00 appointment in Chicago rendered as 16:00.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        clinic = getattr(getattr(request, "user", None), "clinic", None)
        name = getattr(clinic, "timezone", "") or ""
        try:
            zone = ZoneInfo(name) if name else None
        except (ZoneInfoNotFoundError, ValueError):
            zone = None
        if zone is None:
            timezone.deactivate()
            return self.get_response(request)
        with timezone.override(zone):
            return self.get_response(request)
