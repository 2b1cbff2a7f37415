"""Recurring follow-ups (RFC 5545 rules) with per-occurrence exceptions, and wall-clock times
across daylight-saving changes (America/Chicago: 2026-03-08 spring forward, 2026-11-01 back)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError

from dosewise.scheduling import selectors, services, slots
from dosewise.scheduling.models import Appointment, ScheduleException, Status, WeeklyHours
from dosewise.scheduling.tests.conftest import CHICAGO, at, next_weekday


def test_every_four_weeks_on_tuesday_books_each_visit_as_its_own_appointment(front_desk_a, prescriber_a, dana_desk,
                                                                            kinds, hours):
    tuesday = next_weekday(1)
    rule = services.series_rule(every_weeks=4, count=4, weekday=1)
    assert rule == "FREQ=WEEKLY;INTERVAL=4;BYDAY=TU;COUNT=4"
    result = services.series_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                                  kind=kinds["follow_up"], first_start=at(tuesday, 10), rule=rule)
    days = [a.starts_at.astimezone(CHICAGO) for a in result.booked]
    assert [d.date() for d in days] == [tuesday + timedelta(weeks=4 * i) for i in range(4)]
    assert {d.time() for d in days} == {time(10)}
    assert all(a.recurrence_id == a.starts_at and a.series == result.series for a in result.booked)


def test_moving_or_cancelling_one_occurrence_never_changes_the_others(front_desk_a, prescriber_a, dana_desk, kinds,
                                                                    hours):
    tuesday = next_weekday(1)
    result = services.series_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                                  kind=kinds["follow_up"], first_start=at(tuesday, 10),
                                  rule="FREQ=WEEKLY;INTERVAL=4;BYDAY=TU;COUNT=3")
    first, second, third = result.booked
    services.appointment_reschedule(actor=front_desk_a, appointment=second, expected_version=second.version,
                                    starts_at=at(tuesday + timedelta(weeks=4, days=1), 14))
    services.appointment_cancel(actor=front_desk_a, appointment=third, reason="patient_request", by_patient=True)
    rows = {a.pk: a for a in Appointment.objects.filter(series=result.series)}
    assert rows[first.pk].starts_at == at(tuesday, 10) and rows[first.pk].status == Status.BOOKED
    assert rows[second.pk].starts_at == at(tuesday + timedelta(weeks=4, days=1), 14)
    assert rows[second.pk].recurrence_id == at(tuesday + timedelta(weeks=4), 10)  # still knows its place
    assert rows[third.pk].status == Status.CANCELLED


def test_a_busy_occurrence_is_skipped_and_reported_while_the_others_are_booked(front_desk_a, prescriber_a,
                                                                             dana_desk, kinds, hours):
    tuesday = next_weekday(1)
    services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a, kind=kinds["follow_up"],
                              starts_at=at(tuesday + timedelta(weeks=1), 10))
    result = services.series_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a,
                                  kind=kinds["follow_up"], first_start=at(tuesday, 10),
                                  rule="FREQ=WEEKLY;BYDAY=TU;COUNT=3")
    assert len(result.booked) == 2
    (skipped_at, why), = result.skipped
    assert skipped_at == at(tuesday + timedelta(weeks=1), 10) and "already booked" in why


def test_a_rule_without_an_end_is_refused():
    with pytest.raises(ValidationError, match="needs an end"):
        services.series_occurrences("FREQ=WEEKLY;BYDAY=TU", datetime(2026, 3, 3, 16, tzinfo=UTC), CHICAGO)


def test_a_weekly_series_keeps_its_wall_clock_time_across_the_spring_change():
    # 10:00 in Chicago is 16:00 UTC in winter (CST) and 15:00 UTC from 8 March 2026 (CDT).
    starts = services.series_occurrences("FREQ=WEEKLY;BYDAY=TU;COUNT=3", datetime(2026, 3, 3, 16, tzinfo=UTC),
                                         CHICAGO)
    assert [s.astimezone(CHICAGO).time() for s in starts] == [time(10)] * 3
    assert [s.hour for s in starts] == [16, 15, 15]


def test_working_hours_follow_the_clock_on_both_sides_of_each_change():
    class Hours:
        weekday, start_time, end_time = 6, time(9), time(17)

    for day, utc_start in ((date(2026, 3, 1), 15), (date(2026, 3, 8), 14), (date(2026, 11, 1), 15)):
        (interval,) = slots.working_intervals(day, CHICAGO, [Hours()], [])
        assert interval.start.hour == utc_start and interval.end - interval.start == timedelta(hours=8)


def test_the_day_of_a_change_has_23_or_25_hours_and_the_missing_half_hour_does_not_exist():
    start, end = slots.day_bounds(date(2026, 3, 8), CHICAGO)
    assert end - start == timedelta(hours=23)
    start, end = slots.day_bounds(date(2026, 11, 1), CHICAGO)
    assert end - start == timedelta(hours=25)
    assert slots.local_instant(date(2026, 3, 8), time(2, 30), CHICAGO) is None
    assert slots.local_instant(date(2026, 11, 1), time(1, 30), CHICAGO) == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)


def test_the_next_free_slot_after_the_spring_change_starts_at_nine_local(front_desk_a, prescriber_a, dana_desk,
                                                                        kinds):
    WeeklyHours.objects.create(clinic_id=prescriber_a.clinic_id, provider=prescriber_a, weekday=0,
                               start_time=time(9), end_time=time(10))
    # Tuesday 9 March 2027: the next Monday is 15 March, after the change of 14 March 2027.
    after = datetime(2027, 3, 9, tzinfo=UTC)
    provider, start = selectors.next_free_slot(front_desk_a, providers=[prescriber_a], kind=kinds["follow_up"],
                                               after=after)
    assert start == datetime(2027, 3, 15, 14, tzinfo=UTC) and start.astimezone(CHICAGO).time() == time(9)
    services.appointment_book(actor=front_desk_a, access=dana_desk, provider=prescriber_a, kind=kinds["follow_up"],
                              starts_at=start)
    _, second = selectors.next_free_slot(front_desk_a, providers=[prescriber_a], kind=kinds["follow_up"], after=after)
    assert second.astimezone(CHICAGO).time() == time(9, 30)


def test_the_next_free_slot_skips_time_off_and_busy_colleagues_and_picks_the_earliest(
        front_desk_a, prescriber_a, colleague_a, dana_desk, kinds, hours):
    tuesday = next_weekday(1)
    ScheduleException.objects.create(clinic_id=prescriber_a.clinic_id, provider=prescriber_a, kind="time_off",
                                     starts_at=at(tuesday, 0), ends_at=at(tuesday, 12), created_by=front_desk_a)
    services.appointment_book(actor=front_desk_a, access=dana_desk, provider=colleague_a, kind=kinds["intake"],
                              starts_at=at(tuesday, 9))
    provider, start = selectors.next_free_slot(front_desk_a, providers=[prescriber_a, colleague_a],
                                               kind=kinds["follow_up"], after=at(tuesday, 0))
    assert (provider, start) == (colleague_a, at(tuesday, 10))
