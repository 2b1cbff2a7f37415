"""Build the e-mail of an outbox row: a stable Message-ID, the one-click unsubscribe headers of
RFC 8058 on every message, and a DKIM signature when the installation has a key.

The Message-ID comes from the row's idempotency key, so a message sent again after a worker
crashed between sending and recording it carries the same Message-ID, and the receiving
side can tell it is the same message.
"""

from __future__ import annotations

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


def unsubscribe_link(message: OutboundMessage) -> str:
    """Return the one-click unsubscribe address of the message (it works without signing in)."""
    token = consent.unsubscribe_token(clinic_id=message.clinic_id, channel=message.channel, address=message.to,
                                      purpose=message.consent_purpose)
    return site_link(reverse("outreach:unsubscribe", kwargs={"token": token}))


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


def outbox_email(message: OutboundMessage, connection=None) -> EmailMultiAlternatives:
    """Return the e-mail of an outbox row, ready to send."""
    link = unsubscribe_link(message)
    headers = {
        "Message-ID": f"<{message.idempotency_key}@{message_domain()}>",
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
