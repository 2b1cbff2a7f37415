"""A clinician's day on Today (the TODAY_SECTIONS slot) and the demo clinic's schedule."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from dosewise.accounts.models import User
from dosewise.clinics.models import Clinic
from dosewise.demo import DEMO_USERS, consent_texts_create, demo_schedule_load, generate_patients
from dosewise.scheduling import services
from dosewise.scheduling.models import Appointment, Status
from dosewise.scheduling.selectors import today_appointments


def test_today_shows_the_clinicians_appointments_with_the_chart_and_the_video_start(
        front_desk_a, prescriber_a, dana_desk, kinds, as_user):
    # A clinic far from the installation's default zone: Today must show the clinic's clock.
    Clinic.objects.filter(pk=prescriber_a.clinic_id).update(timezone="Asia/Tokyo")
    dana_desk.patient.clinic.refresh_from_db()
    # Noon in Tokyo (03:00 UTC, the next one to come): an appointment 20 minutes later is on the
    # clinic's today whenever the suite runs (from 23:40 in Tokyo it would fall on tomorrow).
    now = timezone.now()
    noon = now.replace(hour=3, minute=0, second=0, microsecond=0)
    noon += timedelta(days=1) if noon <= now else timedelta()
    with time_machine.travel(noon, tick=True):
        start = timezone.now() + timedelta(minutes=20)
        video = services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                                          kind=kinds["video"], starts_at=start, outside_hours=True)
        page = as_user(prescriber_a).get(reverse("web:home")).content.decode()
        assert "Your day" in page and "Dana Diaz" in page
        assert start.astimezone(ZoneInfo("Asia/Tokyo")).strftime("%H:%M") in page
        assert reverse("web:patient_chart", args=[dana_desk.patient.pk]) in page
        # The video visit is started from Today (in progress, its note opened, then the video page).
        assert reverse("scheduling:appointment_start", args=[video.pk]) in page and "Start video visit" in page
        # The front desk has no day of its own on Today (it has the clinic calendar).
        assert "Your day" not in as_user(front_desk_a).get(reverse("web:home")).content.decode()


def test_the_today_section_costs_the_same_queries_for_one_or_ten_appointments(
        front_desk_a, prescriber_a, dana_desk, kinds, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(prescriber_a)
    base = timezone.now() + timedelta(hours=1)

    def count():
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("web:home"))
        return len(captured)

    services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                              kind=kinds["follow_up"], starts_at=base, outside_hours=True)
    count()  # the first request of a session does its one-time work
    one = count()
    for i in range(1, 10):
        services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                                  kind=kinds["follow_up"], starts_at=base + timedelta(minutes=30 * i),
                                  outside_hours=True)
    if len(today_appointments(prescriber_a)) > 1:  # unless the day ends within the next hours
        assert count() == one


# Chicago local times (the demo clinic's zone) when the demo could come out without a late
# cancellation or a no-show: Friday afternoon (the next follow-up is on Monday), Sunday and early
# Monday (nothing happened yesterday), and an ordinary Tuesday morning.
DEMO_STARTED_AT = ["2026-12-04 12:59", "2026-12-06 10:00", "2026-12-07 07:00", "2026-12-08 11:00"]


@pytest.mark.django_db
@pytest.mark.parametrize("local_time", DEMO_STARTED_AT)
def test_the_demo_clinic_has_a_working_day_with_intakes_video_a_cancellation_and_a_no_show(local_time):
    chicago = datetime.strptime(local_time, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo("America/Chicago"))
    with time_machine.travel(chicago, tick=False):
        _demo_schedule_checked()


def _demo_schedule_checked():
    clinic = Clinic.objects.create(name="Riverside Psychiatry (demo)", slug="demo-schedule",
                                   timezone="America/Chicago")
    consent_texts_create(clinic)
    users = {role: User.objects.create_user(email=email, full_name=name, role=role, clinic=clinic)
             for email, name, role, _credentials in DEMO_USERS}
    generate_patients(clinic, 40, seed=2026, staff=users)
    assert demo_schedule_load(clinic, users) > 100
    prescriber = users["prescriber"]
    statuses = set(Appointment.objects.values_list("status", flat=True))
    assert {Status.NO_SHOW, Status.CANCELLED, Status.BOOKED} <= statuses
    assert Appointment.objects.filter(type__is_intake=True, starts_at__gt=timezone.now()).exists()
    assert Appointment.objects.filter(provider=prescriber, starts_at__gt=timezone.now(),
                                      starts_at__lt=timezone.now() + timedelta(hours=1)).exclude(
        video_room="").exists()
    assert Appointment.objects.filter(late_cancel=True).exists()
    assert Appointment.objects.filter(starts_at__gt=timezone.now() + timedelta(days=14)).exists()
