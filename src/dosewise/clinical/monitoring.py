"""Plan laboratory and clinical monitoring for a regimen, and interpret the results.

The rules, the test catalogue (with LOINC codes) and the result bands live in
`kb/monitoring.json`; every rule and band set carries its sources.

- `monitoring_plan(regimen, context, start_dates)` returns one `MonitoringItem` per test:
  two drugs that need the same test (two antipsychotics and a lipid panel) share one item
  that keeps every drug's indication, reason and schedule. Age-banded rules (height in
  youth) use `context.age`; without an age every band applies.
- `due_items(plan, last_results, regimen_changes, today)` returns the next due date of
  each dated item. Only the date of the last result per test is known, so a one-off check
  (baseline, "7 days after starting") counts as done when the last result falls inside
  its window; recurring checks run from the last result. Condition-driven items
  ("prolactin when symptomatic") have no date and are left out.
- `interpret_result(test_key, value, unit, sex=...)` converts the value to the canonical UCUM
  unit and returns the band, flag ('normal', 'low', 'high', 'critical') and suggested action.
  Where the reference range differs by sex the knowledge base has 'male' and 'female' band
  sets and the patient's sex picks one; when the sex is not recorded the value is judged
  against both sets and the more abnormal reading is returned (the safer limit), and the
  interpretation says so.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import KnowledgeBase, KnowledgeBaseError, load_kb
from dosewise.clinical.names import resolve_drug
from dosewise.clinical.safety import Context, RegimenItem

MONITORING_FILE = "monitoring.json"
FLAGS = ("normal", "low", "high", "critical")
DEFAULT_POPULATION = "default"
SEXES = ("male", "female")
EITHER_SEX = "stricter of the male and female limits (sex not recorded: record it to judge the value)"
# How abnormal a flag is, to choose the safer of two readings.
FLAG_SEVERITY = {"normal": 0, "low": 1, "high": 1, "critical": 2}
# A baseline result taken up to this many days before the start still counts as the
# baseline: tests are usually drawn at the visit before the first dose.
BASELINE_LOOKBACK_DAYS = 30


@dataclass(frozen=True)
class Interval:
    """A recurring check every `every_days`, in force until `until_day` days after the start."""

    every_days: int
    until_day: int | None = None


@dataclass(frozen=True)
class Schedule:
    """When a test is due; see the schedule definition in schema/monitoring.schema.json."""

    at_start: bool = False
    after_start_days: tuple[int, ...] = ()
    after_dose_change_days: tuple[int, ...] = ()
    early_days: int = 0
    intervals: tuple[Interval, ...] = ()
    when: str | None = None

    @property
    def dated(self) -> bool:
        """Return whether the schedule gives any date (not only a triggering condition)."""
        return bool(self.at_start or self.after_start_days or self.after_dose_change_days or self.intervals)

    def every_days_at(self, day: int) -> int | None:
        """Return the recurring interval in force `day` days after the start, if any."""
        for interval in self.intervals:
            if interval.until_day is None or day < interval.until_day:
                return interval.every_days
        return None

    def to_dict(self) -> dict[str, Any]:
        """Return the schedule as JSON-ready data, leaving out empty fields."""
        data: dict[str, Any] = {"at_start": self.at_start}
        if self.after_start_days:
            data["after_start_days"] = list(self.after_start_days)
        if self.after_dose_change_days:
            data["after_dose_change_days"] = list(self.after_dose_change_days)
        if self.early_days:
            data["early_days"] = self.early_days
        if self.intervals:
            data["intervals"] = [
                {"every_days": i.every_days, **({"until_day": i.until_day} if i.until_day is not None else {})}
                for i in self.intervals
            ]
        if self.when:
            data["when"] = self.when
        return data


@dataclass(frozen=True)
class Indication:
    """Why one drug (or one drug combination) needs a test, on which schedule, since when."""

    rule_id: str
    drugs: tuple[str, ...]
    schedule: Schedule
    reason: str
    sources: tuple[str, ...]
    start_date: date | None = None
    note: str | None = None


@dataclass(frozen=True)
class MonitoringItem:
    """One test or observation the regimen needs, with every indication that calls for it."""

    key: str
    test: str
    loinc: str | None
    schedule: Schedule
    indications: tuple[Indication, ...]
    sampling: str | None = None
    components: tuple[tuple[str, str | None], ...] = ()

    @property
    def drugs(self) -> tuple[str, ...]:
        """Return the sorted drugs behind this item."""
        return tuple(sorted({drug for indication in self.indications for drug in indication.drugs}))

    @property
    def reason(self) -> str:
        """Return every distinct reason, each prefixed with its drugs."""
        grouped: dict[str, list[str]] = {}
        for indication in self.indications:
            grouped.setdefault(indication.reason, []).extend(indication.drugs)
        return "; ".join(f"{', '.join(sorted(set(drugs)))}: {reason}" for reason, drugs in grouped.items())

    @property
    def sources(self) -> tuple[str, ...]:
        """Return the distinct sources of all indications, in first-seen order."""
        return tuple(dict.fromkeys(source for indication in self.indications for source in indication.sources))

    def to_dict(self) -> dict[str, Any]:
        """Return the item as JSON-ready data."""
        return {
            "key": self.key,
            "test": self.test,
            "loinc": self.loinc,
            "schedule": self.schedule.to_dict(),
            "reason": self.reason,
            "source": "; ".join(self.sources),
            "drugs": list(self.drugs),
        }


@dataclass(frozen=True)
class DueItem:
    """The next due date of one planned test."""

    test: str
    due_date: date
    overdue: bool
    reason: str


@dataclass(frozen=True)
class Interpretation:
    """A result placed in its band, with the suggested action and its sources."""

    flag: str
    action: str
    source: str
    band: str
    value: float
    unit: str
    reference: str = ""


# ---------------------------------------------------------------------------------------
# Knowledge-base tables


@dataclass(frozen=True)
class _Rule:
    id: str
    test: str
    drugs: frozenset[str]
    classes: frozenset[str]
    except_: frozenset[str]
    combination: Mapping[str, Any] | None
    min_age: float | None
    below_age: float | None
    schedule: Schedule
    reason: str
    note: str | None
    sources: tuple[str, ...]

    def applies_to_age(self, age: float | None) -> bool:
        """Return whether a patient of this age (None: unknown) falls in the rule's band."""
        if age is None:
            return True
        if self.min_age is not None and age < self.min_age:
            return False
        return not (self.below_age is not None and age >= self.below_age)


