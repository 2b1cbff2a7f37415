"""Pat, Dana's portal account, sees her coming appointments in the portal, confirms or cancels one,
adds it to her calendar and asks for a new one; another patient's appointment stays out of reach."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.conftest import demographics

from dosewise.audit.models import AuditEvent
from dosewise.patients import services as patient_services
from dosewise.scheduling import services
from dosewise.scheduling.models import (
    Appointment,
    AppointmentType,
    BookableBy,
    Status,
    WaitlistEntry,
    WaitStatus,
)
from dosewise.scheduling.tests.conftest import at, next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def dana_follow_up(hours, kinds, front_desk_a, dana_desk, prescriber_a):
    return services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                                     kind=kinds["follow_up"], starts_at=at(next_weekday(1), 10))


def test_pat_sees_her_appointment_confirms_it_and_downloads_the_calendar_file(pat, patient_user, dana_follow_up,
                                                                              as_user):
    client = as_user(patient_user)
    page = client.get(reverse("scheduling:portal_appointments")).content.decode()
    assert "Follow-up with" in page and "Not confirmed yet" in page and "Yes, I will be there" in page
    assert AuditEvent.objects.filter(action="appointment.list", patient=dana_follow_up.patient).exists()
    client.post(reverse("scheduling:portal_appointment_action", args=[dana_follow_up.pk]), {"action": "confirm"})
    dana_follow_up.refresh_from_db()
    assert dana_follow_up.status == Status.CONFIRMED
    ics = client.get(reverse("scheduling:portal_appointment_ics", args=[dana_follow_up.pk]))
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content


def test_pat_cancels_and_the_cancellation_is_by_the_patient(pat, patient_user, dana_follow_up, as_user):
    as_user(patient_user).post(reverse("scheduling:portal_appointment_action", args=[dana_follow_up.pk]),
                               {"action": "cancel"})
    dana_follow_up.refresh_from_db()
    assert dana_follow_up.status == Status.CANCELLED and dana_follow_up.cancelled_by_patient


def test_another_patients_appointment_is_not_found(pat, patient_user, hours, kinds, front_desk_a, prescriber_a,
                                                   as_user):
    other = patient_services.patient_register(actor=prescriber_a, data=demographics(
        legal_given_name="Omar", legal_family_name="Ortiz"))
    from dosewise.patients.selectors import access_patient

    theirs = services.appointment_book(actor=front_desk_a, access=access_patient(front_desk_a, other.pk),
                                       provider=prescriber_a, kind=kinds["follow_up"],
                                       starts_at=at(next_weekday(2), 11))
    client = as_user(patient_user)
    assert client.post(reverse("scheduling:portal_appointment_action", args=[theirs.pk]),
                       {"action": "cancel"}).status_code == 404
    assert client.get(reverse("scheduling:portal_appointment_ics", args=[theirs.pk])).status_code == 404
    assert Appointment.objects.get(pk=theirs.pk).status == Status.BOOKED
    assert "Omar" not in client.get(reverse("scheduling:portal_appointments")).content.decode()


def test_staff_and_strangers_do_not_reach_the_patient_pages(prescriber_a, as_user):
    assert as_user(prescriber_a).get(reverse("scheduling:portal_appointments")).status_code == 403
    anonymous = as_user(None).get(reverse("scheduling:portal_appointments"))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_pat_asks_for_a_follow_up_once_and_can_withdraw_it(pat, patient_user, hours, kinds, as_user):
    # The clinic's policy: patients may ask for follow-ups, not for the esketamine chair or an intake.
    AppointmentType.objects.filter(pk=kinds["follow_up"].pk).update(bookable_by=BookableBy.PATIENT)
    client = as_user(patient_user)
    url = reverse("scheduling:portal_appointments")
    page = client.get(url).content.decode()
    offered = page.split("Ask for an appointment")[1]
    assert "Follow-up" in offered and "Intake" not in offered and "Esketamine" not in offered
    client.post(url, {"kind": kinds["follow_up"].pk, "note": "Tuesday mornings"})
    entry = WaitlistEntry.objects.get(patient=pat.patient)
    assert entry.status == WaitStatus.WAITING and entry.note == "Tuesday mornings"
    again = client.post(url, {"kind": kinds["follow_up"].pk, "note": ""}).content.decode()
    assert "already asked" in again and WaitlistEntry.objects.filter(patient=pat.patient).count() == 1
    refused = client.post(url, {"kind": kinds["intake"].pk, "note": "x" * 10}).content.decode()
    assert "Select a valid choice" in refused
    client.post(reverse("scheduling:portal_request_withdraw", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.status == WaitStatus.REMOVED
