"""Booking, moving, cancelling and no-shows; double booking is refused by the form's service
and by the database, also when two people book the last slot at the same moment."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, OperationalError, close_old_connections, connection, transaction
from django.utils import timezone
from tests.conftest import demographics

from dosewise.audit.models import AuditEvent
from dosewise.patients import services as patient_services
from dosewise.patients.selectors import access_patient
from dosewise.scheduling import services
from dosewise.scheduling.models import Appointment, AppointmentReminder, ResourceHold, Status
from dosewise.scheduling.tests.conftest import at, next_weekday


@pytest.fixture
def tuesday():
    return next_weekday(1)


def test_the_front_desk_books_an_intake_and_it_is_audited_with_reminders_at_the_type_offsets(
        front_desk_a, prescriber_a, dana_desk, kinds, hours, tuesday):
    start = at(tuesday, 10)
    appointment = services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                                            kind=kinds["intake"], starts_at=start)
    assert appointment.ends_at - appointment.starts_at == timedelta(minutes=60)
    assert AuditEvent.objects.filter(action="appointment.book", object_id=str(appointment.pk)).exists()
    offsets = sorted(AppointmentReminder.objects.filter(appointment=appointment).values_list("offset_minutes",
                                                                                             flat=True))
    assert offsets == [120, 2880]
    due = {r.offset_minutes: r.due_at for r in appointment.reminders.all()}
    assert due[120] == start - timedelta(hours=2) and due[2880] == start - timedelta(days=2)
    assert ResourceHold.objects.filter(appointment=appointment, resource__name="Room 2", active=True).exists()


def test_a_second_booking_that_overlaps_is_refused_with_the_time_it_clashes_with(
        front_desk_a, prescriber_a, dana_desk, kinds, hours, tuesday):
    services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a, kind=kinds["intake"],
                              starts_at=at(tuesday, 10))
    with pytest.raises(services.SlotTaken) as refused:
        services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                                  kind=kinds["follow_up"], starts_at=at(tuesday, 10, 30))
    assert "already booked at 10:30" in " ".join(refused.value.messages)
    assert "busy until 11:00" in " ".join(refused.value.messages)
    # Back to back is fine.
    services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a, kind=kinds["follow_up"],
                              starts_at=at(tuesday, 11))


def test_the_database_refuses_an_overlapping_row_written_past_the_service(
        front_desk_a, prescriber_a, dana_desk, kinds, hours, tuesday):
    first = services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                                      kind=kinds["follow_up"], starts_at=at(tuesday, 10))
    clone = Appointment(clinic_id=first.clinic_id, patient=first.patient, provider=prescriber_a, type=first.type,
                        starts_at=at(tuesday, 10, 15), ends_at=at(tuesday, 10, 45), blocks_until=at(tuesday, 10, 45),
                        booked_by=front_desk_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()
    # A cancelled appointment no longer blocks the time, in the database too.
    Appointment.objects.filter(pk=first.pk).update(status=Status.CANCELLED)
    clone.save()


def test_a_resource_cannot_be_held_twice_even_by_two_providers(
        front_desk_a, prescriber_a, colleague_a, dana_desk, kinds, hours, tuesday):
    services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                              kind=kinds["esketamine"], starts_at=at(tuesday, 9))
    with pytest.raises(services.SlotTaken) as refused:
        services.appointment_book(actor=front_desk_a, access=dana_desk, provider=colleague_a,
                                  kind=kinds["esketamine"], starts_at=at(tuesday, 11))  # chair busy until 11:15
    assert "Treatment chair 1" in " ".join(refused.value.messages)
    services.appointment_book(actor=front_desk_a, access=dana_desk, provider=colleague_a, kind=kinds["esketamine"],
                              starts_at=at(tuesday, 11, 15))


def test_booking_outside_working_hours_or_on_time_off_needs_the_explicit_choice(
        front_desk_a, prescriber_a, dana_desk, kinds, hours, tuesday):
    with pytest.raises(ValidationError) as refused:
        services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                                  kind=kinds["follow_up"], starts_at=at(tuesday, 17))
    assert "does not work at that time" in " ".join(refused.value.messages)
    services.schedule_exception_add(actor=front_desk_a, provider=prescriber_a, kind="time_off",
                                    starts_at=at(tuesday, 0), ends_at=at(tuesday + timedelta(days=1), 0))
    with pytest.raises(ValidationError) as refused:
        services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                                  kind=kinds["follow_up"], starts_at=at(tuesday, 10))
    assert "time off" in " ".join(refused.value.messages)
    booked = services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                                       kind=kinds["follow_up"], starts_at=at(tuesday, 10), outside_hours=True)
    assert AuditEvent.objects.get(action="appointment.book", object_id=str(booked.pk)).detail["outside_hours"]


def test_a_clinician_books_only_on_their_own_calendar(prescriber_a, colleague_a, dana, kinds, hours, tuesday):
    access = access_patient(prescriber_a, dana.pk, "clinical.view")
    services.appointment_book(actor=prescriber_a, access=access, provider=prescriber_a, kind=kinds["follow_up"],
                              starts_at=at(tuesday, 9))
    with pytest.raises(PermissionDenied):
        services.appointment_book(actor=prescriber_a, access=access, provider=colleague_a,
                                  kind=kinds["follow_up"], starts_at=at(tuesday, 9))


def test_a_patient_cancelling_inside_the_window_is_a_late_cancellation_and_a_clinic_cancel_is_not(
        front_desk_a, prescriber_a, dana_desk, kinds, hours):
    soon = timezone.now() + timedelta(hours=5)
    first = services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                                      kind=kinds["follow_up"], starts_at=soon, outside_hours=True)
    late = services.appointment_cancel(actor=front_desk_a, appointment=first, reason="patient_ill", by_patient=True)
    assert late.status == Status.CANCELLED and late.late_cancel
    second = services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                                       kind=kinds["follow_up"], starts_at=soon, outside_hours=True)
    clinic = services.appointment_cancel(actor=front_desk_a, appointment=second, reason="clinic", by_patient=False)
    assert not clinic.late_cancel
    assert not AppointmentReminder.objects.filter(appointment__in=[first, second], status="pending").exists()
    with pytest.raises(ValidationError):
        services.appointment_cancel(actor=front_desk_a, appointment=second, reason="clinic", by_patient=False)


def test_a_no_show_needs_the_appointment_to_have_begun_and_a_reason(front_desk_a, prescriber_a, dana_desk, kinds,
                                                                    hours, tuesday):
    appointment = services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                                            kind=kinds["follow_up"], starts_at=at(tuesday, 9))
    with pytest.raises(ValidationError, match="once the appointment has begun"):
        services.appointment_no_show(actor=prescriber_a, appointment=appointment, reason="unknown")
    Appointment.objects.filter(pk=appointment.pk).update(starts_at=timezone.now() - timedelta(minutes=20),
                                                         ends_at=timezone.now() + timedelta(minutes=10),
                                                         blocks_until=timezone.now() + timedelta(minutes=10))
    appointment.refresh_from_db()
    with pytest.raises(ValidationError):
        services.appointment_no_show(actor=prescriber_a, appointment=appointment, reason="")
    marked = services.appointment_no_show(actor=prescriber_a, appointment=appointment, reason="forgot")
    assert marked.status == Status.NO_SHOW and marked.no_show_reason == "forgot"


def test_moving_an_appointment_moves_its_holds_and_reminders_and_detects_a_stale_page(
        front_desk_a, prescriber_a, dana_desk, kinds, hours, tuesday):
    appointment = services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                                            kind=kinds["intake"], starts_at=at(tuesday, 9))
    moved = services.appointment_reschedule(actor=front_desk_a, appointment=appointment,
                                            starts_at=at(tuesday, 14), expected_version=appointment.version)
    assert moved.starts_at == at(tuesday, 14) and moved.version == appointment.version + 1
    assert ResourceHold.objects.get(appointment=moved).starts_at == at(tuesday, 14)
    pending = AppointmentReminder.objects.filter(appointment=moved, status="pending")
    assert {r.due_at for r in pending} == {at(tuesday, 12), at(tuesday, 14) - timedelta(days=2)}
    with pytest.raises(services.EditConflict):
        services.appointment_reschedule(actor=front_desk_a, appointment=moved, starts_at=at(tuesday, 15),
                                        expected_version=appointment.version)


@pytest.mark.django_db(transaction=True)
def test_two_people_booking_the_last_slot_at_once_get_one_appointment_and_one_clear_message(
        front_desk_a, admin_a, prescriber_a, dana, kinds, hours, tuesday, audit_rows_cleared):
    other = patient_services.patient_register(actor=front_desk_a, data=demographics(
        legal_given_name="Olga", legal_family_name="Ortiz", email="olga@example.org"))
    start = at(tuesday, 16, 30)  # the last half hour of Alice's day
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def book(actor, patient_id):
        try:
            access = access_patient(actor, patient_id)
            barrier.wait(timeout=10)
            for _attempt in range(200):
                try:
                    services.appointment_book(actor=actor, access=access, provider=prescriber_a,
                                              kind=kinds["follow_up"], starts_at=start, notify=False)
                    outcomes.append("booked")
                    return
                except OperationalError as exc:
                    # The in-memory test database answers "locked" at once where a database file
                    # waits (the `timeout` option): the writer that came second waits here instead.
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.02)
        except services.SlotTaken as exc:
            outcomes.append("taken: " + " ".join(exc.messages))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=book, args=(front_desk_a, dana.pk)),
               threading.Thread(target=book, args=(admin_a, other.pk))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(o.split(":")[0] for o in outcomes) == ["booked", "taken"], outcomes
    assert "16:30" in next(o for o in outcomes if o.startswith("taken"))
    assert Appointment.objects.filter(provider=prescriber_a, starts_at=start).count() == 1
