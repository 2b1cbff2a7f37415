"""Rating scales as data, scored by one generic engine.

Each instrument is a JSON file under `kb/instruments/` that follows
`kb/schema/instrument.schema.json`. `load_instruments()` validates every file once,
checks what the schema cannot (item references, band coverage), and compiles it into
plain tuples, so `score()` does no validation of the definition, only of the answers.
See docs/instruments.md for how to add an instrument.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import fastjsonschema

from dosewise.clinical.errors import ClinicalInputError

KB_DIR = Path(__file__).resolve().parent / "kb"
INSTRUMENTS_DIR = KB_DIR / "instruments"
SCHEMA_PATH = KB_DIR / "schema" / "instrument.schema.json"

SEXES = ("female", "male")

# Compiled condition kinds (first element of a condition tuple).
_ITEMS = 0  # (_ITEMS, item_indices, at_least, count_at_least)
_TOTAL_MIN = 1  # (_TOTAL_MIN, value)
_TOTAL_MAX = 2  # (_TOTAL_MAX, value)
_TOTAL_MIN_BY_SEX = 3  # (_TOTAL_MIN_BY_SEX, {"female": v, "male": v})
_POSITIVE = 4  # (_POSITIVE,)

# Missing-answer rules.
MISSING_REFUSE = "refuse"
MISSING_PRORATE = "prorate"
MISSING_COUNT_AS = "count_as"


class InstrumentDefinitionError(ValueError):
    """Raise when an instrument file breaks the schema or is inconsistent."""


@dataclass(frozen=True, slots=True)
class Option:
    """One answer option: the stored value and the label shown to the person answering."""

    value: int
    label: str


@dataclass(frozen=True, slots=True)
class Item:
    """One question of an instrument (numbered from 1)."""

    number: int
    text: str
    options: tuple[Option, ...]
    allowed: frozenset[int]
    minimum: int
    maximum: int
    reverse: bool
    ask_if: tuple[Any, ...] | None
    ask_if_text: str | None


@dataclass(frozen=True, slots=True)
class Alert:
    """A risk alert raised by a scored questionnaire."""

    code: str
    message: str
    level: str


@dataclass(frozen=True, slots=True)
class ScoreResult:
    """The outcome of scoring one completed questionnaire."""

    instrument: str
    total: int | float
    raw_total: int | float
    severity: str | None
    positive: bool | None
    alerts: tuple[Alert, ...]
    subscales: Mapping[str, int | None]
    answers: tuple[int | None, ...]
    missing_items: tuple[int, ...]
    prorated: bool

    def to_dict(self) -> dict[str, Any]:
        """Return the result as plain JSON-ready data."""
        return {
            "instrument": self.instrument,
            "total": self.total,
            "raw_total": self.raw_total,
            "severity": self.severity,
            "positive": self.positive,
            "alerts": [{"code": a.code, "message": a.message, "level": a.level} for a in self.alerts],
            "subscales": dict(self.subscales),
            "answers": list(self.answers),
            "missing_items": list(self.missing_items),
            "prorated": self.prorated,
        }


@dataclass(frozen=True)
class Instrument:
    """A compiled instrument definition (build it with `load_instruments`)."""

    key: str
    name: str
    short_name: str
    rater: str
    instructions: str
    loinc_panel: str | None
    loinc_total: str | None
    sources: tuple[str, ...]
    licence: str
    items: tuple[Item, ...]
    scored: tuple[tuple[int, int], ...]  # (item index, reverse offset or -1)
    multiplier: int | float
    cap: int | None
    total_min: int | float
    total_max: int | float
    total_label: str
    higher_is_better: bool
    bands: tuple[tuple[int | float, int | float, str], ...]
    positive_rules: tuple[tuple[Any, ...], ...]
    needs_sex: bool
    alerts: tuple[tuple[tuple[Any, ...], Alert], ...]
    missing_rule: str
    missing_max: int
    missing_value: int
    subscales: tuple[tuple[str, tuple[int, ...]], ...]
    min_answers: int
    outcomes: Mapping[str, Any] | None
    definition: Mapping[str, Any] = field(repr=False)

    @property
    def has_severity(self) -> bool:
        """Return True when the instrument reports a severity band."""
        return bool(self.bands)

    @property
    def has_positive(self) -> bool:
        """Return True when the instrument reports a positive/negative screen."""
        return bool(self.positive_rules)

    def expected_answers_text(self) -> str:
        """Return how many answers the instrument takes, for messages ("9", "4 or 5")."""
        n = len(self.items)
        if self.min_answers == n:
            return str(n)
        if n - self.min_answers == 1:
            return f"{self.min_answers} or {n}"
        return f"{self.min_answers} to {n}"


# ---------------------------------------------------------------------------------------
# Loading and compiling


def instrument_schema() -> dict[str, Any]:
    """Return the instrument JSON schema as data."""
    with SCHEMA_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)


@lru_cache(maxsize=1)
def _schema_validator() -> Any:
    schema = instrument_schema()
    # fastjsonschema would resolve local $refs against the relative $id as a URL.
    schema.pop("$id", None)
    return fastjsonschema.compile(schema)


def _compile_condition(raw: Mapping[str, Any], n_items: int, where: str) -> tuple[Any, ...]:
    if "items" in raw or "item" in raw:
        numbers = raw["items"] if "items" in raw else [raw["item"]]
        for number in numbers:
            if not 1 <= number <= n_items:
                raise InstrumentDefinitionError(f"{where}: item {number} does not exist")
        return (_ITEMS, tuple(n - 1 for n in numbers), raw["at_least"], raw.get("count_at_least", 1))
    if "total_at_least" in raw:
        return (_TOTAL_MIN, raw["total_at_least"])
    if "total_at_most" in raw:
        return (_TOTAL_MAX, raw["total_at_most"])
    if "total_at_least_by_sex" in raw:
        return (_TOTAL_MIN_BY_SEX, dict(raw["total_at_least_by_sex"]))
    if raw.get("positive") is True:
        return (_POSITIVE,)
    raise InstrumentDefinitionError(f"{where}: unknown condition {raw!r}")


def _describe_condition(raw: Mapping[str, Any]) -> str:
    numbers = raw["items"] if "items" in raw else [raw["item"]]
    joined = ", ".join(str(n) for n in numbers)
    count = raw.get("count_at_least", 1)
    if len(numbers) == 1:
        return f"item {joined} >= {raw['at_least']}"
    prefix = "any of" if count == 1 else f"at least {count} of"
    return f"{prefix} items {joined} >= {raw['at_least']}"


def _compile_items(data: Mapping[str, Any], key: str) -> tuple[Item, ...]:
    option_sets = data.get("option_sets", {})
    raw_items = data["items"]
    items = []
    for index, raw in enumerate(raw_items):
        number = index + 1
        if raw["number"] != number:
            raise InstrumentDefinitionError(f"{key}: item {index + 1} is numbered {raw['number']}")
        where = f"{key} item {number}"
        if "options" in raw:
            spec = raw["options"]
            if isinstance(spec, str):
                if spec not in option_sets:
                    raise InstrumentDefinitionError(f"{where}: unknown option set {spec!r}")
                spec = option_sets[spec]
            options = tuple(Option(o["value"], o["label"]) for o in spec)
            values = [o.value for o in options]
            if len(set(values)) != len(values):
                raise InstrumentDefinitionError(f"{where}: duplicate option values")
        else:
            lo, hi = raw["range"]["min"], raw["range"]["max"]
            if lo > hi:
                raise InstrumentDefinitionError(f"{where}: range min exceeds max")
            unit = raw["range"].get("unit", "")
            options = tuple(Option(v, f"{v} {unit}".strip()) for v in range(lo, hi + 1))
            values = [o.value for o in options]
        ask_if = None
        ask_if_text = None
        if "ask_if" in raw:
            ask_if = _compile_condition(raw["ask_if"], len(raw_items), where)
            if ask_if[0] != _ITEMS or any(i >= index for i in ask_if[1]):
                raise InstrumentDefinitionError(f"{where}: ask_if may only refer to earlier items")
            ask_if_text = _describe_condition(raw["ask_if"])
        items.append(
            Item(
                number=number,
                text=raw["text"],
                options=options,
                allowed=frozenset(values),
                minimum=min(values),
                maximum=max(values),
                reverse=raw.get("reverse", False),
                ask_if=ask_if,
                ask_if_text=ask_if_text,
            )
        )
    return tuple(items)


def _compile(data: Mapping[str, Any]) -> Instrument:
    key = data["key"]
    items = _compile_items(data, key)
    n_items = len(items)
    scoring = data["scoring"]
    numbers = scoring.get("items", [i.number for i in items])
    for number in numbers:
        if not 1 <= number <= n_items:
            raise InstrumentDefinitionError(f"{key}: scoring item {number} does not exist")
    scored_items = [items[n - 1] for n in numbers]
    # A reversed answer v scores (min + max - v); the offset is precomputed.
    scored = tuple((it.number - 1, it.minimum + it.maximum if it.reverse else -1) for it in scored_items)
    multiplier = scoring.get("multiplier", 1)
    cap = scoring.get("cap")
    raw_min = sum(it.minimum for it in scored_items)
    raw_max = sum(it.maximum for it in scored_items)
    if cap is not None:
        raw_min, raw_max = min(raw_min, cap), min(raw_max, cap)
    total_min, total_max = raw_min * multiplier, raw_max * multiplier

    bands_raw = data.get("bands", {}).get("ranges", [])
    bands = tuple((b["min"], b["max"], b["label"]) for b in bands_raw)
    if bands:
        if bands[0][0] != total_min or bands[-1][1] != total_max:
            raise InstrumentDefinitionError(
                f"{key}: bands must cover the total range {total_min}-{total_max}"
            )
        for (_, hi, _), (lo, _, label) in itertools.pairwise(bands):
            if lo != hi + 1:
                raise InstrumentDefinitionError(f"{key}: band {label!r} does not start right after {hi}")

    positive_raw = data.get("positive", {}).get("any_of", [])
    positive_rules = tuple(_compile_condition(c, n_items, f"{key} positive") for c in positive_raw)
    if any(rule[0] == _POSITIVE for rule in positive_rules):
        raise InstrumentDefinitionError(f"{key}: a positive rule cannot refer to itself")
    needs_sex = any(rule[0] == _TOTAL_MIN_BY_SEX for rule in positive_rules)

    alerts = []
    for raw in data.get("alerts", []):
        condition = _compile_condition(raw["when"], n_items, f"{key} alert {raw['code']}")
        if condition[0] == _POSITIVE and not positive_rules:
            raise InstrumentDefinitionError(f"{key}: alert {raw['code']} needs positive rules")
        alerts.append((condition, Alert(raw["code"], raw["message"], raw["level"])))

    missing = data.get("missing", {"rule": MISSING_REFUSE})
    missing_value = missing.get("value", 0)
    if missing["rule"] == MISSING_COUNT_AS:
        for it in items:
            if it.ask_if is None and missing_value not in it.allowed:
                raise InstrumentDefinitionError(f"{key}: missing value {missing_value} is not an option")

    subscales = []
    for raw in data.get("subscales", []):
        for number in raw["items"]:
            if not 1 <= number <= n_items:
                raise InstrumentDefinitionError(f"{key}: subscale {raw['key']} item {number} does not exist")
        subscales.append((raw["key"], tuple(n - 1 for n in raw["items"])))

    # Answers may stop before a trailing run of conditional items that do not apply.
    min_answers = n_items
    while min_answers > 0 and items[min_answers - 1].ask_if is not None:
        min_answers -= 1

    if "outcomes" in data and scoring.get("higher_is_better", False):
        raise InstrumentDefinitionError(f"{key}: outcomes assume that a lower score is better")

    loinc = data.get("loinc", {})
    return Instrument(
        key=key,
        name=data["name"],
        short_name=data["short_name"],
        rater=data["rater"],
        instructions=data["instructions"],
        loinc_panel=loinc.get("panel"),
        loinc_total=loinc.get("total"),
        sources=tuple(data["sources"]),
        licence=data["licence"],
        items=items,
        scored=scored,
        multiplier=multiplier,
        cap=cap,
        total_min=total_min,
        total_max=total_max,
        total_label=scoring.get("label", "total score"),
        higher_is_better=scoring.get("higher_is_better", False),
        bands=bands,
        positive_rules=positive_rules,
        needs_sex=needs_sex,
        alerts=tuple(alerts),
        missing_rule=missing["rule"],
        missing_max=missing.get("max_missing", 0),
        missing_value=missing_value,
        subscales=tuple(subscales),
        min_answers=min_answers,
        outcomes=data.get("outcomes"),
        definition=data,
    )


def compile_definition(data: Mapping[str, Any], origin: str = "<data>") -> Instrument:
    """Validate one instrument definition against the schema and compile it."""
    try:
        _schema_validator()(data)
    except fastjsonschema.JsonSchemaException as exc:
        raise InstrumentDefinitionError(f"{origin}: {exc.message}") from exc
    try:
        return _compile(data)
    except InstrumentDefinitionError as exc:
        raise InstrumentDefinitionError(f"{origin}: {exc}") from None


def _definition_files(directory: Path) -> list[Path]:
    if not directory.is_dir():
        raise InstrumentDefinitionError(f"instrument directory {directory} does not exist")
    return sorted(directory.glob("*.json"))


def load_instruments(extra_dirs: Iterable[str | Path] = ()) -> dict[str, Instrument]:
    """Return every instrument: the shipped ones plus those in `extra_dirs`, keyed by `key`.

    A clinic holding a licence for another scale puts its definition in an extra
    directory; a key that is already defined is refused rather than silently replaced.
    """
    loaded = dict(_builtin_instruments())
    origins = dict.fromkeys(loaded, "the shipped knowledge base")
    for directory in extra_dirs:
        for path in _definition_files(Path(directory)):
            instrument = _load_file(path)
            if instrument.key in loaded:
                raise InstrumentDefinitionError(
                    f"{path}: instrument {instrument.key!r} is already defined by {origins[instrument.key]}"
                )
            loaded[instrument.key] = instrument
            origins[instrument.key] = str(path)
    return loaded


def _load_file(path: Path) -> Instrument:
    try:
        with path.open(encoding="utf-8") as fh:
            data = json.load(fh)
    except json.JSONDecodeError as exc:
        raise InstrumentDefinitionError(f"{path}: not valid JSON ({exc})") from exc
    instrument = compile_definition(data, str(path))
    if path.stem != instrument.key:
        raise InstrumentDefinitionError(f"{path}: file name must be {instrument.key}.json")
    return instrument


@lru_cache(maxsize=1)
def _builtin_instruments() -> Mapping[str, Instrument]:
    return {i.key: i for i in (_load_file(p) for p in _definition_files(INSTRUMENTS_DIR))}


def get_instrument(key: str, extra_dirs: Iterable[str | Path] = ()) -> Instrument:
    """Return the instrument called `key`, or raise ClinicalInputError naming the known ones."""
    available = load_instruments(extra_dirs) if extra_dirs else _builtin_instruments()
    try:
        return available[key]
    except KeyError:
        known = ", ".join(sorted(available))
        raise ClinicalInputError(f"unknown instrument {key!r}; available: {known}") from None


# ---------------------------------------------------------------------------------------
# Scoring (hot path: no schema work, plain tuples only)


def _holds(condition: tuple[Any, ...], values: Sequence[int | None], total: float,
           sex: str | None, positive: bool | None) -> bool:
    kind = condition[0]
    if kind == _ITEMS:
        at_least = condition[2]
        hits = 0
        for index in condition[1]:
            value = values[index]
            if value is not None and value >= at_least:
                hits += 1
        return hits >= condition[3]
    if kind == _TOTAL_MIN:
        return total >= condition[1]
    if kind == _TOTAL_MAX:
        return total <= condition[1]
    if kind == _TOTAL_MIN_BY_SEX:
        return total >= condition[1][sex]
    return bool(positive)


def item_applies(instrument: Instrument, number: int, answers: Sequence[int | None]) -> bool:
    """Return True when item `number` is to be asked, given the earlier `answers` (item 1 first).

    Forms use it to show a conditional item (the ASQ acuity question) only when it applies.
    """
    item = instrument.items[number - 1]
    if item.ask_if is None:
        return True
    values = list(answers) + [None] * (len(instrument.items) - len(answers))
    return _holds(item.ask_if, values, 0, None, None)


def _check_answers(instrument: Instrument, answers: Sequence[int | None]) -> list[int | None]:
    key = instrument.key
    items = instrument.items
    n_given = len(answers)
    if not instrument.min_answers <= n_given <= len(items):
        raise ClinicalInputError(
            f"{key} expects {instrument.expected_answers_text()} answers, got {n_given}"
        )
    values: list[int | None] = list(answers)
    values.extend([None] * (len(items) - n_given))
    for index, value in enumerate(values):
        item = items[index]
        if value is None:
            continue
        if type(value) is not int:
            raise ClinicalInputError(f"{key} item {item.number}: answer {value!r} is not an integer")
        if value not in item.allowed:
            raise ClinicalInputError(
                f"{key} item {item.number}: answer {value} is not one of {_allowed_text(item)}"
            )
    return values


def _allowed_text(item: Item) -> str:
    if len(item.options) > 8 and item.maximum - item.minimum + 1 == len(item.options):
        return f"{item.minimum} to {item.maximum}"
    return ", ".join(str(o.value) for o in item.options)


def _apply_missing(instrument: Instrument, values: list[int | None]) -> list[int]:
    """Apply the missing-answer rule in place; return the indices of unanswered items.

    Unconditional items are settled first, so a conditional item (the ASQ acuity
    question) is judged on the answers as the missing-answer rule completes them.
    """
    items = instrument.items
    missing = [i for i, item in enumerate(items) if item.ask_if is None and values[i] is None]
    if missing:
        rule = instrument.missing_rule
        numbers = ", ".join(str(i + 1) for i in missing)
        if rule == MISSING_COUNT_AS:
            for index in missing:
                values[index] = instrument.missing_value
        elif rule == MISSING_PRORATE:
            if len(missing) > instrument.missing_max:
                raise ClinicalInputError(
                    f"{instrument.key}: items {numbers} unanswered; at most {instrument.missing_max} "
                    "may be missing"
                )
        else:
            noun = "item" if len(missing) == 1 else "items"
            raise ClinicalInputError(
                f"{instrument.key}: {noun} {numbers} unanswered; every item must be answered"
            )
    for index, item in enumerate(items):
        if item.ask_if is None:
            continue
        applies = _holds(item.ask_if, values, 0, None, None)
        if values[index] is None and applies:
            raise ClinicalInputError(
                f"{instrument.key} item {item.number} must be answered because {item.ask_if_text}"
            )
        if values[index] is not None and not applies:
            raise ClinicalInputError(
                f"{instrument.key} item {item.number} is asked only when {item.ask_if_text}; "
                "leave it out"
            )
    return missing


def score(instrument: Instrument | str, answers: Sequence[int | None], *, sex: str | None = None) -> ScoreResult:
    """Score `answers` (item 1 first; None for an unanswered item) and return the result.

    Raise ClinicalInputError for a wrong number of answers, an answer that is not an
    option, unanswered items the instrument's missing-answer rule does not allow, or a
    sex-specific cut-off without `sex`.
    """
    if isinstance(instrument, str):
        instrument = get_instrument(instrument)
    if instrument.needs_sex and sex not in SEXES:
        raise ClinicalInputError(
            f"{instrument.key} needs the sex ('female' or 'male'): its cut-off differs by sex"
        )
    values = _check_answers(instrument, answers)
    missing = _apply_missing(instrument, values)

    raw = 0
    answered = 0
    for index, offset in instrument.scored:
        value = values[index]
        if value is None:
            continue
        answered += 1
        raw += value if offset < 0 else offset - value
    prorated = answered < len(instrument.scored)
    if prorated:
        # Round half up: the usual convention for prorated questionnaire totals.
        raw = math.floor(raw * len(instrument.scored) / answered + 0.5) if answered else 0
    if instrument.cap is not None and raw > instrument.cap:
        raw = instrument.cap
    total = raw * instrument.multiplier

    severity = None
    for lo, hi, label in instrument.bands:
        if lo <= total <= hi:
            severity = label
            break
    positive = None
    if instrument.positive_rules:
        positive = False
        for rule in instrument.positive_rules:
            if _holds(rule, values, total, sex, None):
                positive = True
                break
    alerts = tuple(alert for condition, alert in instrument.alerts
                   if _holds(condition, values, total, sex, positive))
    subscales: dict[str, int | None] = {}
    for name, indices in instrument.subscales:
        parts = [values[i] for i in indices]
        subscales[name] = None if None in parts else sum(parts)  # type: ignore[arg-type]
    return ScoreResult(
        instrument=instrument.key,
        total=total,
        raw_total=raw,
        severity=severity,
        positive=positive,
        alerts=alerts,
        subscales=subscales,
        answers=tuple(values),
        missing_items=tuple(i + 1 for i in missing),
        prorated=prorated,
    )
