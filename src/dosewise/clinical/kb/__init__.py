"""Load, validate and index the clinical knowledge base.

Every JSON file under this folder is validated against its schema in `schema/` when the
knowledge base is loaded: `formulary/*.json` entry by entry against
`ingredient.schema.json`, any other `NAME.json` (or `DIR/NAME.json`) against
`NAME.schema.json`, falling back to `DIR.schema.json` (or its singular, e.g.
`instrument.schema.json` for `instruments/`). A file without a schema, an entry
that does not validate, a duplicate generic name or a rule naming an unknown drug or
class raises `KnowledgeBaseError`, whose message names the file and the entry.

The loaded `KnowledgeBase` is immutable and cached per directory, so every caller shares
one copy; `load_kb.cache_clear()` forces a re-read.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import fastjsonschema

KB_DIR = Path(__file__).resolve().parent
SCHEMA_DIRNAME = "schema"
FORMULARY_DIRNAME = "formulary"
INGREDIENT_SCHEMA = "ingredient.schema.json"
INTERACTIONS_FILE = "interactions.json"
DERIVED_RULES_FILE = "derived_rules.json"
DUPLICATE_THERAPY_FILE = "duplicate_therapy.json"
ALLERGY_GROUPS_FILE = "allergy_groups.json"


# Fact groups a co-medication entry may leave out, and what the engines see when it does.
_OPTIONAL_GROUPS: dict[str, Any] = {
    "dose": None,
    "pregnancy": {},
    "lactation": {},
    "boxed_warnings": [],
    "half_life": {},
    "strengths_mg": [],
    "liquid": {"available": False},
    "controlled_schedule": None,
}
CO_MEDICATION = "co-medication"


class KnowledgeBaseError(Exception):
    """Raise when a knowledge-base file is missing, malformed or inconsistent."""


def _freeze(value: Any) -> Any:
    """Return a read-only deep copy: dicts become mapping proxies, lists become tuples."""
    if isinstance(value, dict):
        return MappingProxyType({key: _freeze(item) for key, item in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(item) for item in value)
    return value


@dataclass(frozen=True, eq=False)
class Ingredient:
    """One formulary active ingredient; nested fact groups are read-only mappings.

    A co-medication entry (`kind == "co-medication"`) may lack the dose, pregnancy, lactation,
    boxed-warning, half-life and strength groups: they are then None, empty mappings or empty
    tuples, so every engine checks what is known and skips what is not.
    """

    name: str
    rxcui: str | None
    synonyms: tuple[str, ...]
    brands: tuple[str, ...]
    classes: tuple[str, ...]
    psychotropic: bool
    properties: Mapping[str, Any]
    metabolism: Mapping[str, Any]
    dose: Mapping[str, Any] | None
    pregnancy: Mapping[str, Any]
    lactation: Mapping[str, Any]
    boxed_warnings: tuple[Mapping[str, Any], ...]
    half_life: Mapping[str, Any]
    strengths_mg: tuple[float, ...]
    liquid: Mapping[str, Any]
    controlled_schedule: str | None
    sources: tuple[str, ...]
    route: str | None = None
    long_acting_injectable: tuple[Mapping[str, Any], ...] = ()
    geriatric_note: Mapping[str, Any] | None = None
    source_file: str = ""
    kind: str = "full"
    # Further RxNorm codes naming this ingredient: {code, name, source} each.
    other_rxcuis: tuple[Mapping[str, Any], ...] = ()

    @property
    def class_set(self) -> frozenset[str]:
        """Return the classes as a set for membership tests."""
        return frozenset(self.classes)

    @property
    def rxcuis(self) -> tuple[str, ...]:
        """Return every RxNorm code of the ingredient, the ingredient concept first."""
        codes = (self.rxcui,) if self.rxcui is not None else ()
        return codes + tuple(other["code"] for other in self.other_rxcuis)

    @property
    def is_co_medication(self) -> bool:
        """Return whether the entry is a lighter co-medication entry (optional fact groups)."""
        return self.kind == CO_MEDICATION


@dataclass(frozen=True)
class Selector:
    """Select ingredients by generic name or class, minus named exceptions."""

    drugs: frozenset[str] = frozenset()
    classes: frozenset[str] = frozenset()
    except_: frozenset[str] = frozenset()

    def matches(self, ingredient: Ingredient) -> bool:
        """Return whether the ingredient is selected."""
        if ingredient.name in self.except_:
            return False
        return ingredient.name in self.drugs or not self.classes.isdisjoint(ingredient.classes)


@dataclass(frozen=True)
class InteractionRule:
    """One explicit pair or class interaction rule from `interactions.json`."""

    id: str
    a: Selector
    b: Selector
    severity: str
    summary: str
    mechanism: str
    effect: str
    action: str
    sources: tuple[str, ...]
    onc: str | None = None
    # Families whose derived findings this rule deliberately replaces, and why (label wording).
    specific_families: frozenset[str] = frozenset()
    specific_reason: str | None = None


@dataclass(frozen=True)
class GroupRule:
    """One duplicate-therapy or allergy cross-sensitivity group."""

    id: str
    selector: Selector
    severity: str
    summary: str
    action: str
    mechanism: str
    sources: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    """The validated knowledge base with the lookup indexes the engines need."""

    directory: Path
    version: str
    ingredients: Mapping[str, Ingredient]
    interaction_rules: tuple[InteractionRule, ...]
    derived_rules: Mapping[str, Any]
    duplicate_groups: tuple[GroupRule, ...]
    allergy_groups: tuple[GroupRule, ...]
    # Parsed content of every non-formulary file by relative path; read it through data().
    files: Mapping[str, Any]
    aliases: Mapping[str, tuple[str, ...]]
    alias_display: Mapping[str, str]
    by_rxcui: Mapping[str, str]
    by_class: Mapping[str, tuple[str, ...]]
    rule_mask_a: Mapping[str, int] = field(default_factory=dict)
    rule_mask_b: Mapping[str, int] = field(default_factory=dict)

    @property
    def classes(self) -> frozenset[str]:
        """Return every class used by at least one formulary ingredient."""
        return frozenset(self.by_class)

    def data(self, relative_path: str) -> Any:
        """Return a read-only copy of one validated JSON file, e.g. 'equivalence.json'."""
        try:
            # Frozen on request rather than at load: most files are never asked for here.
            return _freeze(self.files[relative_path])
        except KeyError:
            raise KnowledgeBaseError(f"{relative_path}: no such knowledge-base file") from None


@functools.cache
def _compiled_schema(schema_path: Path) -> Any:
    """Compile one JSON schema once per process."""
    with schema_path.open(encoding="utf-8") as handle:
        schema = json.load(handle)
    # fastjsonschema would resolve local $refs against a relative $id as if it were a URL.
    schema.pop("$id", None)
    # Validators without per-rule exception details compile about three times faster (the
    # load budget is 200 ms); messages still name the failing field. Their generator
    # cannot render `const`, so it is rewritten as the equivalent one-item `enum`.
    return fastjsonschema.compile(_const_as_enum(schema), detailed_exceptions=False)


def _const_as_enum(schema: Any) -> Any:
    """Return the schema with every `const: X` replaced by the equivalent `enum: [X]`."""
    if isinstance(schema, dict):
        rewritten = {key: _const_as_enum(value) for key, value in schema.items() if key != "const"}
        if "const" in schema and "enum" not in schema:
            rewritten["enum"] = [schema["const"]]
        if "properties" in schema and isinstance(schema["properties"], dict):
            # Property names are data, not keywords: keep a property literally named "const".
            rewritten["properties"] = {key: _const_as_enum(value) for key, value in schema["properties"].items()}
        return rewritten
    if isinstance(schema, list):
        return [_const_as_enum(item) for item in schema]
    return schema


def _read_json(path: Path, relative: str) -> Any:
    """Parse one JSON file, naming it in any error."""
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except json.JSONDecodeError as exc:
        raise KnowledgeBaseError(f"{relative}: invalid JSON at line {exc.lineno}: {exc.msg}") from None


def _entry_label(entry: Any, index: int) -> str:
    """Name an entry for an error message by its name or id, else by its position."""
    if isinstance(entry, dict):
        for key in ("name", "id"):
            if isinstance(entry.get(key), str):
                return f"entry {index} ({entry[key]!r})"
    return f"entry {index}"


def _validate(validator: Any, data: Any, relative: str, label: str = "") -> None:
    """Run a compiled validator and turn its failure into a KnowledgeBaseError."""
    try:
        validator(data)
    except fastjsonschema.JsonSchemaException as exc:
        where = f" {label}" if label else ""
        raise KnowledgeBaseError(f"{relative}{where}: {exc.message}") from None


def _schema_for(directory: Path, relative: Path) -> Path:
    """Return the schema file that governs a non-formulary JSON file."""
    schema_dir = directory / SCHEMA_DIRNAME
    candidates = [schema_dir / f"{relative.stem}.schema.json"]
    if len(relative.parts) > 1:
        folder = relative.parts[0]
        # A folder of one kind of file ("pgx/", "instruments/") shares one schema.
        candidates += [schema_dir / f"{folder}.schema.json", schema_dir / f"{folder.removesuffix('s')}.schema.json"]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise KnowledgeBaseError(f"{relative.as_posix()}: no schema (expected {candidates[0].name} in schema/)")


def _ingredient(entry: dict[str, Any], relative: str) -> Ingredient:
    """Build an Ingredient from a validated formulary entry (absent optional groups get defaults)."""
    entry = {**_OPTIONAL_GROUPS, **entry}
    return Ingredient(
        name=entry["name"],
        rxcui=entry["rxcui"],
        synonyms=tuple(entry["synonyms"]),
        brands=tuple(entry["brands"]),
        classes=tuple(entry["classes"]),
        psychotropic=entry["psychotropic"],
        properties=_freeze(entry["properties"]),
        metabolism=_freeze(entry["metabolism"]),
        dose=_freeze(entry["dose"]),
        pregnancy=_freeze(entry["pregnancy"]),
        lactation=_freeze(entry["lactation"]),
        boxed_warnings=_freeze(entry["boxed_warnings"]),
        half_life=_freeze(entry["half_life"]),
        strengths_mg=tuple(entry["strengths_mg"]),
        liquid=_freeze(entry["liquid"]),
        controlled_schedule=entry["controlled_schedule"],
        sources=tuple(entry["sources"]),
        route=entry.get("route"),
        long_acting_injectable=_freeze(entry.get("long_acting_injectable", [])),
        geriatric_note=_freeze(entry.get("geriatric_note")),
        source_file=relative,
        kind=entry.get("kind", "full"),
        other_rxcuis=_freeze(entry.get("other_rxcuis", [])),
    )


def _load_formulary(directory: Path) -> dict[str, Ingredient]:
    """Read and validate every formulary file; refuse duplicate generic names."""
    validator = _compiled_schema(directory / SCHEMA_DIRNAME / INGREDIENT_SCHEMA)
    ingredients: dict[str, Ingredient] = {}
    for path in sorted((directory / FORMULARY_DIRNAME).glob("*.json")):
        relative = path.relative_to(directory).as_posix()
        entries = _read_json(path, relative)
        if not isinstance(entries, list):
            raise KnowledgeBaseError(f"{relative}: a formulary file must be a JSON array of ingredients")
        for index, entry in enumerate(entries):
            label = _entry_label(entry, index)
            _validate(validator, entry, relative, label)
            if entry["name"] in ingredients:
                other = ingredients[entry["name"]].source_file
                raise KnowledgeBaseError(f"{relative} {label}: duplicate name, already defined in {other}")
            ingredients[entry["name"]] = _ingredient(entry, relative)
    return ingredients


def _load_other_files(directory: Path) -> dict[str, Any]:
    """Read and validate every non-formulary JSON file against its own schema."""
    files: dict[str, Any] = {}
    for path in sorted(directory.rglob("*.json")):
        relative = path.relative_to(directory)
        if relative.parts[0] in (SCHEMA_DIRNAME, FORMULARY_DIRNAME):
            continue
        data = _read_json(path, relative.as_posix())
        _validate(_compiled_schema(_schema_for(directory, relative)), data, relative.as_posix())
        files[relative.as_posix()] = data
    return files


class _NameChecker:
    """Check that rule selectors name only known drugs and classes."""

    def __init__(self, ingredients: Mapping[str, Ingredient], classes: Iterable[str]) -> None:
        self.drugs = frozenset(ingredients)
        self.classes = frozenset(classes)

    def selector(self, raw: Mapping[str, Any], where: str) -> Selector:
        """Build a Selector, refusing unknown drug and class names."""
        drugs = frozenset(raw.get("drugs", ()))
        classes = frozenset(raw.get("classes", ()))
        excepted = frozenset(raw.get("except", ()))
        for name in sorted((drugs | excepted) - self.drugs):
            raise KnowledgeBaseError(f"{where}: unknown drug {name!r} (not a formulary name)")
        for name in sorted(classes - self.classes):
            raise KnowledgeBaseError(f"{where}: unknown class {name!r} (no formulary ingredient has it)")
        return Selector(drugs=drugs, classes=classes, except_=excepted)


def _interaction_rules(data: Mapping[str, Any] | None, names: _NameChecker) -> tuple[InteractionRule, ...]:
    """Build the explicit interaction rules; ids must be unique."""
    rules: list[InteractionRule] = []
    seen: set[str] = set()
    for index, raw in enumerate((data or {}).get("rules", [])):
        where = f"{INTERACTIONS_FILE} {_entry_label(raw, index)}"
        if raw["id"] in seen:
            raise KnowledgeBaseError(f"{where}: duplicate rule id")
        seen.add(raw["id"])
        rules.append(
            InteractionRule(
                id=raw["id"],
                a=names.selector(raw["a"], where),
                b=names.selector(raw["b"], where),
                severity=raw["severity"],
                summary=raw["summary"],
                mechanism=raw["mechanism"],
                effect=raw.get("effect", ""),
                action=raw["action"],
                sources=tuple(raw["sources"]),
                onc=raw.get("onc"),
                specific_families=frozenset(raw.get("specific", {}).get("families", ())),
                specific_reason=raw.get("specific", {}).get("reason"),
            )
        )
    return tuple(rules)


def _group_rules(
    data: Mapping[str, Any] | None, filename: str, names: _NameChecker, default_mechanism: str
) -> tuple[GroupRule, ...]:
    """Build duplicate-therapy or allergy groups; ids must be unique."""
    groups: list[GroupRule] = []
    seen: set[str] = set()
    for index, raw in enumerate((data or {}).get("groups", [])):
        where = f"{filename} {_entry_label(raw, index)}"
        if raw["id"] in seen:
            raise KnowledgeBaseError(f"{where}: duplicate group id")
        seen.add(raw["id"])
        groups.append(
            GroupRule(
                id=raw["id"],
                selector=names.selector(raw, where),
                severity=raw["severity"],
                summary=raw["summary"],
                action=raw.get("action", ""),
                mechanism=raw.get("mechanism", default_mechanism),
                sources=tuple(raw["sources"]),
            )
        )
    return tuple(groups)


def _check_derived_names(derived: Mapping[str, Any], names: _NameChecker) -> None:
    """Refuse drug and class names in derived-rule selectors that the formulary lacks."""
    for key, rule in derived.items():
        for selector_key in ("opioid", "benzodiazepine", "reuptake_inhibitor"):
            if isinstance(rule, Mapping) and selector_key in rule:
                names.selector(rule[selector_key], f"{DERIVED_RULES_FILE} {key}.{selector_key}")
        for index, partner in enumerate(rule.get("partners", ()) if isinstance(rule, Mapping) else ()):
            names.selector(partner, f"{DERIVED_RULES_FILE} {key}.partners[{index}]")
    for index, entry in enumerate(derived["qt_label_rules"]["drugs"]):
        names.selector({"drugs": [entry["drug"]]}, f"{DERIVED_RULES_FILE} qt_label_rules.drugs[{index}]")
    smoking_ingredient = derived["smoking"]["ingredient"]
    names.selector({"drugs": [smoking_ingredient]}, f"{DERIVED_RULES_FILE} smoking.ingredient")


def _alias_indexes(
    ingredients: Mapping[str, Ingredient],
) -> tuple[dict[str, tuple[str, ...]], dict[str, str], dict[str, str]]:
    """Index every name, synonym, brand and RxNorm code (case-folded) to generic names.

    Every code of an ingredient (its ingredient concept and the salt, acid or precise-ingredient
    codes in `other_rxcuis`) resolves to it; a code claimed by two ingredients is refused.
    """
    aliases: dict[str, list[str]] = {}
    display: dict[str, str] = {}
    by_rxcui: dict[str, str] = {}
    for ingredient in ingredients.values():
        codes = ingredient.rxcuis
        for code in codes:
            if by_rxcui.get(code, ingredient.name) != ingredient.name:
                raise KnowledgeBaseError(
                    f"{ingredient.source_file} {ingredient.name!r}: RxNorm code {code} already belongs to "
                    f"{by_rxcui[code]!r}"
                )
            by_rxcui[code] = ingredient.name
        names = (other["name"] for other in ingredient.other_rxcuis)
        for text in (ingredient.name, *ingredient.synonyms, *ingredient.brands, *names, *codes):
            key = normalise_name(text)
            owners = aliases.setdefault(key, [])
            if ingredient.name not in owners:
                owners.append(ingredient.name)
            display.setdefault(key, text)
    return {key: tuple(sorted(value)) for key, value in aliases.items()}, display, by_rxcui


def normalise_name(text: str) -> str:
    """Return the lookup key of a drug name: case-folded, single-spaced, trimmed."""
    return " ".join(text.split()).casefold()


def _rule_masks(
    ingredients: Mapping[str, Ingredient], by_class: Mapping[str, Iterable[str]], rules: tuple[InteractionRule, ...]
) -> tuple[dict[str, int], dict[str, int]]:
    """Return per-ingredient bit masks of the rules whose side a (resp. b) it matches.

    A pair (x, y) is a candidate for rule i exactly when bit i is set in
    (mask_a[x] & mask_b[y]) | (mask_a[y] & mask_b[x]), so a check never scans all rules.
    """
    mask_a = dict.fromkeys(ingredients, 0)
    mask_b = dict.fromkeys(ingredients, 0)
    for bit, rule in enumerate(rules):
        for selector, masks in ((rule.a, mask_a), (rule.b, mask_b)):
            members = set(selector.drugs)
            for class_name in selector.classes:
                members.update(by_class[class_name])
            for name in members - selector.except_:
                masks[name] |= 1 << bit
    return mask_a, mask_b


@functools.lru_cache(maxsize=8)
def load_kb(directory: Path | str | None = None) -> KnowledgeBase:
    """Return the validated knowledge base in `directory` (default: this package's kb/)."""
    root = Path(directory).resolve() if directory is not None else KB_DIR
    version_path = root / "VERSION"
    if not version_path.is_file():
        raise KnowledgeBaseError(f"VERSION: missing in {root}")
    version = version_path.read_text(encoding="utf-8").strip()
    if not version:
        raise KnowledgeBaseError("VERSION: empty")

    ingredients = _load_formulary(root)
    files = _load_other_files(root)
    by_class: dict[str, list[str]] = {}
    for ingredient in ingredients.values():
        for class_name in ingredient.classes:
            by_class.setdefault(class_name, []).append(ingredient.name)
    names = _NameChecker(ingredients, by_class)

    interaction_rules = _interaction_rules(files.get(INTERACTIONS_FILE), names)
    derived = files.get(DERIVED_RULES_FILE)
    if derived is None:
        raise KnowledgeBaseError(f"{DERIVED_RULES_FILE}: missing")
    _check_derived_names(derived, names)
    duplicate_groups = _group_rules(
        files.get(DUPLICATE_THERAPY_FILE),
        DUPLICATE_THERAPY_FILE,
        names,
        "two drugs of the same therapeutic group add the same effects and adverse effects",
    )
    allergy_groups = _group_rules(
        files.get(ALLERGY_GROUPS_FILE),
        ALLERGY_GROUPS_FILE,
        names,
        "structurally related drugs can trigger the same hypersensitivity reaction",
    )
    aliases, display, by_rxcui = _alias_indexes(ingredients)
    mask_a, mask_b = _rule_masks(ingredients, by_class, interaction_rules)
    return KnowledgeBase(
        directory=root,
        version=version,
        ingredients=MappingProxyType(dict(sorted(ingredients.items()))),
        interaction_rules=interaction_rules,
        derived_rules=_freeze(derived),
        duplicate_groups=duplicate_groups,
        allergy_groups=allergy_groups,
        files=MappingProxyType(files),
        aliases=MappingProxyType(aliases),
        alias_display=MappingProxyType(display),
        by_rxcui=MappingProxyType(by_rxcui),
        by_class=MappingProxyType({key: tuple(sorted(value)) for key, value in sorted(by_class.items())}),
        rule_mask_a=MappingProxyType(mask_a),
        rule_mask_b=MappingProxyType(mask_b),
    )


__all__ = [
    "GroupRule",
    "Ingredient",
    "InteractionRule",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Selector",
    "load_kb",
    "normalise_name",
]
