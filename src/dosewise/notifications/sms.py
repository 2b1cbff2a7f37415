"""Text-message senders for the outbox.

Chosen by `SMS_BACKEND`, like e-mail: `file` (the default outside production) writes each
message to `var/outbox-sms/` so a demo or a test run shows what a patient would receive
without sending anything; `twilio` sends with Twilio's official client; `none` (the default in
production) refuses, so a clinic that has not chosen a provider sees "SMS is not
configured" on the message instead of a silent loss. A failed send stays in the outbox
and is retried.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# E.164 after removing spaces, dashes, dots and brackets: "+1 (555) 010-0158" -> "+15550100158".
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")
SMS_MAX_CHARS = 480  # three concatenated segments: reminders are short by design


class SmsError(Exception):
    """The message could not be handed to the provider; the outbox keeps it for a retry."""


class PermanentSmsError(SmsError):
    """The message can never be sent as it is (a wrong number, too long): not tried again."""


def e164(number: str) -> str:
    """Return the number in E.164 form, or raise SmsError saying what is wrong with it."""
    digits = re.sub(r"[\s().-]", "", number or "")
    if digits and not digits.startswith("+") and len(digits) == 10:
        digits = f"+{settings.SMS_DEFAULT_COUNTRY_CODE}{digits}"
    if not _E164.match(digits):
        raise PermanentSmsError(f"{number!r} is not a phone number in international form (e.g. +1 555 010 0158)")
    return digits


def sms_send(to: str, body: str, *, idempotency_key: str = "", status_callback: bool = False) -> str:
    """Send one text message with the configured backend; return the provider's reference.

    `status_callback` asks the provider to report delivery to /webhooks/twilio/sms/.
    """
    if len(body) > SMS_MAX_CHARS:
        raise PermanentSmsError(f"the message is {len(body)} characters; the limit is {SMS_MAX_CHARS}")
    number = e164(to)
    backend = settings.SMS_BACKEND
    if backend == "file":
        return _send_to_file(number, body, idempotency_key)
    if backend == "twilio":
        return _send_with_twilio(number, body, status_callback)
    if backend == "none":
        raise SmsError("SMS is not configured: set SMS_BACKEND (see docs/deployment.md)")
    raise ImproperlyConfigured(f"SMS_BACKEND={backend!r} is not one of file, twilio, none")


def _send_to_file(number: str, body: str, idempotency_key: str = "") -> str:
    folder = Path(settings.SMS_FILE_PATH)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    # The same message sent again after a crash overwrites its own file instead of adding one.
    path = folder / (f"{idempotency_key}.txt" if idempotency_key else f"{stamp}.txt")
    path.write_text(f"To: {number}\n\n{body}\n", encoding="utf-8")
    return path.name


# Twilio error codes that no retry can fix: invalid or unreachable "To" numbers, a recipient who
# texted STOP to the sender, and a body over the limit (Twilio's error dictionary).
TWILIO_PERMANENT_CODES = frozenset({21211, 21610, 21614, 21617, 21408})


def twilio_client():
    """Return the official Twilio client for the configured account."""
    from twilio.rest import Client

    return Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN)


def _send_with_twilio(number: str, body: str, status_callback: bool = False) -> str:
    from twilio.base.exceptions import TwilioException, TwilioRestException

    sid, token, sender = settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM
    if not (sid and token and sender):
        raise SmsError("Twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM")
    options = {"to": number, "from_": sender, "body": body}
    if status_callback:
        from django.urls import reverse

        from dosewise.lib.site_url import site_link

        options["status_callback"] = site_link(reverse("outreach:twilio_sms"))
    try:
        return twilio_client().messages.create(**options).sid or ""
    except TwilioRestException as exc:
        if exc.code in TWILIO_PERMANENT_CODES:
            raise PermanentSmsError(f"Twilio refused the message (error {exc.code}): {exc.msg}"[:300]) from exc
        raise SmsError(f"Twilio refused the message ({exc.status}, error {exc.code}); it is tried again") from exc
    except (TwilioException, OSError) as exc:
        raise SmsError("Twilio could not be reached (network error); the message is tried again") from exc
