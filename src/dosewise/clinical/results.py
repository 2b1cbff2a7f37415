"""Judge the patient's latest results against the regimen: levels, blood counts, chemistry, weight.

The safety check (`safety.check`) calls `judge` when its `Context` carries `ChartResults`:
the dated results (`LabResult`: a test key of `kb/monitoring.json`, a value and its unit,
converted with that catalogue's own unit table), the date of each drug's last start or dose
change, the dose in force before the order being checked (so an increase is known), the
drugs the order starts, and whether benign ethnic neutropenia is recorded.

The rules live in `kb/result_rules.json`, each with its thresholds and sources. Besides the
threshold findings:

- a result older than its test's age limit (a cited monitoring interval, or a justified
  limit where no source sets one) is reported as too old to judge and not used;
- a drug level drawn less than the test's steady-state days after the drug's last dose
  change (or, for carbamazepine, within its autoinduction weeks after the start) is
  reported as not yet at steady state;
- a level drawn before the last dose change says so, and a dose increase ordered with no
  level on file, or with the last level drawn before the last change, says that too.

Every finding names the value, its date, the threshold and its source, and what to do.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Any

from dosewise.clinical.citations import WARNINGS, label_citation
from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import Ingredient, KnowledgeBase, KnowledgeBaseError, normalise_name

RESULT_RULES_FILE = "result_rules.json"
MONITORING_FILE = "monitoring.json"
KIND = "lab-result"
PREGNANCY_TEST = "pregnancy-test"
SEVERITIES = ("contraindicated", "major", "moderate", "minor")
_RANK = MappingProxyType({name: rank for rank, name in enumerate(SEVERITIES)})
_CONDITIONS = ("above", "at_least", "below", "above_by_sex", "above_uln_times", "positive", "rise_ratio", "rise_by",
               "fall_ratio", "gain_ratio")
_TRENDS = frozenset({"rise_ratio", "rise_by", "fall_ratio", "gain_ratio"})
# KDIGO 2012 CKD GFR categories (lower bounds of G1, G2, G3a, G3b, G4; below 15 is G5).
_GFR_CATEGORY_BOUNDS = (90, 60, 45, 30, 15)
_EPSILON = 1e-9


@dataclass(frozen=True)
class LabResult:
    """One dated result: a test key of the monitoring catalogue (or 'pregnancy-test'), its value and unit.

    An empty unit means the test's canonical unit; `on` None means the check's day.
    A pregnancy test is 1 (positive) or 0 (negative).
    """

    test: str
    value: float
    unit: str = ""
    on: date | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.test, str) or not self.test.strip():
            raise ClinicalInputError("a result needs a test name")
        value = self.value
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ClinicalInputError(f"{self.test} result must be a number, got {value!r}")
        if value < 0:
            raise ClinicalInputError(f"{self.test} result must not be negative, got {value:g}")
        if not isinstance(self.unit, str):
            raise ClinicalInputError(f"{self.test} unit must be text, got {self.unit!r}")
        if self.on is not None and not isinstance(self.on, date):
            raise ClinicalInputError(f"{self.test} result date must be a date, got {self.on!r}")
        object.__setattr__(self, "test", self.test.strip())
        object.__setattr__(self, "value", float(value))


@dataclass(frozen=True)
class ChartResults:
    """The dated facts the result rules need besides the regimen; every field is optional."""

    results: tuple[LabResult, ...] = ()
    today: date | None = None
    dose_changes: Mapping[str, date] = field(default_factory=dict)
    start_dates: Mapping[str, date] = field(default_factory=dict)
    previous_doses: Mapping[str, float] = field(default_factory=dict)
    starting: tuple[str, ...] = ()
    ben: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.results, LabResult):
            raise ClinicalInputError("results must be a list of results, not one result")
        results = tuple(self.results)
        for item in results:
            if not isinstance(item, LabResult):
                raise ClinicalInputError(f"results must be LabResult entries, got {item!r}")
        object.__setattr__(self, "results", results)
        if self.today is not None and not isinstance(self.today, date):
            raise ClinicalInputError(f"today must be a date, got {self.today!r}")
        for what, mapping in (("dose change", self.dose_changes), ("start", self.start_dates)):
            for drug, when in mapping.items():
                if not isinstance(when, date):
                    raise ClinicalInputError(f"{what} date of {drug} must be a date, got {when!r}")
        for drug, dose in self.previous_doses.items():
            if isinstance(dose, bool) or not isinstance(dose, (int, float)) or not math.isfinite(dose) or dose < 0:
                raise ClinicalInputError(f"previous dose of {drug} must be a non-negative number of mg/day")
        if isinstance(self.starting, str):
            raise ClinicalInputError("starting must be a list of drugs, not one string")
        object.__setattr__(self, "dose_changes", MappingProxyType(dict(self.dose_changes)))
        object.__setattr__(self, "start_dates", MappingProxyType(dict(self.start_dates)))
        object.__setattr__(self, "previous_doses",
                           MappingProxyType({k: float(v) for k, v in self.previous_doses.items()}))
        object.__setattr__(self, "starting", tuple(self.starting))


# ---------------------------------------------------------------------------------------
# Knowledge-base tables


@dataclass(frozen=True, eq=False)
class _Rule:
    raw: Mapping[str, Any]
    id: str
    test: str
    group: str | None
    drugs: frozenset[str]
    classes: frozenset[str]
    except_: frozenset[str]
    risks: frozenset[str]
    # The condition, read once at load: its kind (the key of result_rules.json) and its limit.
    condition: str = ""
    limit: Any = None
    trend: bool = False
    population: str | None = None
    only_on_increase: bool = False

    def selects(self, ingredient: Ingredient) -> bool:
        if ingredient.name in self.except_:
            return False
        if ingredient.name in self.drugs or not self.classes.isdisjoint(ingredient.classes):
            return True
        return bool(self.risks) and ingredient.pregnancy.get("risk") in self.risks


@dataclass(frozen=True, eq=False)
class _TestSpec:
    key: str
    shown: str
    unit: str
    canonical: str
    level_of: frozenset[str]
    steady_state_days: int | None
    steady_after_start_days: int | None
    steady_source: str
    max_age_days: int
    schedules: tuple[str, ...]
    age_source: str
    possible: tuple[float, float] | None


@dataclass(frozen=True, eq=False)
class _Tables:
    kb: KnowledgeBase
    older_age: float
    older_source: str
    tests: Mapping[str, _TestSpec]
    rules_by_drug: Mapping[str, tuple[_Rule, ...]]
    level_tests: Mapping[str, tuple[str, ...]]
    # monitoring rule id -> (drugs, classes, ((every_days, until_day | None), ...))
    schedules: Mapping[str, tuple[frozenset[str], frozenset[str], tuple[tuple[int, int | None], ...]]]
    uln: Mapping[str, Mapping[str, float]]


def _uln(spec: Mapping[str, Any]) -> dict[str, float]:
    """Return the upper limit of normal per band set ('default', 'male', 'female') of one interpretation."""
    limits: dict[str, float] = {}
    for population, bands in spec["bands"].items():
        for band in bands:
            if band["flag"] == "normal" and band.get("at_most") is not None:
                limits[population] = float(band["at_most"])
                break
    return limits


@functools.lru_cache(maxsize=4)
def _tables(kb: KnowledgeBase) -> _Tables:
    """Build and check the result-rule tables of one knowledge base."""
    data = kb.data(RESULT_RULES_FILE)
    monitoring = kb.data(MONITORING_FILE)
    interpretations = monitoring["interpretations"]
    schedules = {
        raw["id"]: (frozenset(raw.get("drugs", ())), frozenset(raw.get("classes", ())),
                    tuple((i["every_days"], i.get("until_day")) for i in raw["schedule"].get("intervals", ())))
        for raw in monitoring["rules"]
    }
    tests: dict[str, _TestSpec] = {}
    for key, raw in data["tests"].items():
        where = f"{RESULT_RULES_FILE} test {key!r}"
        if key != PREGNANCY_TEST and key not in interpretations:
            raise KnowledgeBaseError(f"{where}: not an interpretation of {MONITORING_FILE}")
        for schedule in raw.get("max_age_schedules", ()):
            if schedule not in schedules:
                raise KnowledgeBaseError(f"{where}: unknown monitoring rule {schedule!r}")
        for drug in raw.get("level_of", ()):
            if drug not in kb.ingredients:
                raise KnowledgeBaseError(f"{where}: unknown drug {drug!r}")
        spec = interpretations.get(key)
        possible = (spec["possible"]["min"], spec["possible"]["max"]) if spec and "possible" in spec else None
        tests[key] = _TestSpec(
            key=key, shown=raw["shown"], unit=raw["unit"], canonical=spec["unit"] if spec else "",
            level_of=frozenset(raw.get("level_of", ())), steady_state_days=raw.get("steady_state_days"),
            steady_after_start_days=raw.get("steady_state_after_start_days"),
            steady_source=raw.get("steady_state_source", ""), max_age_days=raw["max_age_days"],
            schedules=tuple(raw.get("max_age_schedules", ())), age_source=raw["age_source"], possible=possible)
    rules: list[_Rule] = []
    seen: set[str] = set()
    for raw in data["rules"]:
        where = f"{RESULT_RULES_FILE} rule {raw['id']!r}"
        if raw["id"] in seen:
            raise KnowledgeBaseError(f"{where}: duplicate rule id")
        seen.add(raw["id"])
        if raw["test"] not in tests:
            raise KnowledgeBaseError(f"{where}: test {raw['test']!r} is not described under tests")
        for name in sorted(set(raw.get("drugs", ())) | set(raw.get("except", ()))):
            if name not in kb.ingredients:
                raise KnowledgeBaseError(f"{where}: unknown drug {name!r} (not a formulary name)")
        for name in sorted(raw.get("classes", ())):
            if name not in kb.by_class:
                raise KnowledgeBaseError(f"{where}: unknown class {name!r}")
        if not raw["sources"] and not raw.get("label_section") and not raw.get("pregnancy_risks"):
            raise KnowledgeBaseError(f"{where}: a rule needs sources, a label_section or pregnancy_risks")
        condition = next(key for key in _CONDITIONS if key in raw)
        rules.append(_Rule(raw=raw, id=raw["id"], test=raw["test"], group=raw.get("group"),
                           drugs=frozenset(raw.get("drugs", ())), classes=frozenset(raw.get("classes", ())),
                           except_=frozenset(raw.get("except", ())), risks=frozenset(raw.get("pregnancy_risks", ())),
                           condition=condition, limit=raw[condition], trend=condition in _TRENDS,
                           population=raw.get("population"), only_on_increase=bool(raw.get("only_on_increase"))))
    by_drug = {name: tuple(r for r in rules if r.selects(ingredient)) for name, ingredient in kb.ingredients.items()}
    level_tests: dict[str, list[str]] = {}
    for key, spec in tests.items():
        for drug in spec.level_of:
            level_tests.setdefault(drug, []).append(key)
    return _Tables(
        kb=kb, older_age=float(data["older_age_years"]), older_source=data["older_age_source"],
        tests=MappingProxyType(tests), rules_by_drug=MappingProxyType({k: v for k, v in by_drug.items() if v}),
        level_tests=MappingProxyType({k: tuple(v) for k, v in level_tests.items()}),
        schedules=MappingProxyType(schedules),
        uln=MappingProxyType({key: MappingProxyType(_uln(spec)) for key, spec in interpretations.items()}),
    )


def result_tests(kb: KnowledgeBase) -> tuple[str, ...]:
    """Return the test keys the result rules know, in file order."""
    return tuple(_tables(kb).tests)


def relevant_tests(names: Iterable[str], kb: KnowledgeBase) -> tuple[str, ...]:
    """Return the test keys some rule judges for these drugs (what a check panel should name), in file order."""
    tables = _tables(kb)
    wanted = {rule.test for name in names for rule in tables.rules_by_drug.get(name, ())}
    wanted |= {key for name in names for key in tables.level_tests.get(name, ())}
    return tuple(key for key in tables.tests if key in wanted)


def result_display(key: str, kb: KnowledgeBase) -> tuple[str, str]:
    """Return how a test is shown (name, unit), e.g. ('lithium level', 'mmol/L')."""
    spec = _tables(kb).tests[key]
    return spec.shown, spec.unit


# ---------------------------------------------------------------------------------------
# The judgement


@dataclass(frozen=True)
class _Point:
    on: date
    value: float


def _canonical(result: LabResult, spec: _TestSpec) -> float:
    """Return the value in the test's canonical unit, refusing unknown units and impossible values."""
    if spec.key == PREGNANCY_TEST:
        if result.value not in (0.0, 1.0):
            raise ClinicalInputError("a pregnancy test is positive (1) or negative (0)")
        return result.value
    value = result.value
    unit = result.unit.strip() if result.unit else ""
    if unit and unit != spec.canonical:
        # The monitoring catalogue owns unit conversion; imported here because it imports
        # the safety module, which imports this one.
        from dosewise.clinical.monitoring import interpret_result

        value = interpret_result(spec.key, result.value, result.unit).value
    if spec.possible is not None and not spec.possible[0] <= value <= spec.possible[1]:
        low, high = spec.possible
        raise ClinicalInputError(
            f"{spec.shown} of {value:g} {spec.unit} is not a possible result (expected {low:g} to {high:g} {spec.unit})")
    return value


