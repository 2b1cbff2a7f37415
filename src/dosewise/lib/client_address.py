"""The client's network address, as far as it can be trusted.

Behind a reverse proxy every request arrives from the proxy's address; the client's own
address is in X-Forwarded-For, which the client can also write to. Each proxy appends
the address it received the request from, so with TRUSTED_PROXY_COUNT proxies of our own
in front of the app the client's address is the entry that many places from the right:
everything left of it was written by the client and is ignored. Without a configured
proxy the header is ignored altogether (anyone could send it).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def address_clean(raw: str) -> str | None:
    """Return `raw` as a normalised IP address (port and IPv6 brackets removed), or None."""
    text = (raw or "").strip()
    if text.startswith("[") and "]" in text:
        text = text[1:text.index("]")]
    elif text.count(":") == 1:
        # IPv4 with a port ("203.0.113.7:4711"); a bare IPv6 address has several colons.
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """Return the client's address: behind TRUSTED_PROXY_COUNT proxies, the X-Forwarded-For entry
    the outermost of them added; otherwise (or when that entry is missing) REMOTE_ADDR."""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count > 0:
        entries = [entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
        if len(entries) >= count:
            found = address_clean(entries[-count])
            if found:
                return found
        # Fewer entries than proxies: the request did not come through all of them, so no entry
        # can be told apart from one the client wrote. The connection's own address is the truth.
    return address_clean(request.META.get("REMOTE_ADDR", ""))
