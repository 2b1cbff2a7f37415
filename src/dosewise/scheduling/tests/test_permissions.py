"""Who may use each schedule page: one row per route, one column per named person.

Alice (prescriber) has the appointments; Fran (front desk) and Ada (clinic admin) book for
everyone; Bob, Nina and Theo are clinicians of the same clinic who see only their own calendar
(a colleague's appointment is 404; a patient outside their care team is the break-glass 403);
Carol of clinic B finds nothing (404). Only Ada sets types and rooms. The patient's signed
links and the private feed answer to whoever holds the secret. Every POST row checks that the
change happened exactly when access was allowed.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing
from django.utils import timezone
from tests.conftest import demographics

from dosewise.lib.permission_matrix import (
    FORBID,
    GO,
    GONE,
    LOGIN,
    OK,
    ORDER,
    Case,
    assert_case,
    case_id,
    route_names,
    row,
)
from dosewise.patients import services as patient_services
from dosewise.patients.selectors import access_patient
from dosewise.portal.tests.conftest import link_portal
from dosewise.scheduling import services
from dosewise.scheduling.models import (
    Appointment,
    AppointmentType,
    CalendarFeed,
    Resource,
    ScheduleException,
    SlotOffer,
    Status,
    WaitlistEntry,
    WeeklyHours,
)
from dosewise.scheduling.tests.conftest import at, next_weekday

BAD = "400"
STAFF_PAGE = row(LOGIN, FORBID, OK, OK, OK, OK, OK, OK, OK)
ALICE_OR_DESK = row(LOGIN, FORBID, OK, GONE, GONE, GONE, OK, OK, GONE)
CHANGE = row(LOGIN, FORBID, GO, GONE, GONE, GONE, GO, GO, GONE)
ADMIN = row(LOGIN, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, OK, FORBID)
ADMIN_WRITE = row(LOGIN, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, GO, FORBID)
PUBLIC = row(OK, OK, OK, OK, OK, OK, OK, OK, OK)
PUBLIC_WRITE = row(GO, GO, GO, GO, GO, GO, GO, GO, GO)
PATIENT_ONLY = row(LOGIN, OK, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID)
PATIENT_WRITE = row(LOGIN, GO, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID)


class Ctx:
    """Alice's hours, the clinic's types, Dana's appointments (in person, video soon, begun, in a
    series), Olga waiting, a slot offered to her, Alice's feed."""

    def __init__(self, people, dana, kinds):
        alice, fran = people["prescriber_a"], people["front_desk_a"]
        self.alice, self.dana, self.kinds = alice, dana, kinds
        self.day = next_weekday(1)
        desk = access_patient(fran, dana.pk)
        book = services.appointment_book
        self.appointment = book(actor=fran, access=desk, provider=alice, kind=kinds["follow_up"],
                                starts_at=at(self.day, 9))
        soon = timezone.now() + timedelta(minutes=10)
        self.video = book(actor=fran, access=desk, provider=alice, kind=kinds["video"], starts_at=soon,
                          outside_hours=True)
        self.begun = book(actor=fran, access=desk, provider=alice, kind=kinds["follow_up"],
                          starts_at=timezone.now() + timedelta(minutes=50), outside_hours=True)
        Appointment.objects.filter(pk=self.begun.pk).update(
            starts_at=timezone.now() - timedelta(minutes=40), ends_at=timezone.now() - timedelta(minutes=10),
            blocks_until=timezone.now() - timedelta(minutes=10))
        self.series = services.series_book(actor=fran, access=desk, provider=alice, kind=kinds["follow_up"],
                                           first_start=at(self.day, 13), rule="FREQ=WEEKLY;INTERVAL=4;COUNT=3")
        self.hours = WeeklyHours.objects.filter(provider=alice).first()
        self.time_off = services.schedule_exception_add(actor=fran, provider=alice, kind="time_off",
                                                        starts_at=at(self.day + timedelta(days=2), 9),
                                                        ends_at=at(self.day + timedelta(days=2), 12))
        olga = patient_services.patient_register(actor=fran, data=demographics(
            legal_given_name="Olga", legal_family_name="Ortiz", email="olga@example.org"))
        self.entry = services.waitlist_add(actor=fran, access=access_patient(fran, olga.pk), kind=kinds["follow_up"],
                                           priority=1)
        spare = book(actor=fran, access=desk, provider=alice, kind=kinds["follow_up"], starts_at=at(self.day, 15))
        services.appointment_cancel(actor=fran, appointment=spare, reason="patient_request", by_patient=True)
        self.offer = SlotOffer.objects.get()
        self.offer_token = signing.dumps({"o": self.offer.pk, "e": self.entry.pk}, salt=services.OFFER_SALT,
                                         compress=True)
        self.link = services.appointment_link_token(self.appointment)
        self.video_link = services.appointment_link_token(self.video)
        self.feed_token = services.calendar_feed_create(actor=alice)
        # Pat is Dana's portal account: the portal's appointment pages are hers alone.
        link_portal(people["patient_user"], dana, alice)
        self.pat_user = people["patient_user"]
        AppointmentType.objects.filter(pk=kinds["follow_up"].pk).update(bookable_by="patient")
        self._request = None

    @property
    def request(self):
        """Pat's own request, made only by the row that withdraws it (the waiting-list rows count entries)."""
        if self._request is None:
            self._request = WaitlistEntry.objects.create(clinic_id=self.dana.clinic_id, patient=self.dana,
                                                         type=self.kinds["video"], note="mornings",
                                                         created_by=self.pat_user)
        return self._request


