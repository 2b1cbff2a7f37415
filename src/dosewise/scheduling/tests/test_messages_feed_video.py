"""Reminders at the type's offsets through the outbox with an .ics, the patient's signed link,
the private feed without names, video rooms and tokens, and the waiting list's offer race."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import jwt
import pytest
from django.core import mail
from django.db import OperationalError, close_old_connections, connection
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from tests.conftest import demographics

from dosewise.notifications.models import OutboundMessage
from dosewise.patients import services as patient_services
from dosewise.patients.selectors import access_patient
from dosewise.scheduling import services, video
from dosewise.scheduling.models import (
    Appointment,
    AppointmentReminder,
    SlotOffer,
    Status,
    TelehealthConsent,
    WaitlistEntry,
)
from dosewise.scheduling.tests.conftest import at, next_weekday


@pytest.fixture
def booked(front_desk_a, prescriber_a, dana_desk, kinds, hours):
    return services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                                     kind=kinds["intake"], starts_at=at(next_weekday(2), 10), reason="low mood")


def test_booking_sends_a_confirmation_with_the_ics_and_a_signed_link_but_no_reason(booked):
    message = OutboundMessage.objects.get(purpose="appointment.booked")
    assert message.to == "dana@example.org" and message.attachment_name == "appointment.ics"
    assert "low mood" not in message.body and "Intake" not in message.body
    event = Calendar.from_ical(message.attachment).walk("VEVENT")[0]
    assert event.decoded("dtstart") == booked.starts_at
    token = message.body.split("/schedule/a/")[1].split("/")[0]
    assert services.appointment_from_token(token) == booked


def test_reminders_go_out_once_each_at_their_offset(booked):
    start = booked.starts_at
    assert services.reminders_send(now=start - timedelta(days=3)) == 0
    assert services.reminders_send(now=start - timedelta(days=2)) == 1
    assert services.reminders_send(now=start - timedelta(days=2)) == 0  # never twice
    assert services.reminders_send(now=start - timedelta(hours=2)) == 1
    assert OutboundMessage.objects.filter(purpose="appointment.reminder").count() == 2
    assert set(AppointmentReminder.objects.values_list("status", flat=True)) == {"sent"}


def test_a_cancelled_appointment_sends_no_reminder(booked, front_desk_a):
    services.appointment_cancel(actor=front_desk_a, appointment=booked, reason="clinic", by_patient=False)
    assert services.reminders_send(now=booked.starts_at - timedelta(hours=1)) == 0
    assert not OutboundMessage.objects.filter(purpose="appointment.reminder").exists()


def test_the_patient_confirms_then_cancels_from_the_signed_link(booked, client):
    url = reverse("scheduling:patient_link", kwargs={"token": services.appointment_link_token(booked)})
    page = client.get(url)
    assert page.status_code == 200 and "Yes, I will be there" in page.content.decode()
    client.post(url, {"action": "confirm"})
    assert Appointment.objects.get(pk=booked.pk).status == Status.CONFIRMED
    client.post(url, {"action": "cancel"})
    cancelled = Appointment.objects.get(pk=booked.pk)
    assert cancelled.status == Status.CANCELLED and cancelled.cancelled_by_patient
    # A link for one appointment opens no other: the signature binds the appointment and the patient.
    tampered = services.appointment_link_token(booked)[:-2] + "xx"
    assert client.get(reverse("scheduling:patient_link", kwargs={"token": tampered})).status_code == 404


def test_the_feed_has_times_and_rooms_but_no_names_types_or_reasons_and_stops_when_revoked(
        booked, prescriber_a, client):
    token = services.calendar_feed_create(actor=prescriber_a)
    url = reverse("scheduling:feed", kwargs={"token": token})
    body = client.get(url).content
    text = body.decode()
    events = Calendar.from_ical(body).walk("VEVENT")
    assert len(events) == 1 and str(events[0]["summary"]) == "Appointment"
    assert str(events[0]["location"]) == "Room 2"
    for secret in ("Dana", "Diaz", "Intake", "low mood", booked.patient.mrn):
        assert secret not in text
    services.calendar_feed_revoke(actor=prescriber_a)
    assert client.get(url).status_code == 404


def test_each_video_visit_gets_its_own_unguessable_room(front_desk_a, prescriber_a, dana_desk, kinds, hours):
    day = next_weekday(3)
    rooms = {services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                                       kind=kinds["video"], starts_at=at(day, 9 + i)).video_room for i in range(3)}
    assert len(rooms) == 3 and all(len(room) == 32 and int(room, 16) >= 0 for room in rooms)


def test_with_an_app_secret_each_participant_gets_a_signed_token_only_the_clinician_moderates(
        settings, front_desk_a, prescriber_a, dana_desk, kinds, hours):
    settings.JITSI_BASE_URL, settings.JITSI_APP_ID = "https://meet.clinic.example", "dosewise"
    settings.JITSI_APP_SECRET = "a-long-shared-secret-for-the-test-only"
    visit = services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                                      kind=kinds["video"], starts_at=at(next_weekday(3), 9))
    clinician = video.join_url(visit, name="Alice Adams, MD", moderator=True)
    patient = video.join_url(visit, name="Dana", moderator=False)
    assert clinician.startswith(f"https://meet.clinic.example/{visit.video_room}?jwt=")
    claims = {url: jwt.decode(url.split("jwt=")[1].split("#")[0], settings.JITSI_APP_SECRET, audience="jitsi",
                              algorithms=["HS256"], options={"verify_nbf": False}) for url in (clinician, patient)}
    assert claims[clinician]["room"] == visit.video_room and claims[clinician]["sub"] == "meet.clinic.example"
    assert claims[clinician]["context"]["user"]["moderator"] is True
    assert claims[patient]["context"]["user"]["moderator"] is False
    settings.JITSI_APP_SECRET = ""
    assert "jwt=" not in video.join_url(visit, name="Dana", moderator=False)


def test_only_the_video_page_allows_camera_and_microphone_and_only_for_the_meeting_origin(
        settings, front_desk_a, prescriber_a, dana_desk, kinds, as_user):
    settings.JITSI_BASE_URL = "https://meet.clinic.example"
    visit = services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                                      kind=kinds["video"], starts_at=timezone.now() + timedelta(minutes=5),
                                      outside_hours=True)
    client = as_user(prescriber_a)
    page = client.get(reverse("scheduling:video_visit", args=[visit.pk]))
    policy = page["Permissions-Policy"]
    assert 'camera=("https://meet.clinic.example")' in policy and 'microphone=("https://meet.clinic.example")' in policy
    assert "frame-src https://meet.clinic.example" in page["Content-Security-Policy"]
    for other in (reverse("scheduling:appointment_detail", args=[visit.pk]), reverse("scheduling:schedule"),
                  reverse("web:home")):
        assert client.get(other)["Permissions-Policy"].startswith("camera=(), microphone=()")


def test_the_patient_gives_location_and_consent_once_then_confirms_each_visit(
        front_desk_a, prescriber_a, dana_desk, kinds, client):
    visit = services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                                      kind=kinds["video"], starts_at=timezone.now() + timedelta(minutes=10),
                                      outside_hours=True)
    url = reverse("scheduling:patient_video", kwargs={"token": services.appointment_link_token(visit)})
    refused = client.post(url, {"location_state": ""})
    assert refused.status_code == 400 and "Choose the state" in refused.content.decode()
    joined = client.post(url, {"location_state": "IL", "consent": "on"})
    assert joined.status_code == 200 and visit.video_room in joined.content.decode()
    assert "camera=(" in joined["Permissions-Policy"] and joined["Permissions-Policy"] != "camera=()"
    visit.refresh_from_db()
    assert visit.patient_location_state == "IL" and visit.telehealth_confirmed_at is not None
    assert TelehealthConsent.objects.filter(patient=visit.patient).count() == 1
    services.video_visit_check_in(appointment=visit, location_state="WI", consent_confirmed=True)
    assert TelehealthConsent.objects.filter(patient=visit.patient).count() == 1  # once, then confirmed


@pytest.mark.django_db(transaction=True)
def test_two_waiting_patients_accepting_the_same_freed_slot_at_once_one_gets_it(
        front_desk_a, prescriber_a, dana, kinds, hours, audit_rows_cleared):
    desk = access_patient(front_desk_a, dana.pk)
    waiting = []
    for given in ("Olga", "Pavel"):
        person = patient_services.patient_register(actor=front_desk_a, data=demographics(
            legal_given_name=given, legal_family_name="Waits", email=f"{given.lower()}@example.org"))
        waiting.append(services.waitlist_add(actor=front_desk_a, access=access_patient(front_desk_a, person.pk),
                                             kind=kinds["follow_up"], priority=2))
    freed = services.appointment_book(actor=front_desk_a, access=desk, provider=prescriber_a,
                                      kind=kinds["follow_up"], starts_at=at(next_weekday(4), 11))
    services.appointment_cancel(actor=front_desk_a, appointment=freed, reason="patient_request", by_patient=True)
    offer = SlotOffer.objects.get()
    assert set(offer.offered_to.all()) == set(waiting)
    assert OutboundMessage.objects.filter(purpose="waitlist.offer").count() == 2
    barrier, outcomes = threading.Barrier(2), []

    def accept(entry):
        try:
            barrier.wait(timeout=10)
            for _attempt in range(200):
                try:
                    services.slot_offer_accept(offer=offer, entry=entry)
                    outcomes.append("booked")
                    return
                except OperationalError as exc:  # the in-memory database: the second writer waits here
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.02)
        except services.ValidationError as exc:
            outcomes.append("gone: " + " ".join(exc.messages))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=accept, args=(entry,)) for entry in waiting]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(o.split(":")[0] for o in outcomes) == ["booked", "gone"], outcomes
    assert "someone else took this time first" in next(o for o in outcomes if o.startswith("gone"))
    assert WaitlistEntry.objects.filter(status="booked").count() == 1
    assert Appointment.objects.filter(starts_at=freed.starts_at).exclude(status=Status.CANCELLED).count() == 1
    assert len(mail.outbox) >= 2


def test_the_pages_opened_by_a_secret_are_never_stored_by_a_cache(booked, prescriber_a, client):
    token = services.calendar_feed_create(actor=prescriber_a)
    for url in (reverse("scheduling:patient_link", kwargs={"token": services.appointment_link_token(booked)}),
                reverse("scheduling:feed", kwargs={"token": token})):
        assert "no-store" in client.get(url)["Cache-Control"]
