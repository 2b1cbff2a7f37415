"""A controlled-substance prescription in a real Chromium: refused until the prescriber's DEA
number is on file, then printed as PDF and faxed to a pharmacy, each attempt listed."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from tests.browser.test_medications_journey import PRESCRIBER, staff_sign_in

from dosewise.accounts.models import User
from dosewise.demo import demo_load
from dosewise.medications import services
from dosewise.medications.models import PrescriptionTransmission
from dosewise.patients.models import Patient
from dosewise.patients.selectors import access_patient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_controlled_prescription_needs_the_dea_number_then_prints_and_faxes(journey, settings):
    settings.DOSEWISE_FAX_EMAIL_GATEWAY = "{number}@fax.example.net"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    demo_load(patients=3)
    prescriber = User.objects.get(email=PRESCRIBER)
    prescriber.dea_number = ""
    prescriber.save(update_fields=["dea_number"])
    patient = Patient.objects.filter(care_team__member=prescriber).order_by("pk").first()
    med = services.medication_start(
        actor=prescriber, access=access_patient(prescriber, patient.pk, "medications.prescribe"), drug="lorazepam",
        dose_mg_per_day=Decimal(1), strength_mg=Decimal("0.5"), frequency="twice daily", quantity=30,
        days_supply=15, instructions="One tablet twice a day when anxious", pdmp_attested=True)
    prescription = f"/medications/patients/{patient.pk}/{med.pk}/prescription/"

    j = journey("prescription documents")
    page = j.page
    staff_sign_in(j, PRESCRIBER)
    j.goto(prescription)
    expect(page.get_by_role("alert")).to_contain_text("none is on file")
    j.snap("refused without a DEA number")

    page.get_by_role("link", name="Enter the DEA number").click()
    page.wait_for_load_state("networkidle")
    last_initial = prescriber.full_name.split()[-1][0].upper()
    page.get_by_label("DEA registration number").fill(f"A{last_initial}1234564")
    page.get_by_label("NPI").fill("1234567893")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("alert")).to_contain_text("fails the DEA check digit")
    j.snap("bad DEA check digit")
    page.get_by_label("DEA registration number").fill(f"A{last_initial}1234563")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("status")).to_contain_text("saved")

    j.goto(prescription)
    expect(page.locator(".rx-doc")).to_contain_text(f"A{last_initial}1234563")
    expect(page.locator(".rx-doc")).to_contain_text("schedule IV")
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="download the PDF").click()
    assert re.fullmatch(rf"prescription-{med.pk}-\d{{4}}-\d\d-\d\d\.pdf", download.value.suggested_filename)
    j.snap("prescription page")

    page.get_by_label("Pharmacy fax number").fill("312-555-014")
    page.get_by_role("button", name="Fax the prescription").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("alert")).to_contain_text("has 9")
    expect(page.get_by_label("Pharmacy fax number")).to_have_value("312-555-014")
    page.get_by_label("Pharmacy fax number").fill("312-555-0142")
    page.get_by_role("button", name="Fax the prescription").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("status")).to_contain_text("queued")
    expect(page.get_by_role("region", name="Sent and printed")).to_contain_text("***-***-0142")
    j.snap("faxed")
    assert PrescriptionTransmission.objects.get(medication=med).status == "queued"