def _appt(c):
    return {"appointment_id": c.appointment.pk}


def _status(c):
    return Appointment.objects.get(pk=c.appointment.pk).status


CASES = [
    Case("scheduling:schedule", "get", STAFF_PAGE),
    Case("scheduling:book", "get", STAFF_PAGE, label="search"),
    Case("scheduling:book", "get", row(LOGIN, FORBID, OK, "403", "403", OK, OK, OK, GONE),
         data=lambda c: {"patient": c.dana.pk}, label="patient"),
    Case("scheduling:book", "post", row(LOGIN, FORBID, GO, "403", "403", BAD, GO, GO, GONE),
         data=lambda c: {"patient": c.dana.pk, "provider": c.alice.pk, "kind": c.kinds["intake"].pk,
                         "date": c.day.isoformat(), "time": "10:00"},
         effect=lambda c: Appointment.objects.filter(starts_at=at(c.day, 10)).exists()),
    Case("scheduling:appointment_detail", "get", ALICE_OR_DESK, kwargs=_appt),
    Case("scheduling:appointment_ics", "get", ALICE_OR_DESK, kwargs=_appt),
    Case("scheduling:appointment_reschedule", "post", CHANGE, kwargs=_appt,
         data=lambda c: {"date": c.day.isoformat(), "time": "11:00", "version": c.appointment.version},
         effect=lambda c: Appointment.objects.get(pk=c.appointment.pk).starts_at == at(c.day, 11)),
    Case("scheduling:appointment_cancel", "post", CHANGE, kwargs=_appt,
         data=lambda c: {"reason": "patient_ill", "by_patient": "on", "version": c.appointment.version},
         effect=lambda c: _status(c) == Status.CANCELLED),
    Case("scheduling:appointment_status", "post", CHANGE, kwargs=_appt,
         data=lambda c: {"status": "arrived", "version": c.appointment.version},
         effect=lambda c: _status(c) == Status.ARRIVED),
    Case("scheduling:appointment_no_show", "post", CHANGE, kwargs=lambda c: {"appointment_id": c.begun.pk},
         data=lambda c: {"reason": "forgot", "version": c.begun.version},
         effect=lambda c: Appointment.objects.get(pk=c.begun.pk).status == Status.NO_SHOW),
    Case("scheduling:series_end", "post", CHANGE,
         kwargs=lambda c: {"appointment_id": c.series.booked[1].pk},
         effect=lambda c: Appointment.objects.get(pk=c.series.booked[2].pk).status == Status.CANCELLED),
    # Only the appointment's own clinician starts the video visit; the desk books it but does not join.
    Case("scheduling:video_visit", "get", row(LOGIN, FORBID, OK, GONE, GONE, GONE, FORBID, FORBID, GONE),
         kwargs=lambda c: {"appointment_id": c.video.pk}),
    # Starting the visit (in progress, its note opened) is the appointment's own clinician's act too.
    Case("scheduling:appointment_start", "post", row(LOGIN, FORBID, GO, GONE, GONE, GONE, FORBID, FORBID, GONE),
         kwargs=lambda c: {"appointment_id": c.video.pk},
         effect=lambda c: Appointment.objects.get(pk=c.video.pk).status == Status.IN_PROGRESS),
    Case("scheduling:availability", "get", STAFF_PAGE),
    Case("scheduling:availability", "post", row(LOGIN, FORBID, GO, GONE, GONE, GONE, GO, GO, GONE),
         data=lambda c: {"provider": c.alice.pk, "add": "hours", "h-weekday": "5", "h-start_time": "09:00",
                         "h-end_time": "12:00"},
         effect=lambda c: WeeklyHours.objects.filter(provider=c.alice, weekday=5).exists()),
    Case("scheduling:hours_remove", "post", row(LOGIN, FORBID, GO, FORBID, FORBID, FORBID, GO, GO, GONE),
         kwargs=lambda c: {"hours_id": c.hours.pk},
         effect=lambda c: not WeeklyHours.objects.filter(pk=c.hours.pk).exists()),
    Case("scheduling:exception_remove", "post", row(LOGIN, FORBID, GO, FORBID, FORBID, FORBID, GO, GO, GONE),
         kwargs=lambda c: {"exception_id": c.time_off.pk},
         effect=lambda c: not ScheduleException.objects.filter(pk=c.time_off.pk).exists()),
    Case("scheduling:settings", "get", ADMIN),
    Case("scheduling:settings", "post", ADMIN_WRITE, data=lambda c: {"add": "resource", "r-name": "Room 9",
                                                                     "r-kind": "room"},
         effect=lambda c: Resource.objects.filter(name="Room 9").exists()),
    Case("scheduling:waitlist", "get", STAFF_PAGE),
    Case("scheduling:waitlist", "post", row(LOGIN, FORBID, GO, "403", "403", BAD, GO, GO, GONE),
         data=lambda c: {"patient": c.dana.pk, "kind": c.kinds["follow_up"].pk, "provider": c.alice.pk,
                         "priority": "2"},
         effect=lambda c: WaitlistEntry.objects.filter(patient=c.dana).exists()),
    Case("scheduling:waitlist_remove", "post", row(LOGIN, FORBID, GONE, GONE, GONE, GONE, GO, GO, GONE),
         kwargs=lambda c: {"entry_id": c.entry.pk},
         effect=lambda c: WaitlistEntry.objects.get(pk=c.entry.pk).status == "removed"),
    Case("scheduling:rates", "get", row(LOGIN, FORBID, FORBID, FORBID, FORBID, FORBID, OK, OK, FORBID)),
    Case("scheduling:feed_settings", "get", STAFF_PAGE),
    Case("scheduling:feed_settings", "post", STAFF_PAGE,
         data=lambda c: {"action": "create"}, effect=lambda c: CalendarFeed.objects.count() == 2),
    # The secret is the key: whoever holds the feed address or a patient's link may use it.
    Case("scheduling:feed", "get", PUBLIC, kwargs=lambda c: {"token": c.feed_token}),
    Case("scheduling:patient_link", "get", PUBLIC, kwargs=lambda c: {"token": c.link}),
    Case("scheduling:patient_link", "post", PUBLIC_WRITE, kwargs=lambda c: {"token": c.link},
         data=lambda c: {"action": "confirm"}, effect=lambda c: _status(c) == Status.CONFIRMED),
    Case("scheduling:patient_video", "get", PUBLIC, kwargs=lambda c: {"token": c.video_link}),
    Case("scheduling:offer_accept", "get", PUBLIC, kwargs=lambda c: {"token": c.offer_token}),
    # The patient's pages in the portal: Pat only; staff are refused (403), as on every portal page.
    Case("scheduling:portal_appointments", "get", PATIENT_ONLY),
    Case("scheduling:portal_appointments", "post", PATIENT_WRITE,
         data=lambda c: {"kind": c.kinds["follow_up"].pk, "note": "Tuesday mornings"},
         effect=lambda c: WaitlistEntry.objects.filter(patient=c.dana, note="Tuesday mornings").exists()),
    Case("scheduling:portal_appointment_action", "post", PATIENT_WRITE, kwargs=_appt,
         data=lambda c: {"action": "confirm"}, effect=lambda c: _status(c) == Status.CONFIRMED),
    Case("scheduling:portal_appointment_ics", "get", PATIENT_ONLY, kwargs=_appt),
    Case("scheduling:portal_request_withdraw", "post", PATIENT_WRITE, kwargs=lambda c: {"entry_id": c.request.pk},
         effect=lambda c: WaitlistEntry.objects.get(pk=c.request.pk).status == "removed"),
    Case("scheduling:offer_accept", "post", PUBLIC_WRITE, kwargs=lambda c: {"token": c.offer_token},
         effect=lambda c: WaitlistEntry.objects.get(pk=c.entry.pk).status == "booked"),
]


def test_every_route_has_a_row():
    assert route_names("scheduling") == {case.route for case in CASES}


@pytest.mark.parametrize("person", ORDER)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_matrix(case: Case, person: str, people, dana, kinds, hours, as_user):
    assert_case(case, Ctx(people, dana, kinds), as_user(people[person]), person)


@pytest.mark.parametrize("token", ["forged", "x" * 60])
def test_a_forged_link_or_feed_address_is_404(token, client, db):
    from django.urls import reverse

    for route in ("scheduling:patient_link", "scheduling:feed", "scheduling:offer_accept"):
        assert client.get(reverse(route, kwargs={"token": token})).status_code == 404


def test_the_types_admin_page_lists_types(admin_a, kinds, as_user):
    from django.urls import reverse

    page = as_user(admin_a).get(reverse("scheduling:settings")).content.decode()
    assert all(t.name in page for t in AppointmentType.objects.all())
