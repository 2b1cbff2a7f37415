"""The portal as an app, in a real Chromium at a phone's size: a patient answers a due PHQ-9 in the
portal and the prescriber finds it on the chart; the install requirements hold (a valid manifest,
a registered service worker) and with the network gone the offline page is what shows."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from playwright.sync_api import expect
from tests.browser.conftest import VIEWPORTS
from tests.conftest import PASSWORD

from dosewise.assessments.models import QuestionnaireResponse
from dosewise.assessments.services import link_create
from dosewise.patients.selectors import access_patient
from dosewise.portal.tests.conftest import dana_meds, pat  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def patient_sign_in(j, user) -> None:
    page = j.page
    page.set_viewport_size(VIEWPORTS["phone"])
    j.goto("/accounts/login/")
    page.get_by_label(re.compile("e-?mail", re.I)).fill(user.email)
    page.get_by_label(re.compile("password", re.I)).fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page).to_have_url(re.compile(r"/portal/$"))


def staff_session(j, user) -> None:
    """Sign a staff member in by session cookie (the TOTP sign-in has its own journeys)."""
    client = Client()
    client.force_login(user)
    j.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": j.base_url}])


def test_a_patient_answers_a_phq9_in_the_portal_and_the_prescriber_sees_it(journey, pat, dana,  # noqa: F811
                                                                            patient_user, prescriber_a):
    link_create(actor=prescriber_a, access=access_patient(prescriber_a, dana.pk, "assessments.administer"),
                questionnaire="phq9", send_email=False)
    j = journey("portal-phq9")
    page = j.page
    patient_sign_in(j, patient_user)
    questionnaires = page.get_by_role("region", name="Questionnaires for you")
    expect(questionnaires).to_contain_text("PHQ-9")
    j.snap("today with a due questionnaire")
    questionnaires.get_by_role("link", name=re.compile("Answer PHQ-9")).click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Patient Health Questionnaire")
    # Answer by keyboard and touch alike: items 1-8 "several days" (1), item 9 "not at all" (0).
    for item in range(1, 9):
        page.locator(f"#item_{item}_1").check()
    page.locator("#item_9_0").check()
    j.snap("answered")
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    j.snap("sent")
    response = QuestionnaireResponse.objects.get(patient=dana)
    assert response.total == 8 and not response.risk

    staff = journey("portal-phq9-chart")
    staff_session(staff, prescriber_a)
    staff.goto(f"/patients/{dana.pk}/tab/assessments/")
    staff.page.wait_for_load_state("networkidle")
    expect(staff.page.locator("main")).to_contain_text("PHQ-9")
    expect(staff.page.locator("main")).to_contain_text("8")
    staff.snap("on the chart")


def test_the_portal_meets_the_install_requirements_and_shows_the_offline_page(journey, pat,  # noqa: F811
                                                                              patient_user):
    j = journey("portal-install")
    page = j.page
    patient_sign_in(j, patient_user)
    manifest_url = page.locator('link[rel="manifest"]').get_attribute("href")
    manifest = page.evaluate("url => fetch(url).then(r => r.json())", manifest_url)
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/portal/"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
    for icon in manifest["icons"]:
        status = page.evaluate("url => fetch(url).then(r => r.status)", icon["src"])
        assert status == 200, icon["src"]
    scope = page.evaluate("navigator.serviceWorker.ready.then(reg => reg.scope)")
    assert scope.endswith("/portal/")
    # The worker controls the next page load; then the network goes away.
    page.reload()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("Boolean(navigator.serviceWorker.controller)")
    cached = page.evaluate("caches.keys().then(keys => Promise.all(keys.map(k => caches.open(k)"
                           ".then(c => c.keys())))).then(lists => lists.flat().map(r => new URL(r.url).pathname))")
    assert "/portal/offline/" in cached and not any(path in cached for path in ("/portal/", "/portal/medicines/"))
    j.context.set_offline(True)
    page.goto(j.base_url + "/portal/medicines/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    expect(page.locator("body")).not_to_contain_text("sertraline")
    j.snap("offline")
    j.context.set_offline(False)