def _resolve_keys(mapping: Mapping[str, Any] | Iterable[str], kb: KnowledgeBase, what: str) -> dict[str, Any]:
    """Return the mapping (or set) keyed by generic names; an unknown drug is refused."""
    if not mapping:
        return {}
    # hasattr, not an ABC isinstance check: this runs on every check and the ABC check is slow.
    items = mapping.items() if hasattr(mapping, "items") else ((name, True) for name in mapping)
    resolved: dict[str, Any] = {}
    for text, value in items:
        owners = kb.aliases.get(normalise_name(text))
        if owners is None or len(owners) != 1:
            raise ClinicalInputError(f"{what} names {text!r}, which is not one formulary drug")
        resolved[owners[0]] = value
    return resolved


def _fmt(value: float) -> str:
    return f"{round(value, 3):g}"


def _severity(*candidates: str | None) -> str:
    return min((c for c in candidates if c), key=_RANK.__getitem__)


def _gfr_category(egfr: float) -> int:
    return next((index for index, bound in enumerate(_GFR_CATEGORY_BOUNDS) if egfr >= bound),
                len(_GFR_CATEGORY_BOUNDS))


@dataclass
class _Judgement:
    tables: _Tables
    kb: KnowledgeBase
    names: Sequence[str]
    doses: Mapping[str, float | None]
    sex: str | None
    age: float | None
    pregnant: bool
    today: date
    series: dict[str, list[_Point]]
    changes: dict[str, date]
    starts: dict[str, date]
    previous: dict[str, float]
    starting: set[str]
    ben: bool
    out: list[tuple[Any, ...]] = field(default_factory=list)
    ages: dict[tuple[str, str], int] = field(default_factory=dict)

    def uln(self, test: str) -> float | None:
        """Return the test's upper limit of normal for the patient's sex (the 'default' set when not recorded)."""
        limits = self.tables.uln.get(test, {})
        return limits.get(self.sex or "", limits.get("default"))

    def increased(self, drug: str) -> bool:
        if not self.previous:
            return False
        dose, before = self.doses.get(drug), self.previous.get(drug)
        return dose is not None and before is not None and dose > before + _EPSILON

    def emit(self, severity: str, drugs: Iterable[str], summary: str, mechanism: str, action: str,
             sources: Iterable[str], rule_id: str) -> None:
        self.out.append((KIND, severity, tuple(sorted(drugs)), summary, mechanism, action,
                         tuple(dict.fromkeys(sources)), rule_id))

    def max_age(self, spec: _TestSpec, drug: str) -> int:
        """Return the age limit in days of a test for one drug: the shortest interval in force among its schedules."""
        if not spec.schedules:
            return spec.max_age_days
        key = (spec.key, drug)
        if key not in self.ages:
            self.ages[key] = self._max_age(spec, drug)
        return self.ages[key]

    def _max_age(self, spec: _TestSpec, drug: str) -> int:
        ingredient = self.kb.ingredients[drug]
        limits = []
        for schedule_id in spec.schedules:
            drugs, classes, intervals = self.tables.schedules[schedule_id]
            if not intervals or (drug not in drugs and classes.isdisjoint(ingredient.classes)):
                continue
            start = self.starts.get(drug)
            if start is None:
                limits.append(min(every for every, _ in intervals))
                continue
            day = (self.today - start).days
            limits.append(next((every for every, until in intervals if until is None or day < until),
                               intervals[-1][0]))
        return min(limits) if limits else spec.max_age_days


