"""Text messages: written to files in development, refused clearly when not configured,
posted to the provider when it is, and kept in the outbox for a retry when sending fails."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from twilio.http.response import Response

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


def test_in_development_a_text_message_is_written_to_a_file(settings, tmp_path, daytime):
    settings.SMS_BACKEND, settings.SMS_FILE_PATH = "file", str(tmp_path)
    message = _queue()
    assert services.outbox_deliver(message.pk) == MessageStatus.SENT
    [written] = tmp_path.iterdir()
    assert written.name == f"{message.idempotency_key}.txt"
    assert written.read_text() == "To: +15550100158\n\nRiverside Psychiatry: a routine health check is due.\n"


def test_without_a_provider_the_message_fails_visibly_and_stays_for_a_retry(settings, daytime):
    settings.SMS_BACKEND = "none"
    message = _queue()
    assert services.outbox_deliver(message.pk) == MessageStatus.FAILED
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and "SMS is not configured" in message.last_error
    settings.SMS_BACKEND = "file"
    assert services.outbox_sweep() == 0  # not before its back-off
    daytime.shift(services.backoff(1))
    assert services.outbox_sweep() == 1


def _twilio(settings):
    settings.SMS_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM = "AC123", "secret", "+15550009999"


def test_twilio_gets_the_number_the_sender_the_body_and_the_status_callback(settings):
    _twilio(settings)
    answer = Response(201, json.dumps({"sid": "SM42", "status": "queued"}))
    with mock.patch("twilio.http.http_client.TwilioHttpClient.request", return_value=answer) as request:
        assert sms.sms_send("555-010-0158", "hello", status_callback=True) == "SM42"
    method, url = request.call_args.args[:2]
    sent = request.call_args.kwargs["data"]
    assert (method, url) == ("POST", "https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json")
    assert (sent["To"], sent["From"], sent["Body"]) == ("+15550100158", "+15550009999", "hello")
    assert sent["StatusCallback"] == "http://localhost:8000/webhooks/twilio/sms/"
    assert request.call_args.kwargs["auth"] == ("AC123", "secret")


def test_a_temporary_refusal_from_twilio_is_kept_for_a_retry(settings, daytime):
    _twilio(settings)
    message = _queue()
    with mock.patch("twilio.http.http_client.TwilioHttpClient.request",
                    return_value=Response(503, json.dumps({"code": 20503, "message": "Service unavailable"}))):
        assert services.outbox_deliver(message.pk) == MessageStatus.FAILED
    message.refresh_from_db()
    assert "Twilio refused the message (503, error 20503); it is tried again" == message.last_error
    assert message.next_attempt_at is not None


def test_an_unsubscribed_number_at_twilio_is_undeliverable_at_once(settings, daytime):
    _twilio(settings)
    message = _queue()
    refusal = Response(400, json.dumps({"code": 21610, "message": "Attempt to send to unsubscribed recipient"}))
    with mock.patch("twilio.http.http_client.TwilioHttpClient.request", return_value=refusal):
        assert services.outbox_deliver(message.pk) == MessageStatus.UNDELIVERABLE
    message.refresh_from_db()
    assert "error 21610" in message.last_error and "unsubscribed recipient" in message.last_error
    assert services.outbox_sweep() == 0


def test_an_overlong_text_is_refused_before_it_costs_anything(settings):
    settings.SMS_BACKEND = "file"
    with pytest.raises(sms.SmsError, match="limit is 480"):
        sms.sms_send("+15550100158", "x" * 481)
