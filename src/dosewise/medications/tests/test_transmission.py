"""Prescription transmission: the interface, the print adapter and its page, the setting that
chooses the adapter, and the audit of every transmission."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dosewise.audit.models import AuditEvent
from dosewise.medications import services
from dosewise.medications.models import Medication
from dosewise.medications.transmission import (
    PrescriptionTransmitter,
    PrintTransmitter,
    TransmissionResult,
    prescription_transmitter,
    quantity_in_words,
)

pytestmark = pytest.mark.django_db


class RefusingTransmitter(PrescriptionTransmitter):
    channel = "network"

    def send(self, prescription: Medication) -> TransmissionResult:
        return TransmissionResult(channel=self.channel, status="failed", detail="The pharmacy network refused it.")


@pytest.mark.parametrize(("number", "words"), [
    (0, "zero"), (7, "seven"), (15, "fifteen"), (30, "thirty"), (42, "forty-two"), (100, "one hundred"),
    (120, "one hundred twenty"), (1005, "one thousand five"), (9999, "nine thousand nine hundred ninety-nine"),
])
def test_quantities_are_written_in_words(number, words):
    assert quantity_in_words(number) == words


def test_a_quantity_out_of_range_is_refused():
    with pytest.raises(ValueError, match="between 0 and 9999"):
        quantity_in_words(10000)


ALICE_DEA, ALICE_NPI = "AA1234563", "1234567893"


def _controlled(prescriber_a, dana_meds, *, dea: str = ALICE_DEA):
    prescriber_a.dea_number, prescriber_a.npi = dea, ALICE_NPI
    prescriber_a.save(update_fields=["dea_number", "npi"])
    return services.medication_start(actor=prescriber_a, access=dana_meds, drug="lorazepam",
                                     dose_mg_per_day=Decimal(2), strength_mg=Decimal(1), frequency="twice daily",
                                     quantity=60, refills=1, days_supply=30, instructions="One tablet twice a day",
                                     pdmp_attested=True)


def test_printing_is_the_default_and_a_setting_chooses_another_adapter(settings):
    assert isinstance(prescription_transmitter(), PrintTransmitter)
    settings.DOSEWISE_PRESCRIPTION_TRANSMITTER = f"{__name__}.RefusingTransmitter"
    assert isinstance(prescription_transmitter(), RefusingTransmitter)


def test_the_printed_prescription_has_everything_a_pharmacist_needs(prescriber_a, dana_meds):
    page = PrintTransmitter().send(_controlled(prescriber_a, dana_meds)).document
    assert "Alice Adams" in page and "lorazepam" in page and "1 mg" in page and "2 mg per day, twice daily" in page
    assert "60 (sixty)" in page and "1 (one)" in page and "schedule IV" in page and "30" in page
    assert "One tablet twice a day" in page and f"DEA no.: <span class=\"mono\">{ALICE_DEA}" in page
    assert f"NPI: <span class=\"mono\">{ALICE_NPI}" in page and "Signature" in page and "MD" in page
    assert dana_meds.patient.legal_name in page and dana_meds.patient.date_of_birth.isoformat() in page
    assert "@media print" not in page and "app.css" in page


def test_a_transmission_is_audited_with_its_outcome(prescriber_a, dana_meds, settings):
    med = _controlled(prescriber_a, dana_meds)
    assert services.prescription_transmit(actor=prescriber_a, access=dana_meds,
                                          medication_id=med.pk).status == "ready_to_print"
    settings.DOSEWISE_PRESCRIPTION_TRANSMITTER = f"{__name__}.RefusingTransmitter"
    services.prescription_transmit(actor=prescriber_a, access=dana_meds, medication_id=med.pk)
    events = list(AuditEvent.objects.filter(action="prescription.transmit").order_by("pk"))
    assert [(e.outcome, e.detail["channel"]) for e in events] == [("success", "print"), ("failure", "network")]


def test_outside_and_stopped_medicines_have_no_prescription_to_send(prescriber_a, dana_meds):
    otc = services.medication_start(actor=prescriber_a, access=dana_meds, drug="melatonin", source="otc")
    with pytest.raises(ValidationError, match="was not prescribed here"):
        services.prescription_transmit(actor=prescriber_a, access=dana_meds, medication_id=otc.pk)
    med = _controlled(prescriber_a, dana_meds)
    services.medication_hold(actor=prescriber_a, access=dana_meds, medication_id=med.pk, expected_version=1,
                             note="surgery on Monday")
    with pytest.raises(ValidationError, match="is on hold; resume it"):
        services.prescription_transmit(actor=prescriber_a, access=dana_meds, medication_id=med.pk)


def test_the_chart_offers_the_prescription_and_the_page_prints_it(as_user, prescriber_a, dana, dana_meds,
                                                                  settings):
    med = _controlled(prescriber_a, dana_meds)
    client = as_user(prescriber_a)
    url = reverse("medications:prescription", kwargs={"patient_id": dana.pk, "medication_id": med.pk})
    tab = client.get(reverse("web:patient_chart_tab", kwargs={"patient_id": dana.pk, "tab": "medications"}))
    assert f'action="{url}"' in tab.content.decode()
    posted = client.post(url).content.decode()
    assert "60 (sixty)" in posted and "download the PDF" in posted and ">Printed<" in posted
    assert "60 (sixty)" in client.get(url).content.decode()
    assert AuditEvent.objects.filter(action="prescription.view", patient=dana).exists()
    settings.DOSEWISE_PRESCRIPTION_TRANSMITTER = f"{__name__}.RefusingTransmitter"
    response = client.post(url, follow=True)
    assert "The pharmacy network refused it." in response.content.decode()


def test_the_handout_is_linked_from_the_chart_printable_audited_and_graded(as_user, prescriber_a, dana, dana_meds):
    med = _controlled(prescriber_a, dana_meds)
    client = as_user(prescriber_a)
    url = reverse("medications:handout", kwargs={"patient_id": dana.pk, "medication_id": med.pk})
    tab = client.get(reverse("web:patient_chart_tab", kwargs={"patient_id": dana.pk, "tab": "medications"}))
    assert f'href="{url}"' in tab.content.decode()
    body = client.get(url).content.decode()
    assert "About your medicine: lorazepam" in body and "Your instructions: 2 mg/day twice daily" in body
    assert "Reading level: grade" in body and "within the target of grade 8 or below" in body
    assert "FDA label Ativan" in body and "Do not drink alcohol" in body
    assert AuditEvent.objects.filter(action="medication.handout", patient=dana).exists()


def test_a_medicine_outside_the_formulary_has_no_handout(as_user, prescriber_a, dana, dana_meds):
    med = services.medication_start(actor=prescriber_a, access=dana_meds, drug="ashwagandha", source="supplement")
    url = reverse("medications:handout", kwargs={"patient_id": dana.pk, "medication_id": med.pk})
    response = as_user(prescriber_a).get(url)
    assert response.status_code == 404 and "no handout" in response.content.decode()
