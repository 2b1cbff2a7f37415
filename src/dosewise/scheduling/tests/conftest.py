"""Schedule fixtures: Alice (prescriber) works 09:00-17:00 Monday to Friday in Chicago, the
clinic has a 60-minute intake, a 30-minute follow-up, a video follow-up and a two-hour
esketamine session that blocks the treatment chair; Fran (front desk) books."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from dosewise.notifications.tests.conftest import daytime  # noqa: F401  (a fixture, used by name)
from dosewise.patients.selectors import access_patient
from dosewise.scheduling import services
from dosewise.scheduling.models import WeeklyHours

CHICAGO = ZoneInfo("America/Chicago")


def next_weekday(weekday: int, *, weeks_ahead: int = 1, today: date | None = None) -> date:
    """Return the date of `weekday` (Monday 0) at least a week from today, so it is always in the future."""
    today = today or date.today()
    start = today + timedelta(weeks=weeks_ahead)
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=CHICAGO)


@pytest.fixture
def hours(prescriber_a, colleague_a):
    for provider in (prescriber_a, colleague_a):
        WeeklyHours.objects.bulk_create([WeeklyHours(clinic_id=provider.clinic_id, provider=provider, weekday=d,
                                                     start_time=time(9), end_time=time(17)) for d in range(5)])


@pytest.fixture
def kinds(admin_a):
    chair = services.resource_create(actor=admin_a, name="Treatment chair 1", kind="chair")
    room = services.resource_create(actor=admin_a, name="Room 2", kind="room")
    return {
        "intake": services.appointment_type_create(actor=admin_a, name="Intake", duration_minutes=60,
                                                   buffer_minutes=0, mode="in_person", bookable_by="staff",
                                                   reminder_offsets=[2880, 120], is_intake=True, resources=[room]),
        "follow_up": services.appointment_type_create(actor=admin_a, name="Follow-up", duration_minutes=30,
                                                      buffer_minutes=0, mode="in_person", bookable_by="staff",
                                                      reminder_offsets=[1440]),
        "video": services.appointment_type_create(actor=admin_a, name="Video follow-up", duration_minutes=30,
                                                  buffer_minutes=0, mode="video", bookable_by="staff",
                                                  reminder_offsets=[1440, 15]),
        "esketamine": services.appointment_type_create(actor=admin_a, name="Esketamine session",
                                                       duration_minutes=120, buffer_minutes=15, mode="in_person",
                                                       bookable_by="staff", reminder_offsets=[1440],
                                                       resources=[chair]),
    }


@pytest.fixture
def dana_desk(dana, front_desk_a):
    """Dana as the front desk sees her (demographics only)."""
    return access_patient(front_desk_a, dana.pk)


@pytest.fixture
def pat(patient_user, dana, prescriber_a):
    """Return Pat's portal access to Dana (the portal's own fixture, without the medicines)."""
    from dosewise.portal.selectors import portal_access
    from dosewise.portal.tests.conftest import email_consent, link_portal

    email_consent(dana, prescriber_a)
    link_portal(patient_user, dana, prescriber_a)
    return portal_access(patient_user)
