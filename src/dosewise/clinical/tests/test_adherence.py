"""Proportion of days covered (dosewise.clinical.adherence); source: PQA PDC technical specifications."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dosewise.clinical.adherence import Fill, is_low, low_spans, proportion_of_days_covered
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


# -- the days on which the PDC is low, from the fills recorded so far ------------------------------


def _low_by_day(fills, since, days, period=90):
    return [is_low(proportion_of_days_covered(fills, end=since + timedelta(days=n), period_days=period))
            for n in range(days)]


def _covered_by_spans(spans, since, days):
    def low(day):
        return any(first <= day and (last is None or day <= last) for first, last in spans)
    return [low(since + timedelta(days=n)) for n in range(days)]


@pytest.mark.parametrize("fills", [
    # 30-day fills, each about a week late: low once the gaps add up, then back up after a refill
    [Fill(date(2026, 1, 1), 30), Fill(date(2026, 2, 7), 30), Fill(date(2026, 3, 15), 30)],
    # an early refill carried over, then nothing: low only after the supply has run out
    [Fill(date(2026, 1, 1), 90), Fill(date(2026, 3, 1), 90)],
    # a single short fill long ago
    [Fill(date(2025, 6, 1), 7)],
])
def test_low_spans_agree_with_the_pdc_of_every_day(fills):
    since = date(2026, 3, 20)
    spans = low_spans(fills, since=since, period_days=90)
    assert _covered_by_spans(spans, since, 500) == _low_by_day(fills, since, 500)
    assert spans and spans[-1][1] is None  # without another fill the PDC ends low for good


def test_low_spans_need_fills_and_refuse_a_fill_after_the_first_day():
    assert low_spans([], since=date(2026, 3, 1), period_days=90) == []
    with pytest.raises(ClinicalInputError):
        low_spans([Fill(date(2026, 3, 2), 30)], since=date(2026, 3, 1), period_days=90)


def test_low_spans_of_a_long_history_with_a_stockpile_agree_with_the_pdc():
    # Years of fills made a day apart (a supply carried far ahead), then a gap, then monthly fills.
    fills = [Fill(date(2019, 1, 1) + timedelta(days=n), 30) for n in range(40)]
    fills += [Fill(date(2025, 6, 1) + timedelta(days=35 * n), 30) for n in range(9)]
    since = date(2026, 3, 20)
    spans = low_spans(fills, since=since, period_days=90)
    assert _covered_by_spans(spans, since, 300) == _low_by_day(fills, since, 300)
