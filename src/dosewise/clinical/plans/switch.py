"""Plan a switch from one drug to another, with the safety check run on every day.

Methods:
- `cross-taper`: the old drug falls in equal steps to 0 over `steps` intervals while the new
  one starts (its titration template when there is one, else its formulary start dose rising
  evenly to the target dose).
- `direct`: the old drug stops on day 0 and the new one starts after the washout (day 0 when
  none is needed).

A washout is needed when the safety engine reports the two drugs together as a
contraindicated interaction (e.g. an MAOI with a serotonergic drug); a cross-taper is then
impossible and the plan becomes a direct switch with washout. The washout is the old drug's
labelled `half_life.washout_days` (14 days after an MAOI, 5 weeks after fluoxetine) or, when
the label states none, 5 half-lives of the drug or of its longest-lived active metabolite;
the plan says which, with the source.

Every day of the plan is checked: the day's regimen (background drugs, drugs taken that
day with their doses, and the old drug while it is still present, i.e. for its washout or 5
half-lives after the last dose) goes through `safety.check`. Identical regimens are checked
once and shared.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import Ingredient, KnowledgeBase, load_kb
from dosewise.clinical.names import resolve_drug
from dosewise.clinical.plans.common import Step, clean, dose_on, positive_number, whole_days
from dosewise.clinical.plans.rounding import formulation
from dosewise.clinical.plans.titration import plan_titration, template_ids
from dosewise.clinical.safety import Context, Finding, RegimenItem, check

CROSS_TAPER = "cross-taper"
DIRECT = "direct"
METHODS = (CROSS_TAPER, DIRECT)
METHODS_HELP = "cross-taper (overlap) or direct (stop, washout if needed, start); default cross-taper"
HALF_LIVES_FOR_WASHOUT = 5
HOURS_PER_DAY = 24


@dataclass(frozen=True)
class Washout:
    """Days without either drug between stopping the old drug and starting the new one."""

    days: int
    basis: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        """Return the washout as JSON-ready data."""
        return {"days": self.days, "basis": self.basis, "source": self.source}


@dataclass(frozen=True)
class DayCheck:
    """The safety findings of one plan day; `residual` names drugs stopped but still present."""

    day: int
    regimen: tuple[tuple[str, float | None], ...]
    residual: tuple[str, ...]
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class SwitchPlan:
    """A switch schedule for two drugs with its washout and per-day safety findings."""

    from_drug: str
    to_drug: str
    method: str
    requested_method: str
    from_mg: float
    to_mg: float
    washout: Washout | None
    schedules: Mapping[str, tuple[Step, ...]]
    day_checks: tuple[DayCheck, ...]
    distinct_regimens: int
    notes: tuple[str, ...]
    sources: tuple[str, ...]
    kb_version: str = ""
    background: tuple[str, ...] = field(default_factory=tuple)

    def findings_summary(self) -> list[dict[str, Any]]:
        """Return each distinct finding once, with the day ranges on which it occurs."""
        days_by_key: dict[tuple[str, str, tuple[str, ...], str, str], list[int]] = {}
        first: dict[tuple[str, str, tuple[str, ...], str, str], Finding] = {}
        for check_ in self.day_checks:
            for finding in check_.findings:
                key = (finding.severity, finding.kind, finding.drugs, finding.rule_id, finding.summary)
                days_by_key.setdefault(key, []).append(check_.day)
                first.setdefault(key, finding)
        ordered = sorted(first, key=lambda key: first[key].sort_key())
        return [
            {
                "severity": first[key].severity,
                "kind": first[key].kind,
                "drugs": list(first[key].drugs),
                "summary": first[key].summary,
                "action": first[key].action,
                "rule_id": first[key].rule_id,
                "sources": list(first[key].sources),
                "days": _ranges(days_by_key[key]),
            }
            for key in ordered
        ]

    def to_dict(self) -> dict[str, Any]:
        """Return the plan in the command-line JSON shape."""
        step_days = sorted({step.day for steps in self.schedules.values() for step in steps})
        return {
            "from": {"drug": self.from_drug, "dose_mg": self.from_mg},
            "to": {"drug": self.to_drug, "dose_mg": self.to_mg},
            "method": self.method,
            "requested_method": self.requested_method,
            "washout": self.washout.to_dict() if self.washout else None,
            "background": list(self.background),
            "steps": [
                {"day": day, "doses_mg": {drug: dose_on(steps, day) for drug, steps in self.schedules.items()},
                 "note": "; ".join(f"{drug}: {step.note}" for drug, steps in self.schedules.items()
                                   for step in steps if step.day == day and step.note)}
                for day in step_days
            ],
            "safety": {
                "days_checked": len(self.day_checks),
                "distinct_regimens": self.distinct_regimens,
                "findings": self.findings_summary(),
            },
            "notes": list(self.notes),
            "sources": list(self.sources),
            "kb_version": self.kb_version,
        }


def _ranges(days: list[int]) -> list[list[int]]:
    """Compress sorted days into [first, last] runs of consecutive days."""
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][1] + 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return runs


def washout_for(ingredient: Ingredient) -> Washout:
    """Return the washout after stopping a drug: labelled, else 5 half-lives (active metabolite included)."""
    half_life = ingredient.half_life
    if not half_life:
        raise ClinicalInputError(
            f"{ingredient.name} has no half-life in the formulary, so no washout can be computed; "
            "plan the washout from its label"
        )
    if "washout_days" in half_life:
        return Washout(math.ceil(half_life["washout_days"]), f"labelled washout after stopping {ingredient.name}",
                       half_life["source"])
    hours = max(half_life["hours"], half_life.get("active_metabolite_hours", 0))
    which = "active metabolite" if half_life.get("active_metabolite_hours", 0) > half_life["hours"] else "drug"
    days = math.ceil(HALF_LIVES_FOR_WASHOUT * hours / HOURS_PER_DAY)
    return Washout(days, f"{HALF_LIVES_FOR_WASHOUT} half-lives of {ingredient.name} ({which}, {hours:g} h)",
                   half_life["source"])


def _contraindicated(findings: Sequence[Finding], a: str, b: str) -> list[Finding]:
    """Return the contraindicated interaction findings between the two drugs."""
    pair = tuple(sorted((a, b)))
    return [f for f in findings if f.severity == "contraindicated" and f.kind == "interaction" and f.drugs == pair]


def _default_dose(kb: KnowledgeBase, name: str, what: str) -> float:
    """Return the lowest usual daily dose of a drug, or ask for one when the formulary has none."""
    dose = kb.ingredients[name].dose
    if not dose:
        raise ClinicalInputError(f"{name} has no oral daily dose in the formulary; give {what}")
    return float(dose["usual_min_mg"])


def _falling(kb: KnowledgeBase, name: str, from_mg: float, steps: int, interval: int) -> tuple[Step, ...]:
    """Return the old drug's schedule: equal reductions from day 0, reaching 0 after `steps` steps."""
    supply = formulation(kb, name)
    out: list[Step] = []
    previous = from_mg + 1.0
    for index in range(1, steps):
        wanted = from_mg * (steps - index) / steps
        rounded = supply.nearest(wanted, below=previous)
        if rounded is None:
            break
        out.append(Step((index - 1) * interval, rounded.dose_mg, f"reduce to {rounded.dose_mg:g} mg/day"))
        previous = rounded.dose_mg
    out.append(Step((steps - 1) * interval, 0.0, "stop"))
    return tuple(out)


