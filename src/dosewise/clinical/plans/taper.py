"""Plan a taper: hyperbolic where occupancy parameters are published, else percentage steps.

Hyperbolic model (Horowitz & Taylor, Lancet Psychiatry 2019): occupancy
O(D) = Emax * D / (ED50 + D). Each step lowers occupancy by the same number of percentage
points and the dose is the inverse, D(O) = ED50 * O / (Emax - O), so dose reductions shrink
as the dose falls. Parameters per drug are in `kb/tapering.json` `occupancy`.

Percentage model: each step takes a fixed percentage off the current dose (10% every four
weeks by default; benzodiazepines and z-drugs one-eighth every fortnight), from
`kb/tapering.json` `percentage`.

Every planned dose is rounded to a deliverable dose (`rounding.py`) strictly below the
previous step, so doses never rise and every step is a real reduction. A rounded step stays
within `tail.max_step_factor` of the planned reduction; where tablets, half tablets
and the oral liquid cannot make it, the step is a compounded (or specially measured)
preparation of the planned dose, so the tail keeps shrinking instead of jumping to nothing.

How a taper ends (`kb/tapering.json` `tail`): a percentage taper goes on until the dose is at
most `final_fraction_of_usual_min` of the lowest usual daily dose; a hyperbolic taper goes on
until the occupancy left is at most one step, and once its equal-occupancy steps would grow
in relative size it continues with proportional steps no larger than its smallest one. The
last step is `to` (0 unless given). Day 0 is the current dose; step k starts on day k * interval,
plus any pauses (`holds`: step index -> extra days at that step).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import KnowledgeBase, KnowledgeBaseError, load_kb
from dosewise.clinical.names import resolve_drug
from dosewise.clinical.plans.common import Step, clean, finite_number, positive_number, whole_days
from dosewise.clinical.plans.rounding import TAPERING_FILE, Formulation, formulation

MAX_STEPS = 200
COMPOUNDED_NOTE = "oral liquid or compounded preparation: tablets cannot make this step"
HYPERBOLIC = "hyperbolic"
PERCENTAGE = "percentage"


@dataclass(frozen=True)
class OccupancyModel:
    """Published (or derived) dose-occupancy parameters of one drug at one target."""

    drug: str
    target: str
    emax_percent: float
    ed50_mg: float
    source: str

    def occupancy(self, dose_mg: float) -> float:
        """Return the occupancy in percent at a daily dose."""
        return self.emax_percent * dose_mg / (self.ed50_mg + dose_mg)

    def dose(self, occupancy_percent: float) -> float:
        """Return the daily dose giving an occupancy (the inverse of occupancy())."""
        if occupancy_percent <= 0:
            return 0.0
        if occupancy_percent >= self.emax_percent:
            raise ValueError("occupancy at or above Emax has no finite dose")
        return self.ed50_mg * occupancy_percent / (self.emax_percent - occupancy_percent)


@dataclass(frozen=True)
class TaperPlan:
    """A taper schedule for one drug with its model, parameters and sources."""

    drug: str
    model: str
    from_mg: float
    to_mg: float
    interval_days: int
    step_size: float
    step_unit: str
    steps: tuple[Step, ...]
    source: str
    sources: tuple[str, ...]
    holds: Mapping[int, int] = field(default_factory=dict)
    kb_version: str = ""
    schedules: Mapping[str, tuple[Step, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "holds", MappingProxyType(dict(self.holds)))
        object.__setattr__(self, "schedules", MappingProxyType({self.drug: self.steps}))

    def to_dict(self) -> dict[str, Any]:
        """Return the plan in the command-line JSON shape."""
        return {
            "drug": self.drug,
            "model": self.model,
            "source": self.source,
            "from_mg": self.from_mg,
            "to_mg": self.to_mg,
            "interval_days": self.interval_days,
            "step": {"size": self.step_size, "unit": self.step_unit},
            "holds": {str(key): value for key, value in sorted(self.holds.items())},
            "steps": [step.to_dict() for step in self.steps],
            "sources": list(self.sources),
            "kb_version": self.kb_version,
        }


@functools.lru_cache(maxsize=8)
def _occupancy_models(kb: KnowledgeBase) -> Mapping[str, OccupancyModel]:
    """Return the occupancy parameters by drug, refusing unknown drugs and duplicates."""
    models: dict[str, OccupancyModel] = {}
    for raw in kb.data(TAPERING_FILE)["occupancy"]:
        if raw["drug"] not in kb.ingredients:
            raise KnowledgeBaseError(f"{TAPERING_FILE} occupancy: unknown drug {raw['drug']!r}")
        if raw["drug"] in models:
            raise KnowledgeBaseError(f"{TAPERING_FILE} occupancy: {raw['drug']!r} listed twice")
        models[raw["drug"]] = OccupancyModel(
            raw["drug"], raw["target"], float(raw["emax_percent"]), float(raw["ed50_mg"]), raw["source"]
        )
    return MappingProxyType(models)


def occupancy_model(drug: str, *, kb: KnowledgeBase | None = None) -> OccupancyModel | None:
    """Return the drug's occupancy parameters, or None when none are published in the KB."""
    kb = kb or load_kb()
    return _occupancy_models(kb).get(resolve_drug(drug, kb))