def _holds(rule: _Rule, judgement: _Judgement, points: list[_Point]) -> bool:
    """Return whether the rule's condition holds on the series (the cheap test, before any text is made)."""
    condition, limit = rule.condition, rule.limit
    value = points[-1].value
    if condition == "above":
        return value > limit
    if condition == "at_least":
        return value >= limit
    if condition == "below":
        return value < limit
    if condition == "above_by_sex":
        return value > limit[judgement.sex if judgement.sex in ("female", "male") else "unknown"]
    if condition == "above_uln_times":
        uln = judgement.uln(rule.test)
        return uln is not None and value > uln * limit
    if condition == "positive":
        return value >= 1
    if len(points) < 2:
        return False
    baseline = points[0].value
    if condition == "rise_ratio":
        return baseline > 0 and value >= baseline * limit - _EPSILON
    if condition == "rise_by":
        return value - baseline >= limit - _EPSILON
    if condition == "fall_ratio":
        fallen = baseline > 0 and (baseline - value) / baseline >= limit - _EPSILON
        return fallen and (not rule.raw.get("category_drop") or _gfr_category(value) > _gfr_category(baseline))
    return baseline > 0 and (value - baseline) / baseline >= limit - _EPSILON


def _shown(rule: _Rule, judgement: _Judgement, points: list[_Point]) -> dict[str, str]:
    """Return the threshold, baseline and change a firing rule's texts show."""
    condition, limit = rule.condition, rule.limit
    value = points[-1].value
    if condition == "above_by_sex":
        return {"threshold": _fmt(limit[judgement.sex if judgement.sex in ("female", "male") else "unknown"])}
    if condition == "above_uln_times":
        return {"threshold": _fmt(judgement.uln(rule.test) * limit)}
    if condition == "positive":
        return {}
    if condition not in _TRENDS:
        return {"threshold": _fmt(limit)}
    baseline = points[0]
    fields = {"baseline": _fmt(baseline.value), "baseline_date": baseline.on.isoformat()}
    if condition in ("rise_ratio", "rise_by"):
        fields.update(threshold=_fmt(limit), change=_fmt(value - baseline.value))
    elif condition == "fall_ratio":
        fields.update(threshold=_fmt(limit * 100), change=_fmt(baseline.value - value))
    else:
        gain = (value - baseline.value) / baseline.value
        unit = judgement.tables.tests[rule.test].unit
        fields.update(threshold=_fmt(limit * 100), change=f"{gain * 100:.1f}% ({_fmt(value - baseline.value)} {unit})")
    return fields


