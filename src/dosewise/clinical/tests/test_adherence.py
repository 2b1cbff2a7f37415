"""Proportion of days covered (dosewise.clinical.adherence); source: PQA PDC technical specifications."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dosewise.clinical.adherence import Fill, is_low, proportion_of_days_covered
from dosewise.clinical.errors import ClinicalInputError

END = date(2026, 6, 30)


def days_before(n: int) -> date:
    return END - timedelta(days=n)


def test_it_counts_every_day_when_fills_follow_each_other():
    fills = [Fill(days_before(89), 30), Fill(days_before(59), 30), Fill(days_before(29), 30)]
    assert proportion_of_days_covered(fills, end=END, period_days=90) == 1


def test_it_divides_covered_days_by_the_days_in_the_period():
    fills = [Fill(days_before(89), 30), Fill(days_before(29), 30)]
    assert proportion_of_days_covered(fills, end=END, period_days=90) == pytest.approx(60 / 90)


def test_it_shifts_an_early_refill_to_the_day_after_the_earlier_supply_runs_out():
    # The second fill comes 10 days early: its 30 days start after the first supply ends,
    # so 60 days are covered, not 50.
    fills = [Fill(days_before(89), 30), Fill(days_before(69), 30)]
    assert proportion_of_days_covered(fills, end=END, period_days=90) == pytest.approx(60 / 90)


def test_it_starts_the_period_at_the_first_fill_when_it_falls_inside_the_window():
    fills = [Fill(days_before(29), 30)]
    assert proportion_of_days_covered(fills, end=END, period_days=180) == 1


def test_it_counts_supply_carried_into_the_window_from_an_earlier_fill():
    fills = [Fill(days_before(100), 90)]
    # 90 days from day -100 reach day -11: days -29..-11 are covered, 19 of 30.
    assert proportion_of_days_covered(fills, end=END, period_days=30) == pytest.approx(19 / 30)


def test_it_ignores_supply_beyond_the_end_and_fills_after_it():
    fills = [Fill(days_before(9), 90), Fill(END + timedelta(days=1), 30)]
    assert proportion_of_days_covered(fills, end=END, period_days=30) == 1


def test_it_has_nothing_to_measure_without_a_fill():
    assert proportion_of_days_covered([], end=END, period_days=30) is None
    assert not is_low(None)


def test_below_80_percent_is_low_adherence():
    assert is_low(0.79)
    assert not is_low(0.8)


def test_it_refuses_a_fill_without_supply():
    with pytest.raises(ClinicalInputError, match="days' supply"):
        proportion_of_days_covered([Fill(END, 0)], end=END, period_days=30)