def hyperbolic_doses(model: OccupancyModel, from_mg: float, to_mg: float, step_points: float) -> Iterator[float]:
    """Yield the unrounded model doses after each step, above `to_mg`, highest first."""
    start = model.occupancy(from_mg)
    floor = model.occupancy(to_mg)
    for index in range(1, MAX_STEPS + 1):
        occupancy = start - index * step_points
        if occupancy <= floor:
            return
        yield model.dose(occupancy)


def percentage_doses(from_mg: float, to_mg: float, percent: float) -> Iterator[float]:
    """Yield the unrounded doses after each percentage step, above `to_mg`, highest first.

    The sequence is open-ended towards zero; the caller stops it at the taper's final dose.
    """
    dose = from_mg
    for _ in range(MAX_STEPS):
        dose *= 1 - percent / 100
        if dose <= to_mg:
            return
        yield dose


def hyperbolic_tail_doses(model: OccupancyModel, from_mg: float, to_mg: float, step_points: float) -> Iterator[float]:
    """Yield the hyperbolic doses, then proportional steps once equal-occupancy steps would grow.

    Equal occupancy steps shrink in milligrams but, near zero occupancy, grow in relative size
    (the last ones would halve the dose or more). From the step where they would grow, the dose
    falls by the smallest relative step so far until the occupancy left is at most one step.
    """
    previous = from_mg
    smallest = 1.0
    last = from_mg
    for dose in hyperbolic_doses(model, from_mg, to_mg, step_points):
        relative = 1 - dose / previous
        if relative > smallest + 1e-9:
            break
        smallest = min(smallest, relative)
        previous = last = dose
        yield dose
    else:
        return
    dose = last
    for _ in range(MAX_STEPS):
        if to_mg == 0 and model.occupancy(dose) <= step_points:
            return
        dose *= 1 - smallest
        if dose <= to_mg:
            return
        yield dose


def _percentage_defaults(kb: KnowledgeBase, name: str) -> tuple[float, int, str]:
    """Return the percent, interval and source for a drug (class group, else the default)."""
    settings = kb.data(TAPERING_FILE)["percentage"]
    classes = set(kb.ingredients[name].classes)
    for group in settings["groups"]:
        if classes.intersection(group["classes"]):
            return float(group["percent"]), int(group["interval_days"]), group["source"]
    return float(settings["percent"]), int(settings["interval_days"]), settings["source"]


def _round_steps(
    doses: Iterator[float], supply: Formulation, from_mg: float, to_mg: float, max_factor: float,
    final_mg: float = 0.0, *, never_growing: bool = False,
) -> list[tuple[float, str, float | None]]:
    """Round model doses to deliverable ones, each strictly below the previous, above `to_mg`.

    A rounded step must lie within `max_factor` of the planned one (neither much larger nor much
    smaller, so the relative steps stay even); otherwise the planned dose is kept as a
    compounded preparation. With `never_growing` (the hyperbolic model, whose tail must not
    grow), a rounded step must also take off at most `max_factor` times the smallest share of
    the dose taken off so far: rounding can make an early step small (sertraline 8.75 -> 6 mg,
    31%), and a later one that halves the dose (4 -> 2 mg) would then be a jump in the tail.
    """
    out: list[tuple[float, str, float | None]] = []
    previous = model_previous = from_mg
    smallest = 1.0
    for model_dose in doses:
        if to_mg == 0 and previous <= final_mg:
            break
        # The model's relative step, applied to the dose actually reached after rounding.
        dose = previous * model_dose / model_previous
        model_previous = model_dose
        planned = previous - dose
        rounded = supply.nearest(dose, below=previous)
        if rounded is not None and not planned / max_factor - 1e-9 <= previous - rounded.dose_mg <= (
            planned * max_factor + 1e-9
        ):
            rounded = None
        if rounded is not None and never_growing and 1 - rounded.dose_mg / previous > smallest * max_factor + 1e-9:
            rounded = None
        if rounded is None:
            exact = compounded_dose(dose, below=previous)
            if exact >= previous or exact <= to_mg:
                break
            out.append((exact, COMPOUNDED_NOTE, None))
            smallest = min(smallest, 1 - exact / previous)
            previous = exact
            continue
        if rounded.dose_mg <= to_mg:
            break
        note = "half tablet" if rounded.half_tablet else ("oral liquid" if rounded.form == "liquid" else "")
        out.append((rounded.dose_mg, note, rounded.volume_ml))
        smallest = min(smallest, 1 - rounded.dose_mg / previous)
        previous = rounded.dose_mg
    return out


