"""Starting the visit from the schedule: the appointment goes in progress, its note opens (one
note per appointment, linked to it), a video visit opens the video page with the chart and the
note beside it; only the appointment's clinician starts it, on its day, and it is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dosewise.audit.models import AuditEvent
from dosewise.scheduling import services
from dosewise.scheduling.models import Appointment, Status
from dosewise.scheduling.tests.conftest import at, next_weekday
from dosewise.visits.models import VisitNote


def book(front_desk_a, prescriber_a, dana_desk, kind, starts_at=None):
    return services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a, kind=kind,
                                     starts_at=starts_at or timezone.now() + timedelta(minutes=20),
                                     outside_hours=True)


@pytest.fixture
def intake(daytime, front_desk_a, prescriber_a, dana_desk, kinds):
    return book(front_desk_a, prescriber_a, dana_desk, kinds["intake"])


def start(client, appointment):
    return client.post(reverse("scheduling:appointment_start", args=[appointment.pk]))


def test_starting_a_visit_marks_it_in_progress_and_opens_a_note_linked_to_the_appointment(
        intake, as_user, prescriber_a):
    response = start(as_user(prescriber_a), intake)
    note = VisitNote.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("visits:note_detail", kwargs={"patient_id": note.patient_id,
                                                                          "note_id": note.pk})
    assert Appointment.objects.get(pk=intake.pk).status == Status.IN_PROGRESS
    assert (note.appointment_ref, note.kind, note.author, note.status) == (
        intake.pk, "initial_evaluation", prescriber_a, "draft")
    event = AuditEvent.objects.get(action="appointment.visit_start")
    assert event.actor == prescriber_a and event.detail["note"] == note.pk and event.detail["note_created"]


def test_starting_it_again_opens_the_same_note(intake, as_user, prescriber_a):
    client = as_user(prescriber_a)
    first = start(client, intake)["Location"]
    assert start(client, intake)["Location"] == first
    assert VisitNote.objects.count() == 1
    assert AuditEvent.objects.filter(action="appointment.visit_start").last().detail["resumed"] is True


def test_a_follow_up_starts_a_follow_up_note(daytime, as_user, front_desk_a, prescriber_a, dana_desk, kinds):
    visit = book(front_desk_a, prescriber_a, dana_desk, kinds["follow_up"])
    start(as_user(prescriber_a), visit)
    assert VisitNote.objects.get(appointment_ref=visit.pk).kind == "follow_up"


def test_a_video_visit_opens_the_video_page_with_the_chart_and_the_note_beside_it(
        daytime, as_user, front_desk_a, prescriber_a, dana_desk, kinds):
    visit = book(front_desk_a, prescriber_a, dana_desk, kinds["video"])
    client = as_user(prescriber_a)
    response = start(client, visit)
    assert response["Location"] == reverse("scheduling:video_visit", args=[visit.pk])
    page = client.get(response["Location"]).content.decode()
    note = VisitNote.objects.get(appointment_ref=visit.pk)
    assert reverse("visits:note_detail", kwargs={"patient_id": note.patient_id, "note_id": note.pk}) in page
    assert reverse("web:patient_chart", args=[visit.patient_id]) in page


@pytest.mark.parametrize(("who", "status"), [("front_desk_a", 403), ("admin_a", 403), ("colleague_a", 404),
                                             ("clinician_b", 404), ("patient_user", 403)])
def test_only_the_appointments_clinician_starts_it(intake, as_user, request, who, status):
    assert start(as_user(request.getfixturevalue(who)), intake).status_code == status
    assert Appointment.objects.get(pk=intake.pk).status == Status.BOOKED
    assert not VisitNote.objects.exists()


def test_a_visit_on_another_day_or_cancelled_cannot_be_started(
        daytime, as_user, front_desk_a, prescriber_a, dana_desk, kinds, hours):
    later = book(front_desk_a, prescriber_a, dana_desk, kinds["follow_up"], at(next_weekday(2), 10))
    cancelled = book(front_desk_a, prescriber_a, dana_desk, kinds["follow_up"])
    services.appointment_cancel(actor=front_desk_a, appointment=cancelled, reason="clinic", by_patient=False)
    client = as_user(prescriber_a)
    for appointment, words in ((later, "it can be started on that day"), (cancelled, "cancelled")):
        response = start(client, appointment)
        assert response["Location"] == reverse("scheduling:appointment_detail", args=[appointment.pk])
        assert words in client.get(response["Location"]).content.decode()
    assert Appointment.objects.get(pk=later.pk).status == Status.BOOKED
    assert not VisitNote.objects.exists()


def test_today_and_the_day_view_offer_start_visit_to_the_clinician_only(intake, as_user, prescriber_a,
                                                                        front_desk_a):
    url = reverse("scheduling:appointment_start", args=[intake.pk])
    alice = as_user(prescriber_a)
    assert url in alice.get(reverse("web:home")).content.decode()
    day = alice.get(reverse("scheduling:schedule")).content.decode()
    assert url in day and "csrfmiddlewaretoken" in day
    assert url not in alice.get(reverse("scheduling:schedule") + "?view=week").content.decode()
    assert url not in as_user(front_desk_a).get(reverse("scheduling:schedule")).content.decode()
    assert "Start the visit" not in as_user(front_desk_a).get(
        reverse("scheduling:appointment_detail", args=[intake.pk])).content.decode()


def test_a_visit_in_progress_cannot_be_cancelled_by_the_patient(intake, as_user, prescriber_a, client):
    start(as_user(prescriber_a), intake)
    url = reverse("scheduling:patient_link", kwargs={"token": services.appointment_link_token(intake)})
    client.post(url, {"action": "cancel"})
    assert Appointment.objects.get(pk=intake.pk).status == Status.IN_PROGRESS
    assert "already begun" in client.get(url).content.decode()
