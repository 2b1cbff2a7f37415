from __future__ import annotations

from dosewise.audit.context import RequestOrigin, origin_reset, origin_set
from dosewise.lib.client_address import client_ip


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = origin_set(RequestOrigin(ip=client_ip(request),
                                         user_agent=request.META.get("HTTP_USER_AGENT", "")[:300]))
        try:
            return self.get_response(request)
        finally:
            origin_reset(token)
