"""The public consultation form: exact disclosures, consent in the ledger, one confirmation on
an agreed channel, and abuse refused with nothing kept but a counter."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from dosewise.notifications.models import ContactConsent, ContactConsentEvent, OutboundMessage
from dosewise.outreach.models import ConsultationRequest, RejectedRequestCount
from dosewise.outreach.services import CONTACT_LIMIT_PER_DAY, IP_LIMIT_PER_HOUR

pytestmark = pytest.mark.django_db


def test_the_form_needs_no_sign_in_and_shows_each_disclosure_beside_an_unticked_box(client, clinic_a):
    page = client.get(reverse("outreach:consultation_request")).content.decode()
    assert "Request a free consultation" in page
    for words in ("Northside Psychiatry patient messages", "Msg &amp; data rates may apply", "Reply STOP to stop",
                  "not a condition of care", "a month", "unsubscribe"):
        assert words in page
    boxes = re.findall(r'<input type="checkbox"[^>]*>', page)
    assert len(boxes) == 2 and all("checked" not in box for box in boxes)
    assert 'name="sms_consent"' in boxes[0] and 'name="email_consent"' in boxes[1]
    assert 'aria-hidden="true"' in page and 'name="website"' in page


def test_a_request_is_stored_with_its_consent_and_one_confirmation_by_e_mail(submit, clinic_a):
    response = submit()
    assert response.status_code == 302 and response["Location"] == reverse("outreach:consultation_request_sent")
    request = ConsultationRequest.objects.get()
    assert (request.name, request.status, request.clinic) == ("Robin Reyes", "new", clinic_a)
    events = list(ContactConsentEvent.objects.select_related("consent", "disclosure"))
    assert {e.consent.purpose for e in events} == {"appointment_reminders", "questionnaires", "care_messages"}
    for event in events:
        assert (event.consent.channel, event.consent.address, event.action) == ("email", "robin@example.org", "grant")
        assert (event.source, event.ip, event.disclosure.version) == ("public_form", "203.0.113.7", 1)
        assert "Android" in event.user_agent
    assert not ContactConsent.objects.filter(channel="sms").exists()  # the SMS box was not ticked
    [confirmation] = mail.outbox
    assert confirmation.to == ["robin@example.org"] and "we have your request" in confirmation.subject
    assert "weekday mornings" in confirmation.body and "988" in confirmation.body


def test_without_any_consent_no_message_is_sent_at_all(submit):
    assert submit(email_consent=None, preferred_channel="phone").status_code == 302
    assert ConsultationRequest.objects.count() == 1
    assert not OutboundMessage.objects.exists() and mail.outbox == [] and not ContactConsent.objects.exists()


def test_with_sms_consent_only_the_confirmation_is_a_text(submit):
    submit(email_consent=None, sms_consent="on", preferred_channel="sms")
    [message] = OutboundMessage.objects.all()
    assert (message.channel, message.to, message.recipient_state) == ("sms", "312 555 0188", "IL")
    assert "Reply STOP to stop" in message.body and mail.outbox == []
    assert ContactConsent.objects.filter(channel="sms", address="+13125550188", granted=True).count() == 3


@pytest.mark.parametrize(("overrides", "field", "words"), [
    ({"phone": "", "email": ""}, "phone", "Give a phone number or an e-mail address"),
    ({"phone": "call me"}, "phone", "Enter a phone number such as"),
    ({"preferred_channel": "sms"}, "sms_consent", "To be contacted by text message, tick this box"),
    ({"email": "", "preferred_channel": "phone"}, "email_consent", "E-mails need an e-mail address above"),
    ({"reason": "x" * 1001}, "reason", "at most 1000 characters"),
])
def test_bad_input_is_explained_beside_its_field_and_nothing_typed_is_lost(submit, overrides, field, words):
    response = submit(**overrides)
    assert response.status_code == 400
    page = response.content.decode()
    assert words in page and f'id="id_{field}_error"' in page
    assert 'value="Robin"' in page and overrides.get("reason", "Trouble sleeping")[:40] in page
    assert not ConsultationRequest.objects.exists() and not ContactConsent.objects.exists()


def test_a_filled_honeypot_looks_accepted_but_only_a_counter_is_kept(submit, clinic_a):
    response = submit(website="http://spam.example")
    assert response.status_code == 302
    assert not ConsultationRequest.objects.exists() and not ContactConsentEvent.objects.exists()
    assert mail.outbox == []
    assert RejectedRequestCount.objects.get(clinic=clinic_a, reason="honeypot").count == 1


def test_requests_beyond_the_limit_per_address_are_refused_and_counted(submit, clinic_a):
    for n in range(IP_LIMIT_PER_HOUR):
        assert submit(email=f"person{n}@example.org", phone=f"312 555 01{n:02d}").status_code == 302
    response = submit(email="another@example.org", phone="312 555 0199")
    assert response.status_code == 429
    assert "Too many requests have come from this network" in response.content.decode()
    assert 'value="another@example.org"' in response.content.decode()
    assert ConsultationRequest.objects.count() == IP_LIMIT_PER_HOUR
    assert RejectedRequestCount.objects.get(clinic=clinic_a, reason="rate_ip").count == 1
    assert submit(ip="198.51.100.9", email="another@example.org", phone="312 555 0199").status_code == 302


def test_the_same_contact_details_from_many_addresses_are_limited_too(submit, clinic_a):
    for n in range(CONTACT_LIMIT_PER_DAY):
        assert submit(ip=f"198.51.100.{n + 1}").status_code == 302
    response = submit(ip="198.51.100.200")
    assert response.status_code == 429 and "several requests with these contact details" in response.content.decode()
    assert RejectedRequestCount.objects.get(clinic=clinic_a, reason="rate_contact").count == 1


def test_an_oversized_request_is_refused_before_it_is_read(client, clinic_a):
    response = client.post(reverse("outreach:consultation_request"), {"reason": "x" * 20_000})
    assert response.status_code == 413
    assert not ConsultationRequest.objects.exists()
    assert RejectedRequestCount.objects.get(clinic=clinic_a, reason="too_large").count == 1


def test_a_clinic_can_be_named_in_the_address(client, clinic_a, clinic_b):
    page = client.get(reverse("outreach:consultation_request_clinic", kwargs={"slug": "southside"})).content.decode()
    assert "Southside Behavioral Health patient messages" in page
    assert client.get(reverse("outreach:consultation_request_clinic", kwargs={"slug": "nowhere"})).status_code == 404
