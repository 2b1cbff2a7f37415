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


__all__ = ["LOW_ADHERENCE", "PERIODS", "Fill", "is_low", "proportion_of_days_covered"]
