"""Prescribing in a real Chromium: a patient on phenelzine is prescribed sertraline; the
safety check shows the contraindication while the prescriber types, the order saves only
with a structured override reason and a justification, and the override is on the clinic's report."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect
from tests.browser.test_assessments_journey import PRESCRIBER, staff_sign_in

from dosewise.accounts.models import User
from dosewise.demo import demo_load
from dosewise.medications import services
from dosewise.medications.models import Medication, PrescriptionOverride
from dosewise.patients.models import Patient
from dosewise.patients.selectors import access_patient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REASON = "Inpatient cross-over after a 14-day washout, supervised daily"


def test_sertraline_for_a_patient_on_phenelzine_needs_an_override_that_reaches_the_report(journey):
    demo_load(patients=12)
    prescriber = User.objects.get(email=PRESCRIBER)
    # A patient without a demo story: no medicines, no results yet.
    patient = Patient.objects.filter(care_team__member=prescriber, medications__isnull=True).order_by("pk").first()
    services.medication_start(actor=prescriber, access=access_patient(prescriber, patient.pk, "medications.prescribe"),
                              drug="phenelzine", dose_mg_per_day=Decimal(45), frequency="15 mg three times daily",
                              indication="treatment-resistant depression")

    j = journey("medications")
    page = j.page
    staff_sign_in(j, PRESCRIBER)
    j.goto(f"/patients/{patient.pk}/tab/medications/")
    current = page.get_by_role("region", name="Current medicines")
    expect(current).to_contain_text("phenelzine")
    j.snap("medications tab")

    page.get_by_role("link", name="Prescribe", exact=True).click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_contain_text("New medication")
    page.get_by_label("Drug").press_sequentially("Zoloft", delay=40)
    page.get_by_label("Dose (mg per day)").press_sequentially("50", delay=40)
    check = page.locator("#safety-check")
    # The panel names the dose it checked: the answer to the last keystroke has arrived.
    expect(check).to_contain_text("sertraline at 50 mg/day")
    expect(check.get_by_role("region", name="Contraindicated findings")).to_contain_text(
        "MAO inhibitor phenelzine with serotonergic sertraline")
    expect(check).to_contain_text("needs an override reason and a written justification")
    page.get_by_label("Frequency").fill("once daily")
    page.get_by_label("Quantity").fill("30")
    page.get_by_label("Days' supply").fill("30")
    page.get_by_label("Indication").fill("depression")
    j.snap("contraindication shown")

    page.get_by_role("button", name="Save medication").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("alert").first).to_contain_text("Choose why you override it")
    assert not Medication.objects.filter(patient=patient, ingredient="sertraline").exists()
    j.snap("override reason required")

    page.get_by_label("Override reason").select_option(label="Planned, time-limited overlap (cross-taper)")
    page.get_by_label("Justification").fill(REASON)
    page.get_by_role("button", name="Save medication").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("status")).to_contain_text("sertraline 50 mg/day once daily added to the list")
    expect(page.get_by_role("region", name="Current medicines")).to_contain_text("sertraline")
    j.snap("sertraline on the list")

    override = PrescriptionOverride.objects.get(patient=patient)
    assert (override.severity, override.reason, override.created_by) == ("contraindicated", REASON, prescriber)
    assert override.reason_code == "planned_overlap"

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Overrides").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_have_text("Safety overrides")
    report = page.get_by_role("table")
    expect(report).to_contain_text(patient.mrn)
    expect(report).to_contain_text(REASON)
    expect(report).to_contain_text("Contraindicated")
    j.snap("override report")
