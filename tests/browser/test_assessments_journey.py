"""A remote PHQ-9 in a real Chromium: the prescriber sends a link, the patient answers on a
phone with item 9 "Several days", sees crisis resources at once, and the prescriber finds
an urgent task, the trajectory and acknowledges the task."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import totp_code

from dosewise.accounts.models import User
from dosewise.assessments.models import CareTask, QuestionnaireResponse
from dosewise.demo import DEMO_PASSWORD, demo_load, demo_totp_secret
from dosewise.patients.models import Patient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PRESCRIBER = "prescriber@demo.dosewise.test"
PHQ9_ANSWERS = ["Several days", "More than half the days", "Several days", "Nearly every day", "Not at all",
                "Several days", "Not at all", "Not at all", "Several days"]


def staff_sign_in(j, email: str) -> None:
    page = j.page
    j.goto("/accounts/login/")
    page.get_by_label(re.compile("e-?mail", re.I)).fill(email)
    page.get_by_label(re.compile("password", re.I)).fill(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    code_box = page.get_by_label(re.compile("code", re.I))
    code_box.fill(totp_code(demo_totp_secret(email)))
    code_box.press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Today")


def test_remote_phq9_with_item_9_shows_crisis_resources_and_an_urgent_task(journey):
    demo_load(patients=5)
    prescriber = User.objects.get(email=PRESCRIBER)
    patient = Patient.objects.filter(care_team__member=prescriber).order_by("pk").first()

    staff = journey("assessments-staff")
    staff_sign_in(staff, PRESCRIBER)
    staff.goto(f"/patients/{patient.pk}/tab/assessments/")
    expect(staff.page.get_by_role("heading", name="Give a questionnaire")).to_be_visible()
    staff.snap("assessments tab empty")
    send = staff.page.locator("form", has=staff.page.get_by_label("Send a link to answer at home"))
    send.get_by_label("Send a link to answer at home").select_option("phq9")
    send.get_by_label(re.compile("Also e-mail it")).uncheck()
    send.get_by_role("button", name="Create link").click()
    staff.page.wait_for_load_state("networkidle")
    url = staff.page.get_by_label(re.compile("^Link")).input_value()
    assert re.search(r"/q/[A-Za-z0-9_-]{40,}/$", url)
    staff.snap("link created")

    phone = journey("assessments-patient")
    phone.page.set_viewport_size({"width": 390, "height": 844})
    phone.goto(urlsplit(url).path)
    expect(phone.page.get_by_role("heading", level=1)).to_have_text("Patient Health Questionnaire-9")
    phone.snap("phq9 form")
    for number, answer in enumerate(PHQ9_ANSWERS, start=1):
        group = phone.page.get_by_role("group", name=re.compile(rf"^{number}\."))
        group.get_by_label(answer, exact=True).check()
    expect(phone.page.locator("#save-status")).to_contain_text("Saved")
    phone.snap("phq9 answered")
    phone.page.get_by_role("button", name="Submit answers").click()
    phone.page.wait_for_load_state("networkidle")
    crisis = phone.page.get_by_role("alert")
    expect(crisis).to_contain_text("988")
    expect(crisis).to_contain_text("care team")
    phone.snap("crisis resources")

    response = QuestionnaireResponse.objects.get(patient=patient)
    assert (response.total, response.severity, response.risk, response.source) == (9, "mild", True, "remote")
    task = CareTask.objects.get(patient=patient)
    assert task.assigned_user == prescriber and task.acknowledged_at is None

    staff.goto("/assessments/tasks/")
    card = staff.page.get_by_role("region", name=re.compile(patient.display_name))
    expect(card).to_contain_text("PHQ-9 item 9 endorsed")
    staff.snap("urgent task")
    staff.goto(f"/patients/{patient.pk}/tab/assessments/")
    expect(staff.page.get_by_role("heading", name=re.compile("Urgent: 1 risk alert"))).to_be_visible()
    expect(staff.page.get_by_role("img", name=re.compile("PHQ-9 total score"))).to_be_visible()
    staff.snap("assessments tab with score")
    staff.goto("/assessments/tasks/")
    card.get_by_label("What you did").fill("Called the patient; safety plan reviewed, no intent")
    card.get_by_role("button", name="Acknowledge").click()
    staff.page.wait_for_load_state("networkidle")
    expect(staff.page.get_by_role("status")).to_contain_text("acknowledged")
    staff.snap("task acknowledged")
    task.refresh_from_db()
    assert task.acknowledged_by == prescriber

    staff.goto("/assessments/caseload/")
    expect(staff.page.get_by_role("link", name=patient.display_name)).to_be_visible()
    staff.snap("caseload")
