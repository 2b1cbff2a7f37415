"""Revising a plan under way: the past stays, the dose in force is held, later steps move or are re-planned."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.plans import (
    dose_on,
    pause_schedules,
    plan_taper,
    plan_titration,
    slow_taper,
    slow_titration,
)

TAPER = plan_taper("sertraline", 50, model="percentage")


@given(from_day=st.integers(min_value=0, max_value=530), days=st.integers(min_value=1, max_value=120))
def test_a_pause_keeps_every_day_before_it_and_holds_the_dose_in_force(from_day, days):
    steps = TAPER.steps
    paused = pause_schedules({"sertraline": steps}, from_day, days)["sertraline"]
    for day in range(from_day + 1):
        assert dose_on(paused, day) == dose_on(steps, day)
    for day in range(from_day, from_day + days + 1):
        assert dose_on(paused, day) == dose_on(steps, from_day)
    later = [s for s in steps if s.day > from_day]
    assert [(s.day + days, s.dose_mg) for s in later] == [(s.day, s.dose_mg) for s in paused if s.day > from_day]


def test_a_pause_after_the_last_step_is_refused():
    with pytest.raises(ClinicalInputError, match="nothing to pause"):
        pause_schedules({"sertraline": TAPER.steps}, TAPER.steps[-1].day + 28, 7)


def test_a_slower_taper_keeps_the_past_and_ends_at_the_same_dose_with_longer_gaps():
    steps, rest = slow_taper("sertraline", TAPER.steps, 60, to_mg=0, model="percentage", interval_days=42, percent=5)
    assert [s for s in steps if s.day < 60] == [s for s in TAPER.steps if s.day < 60]
    assert dose_on(steps, 60) == dose_on(TAPER.steps, 60) == 40.0
    later = [s.day for s in steps if s.day >= 60]
    assert all(b - a == 42 for a, b in zip(later, later[1:], strict=False))
    assert steps[-1].dose_mg == 0 and len(steps) > len(TAPER.steps)
    assert rest.step_size == 5


def test_a_slow_down_outside_the_knowledge_base_range_is_refused():
    with pytest.raises(ClinicalInputError, match="outside 5-25%"):
        slow_taper("sertraline", TAPER.steps, 0, to_mg=0, model="percentage", percent=2)


def test_a_slower_titration_keeps_its_doses_and_stretches_the_remaining_gaps():
    plan = plan_titration("lamotrigine")
    steps = plan.schedules["lamotrigine"]
    slowed = slow_titration(steps, 20, 21)
    assert [s.dose_mg for s in slowed] == [s.dose_mg for s in steps]
    assert [s.day for s in slowed if s.day <= 20] == [s.day for s in steps if s.day <= 20]
    gaps = [b.day - a.day for a, b in zip(slowed, slowed[1:], strict=False) if b.day > 20]
    assert min(gaps) >= 21
