"""Inbound texts and unsubscribes: the Twilio signature is checked (a forged or missing one gets
403 and changes nothing), STOP revokes at once with one confirmation and holds back what is
already queued, HELP explains, START resumes; one click on an e-mail's link unsubscribes."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from twilio.request_validator import RequestValidator

from dosewise.notifications import consent as ledger
from dosewise.notifications import services as outbox
from dosewise.notifications.models import ContactConsent, ContactConsentEvent, MessageStatus, OutboundMessage
from dosewise.outreach.services import keyword_of

pytestmark = pytest.mark.django_db
TOKEN = "twilio-auth-token-for-tests"
URL = "http://localhost:8000/webhooks/twilio/sms/"


@pytest.fixture
def twilio(settings, tmp_path, daytime):
    settings.TWILIO_AUTH_TOKEN = TOKEN
    settings.SMS_BACKEND, settings.SMS_FILE_PATH = "file", str(tmp_path)
    return tmp_path


def post_signed(client, params: dict, *, signature: str | None = None):
    if signature is None:
        signature = RequestValidator(TOKEN).compute_signature(URL, params)
    headers = {"HTTP_X_TWILIO_SIGNATURE": signature} if signature else {}
    return client.post(reverse("outreach:twilio_sms"), params, **headers)


def reminder(clinic, to="+13125550188") -> OutboundMessage:
    return OutboundMessage.objects.create(clinic=clinic, channel="sms", to=to, body="A check is due.",
                                          purpose="monitoring.lab_reminder")


@pytest.mark.parametrize("body", ["STOP", "stop", " Stop ", "STOPALL", "unsubscribe", "Cancel", "END", "quit",
                                  "REVOKE", "opt out", "OPT  OUT"])
def test_every_stop_word_alone_in_any_case_is_stop(body):
    assert keyword_of(body) == "STOP"


@pytest.mark.parametrize("body", ["please stop texting me after friday", "stop it?", "I want to quit smoking", ""])
def test_a_stop_word_inside_a_sentence_is_not_a_keyword(body):
    assert keyword_of(body) == ""


@pytest.mark.parametrize("signature", ["", "bm90IGEgc2lnbmF0dXJl"])
def test_a_forged_or_missing_signature_gets_403_and_changes_nothing(client, twilio, clinic_a, signature):
    response = post_signed(client, {"From": "+13125550188", "Body": "STOP"}, signature=signature)
    assert response.status_code == 403
    assert not ContactConsent.objects.exists() and not OutboundMessage.objects.exists()


def test_a_signature_for_other_words_is_refused(client, twilio, clinic_a):
    signature = RequestValidator(TOKEN).compute_signature(URL, {"From": "+13125550188", "Body": "HELP"})
    response = post_signed(client, {"From": "+13125550188", "Body": "STOP"}, signature=signature)
    assert response.status_code == 403 and not ContactConsent.objects.exists()


def test_stop_revokes_at_once_gets_one_confirmation_and_holds_back_a_queued_reminder(client, twilio, clinic_a):
    queued = reminder(clinic_a)
    response = post_signed(client, {"From": "+13125550188", "Body": "Stop", "MessageSid": "SM1"})
    assert response.status_code == 200 and response["Content-Type"] == "text/xml"
    [event] = ContactConsentEvent.objects.all()
    assert (event.action, event.source, event.consent.purpose, event.consent.clinic) == (
        "revoke", "sms_keyword", "all", None)
    replies = OutboundMessage.objects.filter(purpose=ledger.KEYWORD_REPLY_PURPOSE)
    assert replies.count() == 1
    assert outbox.outbox_deliver(replies.get().pk) == MessageStatus.SENT
    assert "you are unsubscribed" in replies.get().body and "START" in replies.get().body
    assert outbox.outbox_deliver(queued.pk) == MessageStatus.WITHHELD
    queued.refresh_from_db()
    assert "stopped all text messages" in queued.last_error
    assert [p.name for p in twilio.iterdir()] == [f"{replies.get().idempotency_key}.txt"]


def test_help_names_the_program_and_how_to_stop_and_changes_no_consent(client, twilio, clinic_a):
    assert post_signed(client, {"From": "+13125550188", "Body": "help"}).status_code == 200
    [reply] = OutboundMessage.objects.all()
    assert "Reply STOP to stop" in reply.body and "Msg & data rates may apply" in reply.body
    assert not ContactConsent.objects.exists()


def test_start_after_stop_lets_messages_through_again(client, twilio, clinic_a):
    post_signed(client, {"From": "+13125550188", "Body": "STOP"})
    assert outbox.outbox_deliver(reminder(clinic_a).pk) == MessageStatus.WITHHELD
    post_signed(client, {"From": "+13125550188", "Body": "START"})
    assert outbox.outbox_deliver(reminder(clinic_a).pk) == MessageStatus.SENT


def test_a_delivery_failure_reported_by_twilio_is_shown_on_the_message(client, twilio, clinic_a):
    message = reminder(clinic_a)
    OutboundMessage.objects.filter(pk=message.pk).update(status="sent", provider_reference="SM77")
    response = post_signed(client, {"MessageSid": "SM77", "MessageStatus": "undelivered", "ErrorCode": "30003"})
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == "undeliverable" and "Twilio error 30003" in message.last_error


def test_one_click_unsubscribe_needs_no_sign_in_and_holds_back_queued_mail(client, robin, clinic_a):
    queued = outbox.outbox_enqueue_email(to="robin@example.org", subject="Questionnaire", body="Please answer.",
                                         purpose="assessments.questionnaire", clinic=clinic_a,
                                         consent_purpose="questionnaires")
    token = ledger.unsubscribe_token(clinic_id=clinic_a.pk, channel="email", address="robin@example.org",
                                     purpose="questionnaires")
    url = reverse("outreach:unsubscribe", kwargs={"token": token})
    assert "Stop these e-mails?" in client.get(url).content.decode()
    assert ledger.consent_granted(clinic=clinic_a, channel="email", address="robin@example.org",
                                  purpose="questionnaires")  # a GET (a link scanner) changes nothing
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and response.content == b"Unsubscribed."
    assert outbox.outbox_deliver(queued.pk) == MessageStatus.WITHHELD and mail.outbox == []
    # Other purposes stay agreed; "everything" stops them too.
    assert ledger.consent_granted(clinic=clinic_a, channel="email", address="robin@example.org",
                                  purpose="care_messages")
    client.post(url, {"everything": "1"})
    assert not ledger.consent_granted(clinic=clinic_a, channel="email", address="robin@example.org",
                                      purpose="care_messages")
    [event] = ContactConsentEvent.objects.filter(consent__purpose="all")
    assert event.source == "unsubscribe_link"


def test_a_tampered_unsubscribe_link_is_refused(client, robin):
    response = client.post(reverse("outreach:unsubscribe", kwargs={"token": "abc"}), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 404 and not ContactConsentEvent.objects.filter(action="revoke").exists()
