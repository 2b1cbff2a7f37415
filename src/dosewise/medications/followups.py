"""What the team should review, and when, because of a plan's schedule.

One review follows every dose step of a titration or taper, the end of a switch's overlap
(the old drug stopped) and of its washout (the new drug started), and the end of every plan.
Where the knowledge base names monitoring after a dose change (e.g. a lithium level), the
review says so and asks for the change to be recorded on the medication list: the monitoring
rules derive the due test from that record, so the test itself is not scheduled twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.monitoring import monitoring_plan
from dosewise.clinical.plans import Step
from dosewise.clinical.safety import Context
from dosewise.medications.models import FollowUpKind, PlanKind

# A clinic workflow default, not a clinical rule: a week gives a new dose time to show
# early tolerability problems while the next step is still ahead.
REVIEW_AFTER_STEP_DAYS = 7


@dataclass(frozen=True)
class FollowUpSpec:
    kind: str
    step_day: int
    due_date: date
    what: str


def monitoring_after_dose_change(drug: str, context: Context) -> str:
    """Return the knowledge base's tests due after a dose change of `drug`, as one sentence ('' if none)."""
    try:
        items = monitoring_plan([drug], context)
    except ClinicalInputError:
        return ""
    parts = []
    for item in items:
        days = sorted({d for i in item.indications for d in i.schedule.after_dose_change_days})
        if days:
            parts.append(f"{item.test} {days[0]} days after the change")
    if not parts:
        return ""
    return (f" Monitoring: {'; '.join(parts)}; record the change on the medication list so the monitoring "
            "tab schedules it.")


def _changes(steps: tuple[Step, ...], before_start: float | None) -> list[tuple[Step, float]]:
    """Return the steps that change the dose, each with the dose before it (`before_start` before day 0)."""
    out = []
    previous = before_start
    for step in steps:
        if previous is not None and step.dose_mg != previous:
            out.append((step, previous))
        previous = step.dose_mg
    return out


def follow_ups_for(*, kind: str, drug: str, schedules: dict[str, tuple[Step, ...]], start_date: date,
                   from_day: int, context: Context, from_drug: str = "") -> list[FollowUpSpec]:
    """Return the reviews of the steps on or after `from_day`, earliest first.

    `drug` is the drug titrated, tapered or switched to; `from_drug` the one a switch leaves.
    """
    review = timedelta(days=REVIEW_AFTER_STEP_DAYS)
    specs: dict[int, FollowUpSpec] = {}

    def add(step_day: int, follow_kind: str, what: str) -> None:
        if step_day < from_day:
            return
        due = start_date + timedelta(days=step_day) + review
        earlier = specs.get(step_day)
        if earlier is not None:
            what = f"{earlier.what} {what}"
            follow_kind = earlier.kind
        specs[step_day] = FollowUpSpec(follow_kind, step_day, due, what[:500])

    def on(step_day: int) -> str:
        return f"{start_date + timedelta(days=step_day):%Y-%m-%d}"

    if kind in (PlanKind.TITRATION, PlanKind.TAPER):
        steps = schedules.get(drug, ())
        # A titration's first step starts the drug, so it is reviewed too; a taper's is the dose already taken.
        changes = _changes(steps, 0.0 if kind == PlanKind.TITRATION else None)
        monitoring = monitoring_after_dose_change(drug, context)
        for number, (step, before) in enumerate(changes, start=1):
            last = number == len(changes)
            if kind == PlanKind.TITRATION:
                change = (f"started at {step.dose_mg:g} mg/day" if before == 0
                          else f"raised from {before:g} to {step.dose_mg:g} mg/day")
                what = (f"{drug} {change} on {on(step.day)}: review response and tolerability"
                        f"{' at the target dose' if last else ' before the next step'}.")
            elif step.dose_mg == 0:
                what = (f"{drug} stopped on {on(step.day)} (end of the taper): review withdrawal symptoms and "
                        "return of the original symptoms.")
            else:
                what = (f"{drug} lowered from {before:g} to {step.dose_mg:g} mg/day on {on(step.day)}: review "
                        "withdrawal symptoms; pause or slow the taper if they are troublesome.")
            add(step.day, FollowUpKind.PLAN_END if last else FollowUpKind.STEP_REVIEW, what + monitoring)
    else:
        to_drug = drug
        from_drug = from_drug or next(name for name in schedules if name != to_drug)
        stopped = next((s.day for s in schedules[from_drug] if s.dose_mg == 0), None)
        started = next((s.day for s in schedules[to_drug] if s.dose_mg > 0), None)
        if stopped is not None:
            add(stopped, FollowUpKind.SWITCH_REVIEW, f"{from_drug} stopped on {on(stopped)} (end of the overlap): "
                                                     "review discontinuation symptoms.")
        if started is not None and started > 0:
            add(started, FollowUpKind.SWITCH_REVIEW, f"{to_drug} started on {on(started)} after the washout: review "
                                                     "tolerability and interaction symptoms.")
        end = max((steps[-1].day for steps in schedules.values() if steps), default=0)
        add(end, FollowUpKind.PLAN_END, f"Switch to {to_drug} complete on {on(end)}: review response and "
                                        "tolerability." + monitoring_after_dose_change(to_drug, context))
    return [specs[day] for day in sorted(specs)]
