"""A prescription a pharmacy accepts (21 CFR 1306.05): the patient's and the prescriber's details,
drug, strength, dosage form, directions in tablets, quantity in words and figures, refills, date and
signature; as-needed orders with their dose, daily maximum and indication; the missing DEA number
told while prescribing, not at print time; statuses in words."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from dosewise.medications import services
from dosewise.medications.directions import directions, times_per_day
from dosewise.medications.models import Medication

pytestmark = pytest.mark.django_db


def _pdf_text(response) -> str:
    assert response.status_code == 200, response.content[:300]
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


@pytest.fixture
def registered(prescriber_a, dana):
    prescriber_a.dea_number, prescriber_a.npi = "AA1234563", "1234567893"
    prescriber_a.save(update_fields=["dea_number", "npi"])
    clinic = dana.clinic
    clinic.address, clinic.phone = "100 Lake Street, Springfield, IL 62701", "(217) 555-0142"
    clinic.save(update_fields=["address", "phone"])
    dana.address = "12 Elm Road, Springfield, IL 62704"
    dana.save(update_fields=["address"])
    return prescriber_a


@pytest.mark.parametrize(("dose", "strength", "frequency", "form", "expected"), [
    (100, 50, "once daily", "tablet", "take 2 x 50 mg tablets once daily"),
    (1200, 300, "twice daily", "capsule", "take 2 x 300 mg capsules twice daily"),
    (25, 50, "at bedtime", "tablet", "take half a 50 mg tablet at bedtime"),
    (30, 20, "once daily", "oral-solution", "take 30 mg once daily"),
    (75, 50, "once daily", "tablet", "take 1.5 x 50 mg tablets once daily"),
    (40, 15, "once daily", "tablet", "take 40 mg once daily"),
])
def test_directions_count_tablets_when_the_strength_divides_the_dose(dose, strength, frequency, form, expected):
    medication = Medication(dose_mg_per_day=Decimal(dose), strength_mg=Decimal(strength), frequency=frequency,
                            dose_form=form)
    assert directions(medication) == expected


def test_times_a_day_are_read_from_the_frequency_in_words():
    assert [times_per_day(f) for f in ("once daily", "twice daily", "three times daily", "every 6 hours", "BID",
                                       "as directed")] == [1, 2, 3, 4, 2, None]


def test_the_controlled_prescription_pdf_has_everything_a_pharmacy_needs(registered, dana, dana_meds, as_user):
    med = services.medication_start(actor=registered, access=dana_meds, drug="lorazepam", dose_mg_per_day=Decimal(2),
                                    strength_mg=Decimal(1), frequency="twice daily", quantity=60, refills=1,
                                    days_supply=30, pdmp_attested=True, indication="panic disorder")
    response = as_user(registered).get(reverse("medications:prescription_pdf", args=[dana.pk, med.pk]))
    text = " ".join(_pdf_text(response).split())
    for expected in (dana.legal_name, "1985-04-12", "12 Elm Road, Springfield, IL 62704",
                     "Alice Adams, MD", "100 Lake Street, Springfield, IL 62701", "(217) 555-0142",
                     "DEA no.: AA1234563", "NPI: 1234567893", "lorazepam 1 mg tablet",
                     "Take 1 x 1 mg tablet twice daily", "60 (sixty) tablets", "1 (one)", "Date written",
                     "Signature"):
        assert expected in text, expected


def test_an_as_needed_order_carries_its_dose_daily_maximum_and_indication(registered, dana, dana_meds, as_user):
    med = services.medication_start(actor=registered, access=dana_meds, drug="hydroxyzine", as_needed=True,
                                    as_needed_dose_mg=Decimal(25), dose_mg_per_day=Decimal(100),
                                    strength_mg=Decimal(25), frequency="every 6 hours", indication="anxiety",
                                    quantity=30)
    assert med.as_needed and med.dose_display == "25 mg as needed every 6 hours, at most 100 mg/day"
    assert directions(med) == ("take 1 x 25 mg tablet every 6 hours, as needed for anxiety; "
                               "no more than 4 x 25 mg tablets in 24 hours")
    text = " ".join(_pdf_text(as_user(registered).get(
        reverse("medications:prescription_pdf", args=[dana.pk, med.pk]))).split())
    assert "as needed for anxiety" in text and "at most 100 mg in 24 hours" in text


@pytest.mark.parametrize(("fields", "field", "words"), [
    ({"dose_mg_per_day": Decimal(100)}, "as_needed_dose_mg", "dose taken each time"),
    ({"as_needed_dose_mg": Decimal(25)}, "dose_mg_per_day", "most that may be taken in 24 hours"),
    ({"as_needed_dose_mg": Decimal(50), "dose_mg_per_day": Decimal(25)}, "dose_mg_per_day", "less than one dose"),
])
def test_an_as_needed_order_without_its_dose_or_maximum_is_refused(registered, dana_meds, fields, field, words):
    with pytest.raises(ValidationError) as caught:
        services.medication_start(actor=registered, access=dana_meds, drug="hydroxyzine", as_needed=True,
                                  frequency="every 6 hours", indication="anxiety", **fields)
    assert words in caught.value.message_dict[field][0]


def test_an_as_needed_order_says_what_it_is_for(registered, dana_meds):
    with pytest.raises(ValidationError) as caught:
        services.medication_start(actor=registered, access=dana_meds, drug="hydroxyzine", as_needed=True,
                                  as_needed_dose_mg=Decimal(25), dose_mg_per_day=Decimal(100),
                                  frequency="every 6 hours")
    assert "what it is taken for" in caught.value.message_dict["indication"][0]


def test_an_as_needed_maximum_above_the_label_is_checked_like_a_daily_dose(registered, dana_meds):
    with pytest.raises(ValidationError) as caught:
        services.medication_start(actor=registered, access=dana_meds, drug="hydroxyzine", as_needed=True,
                                  as_needed_dose_mg=Decimal(25), dose_mg_per_day=Decimal(5000),
                                  frequency="every 6 hours", indication="anxiety")
    assert "dose_mg_per_day" in caught.value.message_dict


def test_a_prescriber_without_a_dea_number_is_told_while_prescribing_a_controlled_drug(prescriber_a, dana, as_user):
    alice = as_user(prescriber_a)
    panel = alice.post(reverse("medications:order_check", args=[dana.pk]),
                       {"drug": "lorazepam", "source": "clinic", "dose_mg_per_day": "2"}).content.decode()
    assert 'id="dea-missing"' in panel and "No DEA registration number is on file for you" in panel
    calm = alice.post(reverse("medications:order_check", args=[dana.pk]),
                      {"drug": "sertraline", "source": "clinic", "dose_mg_per_day": "50"}).content.decode()
    assert 'id="dea-missing"' not in calm


def test_saving_a_controlled_order_without_a_dea_number_warns_at_once(prescriber_a, dana, as_user):
    alice = as_user(prescriber_a)
    response = alice.post(reverse("medications:order", args=[dana.pk]), {
        "source": "clinic", "drug": "lorazepam", "dose_form": "tablet", "dose_mg_per_day": "2", "strength_mg": "1",
        "frequency": "twice daily", "refills": "0", "pdmp_attested": "on"}, follow=True)
    page = response.content.decode()
    assert "must carry the prescriber&#x27;s DEA registration number" in page or \
        "must carry the prescriber's DEA registration number" in page


def test_the_prescription_page_shows_statuses_in_words(registered, dana, dana_meds, as_user):
    med = services.medication_start(actor=registered, access=dana_meds, drug="sertraline", dose_mg_per_day=Decimal(50),
                                    strength_mg=Decimal(50), frequency="once daily", quantity=30)
    alice = as_user(registered)
    page = alice.post(reverse("medications:prescription", args=[dana.pk, med.pk])).content.decode()
    assert "Ready to print" in page and "ready_to_print" not in page
    assert "<td>Printed</td>" in page
