"""Plan a titration from a knowledge-base template (`kb/titrations.json`).

`plan_titration("lamotrigine", with_drugs=["valproate"])` returns the labelled schedule
with its modifiers applied. Per-patient overrides (start, step, interval, target) are
checked against the label: the target and every dose stay at or below the maximum (the
template's, else the formulary's), a custom step is no larger than the labelled maximum
step, a custom interval no shorter than the labelled minimum, and a custom start no higher
than the labelled first dose. Where the label forbids going faster than its schedule
(template `ceiling`, e.g. lamotrigine's rash risk), each custom step is held at the
fastest labelled dose for that day and its note says so.

Modifiers are data: the first matching `scale` or `replace` modifier changes the schedule
(valproate halves lamotrigine, inducers double it), and every matching `note` modifier
adds its note.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import KnowledgeBase, KnowledgeBaseError, load_kb
from dosewise.clinical.names import resolve_drug
from dosewise.clinical.plans.common import Step, clean, positive_number, whole_days

TITRATIONS_FILE = "titrations.json"
MAX_GENERATED_STEPS = 400


@dataclass(frozen=True)
class _Rule:
    """The effective schedule of a template after its modifier: steps, limits, ceiling."""

    steps: tuple[Step, ...]
    target_mg: float
    max_mg: float
    max_source: str
    escalation: Mapping[str, Any]
    ceiling: Mapping[str, Any] | None
    ceiling_steps: tuple[Step, ...]


@dataclass(frozen=True)
class TitrationPlan:
    """A titration schedule for one drug, with where every part of it comes from."""

    drug: str
    template: str
    indication: str
    source: str
    with_drugs: tuple[str, ...]
    modifiers: tuple[str, ...]
    target_mg: float
    max_mg: float
    steps: tuple[Step, ...]
    notes: tuple[str, ...]
    sources: tuple[str, ...]
    customised: bool = False
    kb_version: str = ""
    schedules: Mapping[str, tuple[Step, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "schedules", MappingProxyType({self.drug: self.steps}))

    def to_dict(self) -> dict[str, Any]:
        """Return the plan in the command-line JSON shape."""
        return {
            "drug": self.drug,
            "template": self.template,
            "indication": self.indication,
            "source": self.source,
            "with": list(self.with_drugs),
            "modifiers": list(self.modifiers),
            "target_mg": self.target_mg,
            "max_mg": self.max_mg,
            "customised": self.customised,
            "steps": [step.to_dict() for step in self.steps],
            "notes": list(self.notes),
            "sources": list(self.sources),
            "kb_version": self.kb_version,
        }


def _steps(raw: Iterable[Mapping[str, Any]], factor: float = 1.0) -> tuple[Step, ...]:
    """Build steps from template data, scaling each dose by `factor`."""
    return tuple(Step(int(item["day"]), clean(item["dose_mg"] * factor), item.get("note", "")) for item in raw)


@functools.lru_cache(maxsize=8)
def _templates(kb: KnowledgeBase) -> Mapping[str, tuple[Mapping[str, Any], ...]]:
    """Return the templates by drug, checking names and step order once per knowledge base."""
    by_drug: dict[str, list[Mapping[str, Any]]] = {}
    seen: set[str] = set()
    for template in kb.data(TITRATIONS_FILE)["templates"]:
        where = f"{TITRATIONS_FILE} template {template['id']!r}"
        if template["id"] in seen:
            raise KnowledgeBaseError(f"{where}: duplicate id")
        seen.add(template["id"])
        if template["drug"] not in kb.ingredients:
            raise KnowledgeBaseError(f"{where}: unknown drug {template['drug']!r}")
        for modifier in template.get("modifiers", ()):
            for key in ("when", "unless"):
                for name in modifier.get(key, {}).get("drugs", ()):
                    if name not in kb.ingredients:
                        raise KnowledgeBaseError(f"{where} modifier {modifier['id']!r}: unknown drug {name!r}")
        for steps in _all_step_lists(template):
            days = [step["day"] for step in steps]
            if days != sorted(set(days)):
                raise KnowledgeBaseError(f"{where}: step days must be strictly increasing")
        by_drug.setdefault(template["drug"], []).append(template)
    return MappingProxyType({name: tuple(items) for name, items in by_drug.items()})


def _all_step_lists(template: Mapping[str, Any]) -> list[Sequence[Mapping[str, Any]]]:
    """Return every step list of a template, its ceiling and its modifiers."""
    lists = [template["steps"]]
    for holder in (template, *template.get("modifiers", ())):
        if "steps" in holder and holder is not template:
            lists.append(holder["steps"])
        if "steps" in holder.get("ceiling", {}):
            lists.append(holder["ceiling"]["steps"])
    return lists


def template_ids(drug: str | None = None, *, kb: KnowledgeBase | None = None) -> list[str]:
    """Return the template ids, for one drug (resolved from any alias) or all."""
    kb = kb or load_kb()
    templates = _templates(kb)
    if drug is None:
        return [item["id"] for items in templates.values() for item in items]
    return [item["id"] for item in templates.get(resolve_drug(drug, kb), ())]


def _template(kb: KnowledgeBase, drug: str, template_id: str | None) -> Mapping[str, Any]:
    """Return the drug's template (the first one unless an id is given) or raise."""
    candidates = _templates(kb).get(drug, ())
    if not candidates:
        with_templates = ", ".join(sorted(_templates(kb)))
        raise ClinicalInputError(f"no titration template for {drug}; templates exist for: {with_templates}")
    if template_id is None:
        return candidates[0]
    for template in candidates:
        if template["id"] == template_id:
            return template
    ids = ", ".join(item["id"] for item in candidates)
    raise ClinicalInputError(f"no titration template {template_id!r} for {drug}; choose one of: {ids}")


