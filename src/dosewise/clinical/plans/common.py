"""Shared pieces of the dose-plan engines: steps, schedules, input checks and the calendar.

A plan holds, for each drug, a schedule of steps: from `day` on, the daily dose is
`dose_mg` until the next step. Day 0 is the first day of the plan. `calendar(plan)` expands
any plan into one row per day for the patient portal and printed handouts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from dosewise.clinical.errors import ClinicalInputError

DOSE_DECIMALS = 4


@dataclass(frozen=True)
class Step:
    """From `day` on, take `dose_mg` per day (until the next step); `volume_ml` for a liquid."""

    day: int
    dose_mg: float
    note: str = ""
    volume_ml: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the step as JSON-ready data (volume only for a liquid dose)."""
        data: dict[str, Any] = {"day": self.day, "dose_mg": self.dose_mg, "note": self.note}
        if self.volume_ml is not None:
            data["volume_ml"] = self.volume_ml
        return data


class Plan(Protocol):
    """Anything with per-drug schedules can be expanded into a calendar."""

    @property
    def schedules(self) -> Mapping[str, tuple[Step, ...]]: ...


@dataclass(frozen=True)
class CalendarDay:
    """One day of a plan: the daily dose of every drug and the notes of steps starting that day."""

    day: int
    date: date | None
    doses_mg: Mapping[str, float]
    note: str

    def to_dict(self) -> dict[str, Any]:
        """Return the day as JSON-ready data."""
        return {
            "day": self.day,
            "date": self.date.isoformat() if self.date else None,
            "doses_mg": dict(self.doses_mg),
            "note": self.note,
        }


def dose_on(steps: tuple[Step, ...], day: int) -> float:
    """Return the daily dose a schedule gives on a day (0 before its first step)."""
    dose = 0.0
    for step in steps:
        if step.day > day:
            break
        dose = step.dose_mg
    return dose


def last_day(plan: Plan) -> int:
    """Return the day of the last step of any drug in the plan."""
    return max((steps[-1].day for steps in plan.schedules.values() if steps), default=0)


def calendar(plan: Plan, start: date | None = None, *, through_day: int | None = None) -> list[CalendarDay]:
    """Expand a plan into one row per day, from day 0 to its last step (or `through_day`)."""
    end = last_day(plan) if through_day is None else through_day
    notes_by_day: dict[int, list[str]] = {}
    for drug, steps in plan.schedules.items():
        for step in steps:
            if step.note:
                notes_by_day.setdefault(step.day, []).append(f"{drug}: {step.note}")
    return [
        CalendarDay(
            day=day,
            date=start + timedelta(days=day) if start else None,
            doses_mg={drug: dose_on(steps, day) for drug, steps in plan.schedules.items()},
            note="; ".join(notes_by_day.get(day, ())),
        )
        for day in range(end + 1)
    ]


def positive_number(value: Any, what: str) -> float:
    """Return a finite number above zero or raise ClinicalInputError naming the field."""
    number = finite_number(value, what)
    if number <= 0:
        raise ClinicalInputError(f"{what} must be above 0, got {number:g}")
    return number


def finite_number(value: Any, what: str) -> float:
    """Return a finite number or raise ClinicalInputError naming the field."""
    if isinstance(value, bool):
        raise ClinicalInputError(f"{what} must be a number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ClinicalInputError(f"{what} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ClinicalInputError(f"{what} must be a finite number, got {value!r}")
    return number


def whole_days(value: Any, what: str, minimum: int = 1) -> int:
    """Return a whole number of days at least `minimum` or raise ClinicalInputError."""
    number = finite_number(value, what)
    if number != int(number) or number < minimum:
        raise ClinicalInputError(f"{what} must be a whole number of days, at least {minimum}; got {value!r}")
    return int(number)


def clean(dose: float) -> float:
    """Return a dose without floating-point noise (e.g. 0.30000000000000004 -> 0.3)."""
    return round(dose, DOSE_DECIMALS) + 0.0