def _rising(
    kb: KnowledgeBase, name: str, to_mg: float, start_day: int, steps: int, interval: int, co_medication: Sequence[str]
) -> tuple[Step, ...]:
    """Return the new drug's schedule from `start_day`: its template, else an even rise to the target.

    The template's modifiers see the co-medication (e.g. lamotrigine started while valproate
    is still being tapered follows the valproate schedule).
    """
    if template_ids(name, kb=kb):
        plan = plan_titration(name, with_drugs=co_medication, target_mg=to_mg, kb=kb)
        return tuple(Step(step.day + start_day, step.dose_mg, step.note) for step in plan.steps)
    dose = kb.ingredients[name].dose
    start = min(float(dose["start_mg"]), to_mg) if dose else to_mg
    supply = formulation(kb, name)
    out = [Step(start_day, start, "start")]
    for index in range(1, steps):
        wanted = start + (to_mg - start) * index / (steps - 1)
        rounded = supply.nearest(wanted)
        value = rounded.dose_mg if rounded and rounded.dose_mg <= to_mg else clean(wanted)
        if value > out[-1].dose_mg:
            out.append(Step(start_day + index * interval, value, ""))
    if out[-1].dose_mg != to_mg:
        out.append(Step(start_day + steps * interval, clean(to_mg), "target"))
    return tuple(out)