def _matches(selector: Mapping[str, Any] | None, names: frozenset[str]) -> bool:
    """Return whether any co-medication is named by the modifier selector."""
    return selector is not None and not names.isdisjoint(selector["drugs"])


def _effective_rule(
    kb: KnowledgeBase, template: Mapping[str, Any], with_drugs: frozenset[str]
) -> tuple[_Rule, list[Mapping[str, Any]]]:
    """Apply the matching modifiers and return the schedule rule and the modifiers used."""
    formulary_dose = kb.ingredients[template["drug"]].dose or {}
    max_mg = float(template.get("max_mg", formulary_dose.get("max_mg", template["target_mg"])))
    max_source = template.get("max_source", formulary_dose.get("source", template["source"]))
    ceiling = template.get("ceiling")
    rule = _Rule(
        steps=_steps(template["steps"]),
        target_mg=float(template["target_mg"]),
        max_mg=max_mg,
        max_source=max_source,
        escalation=template["escalation"],
        ceiling=ceiling,
        ceiling_steps=_steps(ceiling["steps"]) if ceiling and "steps" in ceiling else _steps(template["steps"]),
    )
    applied: list[Mapping[str, Any]] = []
    schedule_changed = False
    for modifier in template.get("modifiers", ()):
        if not _matches(modifier["when"], with_drugs) or _matches(modifier.get("unless"), with_drugs):
            continue
        if modifier["effect"] == "note":
            applied.append(modifier)
            continue
        if schedule_changed:
            continue
        schedule_changed = True
        applied.append(modifier)
        rule = _modified(rule, modifier)
    return rule, applied


def _modified(rule: _Rule, modifier: Mapping[str, Any]) -> _Rule:
    """Return the rule after one scale or replace modifier."""
    notes = {item["day"]: item["note"] for item in modifier.get("step_notes", ())}
    if modifier["effect"] == "scale":
        factor = float(modifier["dose_factor"])
        escalation = dict(rule.escalation)
        for key in ("step_mg", "max_step_mg"):
            if key in escalation:
                escalation[key] = clean(escalation[key] * factor)
        ceiling = None
        if rule.ceiling is not None:
            ceiling = {**rule.ceiling, "step_mg": clean(rule.ceiling["step_mg"] * factor)}
        steps = tuple(
            # The base notes name the unscaled doses, so a scaled step keeps only the modifier's own note.
            Step(step.day, clean(step.dose_mg * factor), notes.get(step.day, "")) for step in rule.steps
        )
        return _Rule(
            steps=steps,
            target_mg=clean(rule.target_mg * factor),
            max_mg=clean(float(modifier.get("max_mg", rule.max_mg * factor))),
            max_source=modifier["source"],
            escalation=escalation,
            ceiling=ceiling,
            ceiling_steps=tuple(Step(step.day, clean(step.dose_mg * factor)) for step in rule.ceiling_steps),
        )
    steps = tuple(Step(step.day, step.dose_mg, notes.get(step.day, step.note)) for step in _steps(modifier["steps"]))
    ceiling = modifier.get("ceiling")
    return _Rule(
        steps=steps,
        target_mg=float(modifier["target_mg"]),
        max_mg=float(modifier.get("max_mg", rule.max_mg)),
        max_source=modifier["source"] if "max_mg" in modifier else rule.max_source,
        escalation=modifier["escalation"],
        ceiling=ceiling,
        ceiling_steps=_steps(ceiling["steps"]) if ceiling and "steps" in ceiling else steps,
    )


def _ceiling_dose(rule: _Rule, day: int) -> float | None:
    """Return the fastest labelled dose on a day, or None when the label sets no ceiling."""
    if rule.ceiling is None:
        return None
    steps = rule.ceiling_steps
    current = steps[0]
    for step in steps:
        if step.day <= day:
            current = step
    rises = (day - current.day) // int(rule.ceiling["interval_days"]) if current is steps[-1] else 0
    return clean(current.dose_mg + max(rises, 0) * rule.ceiling["step_mg"])


def _labelled_steps(rule: _Rule, target: float) -> tuple[Step, ...]:
    """Return the label schedule up to the target, continued by the labelled step rule."""
    out: list[Step] = []
    for step in rule.steps:
        if step.dose_mg >= target:
            out.append(Step(step.day, clean(target), step.note if step.dose_mg == target else "target"))
            return tuple(out)
        out.append(step)
    return tuple(out) + _continue(out[-1], target, float(rule.escalation["step_mg"]),
                                  int(rule.escalation["interval_days"]), rule, clamp=False)