def _baseline_series(points: list[_Point], start: date | None) -> list[_Point]:
    """Return the points from the drug's baseline on: the last result on or before the start, and later ones."""
    if start is None:
        return points
    before = [p for p in points if p.on <= start]
    after = [p for p in points if p.on > start]
    return ([before[-1]] if before else []) + after


def _apply(judgement: _Judgement, drug: str, rule: _Rule, points: list[_Point], fired: set[tuple[str, str]]) -> None:
    """Fire one rule for one drug when its condition holds."""
    if rule.group is not None and (drug, rule.group) in fired:
        return
    if rule.population is not None and rule.population != ("ben" if judgement.ben else "general"):
        return
    increased = judgement.increased(drug)
    if rule.only_on_increase and not increased:
        return
    if rule.test == PREGNANCY_TEST and judgement.pregnant:
        return  # the recorded pregnancy already gives the pregnancy finding
    if rule.trend:
        points = _baseline_series(points, judgement.starts.get(drug))
    if not _holds(rule, judgement, points):
        return
    fields = _shown(rule, judgement, points)
    raw = rule.raw
    spec = judgement.tables.tests[rule.test]
    ingredient = judgement.kb.ingredients[drug]
    if rule.group is not None:
        fired.add((drug, rule.group))
    latest = points[-1]
    sources = list(raw["sources"])
    older = judgement.age is not None and judgement.age >= judgement.tables.older_age
    severity = _severity(raw["severity"], raw.get("increase_severity") if increased else None,
                         raw.get("start_severity") if drug in judgement.starting else None,
                         raw.get("older_severity") if older else None)
    if older and raw.get("older_severity"):
        sources.append(judgement.tables.older_source)
    pregnancy_note = ""
    if rule.test == PREGNANCY_TEST:
        pregnancy_note = ingredient.pregnancy.get("note", "")
        sources.append(ingredient.pregnancy["source"])
        if ingredient.pregnancy.get("risk") == "contraindicated" and raw.get("contraindicated_severity"):
            severity = _severity(severity, raw["contraindicated_severity"])
    if raw.get("label_section"):
        sources.insert(0, label_citation(ingredient, WARNINGS, raw["label_section"]))
    values = {"drug": drug, "value": _fmt(latest.value), "unit": spec.unit, "date": latest.on.isoformat(),
              "pregnancy_note": pregnancy_note, "threshold": "", "baseline": "", "baseline_date": "", "change": "",
              **fields}
    summary = raw["summary"].format(**values)
    changed = judgement.changes.get(drug)
    if drug in spec.level_of and changed is not None and latest.on < changed:
        summary += f" (drawn before the dose change on {changed.isoformat()})"
    if increased:
        summary += f"; the order raises {drug} from {_fmt(judgement.previous[drug])} to {_fmt(judgement.doses[drug])} mg/day"
    judgement.emit(severity, (drug,), summary, raw["mechanism"].format(**values), raw["action"].format(**values),
                   sources, rule.id)