@dataclass(frozen=True, eq=False)
class _Tables:
    kb: KnowledgeBase
    tests: Mapping[str, Mapping[str, Any]]
    rules: tuple[_Rule, ...]
    interpretations: Mapping[str, Mapping[str, Any]]


def _schedule(raw: Mapping[str, Any]) -> Schedule:
    """Build a Schedule from validated data."""
    return Schedule(
        at_start=bool(raw.get("at_start", False)),
        after_start_days=tuple(sorted(raw.get("after_start_days", ()))),
        after_dose_change_days=tuple(sorted(raw.get("after_dose_change_days", ()))),
        early_days=int(raw.get("early_days", 0)),
        intervals=tuple(Interval(i["every_days"], i.get("until_day")) for i in raw.get("intervals", ())),
        when=raw.get("when"),
    )


def _check_names(kb: KnowledgeBase, raw: Mapping[str, Any], tests: Mapping[str, Any]) -> None:
    """Refuse a rule naming an unknown drug, class or test."""
    where = f"{MONITORING_FILE} rule {raw['id']!r}"
    for name in sorted(set(raw.get("drugs", ())) | set(raw.get("except", ()))):
        if name not in kb.ingredients:
            raise KnowledgeBaseError(f"{where}: unknown drug {name!r} (not a formulary name)")
    for name in sorted(raw.get("classes", ())):
        if name not in kb.by_class:
            raise KnowledgeBaseError(f"{where}: unknown class {name!r} (no formulary ingredient has it)")
    if raw["test"] not in tests:
        raise KnowledgeBaseError(f"{where}: unknown test {raw['test']!r} (not in tests)")


