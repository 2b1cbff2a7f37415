"""Who is acting, from where: set per request by the middleware, read by audit_record.

Services take the acting user explicitly; the address and user agent come from here so
that every service need not pass the request along.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    ip: str | None = None
    user_agent: str = ""


# RequestOrigin is a frozen dataclass, so the shared default cannot be changed in place.
_origin: ContextVar[RequestOrigin] = ContextVar("dosewise_request_origin", default=RequestOrigin())  # noqa: B039


def origin_get() -> RequestOrigin:
    """Return the origin of the request being handled (empty outside a request)."""
    return _origin.get()


def origin_set(origin: RequestOrigin):
    """Set the origin for the current context and return the token to reset it."""
    return _origin.set(origin)


def origin_reset(token) -> None:
    _origin.reset(token)
