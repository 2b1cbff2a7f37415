import base64
import hashlib
import hmac
import struct
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dosewise.demo import DEMO_USERS, demo_totp_secret


def totp_now(secret: str, *, at: float | None = None) -> str:
    """Return the RFC 6238 code for a base32 secret.

    Written out here rather than imported because allauth's TOTP helpers are internal and
    changed between 65.x releases, which broke this command on a fresh install.
    """
    period = getattr(settings, "MFA_TOTP_PERIOD", 30)
    digits = getattr(settings, "MFA_TOTP_DIGITS", 6)
    counter = int((time.time() if at is None else at) // period)
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account (demo clinic only)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        if email not in {row[0] for row in DEMO_USERS}:
            raise CommandError(f"{email} is not a demo account")
        self.stdout.write(totp_now(demo_totp_secret(email)))