@functools.lru_cache(maxsize=4)
def _tables(kb: KnowledgeBase) -> _Tables:
    """Return the monitoring tables of one loaded knowledge base."""
    data = kb.data(MONITORING_FILE)
    tests = data["tests"]
    rules: list[_Rule] = []
    for raw in data["rules"]:
        _check_names(kb, raw, tests)
        age = raw.get("age", {})
        rules.append(
            _Rule(
                id=raw["id"],
                test=raw["test"],
                drugs=frozenset(raw.get("drugs", ())),
                classes=frozenset(raw.get("classes", ())),
                except_=frozenset(raw.get("except", ())),
                combination=raw.get("combination"),
                min_age=age.get("min"),
                below_age=age.get("below"),
                schedule=_schedule(raw["schedule"]),
                reason=raw["reason"],
                note=raw.get("note"),
                sources=tuple(raw["sources"]),
            )
        )
    for key, spec in data["interpretations"].items():
        _check_sex_bands(key, spec)
    return _Tables(kb=kb, tests=tests, rules=tuple(rules), interpretations=data["interpretations"])


def _check_sex_bands(key: str, spec: Mapping[str, Any]) -> None:
    """Refuse sex-specific bands that lack their other half or their sources."""
    present = [sex for sex in SEXES if sex in spec["bands"]]
    if present and (len(present) != len(SEXES) or not spec.get("sex_sources")):
        raise KnowledgeBaseError(
            f"{MONITORING_FILE} {key}: sex-specific bands need both 'male' and 'female' sets and 'sex_sources'")
    if spec.get("sex_sources") and not present:
        raise KnowledgeBaseError(f"{MONITORING_FILE} {key}: 'sex_sources' given without 'male' and 'female' bands")


def catalogue_keys(kb: KnowledgeBase | None = None) -> tuple[str, ...]:
    """Return every test key of the catalogue, in catalogue order."""
    return tuple(_tables(kb or load_kb()).tests)


# ---------------------------------------------------------------------------------------
# Plan


def _regimen_names(regimen: Sequence[RegimenItem | str], kb: KnowledgeBase) -> list[str]:
    """Resolve regimen entries to distinct generic names, in input order."""
    if isinstance(regimen, str):
        raise ClinicalInputError("regimen must be a list of drugs, not one string")
    names: list[str] = []
    for entry in regimen:
        text = entry.name if isinstance(entry, RegimenItem) else entry
        if not isinstance(text, str):
            raise ClinicalInputError(f"regimen entries must be drug names, got {entry!r}")
        name = resolve_drug(text, kb)
        if name not in names:
            names.append(name)
    return names


def _dates_by_drug(dates: Mapping[str, date] | None, kb: KnowledgeBase, what: str) -> dict[str, date]:
    """Resolve the drug keys of a date mapping and check every value is a date."""
    resolved: dict[str, date] = {}
    for text, when in (dates or {}).items():
        if not isinstance(when, date):
            raise ClinicalInputError(f"{what} for {text!r} must be a date, got {when!r}")
        resolved[resolve_drug(text, kb)] = when
    return resolved


def _matches(rule: _Rule, name: str, kb: KnowledgeBase) -> bool:
    """Return whether a selector rule selects the ingredient."""
    if name in rule.except_:
        return False
    return name in rule.drugs or not rule.classes.isdisjoint(kb.ingredients[name].classes)


def _combination_drugs(rule: _Rule, names: Iterable[str], kb: KnowledgeBase) -> tuple[str, ...]:
    """Return the regimen drugs of a combination rule when there are enough of them."""
    spec = rule.combination or {}
    members = tuple(sorted(n for n in names if kb.ingredients[n].properties.get(spec["property"]) in spec["levels"]))
    return members if len(members) >= spec["min_count"] else ()


