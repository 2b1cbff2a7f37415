"""Secure messages in a real Chromium, the patient on a phone.

The demo portal patient writes to the care team with a risk phrase: the page answers at once
with the crisis resources (988, 911, the clinic's words) before anything else, reachable by
keyboard. The prescriber finds the message on Today and at the top of the inbox flagged
urgent, reads the triage, and replies; the reply arrives in the patient's portal with a
"New reply" mark, and the e-mail notice names the clinic only.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import VIEWPORTS
from tests.browser.test_assessments_journey import PRESCRIBER, staff_sign_in
from tests.browser.test_portal_journey import patient_sign_in

from dosewise.demo import DEMO_PATIENT_EMAIL, demo_load
from dosewise.messaging.models import Thread
from dosewise.notifications.models import OutboundMessage
from dosewise.portal.models import PortalAccount

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RISK = "Since the new dose I feel hopeless and I want to end my life."
REPLY = "Thank you for telling us. Dr. Patel will call you within the hour."


def test_a_risk_phrase_shows_crisis_resources_flags_the_thread_urgent_and_the_reply_arrives(journey):
    demo_load(patients=5)
    patient = PortalAccount.objects.select_related("patient__clinic").get(user__email=DEMO_PATIENT_EMAIL).patient

    j = journey("messaging-patient")
    page = j.page
    patient_sign_in(j)
    page.get_by_role("navigation", name="Portal").get_by_role("link", name="Messages").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages")
    page.get_by_role("link", name="Write a message").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("What is it about?").fill("How I have been feeling")
    page.get_by_label("Your message").fill(RISK)
    j.snap("patient writes a message")
    page.set_viewport_size(VIEWPORTS["phone"])
    # 48 px targets on the phone: the send button and the nav links.
    send = page.get_by_role("button", name="Send to my care team")
    assert send.bounding_box()["height"] >= 48
    send.click()
    page.wait_for_load_state("networkidle")

    alert = page.get_by_role("alert")
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help now")
    expect(alert).to_contain_text("988")
    expect(alert).to_contain_text(patient.clinic.crisis_resources.split(" (")[0])
    expect(page.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    expect(page.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
    # The crisis box comes before the conversation itself.
    box = alert.bounding_box()
    said = page.get_by_text(RISK).bounding_box()
    assert box["y"] < said["y"] and box["width"] <= VIEWPORTS["phone"]["width"]
    j.snap("crisis resources after a risk phrase")
    thread = Thread.objects.get(patient=patient, subject="How I have been feeling")
    assert thread.urgent and thread.care_task is not None

    staff = journey("messaging-prescriber")
    staff_sign_in(staff, PRESCRIBER)
    today = staff.page.get_by_role("region", name=re.compile("^Messages"))
    expect(today).to_contain_text("urgent")
    expect(today).to_contain_text(f"{patient.display_name}: How I have been feeling")
    staff.snap("today shows the urgent message")
    staff.page.get_by_role("navigation", name="Main").get_by_role("link", name="Messages").click()
    staff.page.wait_for_load_state("networkidle")
    first_row = staff.page.locator("table.m-inbox tbody tr").first
    expect(first_row).to_contain_text("urgent")
    expect(first_row).to_contain_text("How I have been feeling")
    staff.snap("inbox with the urgent thread first")
    first_row.get_by_role("link", name="How I have been feeling").click()
    staff.page.wait_for_load_state("networkidle")
    expect(staff.page.get_by_role("alert")).to_contain_text("Suicide risk")
    staff.page.get_by_label("Reply to the patient").fill(REPLY)
    staff.page.get_by_role("button", name="Send reply").click()
    staff.page.wait_for_load_state("networkidle")
    expect(staff.page.get_by_role("status")).to_contain_text("Reply sent")
    staff.snap("thread after the reply")

    page.get_by_role("navigation", name="Portal").get_by_role("link", name="Messages").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("New reply")).to_be_visible()
    page.get_by_role("link", name=re.compile("How I have been feeling")).click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text(REPLY)).to_be_visible()
    j.snap("the reply arrives")
    notice = OutboundMessage.objects.filter(purpose="messaging.new_message").latest("pk")
    assert "hopeless" not in notice.body and "Patel" not in notice.body and patient.clinic.name in notice.subject