def _continue(last: Step, target: float, step_mg: float, interval: int, rule: _Rule, *, clamp: bool) -> tuple[Step, ...]:
    """Return steps rising from `last` by step_mg every interval days until the target."""
    out: list[Step] = []
    dose, day = last.dose_mg, last.day
    for _ in range(MAX_GENERATED_STEPS * 10):
        if dose >= target:
            return tuple(out)
        if len(out) >= MAX_GENERATED_STEPS:
            raise ClinicalInputError("the schedule would need more than 400 steps; choose a larger step or lower target")
        day += interval
        wanted = min(clean(dose + step_mg), target)
        note = "target" if wanted >= target else ""
        ceiling = _ceiling_dose(rule, day) if clamp else None
        if ceiling is not None and wanted > ceiling:
            if ceiling <= dose:
                continue
            wanted, note = ceiling, "held to the labelled maximum escalation for this day"
        dose = wanted
        out.append(Step(day, dose, note))
    raise ClinicalInputError("the schedule does not reach the target; choose a larger step or lower target")


def _custom_steps(rule: _Rule, target: float, start: float, step_mg: float, interval: int) -> tuple[Step, ...]:
    """Return a custom schedule from `start`, rising by step_mg every interval days, held under the ceiling."""
    first_ceiling = _ceiling_dose(rule, 0)
    first = min(start, target)
    note = "start"
    if first_ceiling is not None and first > first_ceiling:
        first, note = first_ceiling, "held to the labelled maximum escalation for this day"
    return (Step(0, clean(first), note),) + _continue(Step(0, clean(first)), target, step_mg, interval, rule, clamp=True)


def plan_titration(
    drug: str,
    *,
    with_drugs: Sequence[str] = (),
    template: str | None = None,
    target_mg: float | None = None,
    start_mg: float | None = None,
    step_mg: float | None = None,
    interval_days: int | None = None,
    kb: KnowledgeBase | None = None,
) -> TitrationPlan:
    """Return the titration schedule of a drug from its template, modifiers and overrides."""
    kb = kb or load_kb()
    name = resolve_drug(drug, kb)
    others = tuple(dict.fromkeys(resolve_drug(item, kb) for item in with_drugs))
    if name in others:
        raise ClinicalInputError(f"--with names {name} itself; list the other drugs the patient takes")
    chosen = _template(kb, name, template)
    rule, applied = _effective_rule(kb, chosen, frozenset(others))
    target = rule.target_mg if target_mg is None else positive_number(target_mg, "target dose")
    if target > rule.max_mg:
        raise ClinicalInputError(
            f"target {target:g} mg/day exceeds the labelled maximum of {rule.max_mg:g} mg/day for {name} "
            f"({chosen['id']}); source: {rule.max_source}"
        )
    escalation = rule.escalation
    customised = any(value is not None for value in (start_mg, step_mg, interval_days))
    if customised:
        label_start = rule.steps[0].dose_mg
        start = label_start if start_mg is None else positive_number(start_mg, "start dose")
        if start > label_start:
            raise ClinicalInputError(
                f"start {start:g} mg/day is above the labelled first dose of {label_start:g} mg/day for {name}"
            )
        step = float(escalation["step_mg"]) if step_mg is None else positive_number(step_mg, "step")
        if "max_step_mg" in escalation and step > escalation["max_step_mg"]:
            raise ClinicalInputError(
                f"step {step:g} mg/day is larger than the labelled maximum step of {escalation['max_step_mg']:g} mg/day "
                f"for {name}; source: {escalation['source']}"
            )
        interval = int(escalation["interval_days"]) if interval_days is None else whole_days(interval_days, "interval")
        if interval < escalation["min_interval_days"]:
            raise ClinicalInputError(
                f"interval {interval} days is shorter than the labelled minimum of {escalation['min_interval_days']} "
                f"days for {name}; source: {escalation['source']}"
            )
        steps = _custom_steps(rule, target, start, step, interval)
    else:
        steps = _labelled_steps(rule, target)
    sources = [chosen["source"], escalation["source"]]
    if rule.ceiling is not None:
        sources.append(rule.ceiling["source"])
    sources += [modifier["source"] for modifier in applied]
    if target_mg is not None:
        sources.append(rule.max_source)
    return TitrationPlan(
        drug=name,
        template=chosen["id"],
        indication=chosen["indication"],
        source=chosen["source"],
        with_drugs=others,
        modifiers=tuple(modifier["id"] for modifier in applied),
        target_mg=clean(target),
        max_mg=rule.max_mg,
        steps=steps,
        notes=tuple(chosen.get("notes", ())) + tuple(modifier["note"] for modifier in applied),
        sources=tuple(dict.fromkeys(sources)),
        customised=customised,
        kb_version=kb.version,
    )
