"""Text messages: written to files in development, refused clearly when not configured,
posted to the provider when it is, and kept in the outbox for a retry when sending fails."""

from __future__ import annotations

import io
import json
import urllib.error
from unittest import mock

import pytest

from dosewise.notifications import services, sms
from dosewise.notifications.models import Channel, MessageStatus, OutboundMessage

pytestmark = pytest.mark.django_db


def _queue(to="+1 (555) 010-0158", body="Riverside Psychiatry: a routine health check is due."):
    return OutboundMessage.objects.create(channel=Channel.SMS, to=to, body=body, purpose="test.sms")


@pytest.mark.parametrize(("raw", "number"), [("+1 (555) 010-0158", "+15550100158"), ("555.010.0158", "+15550100158"),
                                             ("+44 20 7946 0958", "+442079460958")])
def test_numbers_are_put_in_international_form(raw, number):
    assert sms.e164(raw) == number


@pytest.mark.parametrize("raw", ["", "call me", "12345", "+0 555 0100"])
def test_a_number_that_cannot_be_dialled_is_refused_with_the_reason(raw):
    with pytest.raises(sms.SmsError, match="not a phone number"):
        sms.e164(raw)


def test_in_development_a_text_message_is_written_to_a_file(settings, tmp_path):
    settings.SMS_BACKEND, settings.SMS_FILE_PATH = "file", str(tmp_path)
    message = _queue()
    assert services.outbox_deliver(message.pk) == MessageStatus.SENT
    [written] = tmp_path.iterdir()
    assert written.read_text() == "To: +15550100158\n\nRiverside Psychiatry: a routine health check is due.\n"


def test_without_a_provider_the_message_fails_visibly_and_stays_for_a_retry(settings):
    settings.SMS_BACKEND = "none"
    message = _queue()
    assert services.outbox_deliver(message.pk) == MessageStatus.FAILED
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and "SMS is not configured" in message.last_error
    settings.SMS_BACKEND = "file"
    assert services.outbox_sweep() == 1


def test_twilio_gets_the_number_the_sender_and_the_body(settings):
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM = "AC123", "secret", "+15550009999"
    reply = mock.MagicMock()
    reply.__enter__.return_value = io.BytesIO(json.dumps({"sid": "SM42"}).encode())
    with mock.patch("urllib.request.urlopen", return_value=reply) as urlopen:
        assert sms.sms_send("555-010-0158", "hello") == "SM42"
    request = urlopen.call_args.args[0]
    assert request.full_url == "https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json"
    assert request.data == b"To=%2B15550100158&From=%2B15550009999&Body=hello"
    assert request.headers["Authorization"].startswith("Basic ")


def test_a_refusal_from_twilio_is_kept_on_the_message(settings):
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM = "AC123", "secret", "+15550009999"
    refusal = urllib.error.HTTPError("https://api.twilio.com", 400, "Bad Request", {},
                                     io.BytesIO(b'{"message": "The To number is unsubscribed"}'))
    message = _queue()
    with mock.patch("urllib.request.urlopen", side_effect=refusal):
        assert services.outbox_deliver(message.pk) == MessageStatus.FAILED
    message.refresh_from_db()
    assert "Twilio refused the message (400)" in message.last_error and "unsubscribed" in message.last_error


def test_an_overlong_text_is_refused_before_it_costs_anything(settings):
    settings.SMS_BACKEND = "file"
    with pytest.raises(sms.SmsError, match="limit is 480"):
        sms.sms_send("+15550100158", "x" * 481)
