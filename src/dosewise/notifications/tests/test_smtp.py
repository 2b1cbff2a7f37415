"""E-mail through Django's SMTP backend to a real SMTP server on loopback (aiosmtpd): delivered
with its headers, retried while the server is down and then delivered exactly once, and signed
with DKIM when a key is configured."""

from __future__ import annotations

import dkim
import pytest
import time_machine
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.utils import timezone

from dosewise.notifications import services
from dosewise.notifications.models import MessageStatus, OutboundMessage
from dosewise.notifications.smtp_sink import SmtpSink, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 5
    settings.DEFAULT_FROM_EMAIL = "Northside Psychiatry <no-reply@northside.example>"
    sink = SmtpSink(settings.EMAIL_PORT)
    yield sink
    sink.stop()


def enqueue(**fields) -> OutboundMessage:
    data = {"to": "robin@example.org", "subject": "We have your request", "body": "Thank you.",
            "purpose": "test.confirmation"}
    data.update(fields)
    return services.outbox_enqueue_email(**data)


def test_an_e_mail_reaches_a_real_smtp_server_with_its_unsubscribe_headers(smtp):
    smtp.start()
    message = enqueue()
    assert services.outbox_deliver(message.pk) == MessageStatus.SENT
    [received] = smtp.parsed()
    assert received["To"] == "robin@example.org" and received["Subject"] == "We have your request"
    assert received["Message-ID"] == f"<{message.idempotency_key}@northside.example>"
    assert received["List-Unsubscribe"].strip().startswith("<http://localhost:8000/unsubscribe/")
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "DKIM-Signature" not in received


def test_while_the_server_is_down_the_message_is_retried_then_delivered_once(smtp):
    message = enqueue()
    assert services.outbox_deliver(message.pk) == MessageStatus.FAILED
    message.refresh_from_db()
    assert message.last_error == "The mail server could not be reached; the message is tried again."
    with time_machine.travel(timezone.now() + services.backoff(1), tick=True):
        assert services.outbox_sweep() == 0  # still down: a second failure, a longer wait
        message.refresh_from_db()
        assert (message.status, message.attempts) == (MessageStatus.FAILED, 2)
    smtp.start()
    with time_machine.travel(timezone.now() + services.backoff(1) + services.backoff(2), tick=True):
        assert services.outbox_sweep() == 1
        assert services.outbox_sweep() == 0
    assert len(smtp.messages) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (MessageStatus.SENT, 3, "")


def test_with_a_dkim_key_every_e_mail_is_signed_and_verifies(smtp, settings):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                    serialization.NoEncryption()).decode()
    public_der = key.public_key().public_bytes(serialization.Encoding.DER,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
    settings.DKIM_PRIVATE_KEY, settings.DKIM_SELECTOR, settings.DKIM_DOMAIN = private_pem, "mail", "northside.example"
    smtp.start()
    assert services.outbox_deliver(enqueue(html_body="<p>Thank you.</p>").pk) == MessageStatus.SENT
    [(_, raw)] = smtp.messages
    assert b"DKIM-Signature:" in raw

    import base64

    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public_der)

    def dns(name, timeout=5):
        assert name == b"mail._domainkey.northside.example."
        return record

    assert dkim.verify(raw, dnsfunc=dns)
    assert not dkim.verify(raw.replace(b"Thank you.", b"Thank you!"), dnsfunc=dns)