def _merge_intervals(schedules: Sequence[Schedule]) -> tuple[Interval, ...]:
    """Return the most frequent recurring interval in force at each day among the schedules."""
    recurring = [s for s in schedules if s.intervals]
    if not recurring:
        return ()
    bounds = sorted({i.until_day for s in recurring for i in s.intervals if i.until_day is not None})
    merged: list[Interval] = []
    starts = [0, *bounds]
    for index, start in enumerate(starts):
        until = bounds[index] if index < len(bounds) else None
        in_force = [every for s in recurring if (every := s.every_days_at(start)) is not None]
        if not in_force:
            continue
        every = min(in_force)
        if merged and merged[-1].every_days == every:
            merged[-1] = Interval(every, until)
        else:
            merged.append(Interval(every, until))
    return tuple(merged)


def _merge(schedules: Sequence[Schedule]) -> Schedule:
    """Return one schedule at least as demanding as each of the given ones."""
    whens = list(dict.fromkeys(s.when for s in schedules if s.when))
    return Schedule(
        at_start=any(s.at_start for s in schedules),
        after_start_days=tuple(sorted({d for s in schedules for d in s.after_start_days})),
        after_dose_change_days=tuple(sorted({d for s in schedules for d in s.after_dose_change_days})),
        early_days=max(s.early_days for s in schedules),
        intervals=_merge_intervals(schedules),
        when="; ".join(whens) or None,
    )


def monitoring_plan(
    regimen: Sequence[RegimenItem | str],
    context: Context | None = None,
    start_dates: Mapping[str, date] | None = None,
) -> list[MonitoringItem]:
    """Return the tests and observations the regimen needs, one item per test.

    `start_dates` maps a drug (any name `resolve_drug` accepts) to the date it was started;
    it anchors the schedules in `due_items`.
    """
    kb = load_kb()
    tables = _tables(kb)
    names = _regimen_names(regimen, kb)
    starts = _dates_by_drug(start_dates, kb, "start date")
    for name in starts:
        if name not in names:
            raise ClinicalInputError(f"start date given for {name}, which is not in the regimen")
    age = context.age if context is not None else None

    by_test: dict[str, list[Indication]] = {}
    for rule in tables.rules:
        if not rule.applies_to_age(age):
            continue
        if rule.combination is not None:
            members = _combination_drugs(rule, names, kb)
            groups = [members] if members else []
        else:
            groups = [(name,) for name in names if _matches(rule, name, kb)]
        for drugs in groups:
            known = [starts[d] for d in drugs if d in starts]
            # A combination starts when its last member starts.
            start = max(known) if len(known) == len(drugs) else None
            by_test.setdefault(rule.test, []).append(
                Indication(rule.id, drugs, rule.schedule, rule.reason, rule.sources, start, rule.note)
            )

    plan: list[MonitoringItem] = []
    for key, test in tables.tests.items():
        indications = by_test.get(key)
        if not indications:
            continue
        plan.append(
            MonitoringItem(
                key=key,
                test=test["name"],
                loinc=test["loinc"],
                schedule=_merge([i.schedule for i in indications]),
                indications=tuple(indications),
                sampling=test.get("sampling"),
                components=tuple((c["name"], c["loinc"]) for c in test.get("components", ())),
            )
        )
    return plan


# ---------------------------------------------------------------------------------------
# Due dates


def _next_due(
    indication: Indication, last: date | None, changes: Mapping[str, date], today: date
) -> tuple[date, str] | None:
    """Return the earliest outstanding check of one indication and what it is."""
    schedule = indication.schedule
    if not schedule.dated:
        return None
    drugs = ", ".join(indication.drugs)
    start = indication.start_date
    early = timedelta(days=schedule.early_days)
    pending: list[tuple[date, str]] = []

    def outstanding(due: date, opens: date, label: str) -> None:
        if last is None or last < opens:
            pending.append((due, label))

    if start is not None:
        if schedule.at_start:
            outstanding(start, start - timedelta(days=BASELINE_LOOKBACK_DAYS), f"baseline at the start of {drugs}")
        for days in schedule.after_start_days:
            due = start + timedelta(days=days)
            outstanding(due, due - early, f"{days} days after starting {drugs} on {start.isoformat()}")
    for drug in indication.drugs:
        changed = changes.get(drug)
        if changed is None or (start is not None and changed < start):
            continue
        for days in schedule.after_dose_change_days:
            due = changed + timedelta(days=days)
            outstanding(due, due - early, f"{days} days after the dose change of {drug} on {changed.isoformat()}")

    if schedule.intervals:
        counts = last is not None and (start is None or last >= start - timedelta(days=BASELINE_LOOKBACK_DAYS))
        if counts and last is not None:
            # Unknown start: use the first (most frequent) interval rather than risk too few checks.
            day = max((last - start).days, 0) if start is not None else 0
            every = schedule.every_days_at(day)
            if every is not None:
                pending.append((last + timedelta(days=every), f"every {every} days for {drugs} (last result {last.isoformat()})"))
        elif start is not None:
            every = schedule.every_days_at(0)
            if every is not None:
                pending.append((start + timedelta(days=every), f"every {every} days for {drugs}"))
        else:
            pending.append((today, f"no result on file for {drugs}"))
    return min(pending) if pending else None