def _steady_state(judgement: _Judgement, drug: str, spec: _TestSpec, latest: _Point) -> None:
    """Report a level drawn too soon after the last dose change (or the start) to be at steady state."""
    changed = judgement.changes.get(drug)
    started = judgement.starts.get(drug)
    value = f"{spec.shown} {_fmt(latest.value)} {spec.unit} on {latest.on.isoformat()}"
    if spec.steady_after_start_days and started is not None and 0 <= (latest.on - started).days < \
            spec.steady_after_start_days and (changed is None or changed <= started):
        days = (latest.on - started).days
        judgement.emit(
            "minor", (drug,), f"{value}: drawn {days} days after starting {drug} on {started.isoformat()}, "
            f"before autoinduction is complete ({spec.steady_after_start_days} days)",
            f"{drug} induces its own metabolism over the first weeks, so the level falls after this sample",
            f"repeat the trough level from day {spec.steady_after_start_days} before adjusting the dose to it",
            (spec.steady_source,), f"result-steady-state-{spec.key}")
        return
    if spec.steady_state_days is None or changed is None:
        return
    days = (latest.on - changed).days
    if 0 <= days < spec.steady_state_days:
        judgement.emit(
            "minor", (drug,), f"{value}: not yet at steady state, drawn {days} day{'s' if days != 1 else ''} after "
            f"the dose change of {drug} on {changed.isoformat()}",
            f"a level reflects a dose only once it is at steady state, {spec.steady_state_days} days or more after "
            "the last change",
            f"repeat the level {spec.steady_state_days}-7 days after the change (on or after "
            f"{date.fromordinal(changed.toordinal() + spec.steady_state_days).isoformat()}) before adjusting the dose",
            (spec.steady_source,), f"result-steady-state-{spec.key}")


