"""A proxy in a real Chromium at a phone's size: Alice records Dana's consent for her sister Gina
(appointments and messages), Gina signs in with her own account, sees only those parts of Dana's
record, writes to the care team, and is refused the medicine pages; Dana, the patient, then
ends Gina's access and Gina's next click signs her out."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import VIEWPORTS
from tests.browser.test_portal_app_journey import staff_session
from tests.conftest import PASSWORD

from dosewise.clinics.clock import clinic_today
from dosewise.messaging.models import Message
from dosewise.portal.models import PortalStatus, ProxyAccess
from dosewise.portal.tests.conftest import dana_meds, pat  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(j, email: str, password: str) -> None:
    page = j.page
    page.set_viewport_size(VIEWPORTS["phone"])
    j.goto("/accounts/login/")
    page.get_by_label(re.compile("e-?mail", re.I)).fill(email)
    page.get_by_label(re.compile("password", re.I)).fill(password)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/portal/$"))
    page.wait_for_load_state("networkidle")


def test_a_proxy_sees_only_what_their_scope_allows(journey, pat, dana, prescriber_a, patient_user):  # noqa: F811
    staff = journey("proxy-grant")
    staff_session(staff, prescriber_a)
    staff.goto(f"/portal/staff/patients/{dana.pk}/")
    page = staff.page
    family = page.get_by_role("region", name=re.compile("Family and helpers"))
    family.get_by_label("Proxy's full name").fill("Gina Diaz")
    family.get_by_label("Proxy's own e-mail address").fill("gina@example.org")
    family.get_by_label("Someone the patient chose to help").check()
    family.get_by_label("In a word (optional)").fill("sister")
    family.get_by_label("Appointments").check()
    family.get_by_label("Messages with the care team").check()
    last_day = clinic_today(dana.clinic) + timedelta(days=180)
    family.get_by_label("Last day the access works").fill(last_day.isoformat())
    family.get_by_label("The patient", exact=True).check()
    family.get_by_label("What they said or signed").fill("Dana signed the proxy form at today's visit.")
    staff.snap("grant form filled")
    family.get_by_role("button", name="Give access").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".messages")).to_contain_text("Gina Diaz can now open")
    expect(page.get_by_role("region", name=re.compile("Family and helpers"))).to_contain_text(
        "Dana signed the proxy form")
    staff.snap("proxy listed on the chart's portal page")

    proxy = ProxyAccess.objects.get(patient=dana)
    proxy.user.set_password(PASSWORD)  # what the e-mailed link lets Gina do
    proxy.user.save(update_fields=["password"])

    j = journey("proxy-phone")
    sign_in(j, "gina@example.org", PASSWORD)
    phone = j.page
    expect(phone.locator(".portal-who")).to_contain_text("opened by Gina Diaz")
    expect(phone.get_by_role("heading", name=re.compile("You are helping"))).to_be_visible()
    nav = phone.get_by_role("navigation", name="Portal")
    expect(nav.get_by_role("link", name="Messages")).to_be_visible()
    expect(nav.get_by_role("link", name="Appointments")).to_be_visible()
    expect(nav.get_by_role("link", name="My medicines")).to_have_count(0)
    expect(nav.get_by_role("link", name="Settings")).to_have_count(0)
    expect(phone.locator("main")).not_to_contain_text("sertraline")
    j.snap("a proxy's today")
    assert ProxyAccess.objects.get(pk=proxy.pk).status == PortalStatus.ACTIVE

    nav.get_by_role("link", name="Messages").click()
    phone.wait_for_load_state("networkidle")
    phone.get_by_role("link", name=re.compile("New message|Write", re.I)).first.click()
    phone.wait_for_load_state("networkidle")
    phone.get_by_label(re.compile("subject|about", re.I)).fill("Ride to the next visit")
    phone.get_by_label(re.compile("message", re.I)).first.fill("I will drive Dana. Can the visit start at 10?")
    phone.get_by_role("button", name=re.compile("Send", re.I)).click()
    phone.wait_for_load_state("networkidle")
    expect(phone.locator("main")).to_contain_text("Ride to the next visit")
    j.snap("a proxy's message sent")
    assert Message.objects.get(body__startswith="I will drive Dana").by_proxy

    refused = j.goto("/portal/medicines/")
    assert refused.status == 403
    expect(phone.locator("main")).to_contain_text("does not include this page")
    j.snap("a page outside the scope", axe=False)

    own = journey("proxy-patient-ends-it")
    sign_in(own, patient_user.email, PASSWORD)
    own.goto("/portal/family/")
    expect(own.page.locator("main")).to_contain_text("Gina Diaz")
    own.snap("the patient's family and helpers")
    own.page.get_by_role("button", name="End Gina Diaz's access").click()
    own.page.wait_for_load_state("networkidle")
    expect(own.page.locator(".messages")).to_contain_text("can no longer open this record")
    assert ProxyAccess.objects.get(pk=proxy.pk).status == PortalStatus.REVOKED

    j.goto("/portal/")
    expect(phone).to_have_url(re.compile(r"/accounts/login/"))
