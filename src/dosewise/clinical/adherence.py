"""Proportion of days covered (PDC) by pharmacy fills, per the Pharmacy Quality Alliance method.

Source: Pharmacy Quality Alliance, PQA Adherence Measures technical specifications
(Proportion of Days Covered); Nau DP, Proportion of Days Covered (PDC) as a preferred
method of measuring medication adherence, PQA 2012.

The method, for one medicine:
- each fill covers `days_supply` consecutive days from its fill date;
- a fill made while earlier supply remains starts the day after that supply runs out
  (the patient finishes the old supply first), so early refills are not double-counted;
- the period runs from the later of the window start and the first fill (the index date)
  to the end date, both included; PDC = covered days in the period / days in the period;
- below 80% is the PQA threshold for non-adherence.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from dosewise.clinical.errors import ClinicalInputError

LOW_ADHERENCE = 0.8
PERIODS = (30, 90, 180)


@dataclass(frozen=True)
class Fill:
    filled_on: date
    days_supply: int


def proportion_of_days_covered(fills: Iterable[Fill], *, end: date, period_days: int) -> float | None:
    """Return the PDC of one medicine over the `period_days` days ending on `end`.

    None when no fill was made on or before `end` (there is nothing to measure yet).
    """
    if period_days < 1:
        raise ClinicalInputError(f"the period must be at least 1 day, got {period_days}")
    ordered = sorted((f for f in fills if f.filled_on <= end), key=lambda f: f.filled_on)
    for fill in ordered:
        if fill.days_supply < 1:
            raise ClinicalInputError(
                f"the fill of {fill.filled_on.isoformat()} has {fill.days_supply} days' supply; it must be at least 1"
            )
    if not ordered:
        return None
    start = max(end - timedelta(days=period_days - 1), ordered[0].filled_on)
    covered = 0
    supply_until = date.min
    for fill in ordered:
        first = max(fill.filled_on, supply_until + timedelta(days=1))
        last = first + timedelta(days=fill.days_supply - 1)
        supply_until = last
        overlap = (min(last, end) - max(first, start)).days + 1
        covered += max(0, overlap)
    return covered / ((end - start).days + 1)


def is_low(pdc: float | None) -> bool:
    """Return whether a PDC is below the 80% threshold (no measurement is not low)."""
    return pdc is not None and pdc < LOW_ADHERENCE


def low_spans(fills: Iterable[Fill], *, since: date, period_days: int) -> list[tuple[date, date | None]]:
    """Return the runs of days from `since` on whose PDC over `period_days` days is below 80%,
    as (first day, last day); the last day is None for a run that lasts until another fill.

    Every fill must be on or before `since` (a fill is recorded on or after the day it was
    made), so each day's PDC is the one `proportion_of_days_covered` gives for that day. Once
    the supply has run out, each further day is uncovered and the PDC can only fall: a run
    that starts then never ends, so the days are walked only until the supply runs out and
    one period more.
    """
    ordered = sorted(fills, key=lambda f: f.filled_on)
    if not ordered:
        return []
    if ordered[-1].filled_on > since:
        raise ClinicalInputError(f"a fill of {ordered[-1].filled_on.isoformat()} is after {since.isoformat()}")
    # Days are ordinals counted from `base`, the first day any window from `since` on can see
    # (or the first fill, the index date, when later): covered[n] is 1 when day base + n has supply.
    first_fill = ordered[0].filled_on.toordinal()
    base = max(first_fill, since.toordinal() - period_days + 1)
    supply_until = first_fill - 1
    chunks: list[tuple[int, int]] = []
    for fill in ordered:
        if fill.days_supply < 1:
            raise ClinicalInputError(
                f"the fill of {fill.filled_on.isoformat()} has {fill.days_supply} days' supply; it must be at least 1")
        first = max(fill.filled_on.toordinal(), supply_until + 1)
        supply_until = first + fill.days_supply - 1
        if supply_until >= base:
            chunks.append((max(first, base) - base, supply_until - base))
    horizon = max(since.toordinal(), supply_until + 1) + period_days - base
    covered = bytearray(horizon + 1)
    for first, last in chunks:
        covered[first:last + 1] = b"\x01" * (last - first + 1)
    # covered_before[n]: covered days before day n.
    covered_before = [0] * (horizon + 2)
    for n in range(horizon + 1):
        covered_before[n + 1] = covered_before[n] + covered[n]
    spans: list[tuple[date, date | None]] = []
    run_start: int | None = None
    for day in range(since.toordinal() - base, horizon + 1):
        start = max(day - period_days + 1, 0)
        # The same division as proportion_of_days_covered, so a PDC of exactly 80% agrees.
        low = (covered_before[day + 1] - covered_before[start]) / (day - start + 1) < LOW_ADHERENCE
        if low and run_start is None:
            run_start = day
        elif not low and run_start is not None:
            spans.append((date.fromordinal(run_start + base), date.fromordinal(day - 1 + base)))
            run_start = None
    if run_start is not None:
        spans.append((date.fromordinal(run_start + base), None))
    return spans


__all__ = ["LOW_ADHERENCE", "PERIODS", "Fill", "is_low", "low_spans", "proportion_of_days_covered"]
