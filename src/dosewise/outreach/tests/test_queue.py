"""The front-desk queue: statuses with notes, consent recorded on the phone in the person's
words, conversion into a patient with a requested intake, and undelivered messages shown."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dosewise.audit.models import AuditEvent
from dosewise.notifications.models import ContactConsentEvent, MessageStatus, OutboundMessage
from dosewise.outreach import services
from dosewise.outreach.models import ConsultationRequest, IntakeRequest

pytestmark = pytest.mark.django_db


def test_the_queue_lists_new_requests_oldest_first_with_counts(as_user, front_desk_a, robin, clinic_a):
    later = services.consultation_request_submit(
        clinic=clinic_a, data={"given_name": "Sam", "family_name": "Stone", "phone": "312 555 0101", "email": "",
                               "preferred_channel": "phone", "reason": "Anxiety", "preferred_times": ""},
        sms_consent=False, email_consent=False, ip=None, user_agent="")
    page = as_user(front_desk_a).get(reverse("outreach:queue")).content.decode()
    assert page.index("Robin Reyes") < page.index("Sam Stone")
    assert "New (2)" in page and "Booked (0)" in page
    services.request_status_set(actor=front_desk_a, request=later, status="contacted", note="left a voicemail")
    page = as_user(front_desk_a).get(reverse("outreach:queue") + "?status=contacted").content.decode()
    assert "Sam Stone" in page and "Robin Reyes" not in page and "Contacted (1)" in page
    assert AuditEvent.objects.filter(action="outreach.queue_view", actor_id=front_desk_a.pk).count() == 2


def test_declining_needs_a_reason_and_the_history_keeps_every_step(as_user, front_desk_a, robin):
    client = as_user(front_desk_a)
    url = reverse("outreach:request_status", kwargs={"request_id": robin.pk})
    response = client.post(url, {"status": "declined", "note": ""})
    assert response.status_code == 400 and "Say why the request is declined" in response.content.decode()
    assert ConsultationRequest.objects.get(pk=robin.pk).status == "new"
    assert client.post(url, {"status": "contacted", "note": "called, no answer"}).status_code == 302
    assert client.post(url, {"status": "declined", "note": "already has a psychiatrist"}).status_code == 302
    page = client.get(reverse("outreach:request_detail", kwargs={"request_id": robin.pk})).content.decode()
    assert "called, no answer" in page and "already has a psychiatrist" in page and "Fran Fox" in page


def test_consent_given_on_the_phone_is_recorded_with_the_persons_words(as_user, front_desk_a, robin):
    client = as_user(front_desk_a)
    url = reverse("outreach:request_consent", kwargs={"request_id": robin.pk})
    response = client.post(url, {"channel": "sms", "agreed": "yes", "words": ""})
    assert response.status_code == 400 and "Write down what the person said" in response.content.decode()
    assert client.post(url, {"channel": "sms", "agreed": "yes", "words": "Yes, text me reminders"}).status_code == 302
    events = ContactConsentEvent.objects.filter(consent__channel="sms")
    assert events.count() == 3
    assert {(e.source, e.words, e.recorded_by_id, e.consent.address) for e in events} == {
        ("staff_phone", "Yes, text me reminders", front_desk_a.pk, "+13125550188")}
    page = client.get(reverse("outreach:request_detail", kwargs={"request_id": robin.pk})).content.decode()
    assert "Yes, text me reminders" in page and "wording v1" in page and "203.0.113.7" in page


def test_a_request_becomes_a_patient_with_a_requested_intake(as_user, front_desk_a, robin):
    client = as_user(front_desk_a)
    url = reverse("outreach:request_convert", kwargs={"request_id": robin.pk})
    response = client.post(url, {"legal_given_name": "Robin", "legal_family_name": "Reyes", "date_of_birth": "",
                                 "sex_at_birth": "female"})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert not IntakeRequest.objects.exists()
    response = client.post(url, {"legal_given_name": "Robin", "legal_family_name": "Reyes",
                                 "date_of_birth": "1990-02-03", "sex_at_birth": "female"})
    assert response.status_code == 302
    intake = IntakeRequest.objects.select_related("patient").get()
    patient = intake.patient
    assert (patient.email, patient.phone, patient.date_of_birth) == ("robin@example.org", "312 555 0188",
                                                                     date(1990, 2, 3))
    assert (intake.status, intake.preferred_times, intake.created_by) == ("requested", "weekday mornings", front_desk_a)
    robin.refresh_from_db()
    assert (robin.status, robin.patient) == ("booked", patient)
    with pytest.raises(ValidationError, match="already a patient record"):
        services.request_convert(actor=front_desk_a, request=robin, demographics={})


def test_undelivered_and_withheld_messages_are_shown_on_the_queue(as_user, front_desk_a, robin, clinic_a):
    OutboundMessage.objects.create(clinic=clinic_a, channel="sms", to="+13125550188", body="x", purpose="t",
                                   status=MessageStatus.WITHHELD, last_error="The person has stopped all text messages")
    page = as_user(front_desk_a).get(reverse("outreach:queue")).content.decode()
    assert "Not sent (no consent)" in page and "The person has stopped all text messages" in page


def test_the_patients_overview_lists_messages_with_why_one_was_not_sent(as_user, prescriber_a, dana, clinic_a):
    OutboundMessage.objects.create(clinic=clinic_a, channel="email", to="Dana@example.org", body="x", purpose="t",
                                   status=MessageStatus.WITHHELD, last_error="No consent on record for questionnaires")
    OutboundMessage.objects.create(clinic=clinic_a, channel="email", to="someone.else@example.org", body="x",
                                   purpose="t", status=MessageStatus.UNDELIVERABLE, last_error="not Dana's")
    page = as_user(prescriber_a).get(reverse("web:patient_chart", kwargs={"patient_id": dana.pk})).content.decode()
    assert "Outgoing messages" in page and "No consent on record for questionnaires" in page
    assert "not Dana&#x27;s" not in page and "not Dana's" not in page


def test_today_tells_the_front_desk_of_new_requests_and_undelivered_messages(as_user, front_desk_a, prescriber_a,
                                                                             robin, clinic_a):
    OutboundMessage.objects.create(clinic=clinic_a, channel="sms", to="+13125550188", body="x", purpose="t",
                                   status=MessageStatus.UNDELIVERABLE, last_error="wrong number")
    page = as_user(front_desk_a).get(reverse("web:home")).content.decode()
    assert "1 new request</a> waiting for a call" in page and "1 message not delivered</a>" in page
    assert "Consultation requests" not in as_user(prescriber_a).get(reverse("web:home")).content.decode()


def test_converting_someone_who_is_already_a_patient_shows_the_match_first(as_user, front_desk_a, robin):
    from tests.conftest import demographics

    from dosewise.patients.models import Patient
    from dosewise.patients.services import patient_register

    existing = patient_register(actor=front_desk_a, data=demographics(
        legal_given_name="Robyn", legal_family_name="Reyes", email="robin@example.org"))
    client = as_user(front_desk_a)
    url = reverse("outreach:request_convert", kwargs={"request_id": robin.pk})
    typed = {"legal_given_name": "Robin", "legal_family_name": "Reyes", "date_of_birth": "1990-02-03",
             "sex_at_birth": "female"}
    response = client.post(url, typed)
    page = response.content.decode()
    assert response.status_code == 409
    assert "This may be a patient already registered" in page and existing.mrn in page
    assert 'value="1990-02-03"' in page  # what was typed stays
    assert Patient.objects.count() == 1 and not IntakeRequest.objects.exists()
    assert client.post(url, {**typed, "not_a_duplicate": "1"}).status_code == 302
    assert Patient.objects.count() == 2
