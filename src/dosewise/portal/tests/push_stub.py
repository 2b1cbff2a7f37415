"""A push service on loopback for the tests, strict as the real ones are about VAPID (RFC 8292).

It accepts a notification only when the `Authorization: vapid t=..., k=...` header carries
a JWT signed (ES256) by the key in `k`, whose audience is this service's origin, whose
expiry lies within 24 hours and which names a contact (`sub`); it then decrypts the
aes128gcm body (RFC 8291) with the subscribing browser's private key, as the browser would,
and keeps what it read. A subscription can be made to answer 410 (gone) or 500.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url_decode(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


@dataclass
class Browser:
    """A subscribing browser's key pair and auth secret, as the Push API would make them."""

    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64url(self.private_key.public_key().public_bytes(serialization.Encoding.X962,
                                                                 serialization.PublicFormat.UncompressedPoint))

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)


@dataclass
class Received:
    path: str
    vapid_key: str
    claims: dict
    payload: dict
    ttl: int


class VapidRefused(Exception):
    pass


def verify_vapid(header: str, origin: str) -> tuple[str, dict]:
    """Return (public key, claims) of a valid `vapid t=..., k=...` header, or raise VapidRefused."""
    if not header.startswith("vapid "):
        raise VapidRefused("no vapid authorization")
    parts = dict(item.strip().split("=", 1) for item in header[len("vapid "):].split(","))
    token, key = parts.get("t", ""), parts.get("k", "")
    try:
        head_b64, claims_b64, signature_b64 = token.split(".")
        head = json.loads(b64url_decode(head_b64))
        claims = json.loads(b64url_decode(claims_b64))
        signature = b64url_decode(signature_b64)
        public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(key))
    except (ValueError, TypeError) as exc:
        raise VapidRefused(f"malformed token: {exc}") from None
    if head.get("alg") != "ES256" or len(signature) != 64:
        raise VapidRefused("not an ES256 signature")
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    try:
        public_key.verify(der, f"{head_b64}.{claims_b64}".encode("ascii"), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise VapidRefused("bad signature") from None
    if claims.get("aud") != origin:
        raise VapidRefused(f"audience {claims.get('aud')!r} is not {origin!r}")
    now = time.time()
    if not now < float(claims.get("exp", 0)) <= now + 24 * 3600:
        raise VapidRefused("expiry missing or more than 24 hours away")
    if not str(claims.get("sub", "")).startswith(("mailto:", "https:")):
        raise VapidRefused("no contact in sub")
    return key, claims


class PushServiceStub:
    def __init__(self):
        self.browsers: dict[str, Browser] = {}
        self.answers: dict[str, int] = {}
        self.received: list[Received] = []
        self.refused: list[str] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = stub.handle(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> PushServiceStub:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def subscribe(self, name: str) -> tuple[str, Browser]:
        """Return a new endpoint on this service and the browser it belongs to."""
        browser = Browser()
        path = f"/push/{name}"
        self.browsers[path] = browser
        return self.origin + path, browser

    def handle(self, path: str, headers: dict, body: bytes) -> int:
        browser = self.browsers.get(path)
        if browser is None:
            return 404
        if path in self.answers:
            return self.answers[path]
        try:
            key, claims = verify_vapid(headers.get("authorization", ""), self.origin)
        except VapidRefused as exc:
            self.refused.append(str(exc))
            return 403
        if headers.get("content-encoding") != "aes128gcm" or "ttl" not in headers:
            self.refused.append("not aes128gcm or no TTL")
            return 400
        plain = http_ece.decrypt(body, private_key=browser.private_key, auth_secret=browser.auth_secret,
                                 version="aes128gcm")
        self.received.append(Received(path=path, vapid_key=key, claims=claims, payload=json.loads(plain),
                                      ttl=int(headers["ttl"])))
        return 201