def compounded_dose(dose: float, below: float | None = None) -> float:
    """Return a planned dose to two significant figures (more if needed to stay under `below`)."""
    if dose <= 0:
        return 0.0
    first = 1 - int(math.floor(math.log10(dose)))
    for digits in range(first, first + 3):
        exact = clean(round(dose, digits))
        if below is None or exact < below:
            return exact
    return clean(dose)


def _days(count: int, interval: int, holds: Mapping[int, int]) -> list[int]:
    """Return the start day of each step, with pauses held at the given step indexes."""
    days = [0]
    for index in range(1, count):
        days.append(days[-1] + interval + holds.get(index - 1, 0))
    return days


def _check_holds(holds: Mapping[Any, Any] | None) -> dict[int, int]:
    """Validate pauses: step index (0 = current dose) -> extra days, both whole numbers."""
    checked: dict[int, int] = {}
    for key, value in (holds or {}).items():
        index = whole_days(key, "pause step index", minimum=0)
        checked[index] = whole_days(value, f"pause at step {index}", minimum=1)
    return checked


def plan_taper(
    drug: str,
    from_mg: float,
    *,
    to_mg: float = 0.0,
    interval_days: int | None = None,
    model: str | None = None,
    step_points: float | None = None,
    percent: float | None = None,
    holds: Mapping[int, int] | None = None,
    kb: KnowledgeBase | None = None,
) -> TaperPlan:
    """Return a taper from `from_mg` to `to_mg` mg/day, hyperbolic where parameters exist."""
    kb = kb or load_kb()
    name = resolve_drug(drug, kb)
    # Doses are kept to 4 decimals; cleaning first keeps every later comparison on the same values.
    start = clean(positive_number(from_mg, "--from dose"))
    end = clean(finite_number(to_mg, "--to dose"))
    if start <= 0:
        raise ClinicalInputError(f"--from dose must be above 0, got {from_mg!r}")
    if end < 0:
        raise ClinicalInputError(f"--to dose must not be negative, got {end:g}")
    if end >= start:
        raise ClinicalInputError(f"--to dose ({end:g} mg) must be below --from dose ({start:g} mg)")
    settings = kb.data(TAPERING_FILE)
    occupancy = _occupancy_models(kb).get(name)
    chosen = model or (HYPERBOLIC if occupancy else PERCENTAGE)
    if chosen == HYPERBOLIC and occupancy is None:
        raise ClinicalInputError(f"no published occupancy parameters for {name}; use the percentage model")
    if chosen not in (HYPERBOLIC, PERCENTAGE):
        raise ClinicalInputError(f"unknown taper model {chosen!r}; use 'hyperbolic' or 'percentage'")
    if chosen == HYPERBOLIC and percent is not None:
        raise ClinicalInputError("--percent applies to the percentage model; use --step-points for a hyperbolic taper")
    if chosen == PERCENTAGE and step_points is not None:
        raise ClinicalInputError("--step-points applies to the hyperbolic model; use --percent for a percentage taper")
    supply = formulation(kb, name)
    if chosen == HYPERBOLIC:
        assert occupancy is not None
        rules = settings["hyperbolic"]
        size = float(rules["step_points"]) if step_points is None else positive_number(step_points, "step points")
        if not rules["min_step_points"] <= size <= rules["max_step_points"]:
            raise ClinicalInputError(
                f"step of {size:g} occupancy points is outside {rules['min_step_points']:g}-{rules['max_step_points']:g}"
            )
        default_interval, source, unit = int(rules["interval_days"]), rules["source"], "occupancy points"
        final = 0.0
        doses = hyperbolic_tail_doses(occupancy, start, end, size)
        sources: tuple[str, ...] = (source, occupancy.source, settings["tail"]["source"])
    else:
        rules = settings["percentage"]
        default_percent, default_interval, source = _percentage_defaults(kb, name)
        size = default_percent if percent is None else positive_number(percent, "percent")
        if not rules["min_percent"] <= size <= rules["max_percent"]:
            raise ClinicalInputError(
                f"step of {size:g}% is outside {rules['min_percent']:g}-{rules['max_percent']:g}% of the current dose"
            )
        unit = "percent of current dose"
        dose_facts = kb.ingredients[name].dose
        lowest_usual = float(dose_facts["usual_min_mg"]) if dose_facts and dose_facts["usual_min_mg"] > 0 else start
        final = settings["tail"]["final_fraction_of_usual_min"] * min(lowest_usual, start)
        doses = percentage_doses(start, end, size)
        sources = (source, settings["tail"]["source"])
    interval = default_interval if interval_days is None else whole_days(interval_days, "--interval-days")
    pauses = _check_holds(holds)
    rounded = _round_steps(doses, supply, start, end, float(settings["tail"]["max_step_factor"]), final,
                           never_growing=chosen == HYPERBOLIC)
    entries = [(start, "current dose", None), *rounded, (end, "stop" if end == 0 else "final dose", None)]
    if pauses and max(pauses) >= len(entries) - 1:
        raise ClinicalInputError(f"pause at step {max(pauses)}: the plan has steps 0 to {len(entries) - 2} before the end")
    days = _days(len(entries), interval, pauses)
    steps = tuple(
        Step(day, clean(dose), note, volume) for day, (dose, note, volume) in zip(days, entries, strict=True)
    )
    return TaperPlan(
        drug=name, model=chosen, from_mg=clean(start), to_mg=clean(end), interval_days=interval,
        step_size=size, step_unit=unit, steps=steps, source=source, sources=sources, holds=pauses,
        kb_version=kb.version,
    )


