"""Keeping the register clean in a real Chromium, at desktop and phone size: a minor cannot be
registered without a parent or guardian (what was typed stays), and a clinic admin merges a
duplicate record after comparing both."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect
from tests.browser.test_journeys import ADMIN, sign_in
from tests.browser.test_medcheck_journey import FRONT_DESK
from tests.browser.test_medications_journey import staff_sign_in

from dosewise.accounts.models import User
from dosewise.demo import demo_load, demo_totp_secret
from dosewise.patients import services
from dosewise.patients.models import Allergy, Patient
from dosewise.patients.selectors import access_patient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_minor_needs_a_parent_or_guardian_and_keeps_what_was_typed(journey):
    demo_load(patients=2)
    j = journey("records minor")
    page = j.page
    staff_sign_in(j, FRONT_DESK)
    j.goto("/patients/new/")
    today = date.today()
    page.get_by_label(re.compile("^Legal first name")).fill("Robin")
    page.get_by_label(re.compile("^Legal last name")).fill("Quinlan")
    page.get_by_label(re.compile("^Date of birth")).fill(today.replace(year=today.year - 15).isoformat())
    page.get_by_label(re.compile("^Sex assigned at birth")).select_option("female")
    page.get_by_label(re.compile("^Insurance plan")).fill("Blue Prairie PPO")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".field-error").first).to_contain_text("under 18")
    expect(page.get_by_label(re.compile("^Insurance plan"))).to_have_value("Blue Prairie PPO")
    j.snap("minor without a guardian refused")
    page.get_by_label(re.compile("^Guardian's name")).fill("Sam Quinlan")
    page.get_by_label(re.compile("^Guardian's relationship")).fill("father")
    page.get_by_label(re.compile("^Guardian's phone")).fill("+1 312 555 0177")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    patient = Patient.objects.get(legal_family_name="Quinlan")
    expect(page).to_have_url(re.compile(rf"/patients/{patient.pk}/$"))
    expect(page.locator("#demo").locator("..")).to_contain_text("Sam Quinlan (father)")
    expect(page.locator("#demo").locator("..")).to_contain_text("Blue Prairie PPO")
    j.snap("minor registered with guardian and insurance")


def test_an_admin_merges_a_duplicate_after_comparing_both_records(journey):
    demo_load(patients=2)
    prescriber = User.objects.get(email="prescriber@demo.dosewise.test")
    kept = Patient.objects.exclude(email="").order_by("pk").first()
    duplicate = services.patient_register(actor=prescriber, data={
        "legal_given_name": kept.legal_given_name, "legal_family_name": kept.legal_family_name,
        "date_of_birth": kept.date_of_birth, "sex_at_birth": kept.sex_at_birth, "phone": "+1 312 555 0199"})
    services.allergy_add(actor=prescriber, access=access_patient(prescriber, duplicate.pk, "clinical.edit"),
                         substance="latex", category="allergy", reaction="hives", severity="moderate", verified=True)

    j = journey("records merge")
    page = j.page
    sign_in(j, ADMIN, totp_secret=demo_totp_secret(ADMIN))
    j.goto(f"/patients/{kept.pk}/")
    page.get_by_role("link", name="Merge a duplicate record").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_contain_text(kept.mrn)
    page.get_by_label("MRN of the duplicate record").fill(duplicate.mrn)
    page.get_by_role("button", name="Compare the two records").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("table")).to_contain_text(f"Duplicate: MRN {duplicate.mrn}")
    expect(page.locator("table")).to_contain_text("+1 312 555 0199")
    expect(page.get_by_role("main")).to_contain_text("Allergies: 1")
    j.snap("merge comparison")
    page.get_by_role("button", name=re.compile("^Merge the records")).click()  # no reason yet: refused, nothing merged
    page.wait_for_load_state("networkidle")
    expect(page.locator(".field-error")).to_contain_text("Say why")
    assert Patient.objects.get(pk=duplicate.pk).merged_into_id is None
    page.get_by_label("Why these are the same person").fill("Same person: registered twice at intake")
    page.get_by_role("button", name=re.compile("^Merge the records")).click()
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(re.compile(rf"/patients/{kept.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text(f"Merged {duplicate.mrn} into {kept.mrn}")
    j.snap("chart after merge")
    assert Allergy.objects.filter(patient=kept, substance="latex").exists()
    # The duplicate's old link leads to the kept chart.
    j.goto(f"/patients/{duplicate.pk}/")
    expect(page).to_have_url(re.compile(rf"/patients/{kept.pk}/$"))
    expect(page.get_by_role("status")).to_contain_text("was merged into this one")
