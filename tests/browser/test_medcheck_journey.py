"""The everyday med check in a real Chromium, at desktop and phone size: the toxic lithium level on
the Overview, a controlled-drug prescription whose PDF carries what a pharmacy needs, a second plan
for the same medicine refused, a duplicate registration caught."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from tests.browser.test_medications_journey import PRESCRIBER, staff_sign_in

from dosewise.accounts.models import User
from dosewise.demo import demo_load
from dosewise.medications import services
from dosewise.medications.models import Medication, MedicationPlan
from dosewise.patients.models import Patient
from dosewise.patients.selectors import access_patient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FRONT_DESK = "frontdesk@demo.dosewise.test"


def test_the_toxic_lithium_level_is_on_the_overview(journey):
    demo_load(patients=6)
    patient = Medication.objects.get(ingredient="lithium").patient
    j = journey("medcheck overview")
    staff_sign_in(j, PRESCRIBER)
    j.goto(f"/patients/{patient.pk}/")
    results = j.page.locator("#overview-results")
    expect(results).to_contain_text("Lithium level")
    expect(results).to_contain_text("1.8 mmol/L")
    expect(results).to_contain_text("withhold lithium")
    expect(j.page.locator("#overview-medicines")).to_contain_text("lithium")
    j.snap("toxic lithium on the overview")
    j.page.set_viewport_size({"width": 390, "height": 844})
    expect(results).to_be_visible()
    wide = j.page.evaluate("""() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391
        && !e.closest('.scroll')).map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 8)""")
    assert not wide, wide


def test_a_controlled_prescription_pdf_carries_what_a_pharmacy_needs(journey):
    demo_load(patients=3)
    prescriber = User.objects.get(email=PRESCRIBER)
    patient = Patient.objects.filter(care_team__member=prescriber).order_by("pk").first()
    j = journey("medcheck prescription")
    page = j.page
    staff_sign_in(j, PRESCRIBER)
    j.goto(f"/medications/patients/{patient.pk}/new/")
    page.get_by_label("Drug", exact=True).fill("lorazepam")
    page.get_by_label("Strength (mg)").fill("0.5")
    page.get_by_label("Dose (mg per day)").fill("1")
    page.get_by_label("Frequency", exact=True).fill("twice daily")
    page.get_by_label("Quantity").fill("30")
    page.get_by_label("I checked the prescription monitoring program (PDMP) today").check()
    expect(page.locator("#safety-check")).to_contain_text("Schedule IV")
    j.snap("controlled order")
    page.get_by_role("button", name="Save medication").click()
    page.wait_for_load_state("networkidle")
    med = Medication.objects.get(patient=patient, ingredient="lorazepam")
    response = page.request.get(f"{j.base_url}/medications/patients/{patient.pk}/{med.pk}/prescription.pdf")
    assert response.ok
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages).split())
    for expected in (patient.legal_name, f"{patient.date_of_birth:%Y-%m-%d}", prescriber.full_name,
                     prescriber.clinic.address, prescriber.clinic.phone, f"DEA no.: {prescriber.dea_number}",
                     f"NPI: {prescriber.npi}", "lorazepam 0.5 mg tablet", "Take 1 x 0.5 mg tablet twice daily",
                     "30 (thirty) tablets", "Refills 0 (zero)", "Signature"):
        assert expected in text, expected
    j.goto(f"/medications/patients/{patient.pk}/{med.pk}/prescription/")
    expect(page.locator(".rx-doc")).to_contain_text("Take 1 x 0.5 mg tablet twice daily")
    j.snap("prescription page")


def test_a_second_plan_for_the_same_medicine_is_refused(journey):
    demo_load(patients=6)
    plan = MedicationPlan.objects.get(kind="taper")
    patient, medicine = plan.patient, plan.medication
    j = journey("medcheck second plan")
    page = j.page
    staff_sign_in(j, PRESCRIBER)
    j.goto(f"/medications/patients/{patient.pk}/plans/new/?kind=taper&medication={medicine.pk}")
    page.get_by_role("button", name="Preview the plan").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("alert").first).to_contain_text("already has an active plan")
    j.snap("second plan refused")
    page.get_by_role("link", name="Open the active plan to revise it").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_contain_text(plan.summary)
    assert MedicationPlan.objects.filter(medication=medicine).count() == 1


def test_a_new_taper_is_previewed_with_its_length_before_it_is_saved(journey):
    demo_load(patients=3)
    prescriber = User.objects.get(email=PRESCRIBER)
    patient = Patient.objects.filter(care_team__member=prescriber).order_by("pk").first()
    med = services.medication_start(actor=prescriber, access=access_patient(prescriber, patient.pk,
                                                                            "medications.prescribe"),
                                    drug="quetiapine", dose_mg_per_day=Decimal(300), strength_mg=Decimal(300),
                                    frequency="at bedtime")
    j = journey("medcheck taper preview")
    page = j.page
    staff_sign_in(j, PRESCRIBER)
    j.goto(f"/medications/patients/{patient.pk}/plans/new/?kind=taper&medication={med.pk}")
    page.get_by_role("button", name="Preview the plan").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".plan-length")).to_contain_text("months")
    expect(page.locator(".plan-steps")).to_contain_text("1 x 300 mg tablet")
    j.snap("taper preview")
    assert not MedicationPlan.objects.filter(medication=med).exists()
    page.get_by_role("button", name="Save this plan").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Taper quetiapine")
    assert MedicationPlan.objects.filter(medication=med).exists()


def test_registering_a_duplicate_warns_and_shows_the_match(journey):
    demo_load(patients=3)
    existing = Patient.objects.order_by("pk").first()
    j = journey("medcheck duplicate")
    page = j.page
    staff_sign_in(j, FRONT_DESK)
    j.goto("/patients/new/")
    page.get_by_label(re.compile("legal first name", re.IGNORECASE)).fill(existing.legal_given_name)
    page.get_by_label(re.compile("legal last name", re.IGNORECASE)).fill(existing.legal_family_name)
    page.get_by_label(re.compile("date of birth", re.IGNORECASE)).fill(f"{existing.date_of_birth:%Y-%m-%d}")
    page.get_by_label(re.compile("sex assigned at birth", re.IGNORECASE)).select_option(existing.sex_at_birth)
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    warning = page.locator("#duplicates")
    expect(warning).to_contain_text("This may be a patient already registered")
    expect(warning).to_contain_text(existing.mrn)
    j.snap("duplicate warning")
    assert Patient.objects.filter(legal_family_name=existing.legal_family_name,
                                  date_of_birth=existing.date_of_birth).count() == 1


def test_a_mistyped_lab_value_is_refused_next_to_the_field_and_kept(journey):
    demo_load(patients=3)
    prescriber = User.objects.get(email=PRESCRIBER)
    patient = Patient.objects.filter(care_team__member=prescriber).order_by("pk").first()
    j = journey("medcheck lab entry")
    page = j.page
    staff_sign_in(j, PRESCRIBER)
    j.goto(f"/patients/{patient.pk}/tab/monitoring/")
    page.locator("#r-test").select_option("lithium-level")
    visible_units = page.locator("#r-unit optgroup:not([hidden]) option").all_text_contents()
    assert visible_units == ["mmol/L", "mEq/L"], visible_units
    page.locator("#r-value").fill("O.8")
    page.get_by_role("button", name="Save result").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Result not saved")
    value = page.get_by_label("Result", exact=True)
    expect(value).to_have_value("O.8")
    expect(value).to_be_focused()
    j.snap("mistyped lab value")
