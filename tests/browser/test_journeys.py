"""Journeys through the staff web app in a real Chromium, against a live server.

Every page visited is photographed at phone and desktop widths into
test-results/screenshots/ and, when axe-core is available, checked against WCAG 2.1 AA.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import totp_code

from dosewise.accounts.models import User
from dosewise.clinics.roles import Role
from dosewise.demo import DEMO_PASSWORD, DEMO_SLUG, demo_load, demo_totp_secret
from dosewise.patients.models import BreakGlassAccess, CareTeamMember, Patient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRESCRIBER = "prescriber@demo.dosewise.test"
NURSE = "nurse@demo.dosewise.test"
ADMIN = "admin@demo.dosewise.test"


def sign_in(j, email: str, *, totp_secret: str | None = None) -> None:
    """Sign in through the login form with the keyboard; answer the TOTP step when asked."""
    page = j.page
    j.goto("/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Sign in", re.IGNORECASE))
    j.snap("sign in")
    page.get_by_label(re.compile("e-?mail", re.IGNORECASE)).fill(email)
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    if totp_secret is not None:
        expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
        j.snap("two-factor code")
        code_box = page.get_by_label(re.compile("code", re.IGNORECASE))
        code_box.fill(totp_code(totp_secret))
        code_box.press("Enter")
        page.wait_for_load_state("networkidle")


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def test_sign_in_register_find_and_open_chart(journey):
    demo_load(patients=5)
    j = journey()
    page = j.page

    sign_in(j, PRESCRIBER, totp_secret=demo_totp_secret(PRESCRIBER))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    j.snap("today")

    # Keyboard: the first Tab reaches the skip link, which moves focus to the main content.
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    page.keyboard.press("Enter")
    expect(page.locator(":focus")).to_have_attribute("id", "main")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Register").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register a patient")
    j.snap("register form")

    # Saving an empty form shows the errors next to their fields.
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".field-error").first).to_be_visible()
    j.snap("register form errors")

    born = date(1988, 11, 23)
    page.get_by_label(re.compile("^Legal first name")).fill("Zoë")
    page.get_by_label(re.compile("^Legal last name")).fill("Núñez")
    page.get_by_label(re.compile("^Pronouns")).fill("she/her")
    page.get_by_label(re.compile("^Date of birth")).fill(born.isoformat())
    page.get_by_label(re.compile("^Sex assigned at birth")).select_option("female")
    page.get_by_label(re.compile("^Preferred language")).fill("Spanish")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")

    patient = Patient.objects.get(legal_family_name="Núñez", legal_given_name="Zoë")
    expect(page).to_have_url(re.compile(rf"/patients/{patient.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zoë Núñez")
    expect(page.locator(".facts")).to_contain_text(patient.mrn)
    expect(page.get_by_role("status")).to_contain_text(f"MRN {patient.mrn}")
    j.snap("chart after registration")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Patients").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Patients")
    j.snap("patients empty search")
    search = page.get_by_label("Name, date of birth or MRN")
    search.press_sequentially("nune", delay=40)  # htmx live search: no submit
    results = page.locator("#results")
    expect(results.get_by_role("link", name="Zoë Núñez")).to_be_visible()
    expect(results).to_contain_text(patient.mrn)
    expect(page).to_have_url(re.compile(r"[?&]q=nune"))
    j.snap("patients search nune")

    results.get_by_role("link", name="Zoë Núñez").click()
    page.wait_for_load_state("networkidle")
    header = page.get_by_role("region", name="Patient")
    expect(header.get_by_role("heading", level=1)).to_contain_text("Zoë Núñez")
    expect(header).to_contain_text(f"{age_on(born, date.today())} y")
    expect(header).to_contain_text(f"MRN {patient.mrn}")
    expect(header.locator(".allergy-box")).to_contain_text("No known allergies recorded")
    expect(header.get_by_role("heading", name="Care team")).to_be_visible()
    expect(header).to_contain_text("Amara Okafor")
    j.snap("chart overview")


def test_first_time_staff_enrols_in_mfa(journey):
    demo_load(patients=5)
    clinic_user = User.objects.get(email=ADMIN)
    email = "new.nurse@demo.dosewise.test"
    User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name="Noa Ferreira", role=Role.NURSE,
                             credentials="RN", clinic=clinic_user.clinic)
    j = journey()
    page = j.page

    sign_in(j, email)  # no authenticator yet: no code is asked
    expect(page.get_by_role("status")).to_contain_text("Set up two-factor authentication")
    if "/accounts/reauthenticate/" in page.url:
        # allauth asks for the password again before adding an authenticator: a sign-in a
        # moment ago does not count as a recent re-authentication.
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        j.snap("confirm password before enrolment")
        password = page.get_by_label(re.compile("password", re.IGNORECASE))
        password.fill(DEMO_PASSWORD)
        password.press("Enter")
        page.wait_for_load_state("networkidle")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("authenticator", re.IGNORECASE))
    j.snap("mfa activation")

    # A staff member cannot skip enrolment by going elsewhere.
    j.goto("/patients/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/"))

    secret = page.get_by_label("Authenticator secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    code_box = page.get_by_label(re.compile("code", re.IGNORECASE))
    code_box.fill(totp_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.wait_for_load_state("networkidle")
    expect(page).not_to_have_url(re.compile(r"/totp/activate/"))
    j.snap("after mfa activation")

    page.get_by_role("link", name="Today").click()
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(j.base_url + "/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")
    expect(page.get_by_role("heading", name="Your patients")).to_be_visible()
    j.snap("home after enrolment")


def test_emergency_access_and_admin_report(journey):
    demo_load(patients=12)
    nurse = User.objects.get(email=NURSE)
    on_team = CareTeamMember.objects.filter(member=nurse).values_list("patient_id", flat=True)
    patient = Patient.objects.filter(clinic__slug=DEMO_SLUG).exclude(pk__in=on_team).order_by("pk").first()
    assert patient is not None, "the demo data should have a patient outside the nurse's care teams"

    j = journey("emergency-nurse")
    page = j.page
    sign_in(j, NURSE, totp_secret=demo_totp_secret(NURSE))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Patients").click()
    page.get_by_label("Name, date of birth or MRN").fill(patient.mrn)
    page.get_by_label("Name, date of birth or MRN").press("Enter")
    row = page.locator("#results tbody tr", has_text=patient.mrn)
    expect(row).to_contain_text("not on your team")
    j.snap("search outside care team")

    row.get_by_role("link").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_contain_text("is not on your care team")
    j.snap("emergency access form")

    # Too short a reason is refused, with the error next to the field.
    page.get_by_label("Reason").fill("urgent")
    page.get_by_role("button", name=re.compile("Open the record")).click()
    expect(page.locator(".field-error")).to_be_visible()
    j.snap("emergency access reason too short")

    reason = "Patient in crisis at the front desk; prescriber unreachable."
    page.get_by_label("Reason").fill(reason)
    page.get_by_role("button", name=re.compile("Open the record")).click()
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(re.compile(rf"/patients/{patient.pk}/tab/overview/$"))
    header = page.get_by_role("region", name="Patient")
    expect(header).to_contain_text(f"MRN {patient.mrn}")
    expect(header).to_contain_text("emergency access")
    expect(page.get_by_role("status")).to_contain_text("Emergency access granted")
    j.snap("chart via emergency access")
    assert BreakGlassAccess.objects.filter(user=nurse, patient=patient, reason=reason).exists()

    a = journey("emergency-admin")
    sign_in(a, ADMIN, totp_secret=demo_totp_secret(ADMIN))
    a.page.get_by_role("navigation", name="Main").get_by_role("link", name="Emergency access").click()
    a.page.wait_for_load_state("networkidle")
    expect(a.page.get_by_role("heading", level=1)).to_contain_text("Emergency")
    grant_row = a.page.locator("tbody tr", has_text=reason)
    expect(grant_row).to_contain_text("Liam Chen")
    expect(grant_row).to_contain_text(patient.mrn)
    expect(grant_row).to_contain_text("active")
    a.snap("emergency access report")
    grant_row.get_by_role("button", name="Mark reviewed").click()  # without a note: refused, nothing lost
    a.page.wait_for_load_state("networkidle")
    grant_row = a.page.locator("tbody tr", has_text=reason)
    expect(grant_row.get_by_role("alert")).to_contain_text("Write what the review found")
    grant_row.get_by_label("Review note").fill("Justified: covering the on-call prescriber")
    grant_row.get_by_role("button", name="Mark reviewed").click()
    a.page.wait_for_load_state("networkidle")
    expect(a.page.locator("tbody tr", has_text=reason)).to_contain_text("Reviewed by Priya Natarajan")
    expect(a.page.locator("tbody tr", has_text=reason)).to_contain_text("covering the on-call prescriber")
    a.snap("emergency access reviewed")