def due_items(
    plan: Sequence[MonitoringItem],
    last_results: Mapping[str, date],
    regimen_changes: Mapping[str, date],
    today: date,
) -> list[DueItem]:
    """Return the next due date of every dated item in the plan, earliest first.

    `last_results` maps a test key (see `catalogue_keys()`) to the date of its latest result;
    `regimen_changes` maps a drug to the date of its latest dose change.
    """
    if not isinstance(today, date):
        raise ClinicalInputError(f"today must be a date, got {today!r}")
    known = set(catalogue_keys())
    for key, when in last_results.items():
        if key not in known:
            raise ClinicalInputError(f"unknown test key {key!r}; expected one of: {', '.join(sorted(known))}")
        if not isinstance(when, date):
            raise ClinicalInputError(f"last result date for {key!r} must be a date, got {when!r}")
    changes = _dates_by_drug(regimen_changes, load_kb(), "dose change date")

    due: list[DueItem] = []
    for item in plan:
        last = last_results.get(item.key)
        candidates = [c for i in item.indications if (c := _next_due(i, last, changes, today)) is not None]
        if not candidates:
            continue
        when, why = min(candidates)
        due.append(DueItem(test=item.key, due_date=when, overdue=when < today, reason=f"{item.test}: {why}"))
    return sorted(due, key=lambda d: (d.due_date, d.test))


# ---------------------------------------------------------------------------------------
# Result interpretation


def _canonical(spec: Mapping[str, Any], value: float, unit: str, key: str) -> float:
    """Convert a value to the canonical unit of the test, refusing an unknown unit."""
    written = unit.strip()
    for accepted in spec["units"]:
        if written == accepted["ucum"] or written in accepted.get("aliases", ()):
            return value * accepted["factor"]
    units = ", ".join(u["ucum"] for u in spec["units"])
    raise ClinicalInputError(f"unit {unit!r} is not accepted for {key}; use one of: {units}")


def has_sex_bands(test_key: str) -> bool:
    """Return whether the test's reference range differs by sex."""
    spec = _tables(load_kb()).interpretations.get(test_key)
    return spec is not None and all(sex in spec["bands"] for sex in SEXES)


def _band_set(spec: Mapping[str, Any], population: str | None, sex: str | None) -> tuple[str, str]:
    """Return the band set to use and the words that say which one it is."""
    if population:
        return population, "" if population == DEFAULT_POPULATION else f"{population} reference range"
    if not all(s in spec["bands"] for s in SEXES):
        return DEFAULT_POPULATION, ""
    if sex in SEXES:
        return sex, f"{sex} reference range"
    return DEFAULT_POPULATION, EITHER_SEX


def _reading(spec: Mapping[str, Any], bands: Sequence[Mapping[str, Any]], canonical: float, key: str,
             chosen: str) -> Mapping[str, Any]:
    """Return the band a canonical value falls in."""
    for band in bands:
        below, at_most = band.get("below"), band.get("at_most")
        if (below is None and at_most is None) or (below is not None and canonical < below) or (
            at_most is not None and canonical <= at_most
        ):
            return band
    raise KnowledgeBaseError(f"{MONITORING_FILE} {key}/{chosen}: the last band must have no bound")


