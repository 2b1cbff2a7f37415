"""The pages as people use them: errors next to their field, nothing typed lost, the calendar's
query count, the rates, hours and settings forms."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dosewise.scheduling import services
from dosewise.scheduling.models import Appointment, AppointmentType, WeeklyHours
from dosewise.scheduling.tests.conftest import at, next_weekday


def _book(client, dana, alice, kind, day, clock, **extra):
    return client.post(reverse("scheduling:book"), {"patient": dana.pk, "provider": alice.pk, "kind": kind.pk,
                                                    "date": day.isoformat(), "time": clock, **extra})


def test_a_taken_time_is_explained_next_to_the_time_field_and_the_choices_are_kept(
        front_desk_a, prescriber_a, dana, dana_desk, kinds, hours, as_user):
    day = next_weekday(1)
    services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a, kind=kinds["intake"],
                              starts_at=at(day, 10))
    response = _book(as_user(front_desk_a), dana, prescriber_a, kinds["follow_up"], day, "10:30",
                     reason="dose review")
    page = response.content.decode()
    assert response.status_code == 409
    assert 'id="id_time_error"' in page and "already booked at 10:30" in page
    assert 'value="dose review"' in page and f'value="{kinds["follow_up"].pk}" selected' in page


def test_a_missing_series_length_and_a_bad_date_are_refused_on_their_fields(front_desk_a, prescriber_a, dana,
                                                                           kinds, hours, as_user):
    client = as_user(front_desk_a)
    response = _book(client, dana, prescriber_a, kinds["follow_up"], next_weekday(1), "10:00", repeat_weeks="4")
    assert response.status_code == 400 and 'id="id_repeat_count_error"' in response.content.decode()
    response = client.post(reverse("scheduling:book"), {"patient": dana.pk, "provider": prescriber_a.pk,
                                                        "kind": kinds["follow_up"].pk, "date": "31/02/2027",
                                                        "time": "10:00"})
    assert response.status_code == 400 and 'id="id_date_error"' in response.content.decode()
    assert not Appointment.objects.exists()


def test_a_series_booked_from_the_form_lands_every_four_weeks(front_desk_a, prescriber_a, dana, kinds, hours,
                                                            as_user):
    day = next_weekday(1)
    response = _book(as_user(front_desk_a), dana, prescriber_a, kinds["follow_up"], day, "11:00",
                     repeat_weeks="4", repeat_count="3")
    assert response.status_code == 302
    starts = list(Appointment.objects.order_by("starts_at").values_list("starts_at", flat=True))
    assert starts == [at(day, 11), at(day + timedelta(weeks=4), 11), at(day + timedelta(weeks=8), 11)]


def test_find_the_next_free_time_in_four_weeks_fills_the_form(front_desk_a, prescriber_a, dana, kinds, hours,
                                                             as_user):
    response = as_user(front_desk_a).post(reverse("scheduling:book"), {
        "patient": dana.pk, "provider": prescriber_a.pk, "kind": kinds["follow_up"].pk, "in_weeks": "4",
        "find": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and "Next free time" in page
    assert (timezone.localdate() + timedelta(weeks=4)).isoformat()[:7] in page


def test_the_week_view_costs_the_same_queries_for_one_or_thirty_appointments(
        front_desk_a, prescriber_a, colleague_a, dana_desk, kinds, hours, as_user):
    client = as_user(front_desk_a)
    monday = next_weekday(0)
    url = reverse("scheduling:schedule") + f"?view=week&date={monday.isoformat()}"

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                              kind=kinds["follow_up"], starts_at=at(monday, 9))
    count()
    one = count()
    for i in range(29):
        provider = (prescriber_a, colleague_a)[i % 2]
        services.appointment_book(actor=front_desk_a, access=dana_desk, provider=provider, kind=kinds["follow_up"],
                                  starts_at=at(monday + timedelta(days=i % 5), 10 + i // 10, 30 * (i // 2 % 2)),
                                  notify=False)
    page = client.get(url).content.decode()
    assert count() == one
    assert page.count('class="appt ') == 30


def test_a_clinician_sees_only_their_own_calendar(front_desk_a, prescriber_a, colleague_a, dana_desk, kinds,
                                                  hours, as_user):
    day = next_weekday(1)
    services.appointment_book(actor=front_desk_a, access=dana_desk, provider=colleague_a, kind=kinds["follow_up"],
                              starts_at=at(day, 9))
    page = as_user(prescriber_a).get(reverse("scheduling:schedule") + f"?date={day.isoformat()}&provider=all")
    assert "Dana Diaz" not in page.content.decode()
    assert as_user(prescriber_a).get(reverse("scheduling:schedule") + f"?provider={colleague_a.pk}").status_code == 404


def test_rates_count_no_shows_and_late_cancellations_per_type_and_patient(front_desk_a, prescriber_a, dana_desk,
                                                                          kinds, as_user):
    now = timezone.now()
    for hours_ago, outcome in ((50, "no_show"), (30, "completed"), (10, "late")):
        appointment = services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                                                kind=kinds["follow_up"], starts_at=now - timedelta(hours=hours_ago),
                                                record_past=True, outside_hours=True)
        if outcome == "no_show":
            services.appointment_no_show(actor=front_desk_a, appointment=appointment, reason="forgot")
        elif outcome == "completed":
            services.appointment_set_status(actor=front_desk_a, appointment=appointment, status="completed")
        else:
            late = services.appointment_cancel(actor=front_desk_a, appointment=appointment,
                                               reason="patient_request", by_patient=True)
            assert late.late_cancel
    page = as_user(front_desk_a).get(reverse("scheduling:rates")).content.decode()
    assert "Follow-up</td><td>3</td><td>1 (33%)</td><td>1 (33%)" in page
    assert "Dana Diaz" in page


def test_hours_that_overlap_are_refused_on_the_start_field(front_desk_a, prescriber_a, hours, as_user):
    response = as_user(front_desk_a).post(reverse("scheduling:availability") + f"?provider={prescriber_a.pk}", {
        "provider": prescriber_a.pk, "add": "hours", "h-weekday": "0", "h-start_time": "16:00",
        "h-end_time": "18:00"})
    assert response.status_code == 400 and "overlap 09:00-17:00" in response.content.decode()
    assert WeeklyHours.objects.filter(provider=prescriber_a, weekday=0).count() == 1


def test_an_admin_adds_a_type_with_reminders_written_in_days_and_hours(admin_a, kinds, as_user):
    response = as_user(admin_a).post(reverse("scheduling:settings"), {
        "add": "type", "t-name": "Ketamine infusion", "t-duration_minutes": "60", "t-buffer_minutes": "120",
        "t-mode": "in_person", "t-bookable_by": "staff", "t-reminders": "2d, 3h", "t-late_cancel_hours": "48",
        "t-resources": [kinds["esketamine"].resources.get().pk]})
    assert response.status_code == 302
    infusion = AppointmentType.objects.get(name="Ketamine infusion")
    assert infusion.reminder_offsets == [2880, 180] and infusion.resources.count() == 1
    refused = as_user(admin_a).post(reverse("scheduling:settings"), {
        "add": "type", "t-name": "Odd", "t-duration_minutes": "30", "t-buffer_minutes": "0", "t-mode": "video",
        "t-bookable_by": "staff", "t-reminders": "soon", "t-late_cancel_hours": "24"})
    assert refused.status_code == 400 and "is not a time before the visit" in refused.content.decode()


def test_booking_from_a_calendar_column_keeps_the_clinician_and_the_day_through_the_patient_search(
        front_desk_a, prescriber_a, dana, as_user):
    page = as_user(front_desk_a).get(reverse("scheduling:book"), {"q": "Diaz", "provider": prescriber_a.pk,
                                                                  "date": "2027-01-05"}).content.decode()
    assert f"?patient={dana.pk}&amp;provider={prescriber_a.pk}&amp;date=2027-01-05" in page
