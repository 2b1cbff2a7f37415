"""Web push for the portal: the server's VAPID key pair and the delivery of one notification.

The key pair identifies this server to the browsers' push services (RFC 8292). In
production it comes from WEB_PUSH_VAPID_PRIVATE_KEY (a PEM, or `_FILE`); without it push
is not offered. Elsewhere one key is generated beside the data on first use, as the secret
key is. Payloads are encrypted for the subscribing browser (RFC 8291, aes128gcm) by
pywebpush; what they say is fixed per kind and never names a medicine or a condition.
"""

from __future__ import annotations

import base64
import functools
import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from django.conf import settings
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

# Push services answer these when the subscription is gone for good: stop using it.
GONE_STATUSES = frozenset({404, 410})
TTL_SECONDS = 12 * 3600


class PushNotConfigured(Exception):
    """No VAPID key: push notifications are not offered on this server."""


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


@functools.cache
def vapid() -> Vapid:
    """Return the server's VAPID key (generated beside the data outside production)."""
    pem = settings.WEB_PUSH_VAPID_PRIVATE_KEY
    if pem:
        return Vapid.from_pem(pem.encode("ascii"))
    if settings.PRODUCTION:
        raise PushNotConfigured("WEB_PUSH_VAPID_PRIVATE_KEY is not set")
    path = settings.DATA_DIR / "vapid_private.pem"
    if not path.exists():
        key = Vapid()
        key.generate_keys()
        path.write_bytes(key.private_pem())
        path.chmod(0o600)
    return Vapid.from_file(str(path))


def push_available() -> bool:
    try:
        vapid()
    except PushNotConfigured:
        return False
    return True


def application_server_key() -> str:
    """Return the public key as the browser's `pushManager.subscribe` wants it (base64url, X9.62 point)."""
    raw = vapid().public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return _b64url(raw)


@dataclass(frozen=True)
class PushResult:
    ok: bool
    gone: bool = False
    error: str = ""


def push_send(*, endpoint: str, p256dh: str, auth: str, title: str, body: str, url: str) -> PushResult:
    """Encrypt and deliver one notification to one browser's push service."""
    parts = urlsplit(endpoint)
    # A fresh claims dict each time: pywebpush fills in `aud` for the endpoint it is given.
    claims = {"sub": settings.WEB_PUSH_CONTACT, "aud": f"{parts.scheme}://{parts.netloc}"}
    payload = json.dumps({"title": title, "body": body, "url": url}, separators=(",", ":"))
    try:
        webpush(subscription_info={"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}},
                data=payload, vapid_private_key=vapid(), vapid_claims=claims, ttl=TTL_SECONDS,
                timeout=settings.WEB_PUSH_TIMEOUT_SECONDS)
    except WebPushException as exc:
        status = getattr(exc.response, "status_code", None)
        return PushResult(ok=False, gone=status in GONE_STATUSES, error=f"push service answered {status}"[:300])
    except OSError as exc:  # connection refused, DNS, timeouts (requests' errors are OSErrors)
        return PushResult(ok=False, error=f"push service unreachable: {type(exc).__name__}"[:300])
    return PushResult(ok=True)