def pause_taper(plan: TaperPlan, step: int, days: int) -> TaperPlan:
    """Return the plan with step `step` held `days` longer; later steps move back by as much."""
    index = whole_days(step, "pause step index", minimum=0)
    extra = whole_days(days, "pause length")
    if index >= len(plan.steps) - 1:
        raise ClinicalInputError(f"pause at step {index}: the plan has steps 0 to {len(plan.steps) - 2} before the end")
    holds = dict(plan.holds)
    holds[index] = holds.get(index, 0) + extra
    moved = tuple(replace(item, day=item.day + extra) if number > index else item
                  for number, item in enumerate(plan.steps))
    return replace(plan, steps=moved, holds=holds)



@dataclass(frozen=True)
class TaperOptions:
    """The choices a taper of one drug offers, with the knowledge base's defaults and their sources."""

    drug: str
    models: tuple[str, ...]
    percent: float
    percent_interval_days: int
    percent_range: tuple[float, float]
    percent_source: str
    step_points: float | None
    step_points_range: tuple[float, float] | None
    hyperbolic_interval_days: int | None
    hyperbolic_source: str


def taper_options(drug: str, kb: KnowledgeBase | None = None) -> TaperOptions:
    """Return the models a taper of `drug` may use and each model's default step and interval."""
    kb = kb or load_kb()
    name = resolve_drug(drug, kb)
    settings = kb.data(TAPERING_FILE)
    percent, interval, source = _percentage_defaults(kb, name)
    rules = settings["percentage"]
    occupancy = _occupancy_models(kb).get(name)
    hyper = settings["hyperbolic"]
    return TaperOptions(
        drug=name, models=(PERCENTAGE, HYPERBOLIC) if occupancy else (PERCENTAGE,), percent=percent,
        percent_interval_days=interval, percent_range=(float(rules["min_percent"]), float(rules["max_percent"])),
        percent_source=source,
        step_points=float(hyper["step_points"]) if occupancy else None,
        step_points_range=(float(hyper["min_step_points"]), float(hyper["max_step_points"])) if occupancy else None,
        hyperbolic_interval_days=int(hyper["interval_days"]) if occupancy else None,
        hyperbolic_source=hyper["source"] if occupancy else "",
    )
