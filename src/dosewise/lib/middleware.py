"""Security headers the framework does not set itself."""

from __future__ import annotations

from django.conf import settings

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



# Pages and answers that carry health information, or keys to it, even for a visitor who is not
# signed in: the JSON API, the patient portal, questionnaire links and the account pages
# (password-setting keys).
NO_STORE_PREFIXES = ("/api/", "/portal/", "/q/", "/accounts/")


class NoStoreMiddleware:
    """Send `Cache-Control: no-store` with every response to a signed-in user and every response
    under NO_STORE_PREFIXES, so that no shared cache, proxy or browser history keeps health
    information. Static assets (served before this middleware by WhiteNoise) stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request):
        response = self.get_response(request)
        path = request.path
        if path.startswith(self.static_prefix):
            return response
        user = getattr(request, "user", None)
        if path.startswith(NO_STORE_PREFIXES) or (user is not None and user.is_authenticated):
            response["Cache-Control"] = "no-store"
        return response
