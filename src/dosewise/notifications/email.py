"""Build the e-mail of an outbox row: a stable Message-ID, the one-click unsubscribe headers of
RFC 8058 on every message, and a DKIM signature when the installation has a key.

The Message-ID comes from the row's idempotency key, so a message sent again after a worker
crashed between sending and recording it carries the same Message-ID, and the receiving
side can tell it is the same message.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from dosewise.lib.site_url import site_link
from dosewise.notifications import consent
from dosewise.notifications.models import Channel, OutboundMessage


def message_domain() -> str:
    """Return the domain of the Message-ID: the sender's (DEFAULT_FROM_EMAIL)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"


# Stands for the token in a link reversed once: a signed token is made of URL-safe characters
# only (base64url and ":"), so putting it in place of the slot gives what reversing it would.
_TOKEN_SLOT = "0token0"


@dataclass(frozen=True)
class SharedParts:
    """What every e-mail of a worker's run has in common, worked out once (`shared_parts()`)."""

    domain: str
    unsubscribe_before: str
    unsubscribe_after: str


def shared_parts() -> SharedParts:
    """Return the Message-ID domain and the unsubscribe link around its token, as configured now."""
    before, _, after = site_link(reverse("outreach:unsubscribe", kwargs={"token": _TOKEN_SLOT})).rpartition(_TOKEN_SLOT)
    return SharedParts(domain=message_domain(), unsubscribe_before=before, unsubscribe_after=after)


def unsubscribe_link(message: OutboundMessage, shared: SharedParts | None = None) -> str:
    """Return the one-click unsubscribe address of the message (it works without signing in)."""
    token = consent.unsubscribe_token(clinic_id=message.clinic_id, channel=message.channel, address=message.to,
                                      purpose=message.consent_purpose)
    if shared is None:
        return site_link(reverse("outreach:unsubscribe", kwargs={"token": token}))
    return f"{shared.unsubscribe_before}{token}{shared.unsubscribe_after}"


class DkimEmail(EmailMultiAlternatives):
    """An e-mail that signs itself with DKIM when DKIM_PRIVATE_KEY is set (dkimpy)."""

    def message(self, *args, **kwargs):
        msg = super().message(*args, **kwargs)
        key = getattr(settings, "DKIM_PRIVATE_KEY", "")
        if not key:
            return msg
        import dkim

        signature = dkim.sign(
            msg.as_bytes(linesep="\r\n"), settings.DKIM_SELECTOR.encode(), settings.DKIM_DOMAIN.encode(),
            key.encode(), canonicalize=(b"relaxed", b"relaxed"),
            include_headers=[b"from", b"to", b"subject", b"date", b"message-id", b"list-unsubscribe",
                             b"list-unsubscribe-post"])
        name, _, value = signature.decode().partition(":")
        # Relaxed header canonicalisation unfolds the value, so re-folding on output keeps it valid.
        msg[name] = " ".join(value.split())
        return msg


def outbox_email(message: OutboundMessage, connection=None, shared: SharedParts | None = None) -> EmailMultiAlternatives:
    """Return the e-mail of an outbox row, ready to send (`shared`: what a worker worked out once)."""
    link = unsubscribe_link(message, shared)
    headers = {
        "Message-ID": f"<{message.idempotency_key}@{shared.domain if shared else message_domain()}>",
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    body = message.body
    if message.channel == Channel.EMAIL and message.consent_purpose:
        body = f"{body.rstrip()}\n\n--\nTo stop these e-mails, open {link}\n"
    email = DkimEmail(message.subject, body, to=[message.to], headers=headers, connection=connection)
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    if message.attachment_name:
        email.attach(message.attachment_name, bytes(message.attachment), message.attachment_type)
    return email
