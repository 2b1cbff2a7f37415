"""The patient portal in a real Chromium on a phone: the demo patient signs in, sees today's
sertraline, logs a missed dose (refused without a reason, then saved with one), reports a
side effect and opens the plan calendar; the prescriber then finds the patient-reported
side effect and the missed dose on the chart."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import VIEWPORTS
from tests.browser.test_assessments_journey import PRESCRIBER, staff_sign_in

from dosewise.clinics.clock import clinic_today
from dosewise.demo import DEMO_PASSWORD, DEMO_PATIENT_EMAIL, demo_load
from dosewise.monitoring.models import SideEffect
from dosewise.portal.models import DoseLog, PortalAccount

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _phone(j) -> None:
    j.page.set_viewport_size(VIEWPORTS["phone"])


def patient_sign_in(j) -> None:
    """Sign the demo portal patient in on a phone and land on the portal's Today."""
    page = j.page
    _phone(j)
    j.goto("/accounts/login/")
    page.get_by_label(re.compile("e-?mail", re.I)).fill(DEMO_PATIENT_EMAIL)
    page.get_by_label(re.compile("password", re.I)).fill(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(re.compile(r"/portal/$"))


def test_a_patient_logs_a_missed_dose_and_a_side_effect_that_the_prescriber_sees(journey):
    demo_load(patients=5)
    account = PortalAccount.objects.select_related("patient").get(user__email=DEMO_PATIENT_EMAIL)
    patient = account.patient
    sertraline = patient.medications.get(ingredient="sertraline")
    today = clinic_today(patient.clinic)

    j = journey("portal")
    page = j.page
    patient_sign_in(j)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    doses = page.get_by_role("region", name="Your medicines today")
    expect(doses).to_contain_text("sertraline")
    expect(doses).to_contain_text("Take one 100 mg tablet in the morning with food.")
    expect(page.get_by_role("region", name=re.compile("Your plan"))).to_contain_text("Today is day 11")
    j.snap("today")

    _phone(j)
    page.get_by_role("navigation", name="Portal").get_by_role("link", name="Log doses").click()
    page.wait_for_load_state("networkidle")
    form = page.locator(f"#dose-{sertraline.pk}-{today.isoformat()}")
    form.get_by_label("Missed", exact=True).check()
    form.get_by_role("button", name=re.compile("Save")).click()
    page.wait_for_load_state("networkidle")
    form = page.locator(f"#dose-{sertraline.pk}-{today.isoformat()}")
    expect(form.get_by_role("alert")).to_contain_text("Choose why the dose was missed.")
    assert not DoseLog.objects.exists()
    j.snap("missed dose needs a reason")

    _phone(j)
    form.get_by_label("If missed, why?").select_option(label="I ran out")
    form.get_by_role("button", name=re.compile("Save")).click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("status")).to_contain_text("Saved: sertraline missed (I ran out), today.")
    expect(page.locator(f"#dose-{sertraline.pk}-{today.isoformat()}")).to_contain_text("Missed: I ran out")
    j.snap("missed dose logged")
    entry = DoseLog.objects.get()
    assert (entry.status, entry.reason, entry.recorded_by_id) == ("missed", "ran_out", account.user_id)

    _phone(j)
    page.get_by_role("navigation", name="Portal").get_by_role("link", name="Side effect").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("What side effect?").select_option(label="Nausea")
    page.get_by_label(re.compile("Moderate: it gets")).check()
    page.get_by_label("8", exact=True).check()
    page.get_by_label("sertraline").check()
    page.get_by_label(re.compile("Tell us more")).fill("sick every morning after the tablet")
    j.snap("side effect form")
    _phone(j)
    page.get_by_role("button", name="Send to my care team").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your report")
    expect(page.get_by_role("region", name="What you reported")).to_contain_text("sick every morning")
    reported = SideEffect.objects.get(patient=patient)
    assert (reported.reporter, reported.burden, reported.heavy) == ("patient", 8, True)

    _phone(j)
    page.get_by_role("navigation", name="Portal").get_by_role("link", name="My plan").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_have_text("My plan calendar")
    now = page.locator(".p-step-today")
    expect(now).to_contain_text("Now")
    expect(now).to_contain_text("lamotrigine: 25 mg a day")
    j.snap("plan calendar")
    page.emulate_media(media="print")
    j.snap("plan calendar printed", axe=False)
    page.emulate_media(media="screen")

    _phone(j)
    page.get_by_role("navigation", name="Portal").get_by_role("link", name="My medicines").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name=re.compile("About sertraline")).click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_have_text("About your medicine: sertraline")
    expect(page.get_by_role("heading", name="If you miss a dose")).to_be_visible()
    j.snap("handout")

    staff = journey("portal-prescriber")
    staff_sign_in(staff, PRESCRIBER)
    staff.goto(f"/patients/{patient.pk}/")
    expect(staff.page.get_by_role("region", name="Portal access")).to_contain_text("Active")
    staff.snap("chart overview with the portal status")
    staff.page.get_by_role("link", name="Portal access details").click()
    staff.page.wait_for_load_state("networkidle")
    expect(staff.page.get_by_role("heading", level=1)).to_contain_text("Patient portal: Jamie Rivera")
    expect(staff.page.get_by_role("button", name="Revoke access")).to_be_visible()
    staff.snap("portal access page")
    staff.goto(f"/patients/{patient.pk}/tab/monitoring/")
    side_effects = staff.page.locator("#side-effects")
    expect(side_effects).to_contain_text("Nausea: sick every morning after the tablet")
    expect(side_effects).to_contain_text("reported by the patient")
    expect(staff.page.locator("#dose-log")).to_contain_text("I ran out (1)")
    staff.snap("chart monitoring with the patient's reports")
    staff.page.get_by_role("link", name=re.compile("Dose log details")).click()
    staff.page.wait_for_load_state("networkidle")
    expect(staff.page.get_by_role("heading", level=1)).to_contain_text("Dose log from the patient")
    staff.snap("dose log summary")
