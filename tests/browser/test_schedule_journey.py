"""The schedule in a real Chromium: a consultation request becomes a patient with an intake to
book; the front desk books it from Today at the next free time, the prescriber sees it on
Today and starts the video visit (in progress, its note opened and linked to the appointment),
whose page alone lets the meeting server use the camera and microphone, and opens the chart
beside it without emergency access (booking put the prescriber on the new patient's care team).

The clinic's zone is chosen so that it is daytime there whenever the test runs, so the visit
booked "at the next free time" falls on the clinic's today."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from tests.browser.test_assessments_journey import staff_sign_in
from tests.conftest import demographics

from dosewise.accounts.credentials import user_authenticators_create
from dosewise.accounts.models import User
from dosewise.clinics.models import Clinic
from dosewise.demo import DEMO_PASSWORD, DEMO_USERS, consent_texts_create, demo_totp_secret
from dosewise.outreach.models import ConsultationRequest, IntakeRequest
from dosewise.outreach.services import request_convert
from dosewise.scheduling import services
from dosewise.scheduling.models import Appointment, Status
from dosewise.visits.models import VisitNote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ZONES = ("Pacific/Honolulu", "America/Los_Angeles", "America/Chicago", "America/New_York", "Europe/London",
         "Europe/Berlin", "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney")
MEETING = "https://meet.clinic.test"


def _daytime_zone() -> str:
    now = datetime.now(ZoneInfo("UTC"))
    return next(z for z in ZONES if 8 <= now.astimezone(ZoneInfo(z)).hour < 17)


@pytest.fixture
def clinic(settings):
    settings.JITSI_BASE_URL = MEETING
    clinic = Clinic.objects.create(name="Riverside Psychiatry", slug="riverside", timezone=_daytime_zone())
    consent_texts_create(clinic)
    users = {}
    for email, name, role, credentials in DEMO_USERS:
        users[role] = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name, role=role,
                                               credentials=credentials, clinic=clinic)
        user_authenticators_create(users[role], totp_secret=demo_totp_secret(email))
    admin, prescriber = users["clinic_admin"], users["prescriber"]
    services.appointment_type_create(actor=admin, name="Video intake", duration_minutes=60, buffer_minutes=0,
                                     mode="video", bookable_by="staff", reminder_offsets=[1440], is_intake=True)
    for weekday in range(7):
        services.weekly_hours_add(actor=admin, provider=prescriber, weekday=weekday, start_time=time(7),
                                  end_time=time(23))
    asked = ConsultationRequest.objects.create(clinic=clinic, given_name="Marisol", family_name="Quintero",
                                               phone="+13125550177", preferred_channel="phone",
                                               reason="Medication review", preferred_times="mornings")
    request_convert(actor=users["front_desk"], request=asked, demographics=demographics(
        legal_given_name="Marisol", legal_family_name="Quintero"))
    return users


def test_the_front_desk_books_a_video_intake_the_prescriber_starts_it_from_today(journey, clinic):
    desk = journey("schedule-desk")
    staff_sign_in(desk, clinic["front_desk"].email)
    page = desk.page
    intakes = page.get_by_role("region", name=re.compile("Intakes to book"))
    expect(intakes).to_contain_text("Marisol Quintero")
    expect(intakes).to_contain_text("prefers mornings")
    desk.snap("today with the intake to book")
    intakes.get_by_role("link", name="Book the intake").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_label("Appointment type")).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_label("Appointment type").locator("option:checked")).to_have_text(
        "Video intake (60 min, video)")
    page.get_by_label("Clinician", exact=True).select_option(label="Dr Amara Okafor, MD")
    # Booking without a time says so next to the field and keeps what was chosen.
    page.get_by_role("button", name="Book", exact=True).click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".has-error").filter(has_text="Start time")).to_be_visible()
    expect(page.get_by_label("Appointment type")).to_have_value(re.compile(r"\d+"))
    page.get_by_role("button", name="Find the next free time").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("status")).to_contain_text("Next free time")
    desk.snap("next free time proposed")
    page.get_by_role("button", name="Book", exact=True).click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("status")).to_contain_text("Booked Marisol Quintero")
    desk.snap("intake booked")
    appointment = Appointment.objects.get()
    assert appointment.video_room and appointment.type.is_intake
    assert appointment.starts_at - datetime.now(ZoneInfo("UTC")) < timedelta(minutes=30)
    assert IntakeRequest.objects.get(patient=appointment.patient).status == "scheduled"

    doctor = journey("schedule-prescriber")
    doctor.page.route(f"{MEETING}/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<!doctype html><title>Meeting</title><p>Meeting room</p>"))
    staff_sign_in(doctor, clinic["prescriber"].email)
    page = doctor.page
    day = page.get_by_role("region", name=re.compile("Your day"))
    expect(day).to_contain_text("Marisol Quintero")
    local = appointment.starts_at.astimezone(ZoneInfo(appointment.clinic.timezone))
    expect(day).to_contain_text(f"{local:%H:%M}")  # the clinic's clock, not the installation's
    expect(day.get_by_role("link", name="Marisol Quintero")).to_have_attribute(
        "href", f"/patients/{appointment.patient_id}/")
    doctor.snap("today with the intake")
    with page.expect_response(re.compile(r"/video/$")) as answer:
        day.get_by_role("button", name="Start video visit").click()
    policy = answer.value.headers["permissions-policy"]
    assert f'camera=("{MEETING}")' in policy and f'microphone=("{MEETING}")' in policy
    frame = page.locator("iframe.video-frame")
    expect(frame).to_have_attribute("src", re.compile(f"^{re.escape(MEETING)}/{appointment.video_room}"))
    expect(page.frame_locator("iframe.video-frame").get_by_text("Meeting room")).to_be_visible()
    expect(page.get_by_role("link", name="Open the chart beside the call")).to_have_attribute(
        "href", f"/patients/{appointment.patient_id}/")
    note = VisitNote.objects.get(appointment_ref=appointment.pk)
    assert Appointment.objects.get(pk=appointment.pk).status == Status.IN_PROGRESS
    assert note.author == clinic["prescriber"] and note.kind == "initial_evaluation"
    expect(page.get_by_role("link", name="Open the visit note")).to_have_attribute(
        "href", reverse("visits:note_detail", kwargs={"patient_id": appointment.patient_id, "note_id": note.pk}))
    doctor.snap("video visit", axe=False)
    # The chart beside the call opens for the prescriber: the booking put them on the care team.
    chart = page.request.get(doctor.base_url + f"/patients/{appointment.patient_id}/")
    assert chart.status == 200  # not the 403 of the emergency-access page
    # Every other page keeps denying the camera and the microphone.
    other = page.request.get(doctor.base_url + "/schedule/")
    assert other.headers["permissions-policy"].startswith("camera=(), microphone=()")