def _interpretation(spec: Mapping[str, Any], band: Mapping[str, Any], canonical: float, reference: str) -> Interpretation:
    """Build the interpretation of one band, with the sex-specific sources where they apply."""
    sources = list(spec["sources"]) + [s for s in spec.get("sex_sources", ()) if s not in spec["sources"]]
    return Interpretation(
        flag=band["flag"], action=band["action"], source="; ".join(sources), band=band["band"],
        value=canonical, unit=spec["unit"], reference=reference,
    )


def interpret_result(test_key: str, value: float, unit: str, population: str | None = None, *,
                     sex: str | None = None) -> Interpretation:
    """Return the band, flag and suggested action for one result.

    `population` selects a band set by name: 'ben' (benign ethnic neutropenia) for `anc`,
    'male' or 'female' where the range differs by sex. Without it, `sex` ('male', 'female',
    anything else or None for not recorded) picks the sex-specific set where there is one.
    """
    tables = _tables(load_kb())
    spec = tables.interpretations.get(test_key)
    if spec is None:
        raise ClinicalInputError(
            f"no interpretation for {test_key!r}; available: {', '.join(sorted(tables.interpretations))}"
        )
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise ClinicalInputError(f"{test_key} result must be a non-negative number, got {value!r}")
    if not isinstance(unit, str):
        raise ClinicalInputError(f"{test_key} unit must be a string, got {unit!r}")
    chosen, reference = _band_set(spec, population, sex)
    bands = spec["bands"].get(chosen)
    if bands is None:
        raise ClinicalInputError(
            f"population {chosen!r} has no bands for {test_key}; use one of: {', '.join(spec['bands'])}"
        )
    canonical = _canonical(spec, float(value), unit, test_key)
    if reference == EITHER_SEX:
        # Sex not recorded: judge against both sexes' limits and keep the more abnormal reading,
        # so a value abnormal for either sex is flagged (the safer limit).
        readings = [_reading(spec, spec["bands"][sex], canonical, test_key, sex) for sex in SEXES]
        worst = max(readings, key=lambda band: FLAG_SEVERITY[band["flag"]])
        return _interpretation(spec, worst, canonical, EITHER_SEX)
    for band in bands:
        below, at_most = band.get("below"), band.get("at_most")
        if (below is None and at_most is None) or (below is not None and canonical < below) or (
            at_most is not None and canonical <= at_most
        ):
            sources = list(spec["sources"])
            if chosen in SEXES or reference == EITHER_SEX:
                sources += [s for s in spec["sex_sources"] if s not in sources]
            return Interpretation(
                flag=band["flag"],
                action=band["action"],
                source="; ".join(sources),
                band=band["band"],
                value=canonical,
                unit=spec["unit"],
                reference=reference,
            )
    raise KnowledgeBaseError(f"{MONITORING_FILE} {test_key}/{chosen}: the last band must have no bound")


def describe_schedule(schedule: Schedule) -> str:
    """Return the schedule in words, e.g. 'at the start; every 7 days until day 182, ...'."""
    parts: list[str] = []
    if schedule.at_start:
        parts.append("at the start")
    window = f" (from {schedule.early_days} days earlier)" if schedule.early_days else ""
    if schedule.after_start_days:
        parts.append(f"{', '.join(map(str, schedule.after_start_days))} days after starting{window}")
    if schedule.after_dose_change_days:
        days = ", ".join(map(str, schedule.after_dose_change_days))
        parts.append(f"{days} days after each dose change{window}")
    if schedule.intervals:
        steps = [
            f"every {i.every_days} days" + (f" until day {i.until_day}" if i.until_day is not None else "")
            for i in schedule.intervals
        ]
        parts.append(", then ".join(steps))
    if schedule.when:
        parts.append(f"when: {schedule.when}")
    return "; ".join(parts)


__all__ = [
    "DueItem",
    "Indication",
    "Interpretation",
    "Interval",
    "MonitoringItem",
    "Schedule",
    "catalogue_keys",
    "describe_schedule",
    "due_items",
    "has_sex_bands",
    "interpret_result",
    "monitoring_plan",
]