def plan_switch(
    from_drug: str,
    to_drug: str,
    *,
    from_mg: float | None = None,
    to_mg: float | None = None,
    method: str = CROSS_TAPER,
    steps: int = 4,
    interval_days: int = 7,
    context: Context | None = None,
    background: Sequence[RegimenItem | str] = (),
    kb: KnowledgeBase | None = None,
) -> SwitchPlan:
    """Return a cross-taper or direct switch with washout and the safety findings of every day."""
    kb = kb or load_kb()
    old, new = resolve_drug(from_drug, kb), resolve_drug(to_drug, kb)
    if old == new:
        raise ClinicalInputError(f"switching {old} to itself; name two different drugs")
    if method not in METHODS:
        raise ClinicalInputError(f"unknown switch method {method!r}; use 'cross-taper' or 'direct'")
    step_count = whole_days(steps, "number of cross-taper steps", minimum=2)
    interval = whole_days(interval_days, "interval")
    old_mg = _default_dose(kb, old, "--from-dose") if from_mg is None else positive_number(from_mg, "--from-dose")
    new_mg = _default_dose(kb, new, "--to-dose") if to_mg is None else positive_number(to_mg, "--to-dose")
    new_dose = kb.ingredients[new].dose
    if new_dose and new_mg > new_dose["max_mg"]:
        raise ClinicalInputError(
            f"--to-dose {new_mg:g} mg/day exceeds the labelled maximum of {new_dose['max_mg']:g} mg/day for {new}"
        )
    background_items = tuple(item if isinstance(item, RegimenItem) else RegimenItem(item) for item in background)
    background_names = tuple(resolve_drug(item.name, kb) for item in background_items)
    if old in background_names or new in background_names:
        raise ClinicalInputError("background drugs must not include the drugs being switched")

    notes: list[str] = []
    sources: list[str] = []
    blocking = _contraindicated(check([old, new], kb=kb), old, new)
    washout: Washout | None = None
    chosen = method
    if blocking:
        washout = washout_for(kb.ingredients[old])
        sources += [washout.source, *blocking[0].sources]
        if method == CROSS_TAPER:
            notes.append(f"cross-taper refused: {blocking[0].summary}; switching directly with a washout")
        chosen = DIRECT
        notes.append(f"washout of {washout.days} days: {washout.basis}")

    if chosen == CROSS_TAPER:
        old_steps = _falling(kb, old, old_mg, step_count, interval)
        new_steps = _rising(kb, new, new_mg, 0, step_count, interval, (old, *background_names))
    else:
        old_steps = (Step(0, 0.0, "stop"),)
        new_steps = _rising(kb, new, new_mg, washout.days if washout else 0, step_count, interval, background_names)
    schedules = MappingProxyType({old: old_steps, new: new_steps})
    stop_day = next(step.day for step in old_steps if step.dose_mg == 0)
    residual_days = washout.days if washout else washout_for(kb.ingredients[old]).days
    day_checks, distinct = _check_every_day(
        kb, schedules, old, stop_day, residual_days, background_items, context or Context()
    )
    return SwitchPlan(
        from_drug=old, to_drug=new, method=chosen, requested_method=method, from_mg=clean(old_mg),
        to_mg=clean(new_mg), washout=washout, schedules=schedules, day_checks=day_checks,
        distinct_regimens=distinct, notes=tuple(notes), sources=tuple(dict.fromkeys(sources)),
        kb_version=kb.version, background=background_names,
    )


def _check_every_day(
    kb: KnowledgeBase,
    schedules: Mapping[str, tuple[Step, ...]],
    old: str,
    stop_day: int,
    residual_days: int,
    background: tuple[RegimenItem, ...],
    context: Context,
) -> tuple[tuple[DayCheck, ...], int]:
    """Run the safety check on the regimen of every day; identical regimens are checked once."""
    end = max(max(step.day for step in steps) for steps in schedules.values())
    # The old drug is still present after its last dose, so its interactions matter until it is gone.
    end = max(end, stop_day + residual_days)
    cache: dict[tuple[tuple[str, float | None], ...], tuple[Finding, ...]] = {}
    checks: list[DayCheck] = []
    for day in range(end + 1):
        regimen: dict[str, float | None] = {}
        residual: list[str] = []
        for drug, steps in schedules.items():
            dose = dose_on(steps, day)
            if dose > 0:
                regimen[drug] = dose
            elif drug == old and stop_day <= day < stop_day + residual_days:
                regimen[drug] = None
                residual.append(drug)
        items = [RegimenItem(name, dose) for name, dose in regimen.items()]
        key = tuple(sorted(regimen.items(), key=lambda item: item[0]))
        if key not in cache:
            cache[key] = tuple(check([*background, *items], context, kb=kb))
        checks.append(DayCheck(day, key, tuple(residual), cache[key]))
    return tuple(checks), len(cache)
