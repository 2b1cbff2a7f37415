"""Revise a plan already under way: pause at the dose in force, or slow down what remains.

A revision never changes the past: every step before `from_day` stays as it was, the dose
in force on `from_day` stays the dose of that day, and only later steps move or are
re-planned. Day numbers stay relative to the plan's original day 0, so a calendar drawn
from the revised schedules keeps the dates already lived.

- `pause_schedules`: hold the dose in force on `from_day` for `days` more days; every later
  step of every drug moves back by as much (the pause of `pause_taper`, by day instead of
  step index, so it applies to a saved titration as well).
- `slow_titration`: stretch the gaps between the remaining titration steps to at least
  `interval_days`; doses are unchanged, since a titration's doses come from its label.
- `slow_taper`: re-plan the rest of a taper from the dose in force with a longer interval
  and/or smaller reductions (`step_points` for a hyperbolic taper, `percent` for a
  percentage one), within the ranges of `kb/tapering.json`, rounded like any taper.
"""

from __future__ import annotations

from collections.abc import Mapping

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import KnowledgeBase
from dosewise.clinical.plans.common import Step, clean, dose_on, whole_days
from dosewise.clinical.plans.taper import HYPERBOLIC, TaperPlan, plan_taper

Schedules = Mapping[str, tuple[Step, ...]]


def _check_day(from_day: int) -> int:
    return whole_days(from_day, "revision day", minimum=0)


def remaining_steps(steps: tuple[Step, ...], from_day: int) -> tuple[Step, ...]:
    """Return the steps that start after `from_day` (the ones a revision may change)."""
    return tuple(step for step in steps if step.day > from_day)


def pause_schedules(schedules: Schedules, from_day: int, days: int) -> dict[str, tuple[Step, ...]]:
    """Return the schedules with the doses of `from_day` held `days` longer; later steps move back."""
    start = _check_day(from_day)
    extra = whole_days(days, "pause length")
    if not any(remaining_steps(steps, start) for steps in schedules.values()):
        raise ClinicalInputError(f"nothing to pause: the plan has no step after day {start}")
    paused: dict[str, tuple[Step, ...]] = {}
    for drug, steps in schedules.items():
        kept = [step for step in steps if step.day <= start]
        moved = [Step(step.day + extra, step.dose_mg, step.note, step.volume_ml)
                 for step in remaining_steps(steps, start)]
        if moved:
            held = dose_on(steps, start)
            kept = [step for step in kept if step.day != start]
            kept.append(Step(start, held, f"paused {extra} days at {held:g} mg/day", _volume_on(steps, start)))
        paused[drug] = tuple(kept + moved)
    return paused


def _volume_on(steps: tuple[Step, ...], day: int) -> float | None:
    volume = None
    for step in steps:
        if step.day > day:
            break
        volume = step.volume_ml
    return volume


def slow_titration(steps: tuple[Step, ...], from_day: int, interval_days: int) -> tuple[Step, ...]:
    """Return the titration with every remaining gap between steps at least `interval_days` long."""
    start = _check_day(from_day)
    gap = whole_days(interval_days, "days between steps")
    later = remaining_steps(steps, start)
    if not later:
        raise ClinicalInputError(f"nothing to slow down: the titration has no step after day {start}")
    out = [step for step in steps if step.day <= start]
    previous_old = out[-1].day if out else 0
    previous_new = previous_old
    for step in later:
        # The first remaining step keeps at least the time already spent at the dose in force.
        new_day = previous_new + max(step.day - previous_old, gap)
        out.append(Step(new_day, step.dose_mg, step.note, step.volume_ml))
        previous_old, previous_new = step.day, new_day
    return tuple(out)


def slow_taper(
    drug: str,
    steps: tuple[Step, ...],
    from_day: int,
    *,
    to_mg: float,
    model: str,
    interval_days: int | None = None,
    step_points: float | None = None,
    percent: float | None = None,
    kb: KnowledgeBase | None = None,
) -> tuple[tuple[Step, ...], TaperPlan]:
    """Return the taper re-planned from the dose in force on `from_day`, and the engine's plan of the rest.

    The first new reduction comes `interval_days` after `from_day`; the taper still ends at `to_mg`.
    """
    start = _check_day(from_day)
    if not remaining_steps(steps, start):
        raise ClinicalInputError(f"nothing to slow down: the taper has no step after day {start}")
    if interval_days is None and step_points is None and percent is None:
        raise ClinicalInputError("give a longer interval or a smaller reduction to slow the taper down")
    current = clean(dose_on(steps, start))
    if current <= to_mg:
        raise ClinicalInputError(f"the dose in force on day {start} ({current:g} mg) is already the final dose")
    rest = plan_taper(
        drug, current, to_mg=to_mg, interval_days=interval_days, model=model,
        step_points=step_points if model == HYPERBOLIC else None,
        percent=percent if model != HYPERBOLIC else None, kb=kb,
    )
    kept = [step for step in steps if step.day < start]
    first = rest.steps[0]
    kept.append(Step(start, first.dose_mg, f"slowed down from here at {first.dose_mg:g} mg/day",
                     _volume_on(steps, start)))
    kept += [Step(start + step.day, step.dose_mg, step.note, step.volume_ml) for step in rest.steps[1:]]
    return tuple(kept), rest
