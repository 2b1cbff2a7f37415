"""Faxing a prescription: the fax number check, the gateway through the outbox, the schedule II
refusal, the record of every attempt, and nothing lost when the gateway fails."""

from __future__ import annotations

import io
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from dosewise.audit.models import AuditEvent
from dosewise.lib.identifiers import nanp_fax_validate
from dosewise.medications import services
from dosewise.medications.models import PrescriptionTransmission
from dosewise.notifications.models import MessageStatus, OutboundMessage
from dosewise.notifications.services import outbox_sweep

pytestmark = pytest.mark.django_db

GATEWAY = "{number}@fax.example.net"


@pytest.fixture
def gateway(settings):
    settings.DOSEWISE_FAX_EMAIL_GATEWAY = GATEWAY


@pytest.fixture
def registered(prescriber_a):
    prescriber_a.dea_number, prescriber_a.npi = "AA1234563", "1234567893"
    prescriber_a.save(update_fields=["dea_number", "npi"])
    return prescriber_a


def _start(prescriber, access, drug: str, dose: int, **extra):
    return services.medication_start(actor=prescriber, access=access, drug=drug, dose_mg_per_day=Decimal(dose),
                                     frequency="once daily", quantity=30, pdmp_attested=True, **extra)


def _url(name, med) -> str:
    return reverse(f"medications:{name}", kwargs={"patient_id": med.patient_id, "medication_id": med.pk})


@pytest.mark.parametrize(("typed", "digits"), [("312-555-0142", "3125550142"), ("(312) 555 0142", "3125550142"),
                                               ("+1 312 555 0142", "3125550142"), ("13125550142", "3125550142")])
def test_north_american_fax_numbers_are_read_in_their_usual_spellings(typed, digits):
    assert nanp_fax_validate(typed) == digits


@pytest.mark.parametrize(("typed", "message"), [("555-0142", "has 7"), ("312-555-01420", "has 11"),
                                                ("012-555-0142", "cannot start with 0 or 1"),
                                                ("312-155-0142", "cannot start with 0 or 1"),
                                                ("fax the pharmacy", "as digits")])
def test_a_bad_fax_number_is_refused_with_the_reason(typed, message):
    with pytest.raises(ValueError, match=message):
        nanp_fax_validate(typed)


def test_a_fax_goes_to_the_gateway_through_the_outbox_with_the_pdf(gateway, registered, dana_meds,
                                                                   django_capture_on_commit_callbacks):
    med = _start(registered, dana_meds, "lorazepam", 2)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.prescription_fax(actor=registered, access=dana_meds, medication_id=med.pk,
                                           fax_number="(312) 555-0142")
    assert result.status == "queued" and result.destination == "fax ***-***-0142"
    [sent] = mail.outbox
    assert sent.to == ["3125550142@fax.example.net"]
    assert dana_meds.patient.legal_family_name not in sent.subject + sent.body
    [(filename, content, mimetype)] = sent.attachments
    assert filename.startswith(f"prescription-{med.pk}-") and mimetype == "application/pdf"
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "lorazepam" in text and "schedule IV" in text and "DEA no.: AA1234563" in text
    attempt = PrescriptionTransmission.objects.get(medication=med)
    assert (attempt.channel, attempt.status, attempt.destination) == ("fax", "queued", "fax ***-***-0142")
    assert attempt.created_by_id == registered.pk and attempt.delivery_status == MessageStatus.SENT
    event = AuditEvent.objects.get(action="prescription.transmit")
    assert event.outcome == "success" and event.detail["destination"] == "fax ***-***-0142"
    assert "3125550142" not in str(event.detail)


def test_schedule_three_to_five_may_be_faxed_and_schedule_two_may_not(gateway, registered, dana_meds):
    for drug, dose in (("buprenorphine", 8), ("lorazepam", 2), ("pregabalin", 150)):
        med = _start(registered, dana_meds, drug, dose, override_reason_code="monitoring_in_place",
                     override_reason="supervised combination with naloxone and a sedation plan")
        assert services.prescription_fax(actor=registered, access=dana_meds, medication_id=med.pk,
                                         fax_number="3125550142").status == "queued", drug
    stimulant = _start(registered, dana_meds, "methylphenidate", 20)
    result = services.prescription_fax(actor=registered, access=dana_meds, medication_id=stimulant.pk,
                                       fax_number="3125550142")
    assert result.status == "refused" and "21 CFR 1306.11(a)" in result.detail and "signed paper" in result.detail
    refused = PrescriptionTransmission.objects.get(medication=stimulant)
    assert refused.status == "refused" and refused.outbound_message is None
    assert OutboundMessage.objects.filter(purpose="prescription.fax").count() == 3
    assert AuditEvent.objects.filter(action="prescription.transmit", outcome="failure").count() == 1


