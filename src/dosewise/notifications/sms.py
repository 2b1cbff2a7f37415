"""Text-message senders for the outbox.

Chosen by `SMS_BACKEND`, like e-mail: `file` (the default outside production) writes each
message to `var/outbox-sms/` so a demo or a test run shows what a patient would receive
without sending anything; `twilio` posts to Twilio's Messages API; `none` (the default in
production) refuses, so a clinic that has not chosen a provider sees "SMS is not
configured" on the message instead of a silent loss. A failed send stays in the outbox
and is retried.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# E.164 after removing spaces, dashes, dots and brackets: "+1 (555) 010-0158" -> "+15550100158".
_E164 = re.compile(r"^\+[1-9]\d{7,14}$")
SMS_MAX_CHARS = 480  # three concatenated segments: reminders are short by design


class SmsError(Exception):
    """The message could not be handed to the provider; the outbox keeps it for a retry."""


def e164(number: str) -> str:
    """Return the number in E.164 form, or raise SmsError saying what is wrong with it."""
    digits = re.sub(r"[\s().-]", "", number or "")
    if digits and not digits.startswith("+") and len(digits) == 10:
        digits = f"+{settings.SMS_DEFAULT_COUNTRY_CODE}{digits}"
    if not _E164.match(digits):
        raise SmsError(f"{number!r} is not a phone number in international form (e.g. +1 555 010 0158)")
    return digits


def sms_send(to: str, body: str) -> str:
    """Send one text message with the configured backend; return the provider's reference."""
    if len(body) > SMS_MAX_CHARS:
        raise SmsError(f"the message is {len(body)} characters; the limit is {SMS_MAX_CHARS}")
    number = e164(to)
    backend = settings.SMS_BACKEND
    if backend == "file":
        return _send_to_file(number, body)
    if backend == "twilio":
        return _send_with_twilio(number, body)
    if backend == "none":
        raise SmsError("SMS is not configured: set SMS_BACKEND (see docs/deployment.md)")
    raise ImproperlyConfigured(f"SMS_BACKEND={backend!r} is not one of file, twilio, none")


def _send_to_file(number: str, body: str) -> str:
    folder = Path(settings.SMS_FILE_PATH)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    path = folder / f"{stamp}.txt"
    path.write_text(f"To: {number}\n\n{body}\n", encoding="utf-8")
    return path.name


def _send_with_twilio(number: str, body: str) -> str:
    sid, token, sender = settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM
    if not (sid and token and sender):
        raise SmsError("Twilio needs TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM")
    request = urllib.request.Request(
        f"https://api.twilio.com/2010-04-01/Accounts/{urllib.parse.quote(sid)}/Messages.json",
        data=urllib.parse.urlencode({"To": number, "From": sender, "Body": body}).encode(),
        headers={"Authorization": "Basic " + base64.b64encode(f"{sid}:{token}".encode()).decode()},
        method="POST")
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 (fixed https URL)
            return json.load(response).get("sid", "")
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode("utf-8", "replace")
        raise SmsError(f"Twilio refused the message ({exc.code}): {detail}") from exc
    except (urllib.error.URLError, TimeoutError, ValueError) as exc:
        raise SmsError("Twilio could not be reached (network error); the message is tried again") from exc