def _levels_for_increase(judgement: _Judgement, drug: str) -> None:
    """Report a dose increase of a level-monitored drug with no level, or only one drawn before the last change."""
    for key in judgement.tables.level_tests.get(drug, ()):
        spec = judgement.tables.tests[key]
        points = judgement.series.get(key)
        changed = judgement.changes.get(drug)
        if not points:
            judgement.emit(
                "minor", (drug,), f"no {spec.shown} on file, and the order raises the dose of {drug}",
                f"the dose of {drug} is adjusted to its level; without one the increase is blind",
                f"check a trough {spec.shown} before raising the dose, and again 5-7 days after the change",
                (spec.age_source,), f"result-no-level-{key}")
        elif changed is not None and points[-1].on < changed:
            judgement.emit(
                "minor", (drug,), f"the last {spec.shown} ({_fmt(points[-1].value)} {spec.unit} on "
                f"{points[-1].on.isoformat()}) was drawn before the dose change of {drug} on {changed.isoformat()}",
                "a level drawn before the last change does not show the dose in force now",
                f"check the {spec.shown} at steady state on the current dose before raising it further",
                (spec.steady_source or spec.age_source,), f"result-level-before-change-{key}")


def judge(names: Sequence[str], doses: Mapping[str, float | None], context: Any,
          kb: KnowledgeBase) -> list[tuple[Any, ...]]:
    """Return the result findings as (kind, severity, drugs, summary, mechanism, action, sources, rule id)."""
    chart: ChartResults = context.results
    tables = _tables(kb)
    today = chart.today or date.today()
    series: dict[str, list[_Point]] = {}
    for result in chart.results:
        spec = tables.tests.get(result.test)
        if spec is None:
            raise ClinicalInputError(
                f"unknown result {result.test!r}; expected one of: {', '.join(sorted(tables.tests))}")
        when = result.on or today
        if when > today:
            raise ClinicalInputError(f"{spec.shown} is dated {when.isoformat()}, after the check's day {today.isoformat()}")
        series.setdefault(result.test, []).append(_Point(when, _canonical(result, spec)))
    for points in series.values():
        # Stable: results of one day keep the order they were given in (oldest first).
        points.sort(key=lambda p: p.on)
    judgement = _Judgement(
        tables=tables, kb=kb, names=names, doses=doses, sex=context.sex, age=context.age, pregnant=context.pregnant,
        today=today, series=series, changes=_resolve_keys(chart.dose_changes, kb, "a dose change"),
        starts=_resolve_keys(chart.start_dates, kb, "a start date"),
        previous=_resolve_keys(chart.previous_doses, kb, "a previous dose"),
        starting=set(_resolve_keys(chart.starting, kb, "a new drug")), ben=chart.ben)

    too_old: dict[str, list[str]] = {}
    fired: set[tuple[str, str]] = set()
    steady_checked: set[tuple[str, str]] = set()
    for drug in names:
        for rule in tables.rules_by_drug.get(drug, ()):
            points = series.get(rule.test)
            if not points:
                continue
            spec = tables.tests[rule.test]
            if (today - points[-1].on).days > judgement.max_age(spec, drug):
                if drug not in too_old.setdefault(rule.test, []):
                    too_old[rule.test].append(drug)
                continue
            _apply(judgement, drug, rule, points, fired)
        for key in tables.level_tests.get(drug, ()):
            points = series.get(key)
            if points and (drug, key) not in steady_checked:
                steady_checked.add((drug, key))
                _steady_state(judgement, drug, tables.tests[key], points[-1])
        if judgement.increased(drug):
            _levels_for_increase(judgement, drug)
    for key, drugs in too_old.items():
        spec = tables.tests[key]
        latest = series[key][-1]
        age = (today - latest.on).days
        limit = min(judgement.max_age(spec, drug) for drug in drugs)
        judgement.emit(
            "minor", drugs, f"{spec.shown} {_fmt(latest.value)} {spec.unit} on {latest.on.isoformat()} is {age} days "
            f"old: too old to judge for {', '.join(drugs)} (limit {limit} days)",
            f"a result older than {limit} days is not taken as the patient's current value",
            f"repeat the {spec.shown} before relying on it for a dose decision", (spec.age_source,),
            f"result-too-old-{key}")
    return judgement.out


__all__ = ["KIND", "PREGNANCY_TEST", "ChartResults", "LabResult", "judge", "relevant_tests", "result_tests",
           "result_display"]