def test_the_prescription_page_offers_no_fax_for_schedule_two(gateway, as_user, registered, dana_meds):
    stimulant = _start(registered, dana_meds, "methylphenidate", 20)
    body = as_user(registered).get(_url("prescription", stimulant)).content.decode()
    assert "schedule II controlled substance" in body and _url("prescription_fax", stimulant) not in body


def test_without_a_gateway_the_fax_option_says_it_is_not_configured(settings, as_user, registered, dana_meds):
    settings.DOSEWISE_FAX_EMAIL_GATEWAY = ""
    med = _start(registered, dana_meds, "sertraline", 50)
    client = as_user(registered)
    page = client.get(_url("prescription", med)).content.decode()
    assert "Faxing is not configured" in page and "DOSEWISE_FAX_EMAIL_GATEWAY" in page
    assert _url("prescription_fax", med) not in page
    response = client.post(_url("prescription_fax", med), {"fax_number": "312-555-0142"}, follow=True)
    assert "Faxing is not configured" in response.content.decode()
    assert PrescriptionTransmission.objects.get(medication=med).status == "refused"
    assert not OutboundMessage.objects.exists()


def test_a_bad_fax_number_keeps_what_was_typed_and_records_nothing(gateway, as_user, registered, dana_meds):
    med = _start(registered, dana_meds, "sertraline", 50)
    response = as_user(registered).post(_url("prescription_fax", med), {"fax_number": "555-0142"})
    body = response.content.decode()
    assert response.status_code == 400 and "has 7" in body and 'value="555-0142"' in body
    assert not PrescriptionTransmission.objects.exists() and not OutboundMessage.objects.exists()
    with pytest.raises(ValidationError) as exc:
        services.prescription_fax(actor=registered, access=dana_meds, medication_id=med.pk, fax_number="")
    assert "fax_number" in exc.value.error_dict


def test_a_gateway_failure_is_shown_kept_and_retried(gateway, as_user, registered, dana_meds,
                                                     django_capture_on_commit_callbacks):
    med = _start(registered, dana_meds, "lorazepam", 2)
    client = as_user(registered)
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("gateway unreachable")):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(_url("prescription_fax", med), {"fax_number": "312-555-0142"})
    assert response.status_code == 302 and response["Location"] == _url("prescription", med)
    message = OutboundMessage.objects.get(purpose="prescription.fax")
    assert message.status == MessageStatus.FAILED and message.attachment_name.endswith(".pdf")
    page = client.get(_url("prescription", med)).content.decode()
    # The reason in plain words (the exception text stays in the log).
    assert "Failed" in page and "could not be reached" in page and "***-***-0142" in page
    assert "gateway unreachable" not in page
    assert "3125550142" not in page
    # Tried again once its back-off has passed.
    OutboundMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    assert outbox_sweep() == 1
    [sent] = mail.outbox
    assert sent.attachments[0][1] == bytes(message.attachment)
    assert PrescriptionTransmission.objects.get(medication=med).delivery_status == MessageStatus.SENT


def test_the_prescription_page_lists_every_attempt_with_a_constant_number_of_queries(
        gateway, as_user, registered, dana_meds, django_assert_max_num_queries):
    med = _start(registered, dana_meds, "lorazepam", 2)
    client = as_user(registered)
    url = _url("prescription", med)
    for number in ("3125550142", "3125550143", "3125550144"):
        services.prescription_fax(actor=registered, access=dana_meds, medication_id=med.pk, fax_number=number)
    services.prescription_transmit(actor=registered, access=dana_meds, medication_id=med.pk)
    client.get(url)
    with django_assert_max_num_queries(14) as captured:
        body = client.get(url).content.decode()
    queries = len(captured)
    assert body.count("***-***-014") == 3 and ">Printed<" in body
    services.prescription_fax(actor=registered, access=dana_meds, medication_id=med.pk, fax_number="3125550145")
    with django_assert_max_num_queries(queries):
        client.get(url)
