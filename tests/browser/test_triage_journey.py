"""Safety that knows the patient, in a real Chromium.

1. The demo portal patient (on lamotrigine, day 11 of the titration) reports a rash on a
   phone: the page tells her at once to call the clinic today, with its number, and not to
   take the next dose; the prescriber finds an urgent task on Today, sees the triage on the
   chart and acknowledges the task.
2. The prescriber raises the demo lithium dose on a level of 1.8 mmol/L: the live check names
   the level and holds the increase; a thin justification is refused; with a structured
   reason the override is saved and stays on the chart header; the lithium handout carries
   toxicity, levels, fluids and NSAIDs; the clinic admin reviews the override.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import VIEWPORTS
from tests.browser.test_assessments_journey import PRESCRIBER, staff_sign_in
from tests.browser.test_portal_journey import patient_sign_in

from dosewise.assessments.models import CareTask
from dosewise.demo import DEMO_PATIENT_EMAIL, DEMO_USERS, demo_load
from dosewise.medications.models import Medication, PrescriptionOverride
from dosewise.monitoring.models import SideEffect
from dosewise.portal.models import PortalAccount

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN = next(email for email, _name, role, _credentials in DEMO_USERS if role == "clinic_admin")


def _phone(j) -> None:
    j.page.set_viewport_size(VIEWPORTS["phone"])


def test_a_rash_reported_on_lamotrigine_tells_the_patient_to_call_today_and_raises_an_urgent_task(journey):
    demo_load(patients=5)
    account = PortalAccount.objects.select_related("patient__clinic").get(user__email=DEMO_PATIENT_EMAIL)
    patient = account.patient
    phone = patient.clinic.phone
    assert re.fullmatch(r"\(\d{3}\) 555-01\d\d", phone), "the demo clinic's number must be a fictitious one"

    j = journey("triage-portal")
    page = j.page
    patient_sign_in(j)
    page.get_by_role("navigation", name="Portal").get_by_role("link", name="Side effect").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("What side effect?").select_option(label="Rash")
    page.get_by_label(re.compile("Mild")).check()
    page.get_by_label("3", exact=True).check()
    page.get_by_label(re.compile("Tell us more")).fill("itchy red spots on my arms since yesterday")
    j.snap("rash report form")
    _phone(j)
    page.get_by_role("button", name="Send to my care team").click()
    page.wait_for_load_state("networkidle")

    advice = page.get_by_role("alert")
    expect(page.get_by_role("heading", level=1)).to_have_text("Call us today")
    expect(advice).to_contain_text(phone)
    expect(advice).to_contain_text("Do not take your next dose until you have talked with us")
    expect(page.get_by_role("link", name=phone).first).to_have_attribute("href", f"tel:{phone}")
    j.snap("advice after the rash report")
    report = SideEffect.objects.get(patient=patient, code="rash")
    assert report.urgency == "urgent" and report.care_task is not None
    assert report.care_task.kind == "urgent-side-effect"

    staff = journey("triage-prescriber")
    staff_sign_in(staff, PRESCRIBER)
    attention = staff.page.get_by_role("region", name=re.compile("attention", re.I))
    expect(attention).to_contain_text("Urgent: side effect report")
    expect(attention).to_contain_text(patient.display_name)
    staff.snap("today with the urgent side effect task")
    staff.goto(f"/patients/{patient.pk}/tab/monitoring/")
    side_effects = staff.page.locator("#side-effects")
    expect(side_effects).to_contain_text("Rash: itchy red spots on my arms since yesterday")
    expect(side_effects).to_contain_text("Urgent, same day")
    staff.snap("chart monitoring with the triaged rash")
    staff.goto("/assessments/tasks/")
    task = staff.page.locator(f"#task-{report.care_task_id}").locator("xpath=..")
    expect(task).to_contain_text("possible serious skin reaction")
    staff.snap("urgent task list")
    task.get_by_label("What you did").fill("Called Jamie: lamotrigine held, seen in clinic this afternoon")
    task.get_by_role("button", name="Acknowledge").click()
    staff.page.wait_for_load_state("networkidle")
    expect(staff.page.get_by_role("status")).to_contain_text("acknowledged")
    assert CareTask.objects.get(pk=report.care_task_id).acknowledged_at is not None
    report.refresh_from_db()
    assert report.acknowledged_at is not None


def test_raising_lithium_on_a_toxic_level_is_held_until_a_real_justification_and_an_admin_reviews_it(journey):
    demo_load(patients=5)
    lithium = Medication.objects.select_related("patient").get(ingredient="lithium")
    patient = lithium.patient

    staff = journey("results-override")
    page = staff.page
    staff_sign_in(staff, PRESCRIBER)
    staff.goto(f"/medications/patients/{patient.pk}/{lithium.pk}/dose/")
    page.get_by_label("New dose (mg per day)").fill("1500")
    page.get_by_label("New dose (mg per day)").dispatch_event("input")
    check = page.locator("#safety-check")
    expect(check).to_contain_text("lithium level 1.8 mmol/L", timeout=10_000)
    expect(check).to_contain_text("hold the increase")
    expect(check).to_contain_text("Results used: lithium level 1.8 mmol/L")
    expect(check).to_contain_text("Dose before this order: 1200 mg/day")
    staff.snap("dose change checked against the lithium level")

    page.get_by_label("Why the dose changes").fill("still hypomanic")
    page.get_by_label("Justification").fill("ok")
    page.get_by_role("button", name="Save dose change").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".errors")).to_contain_text("Choose why you override it")
    expect(page.locator(".errors")).to_contain_text("own words")
    staff.snap("override refused without a reason")
    assert not PrescriptionOverride.objects.filter(rule_id="result-lithium-level-toxic").exists()

    page.get_by_label("Override reason").select_option(label="Extra monitoring arranged")
    page.get_by_label("Justification").fill("Level repeated tomorrow; patient seen daily this week and told the "
                                            "signs of toxicity")
    page.get_by_role("button", name="Save dose change").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("status")).to_contain_text("lithium changed to 1500")
    override = PrescriptionOverride.objects.get(rule_id="result-lithium-level-toxic")
    assert override.reason_code == "monitoring_in_place" and override.is_active

    staff.goto(f"/patients/{patient.pk}/")
    expect(page.get_by_role("region", name="Patient")).to_contain_text("Active safety overrides")
    staff.snap("chart header with the active override")
    staff.goto(f"/patients/{patient.pk}/tab/medications/")
    expect(page.locator(f"#override-{override.pk}")).to_contain_text("Extra monitoring arranged")
    staff.snap("medication list with the active override")
    page.get_by_role("link", name="Handout about lithium").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_have_text("About your medicine: lithium")
    handout = page.locator("article.handout")
    expect(handout.get_by_role("heading", name="Tests and checks you need")).to_be_visible()
    expect(handout).to_contain_text("ibuprofen")
    expect(handout).to_contain_text(patient.clinic.phone)
    expect(handout.locator("sup")).to_have_count(0)
    staff.snap("lithium handout for the patient")

    admin = journey("results-override-admin")
    staff_sign_in(admin, ADMIN)
    admin.goto("/medications/overrides/")
    row = admin.page.locator(f"#override-{override.pk}")
    expect(row).to_contain_text("lithium level 1.8")
    admin.snap("override review queue")
    row.get_by_label("Review note").fill("Justified: daily review and repeat level documented")
    row.get_by_role("button", name="Mark reviewed").click()
    admin.page.wait_for_load_state("networkidle")
    expect(admin.page.get_by_role("status")).to_contain_text("Override marked as reviewed")
    override.refresh_from_db()
    assert override.reviewed_at is not None
