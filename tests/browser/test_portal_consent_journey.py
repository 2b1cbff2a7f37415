"""Texts and e-mails in a real Chromium at 360 px: the demo patient opens the page from Settings,
turns appointment reminders by text off and sees them off (in words, not only in colour), the
ledger and the outbox's send check agree, and every switch is a 48 px target."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.test_portal_journey import patient_sign_in

from dosewise.demo import DEMO_PATIENT_EMAIL, demo_load
from dosewise.notifications import consent as ledger
from dosewise.notifications.models import Channel, ConsentSource
from dosewise.patients.models import Patient
from dosewise.portal.models import PortalAccount

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SMALL_PHONE = {"width": 360, "height": 740}
PHONE = "(312) 555-0142"


def test_a_patient_turns_appointment_texts_off_and_sees_them_off(journey):
    demo_load(patients=5)
    patient = PortalAccount.objects.get(user__email=DEMO_PATIENT_EMAIL).patient
    Patient.objects.filter(pk=patient.pk).update(phone=PHONE)
    ledger.consent_grant(clinic=patient.clinic, channel=Channel.SMS, address=PHONE,
                         purpose="appointment_reminders", source=ConsentSource.STAFF_PHONE, words="Yes, text me.")

    j = journey("portal-consent")
    page = j.page
    patient_sign_in(j)
    page.set_viewport_size(SMALL_PHONE)
    page.get_by_role("navigation", name="Portal").get_by_role("link", name="Settings").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("link", name="Choose texts and e-mails").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_have_text("Texts and e-mails from your clinic")
    texts = page.get_by_role("group", name="Which text messages you get")
    reminders = texts.locator("#switch-sms-appointment_reminders")
    expect(reminders).to_contain_text("Yes, sent to you")
    expect(page.locator("#channel-sms")).to_contain_text("Reply STOP to stop")
    for button in page.locator(".p-switch button").all():
        box = button.bounding_box()
        assert box["height"] >= 48 and box["width"] >= 48
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL_PHONE["width"]  # no sideways scrolling
    j.snap("texts and e-mails")

    page.set_viewport_size(SMALL_PHONE)
    reminders.get_by_role("button", name=re.compile(r"Turn off\W+Appointment reminders")).click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("status")).to_contain_text("Turned off: Appointment reminders by text message.")
    reminders = page.locator("#switch-sms-appointment_reminders")
    expect(reminders).to_contain_text("No, not sent")
    expect(reminders.get_by_role("button")).to_contain_text("Turn on")
    history = page.get_by_role("region", name="Your changes so far")
    expect(history.locator("li").first).to_contain_text("Turned off: Appointment reminders · Text message")
    expect(history.locator("li").first).to_contain_text("by you, in the portal")
    j.snap("appointment texts off")
    assert not ledger.send_permission(clinic_id=patient.clinic_id, channel=Channel.SMS, address=PHONE,
                                      purpose="appointment.reminder", consent_purpose="").allowed
