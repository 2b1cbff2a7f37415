"""A person on a phone asks for a consultation on the public form, agreeing to e-mail only; the
confirmation arrives at a real SMTP server on loopback with its one-click unsubscribe headers;
the front desk finds the request at the top of the queue and sees the consent in the ledger."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.conftest import VIEWPORTS
from tests.browser.test_assessments_journey import staff_sign_in

from dosewise.accounts.credentials import user_authenticators_create
from dosewise.accounts.models import User
from dosewise.clinics.models import Clinic
from dosewise.demo import DEMO_PASSWORD, consent_texts_create, demo_totp_secret
from dosewise.notifications.smtp_sink import SmtpSink
from dosewise.outreach.models import ConsultationRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FRONT_DESK = "frontdesk@demo.dosewise.test"


@pytest.fixture
def smtp(settings):
    sink = SmtpSink().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", sink.port, 5
    yield sink
    sink.stop()


def _clinic_with_front_desk() -> None:
    clinic = Clinic.objects.create(name="Riverside Psychiatry", slug="riverside", timezone="America/Chicago",
                                   phone="(312) 555-0100")
    consent_texts_create(clinic)
    user = User.objects.create_user(email=FRONT_DESK, password=DEMO_PASSWORD, full_name="Jordan Blake",
                                    role="front_desk", clinic=clinic)
    user_authenticators_create(user, totp_secret=demo_totp_secret(FRONT_DESK))


def test_a_request_from_a_phone_reaches_the_front_desk_with_its_confirmation_sent(journey, smtp):
    _clinic_with_front_desk()
    person = journey("outreach-public")
    page = person.page
    page.set_viewport_size(VIEWPORTS["phone"])
    person.goto("/request-consultation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Request a free consultation")
    sms_box, email_box = page.get_by_label("Yes, send me text messages"), page.get_by_label("Yes, send me e-mails")
    expect(sms_box).not_to_be_checked()
    expect(email_box).not_to_be_checked()
    expect(page.locator("#sms_disclosure")).to_contain_text("Msg & data rates may apply")
    person.snap("empty form")

    # Sending without contact details keeps what was typed and says what is missing, by the field.
    page.get_by_label("First name", exact=True).fill("Robin")
    page.get_by_label("Last name", exact=True).fill("Reyes")
    page.get_by_label("What would you like help with?").fill("Trouble sleeping and low mood.")
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("alert")).to_contain_text("Mobile phone")
    expect(page.get_by_label("First name", exact=True)).to_have_value("Robin")
    person.snap("errors beside the fields")

    page.get_by_label("Mobile phone", exact=True).fill("312 555 0188")
    page.get_by_label("E-mail", exact=True).fill("robin@example.org")
    page.get_by_label("An e-mail").check()
    page.get_by_label("When are good times to reach you?").fill("weekday mornings")
    email_box.focus()
    page.keyboard.press("Space")  # the box works from the keyboard
    expect(email_box).to_be_checked()
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, we have your request")
    expect(page.get_by_text("We have sent a confirmation to your e-mail address.")).to_be_visible()
    person.snap("request sent")

    [confirmation] = smtp.parsed()
    assert confirmation["To"] == "robin@example.org" and "we have your request" in confirmation["Subject"]
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.search(r"/unsubscribe/[^>]+/>", str(confirmation["List-Unsubscribe"]))

    desk = journey("outreach-front-desk")
    staff_sign_in(desk, FRONT_DESK)
    desk.page.get_by_role("link", name="Requests").click()
    desk.page.wait_for_load_state("networkidle")
    expect(desk.page.get_by_role("link", name="New (1)")).to_be_visible()
    desk.snap("queue")
    desk.page.get_by_role("link", name="Robin Reyes").click()
    desk.page.wait_for_load_state("networkidle")
    ledger = desk.page.locator("#ledger table")
    expect(ledger).to_contain_text("Public consultation form")
    expect(ledger).to_contain_text("wording v1")
    desk.snap("request with its ledger")
    desk.page.get_by_label("New status").select_option("contacted")
    desk.page.get_by_label("Note", exact=True).fill("Called, booked a call-back on Monday")
    desk.page.get_by_role("button", name="Save status").click()
    desk.page.wait_for_load_state("networkidle")
    expect(desk.page.get_by_role("status")).to_contain_text("Request marked contacted.")
    assert ConsultationRequest.objects.get().status == "contacted"
