"""Check a regimen in its patient context and explain every safety finding.

`check(regimen, context)` returns findings, never a verdict: each names the drugs, the
mechanism, the recommended action and its sources, and reports the knowledge-base
version. Findings come from:

- explicit pair and class rules (`kb/interactions.json`);
- rules derived from ingredient properties, with texts and parameters in
  `kb/derived_rules.json`: CYP inhibition and induction, MAOI combinations, opioid with
  benzodiazepine, bleeding, and the cumulative serotonergic, QT, CNS-depressant,
  anticholinergic and seizure-threshold loads;
- per-ingredient facts in the patient context: dose range, age, allergy, pregnancy,
  lactation, kidney and liver function, duplicate therapy, pharmacogenomics;
- the patient's dated results judged against the regimen and its dose changes
  (`results.py`, `kb/result_rules.json`): levels, blood counts, chemistry, weight.

Avoiding repeated findings. Every derived rule has a mechanism family (cyp, serotonergic,
pressor, qt, cns, anticholinergic, seizure, bleeding). At load, each explicit rule is
tagged with the families whose terms (`mechanism_terms` in derived_rules.json) occur in its
summary, mechanism or effect. A derived finding that involves exactly two drugs is dropped
when a finding for the same pair with the same family is at least as severe (or is an
explicit rule marked `specific` for that family, which replaces the derived grading for its pairs): an explicit
rule suppresses the derived pairwise and two-drug burden findings it already explains,
and a derived pairwise finding (MAOI, opioid with benzodiazepine) suppresses the two-drug
burden of its own family. A more severe derived finding is kept next to the explicit one,
and burden findings of three or more drugs are always kept, so adding a drug never removes
a finding about the others.

Output order is deterministic: severity, kind (in the order of `KINDS`), drugs, rule id,
summary. When `context.smoker` is true the formulary ingredient named in
`derived_rules.json` ("tobacco smoke") joins the regimen internally, so CYP1A2 induction
fires for clozapine or olanzapine.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import Ingredient, KnowledgeBase, load_kb, normalise_name
from dosewise.clinical.names import resolve_drug
from dosewise.clinical.results import ChartResults, LabResult, judge

SEVERITIES = ("contraindicated", "major", "moderate", "minor")
KINDS = (
    "interaction",
    "duplicate-therapy",
    "dose-range",
    "age",
    "allergy",
    "pregnancy",
    "lactation",
    "renal",
    "hepatic",
    "pgx",
    "lab-result",
    "serotonergic-burden",
    "qt-burden",
    "cns-depression-burden",
    "anticholinergic-burden",
)
SEVERITY_RANK = MappingProxyType({name: rank for rank, name in enumerate(SEVERITIES)})
KIND_RANK = MappingProxyType({name: rank for rank, name in enumerate(KINDS)})
LEVEL_RANK = MappingProxyType({"none": 0, "low": 1, "moderate": 2, "high": 3})
SEXES = ("female", "male")
CHILD_PUGH_CLASSES = ("A", "B", "C")


def _number(value: Any, what: str) -> float:
    """Return a finite number or raise ClinicalInputError naming the field."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ClinicalInputError(f"{what} must be a number, got {value!r}")
    return float(value)


@dataclass(frozen=True)
class RegimenItem:
    """One regimen ingredient as typed by the user, with an optional daily dose in mg."""

    name: str
    dose_mg_per_day: float | None = None

    def __post_init__(self) -> None:
        if self.dose_mg_per_day is not None:
            dose = _number(self.dose_mg_per_day, f"dose of {self.name}")
            if dose < 0:
                raise ClinicalInputError(f"dose of {self.name} is negative ({dose:g} mg/day); give mg per day")
            object.__setattr__(self, "dose_mg_per_day", dose)


@dataclass(frozen=True)
class Context:
    """The patient facts the checks use; every field is optional."""

    age: float | None = None
    sex: str | None = None
    pregnant: bool = False
    lactating: bool = False
    egfr: float | None = None
    child_pugh: str | None = None
    qtc_ms: float | None = None
    allergies: tuple[str, ...] = ()
    genotypes: Mapping[str, str] = field(default_factory=dict)
    phenotypes: Mapping[str, str] = field(default_factory=dict)
    smoker: bool | None = None
    # Dated results with the dose history they are judged against (see results.py); a plain
    # list of LabResult is taken as results dated as given, judged today.
    results: ChartResults | None = None

    def __post_init__(self) -> None:
        if self.age is not None and not 0 <= _number(self.age, "age") <= 130:
            raise ClinicalInputError(f"age must be between 0 and 130 years, got {self.age}")
        if self.sex is not None and self.sex not in SEXES:
            raise ClinicalInputError(f"sex must be 'female' or 'male', got {self.sex!r}")
        if self.egfr is not None and _number(self.egfr, "eGFR") < 0:
            raise ClinicalInputError(f"eGFR must not be negative, got {self.egfr}")
        if self.child_pugh is not None:
            child_pugh = str(self.child_pugh).upper()
            if child_pugh not in CHILD_PUGH_CLASSES:
                raise ClinicalInputError(f"Child-Pugh class must be A, B or C, got {self.child_pugh!r}")
            object.__setattr__(self, "child_pugh", child_pugh)
        if self.qtc_ms is not None and not 200 <= _number(self.qtc_ms, "QTc") <= 800:
            raise ClinicalInputError(f"QTc must be between 200 and 800 ms, got {self.qtc_ms}")
        if isinstance(self.allergies, str):
            raise ClinicalInputError("allergies must be a list of names, not one string")
        object.__setattr__(self, "allergies", tuple(str(item) for item in self.allergies))
        object.__setattr__(self, "genotypes", MappingProxyType(dict(self.genotypes)))
        object.__setattr__(self, "phenotypes", MappingProxyType(dict(self.phenotypes)))
        if self.results is not None and not isinstance(self.results, ChartResults):
            object.__setattr__(self, "results", ChartResults(results=tuple(self.results)))


@dataclass(frozen=True)
class Finding:
    """One explained safety finding."""

    kind: str
    severity: str
    drugs: tuple[str, ...]
    summary: str
    mechanism: str
    action: str
    sources: tuple[str, ...]
    rule_id: str
    kb_version: str

    def sort_key(self) -> tuple[int, int, tuple[str, ...], str, str]:
        """Return the key of the deterministic output order."""
        return (SEVERITY_RANK[self.severity], KIND_RANK[self.kind], self.drugs, self.rule_id, self.summary)

    def to_dict(self) -> dict[str, Any]:
        """Return the finding as plain JSON-ready data."""
        return {
            "kind": self.kind,
            "severity": self.severity,
            "drugs": list(self.drugs),
            "summary": self.summary,
            "mechanism": self.mechanism,
            "action": self.action,
            "sources": list(self.sources),
            "rule_id": self.rule_id,
            "kb_version": self.kb_version,
        }


# ---------------------------------------------------------------------------------------
# Per-knowledge-base tables, computed once per loaded KB.


@dataclass(frozen=True, eq=False)
class _Profile:
    """The precomputed property vector of one ingredient."""

    ingredient: Ingredient
    serotonergic: int
    qt: int
    cns: int
    acb: int
    seizure: bool
    sympathomimetic: bool
    maoi: bool
    opioid: bool
    benzodiazepine: bool
    bleeding_inhibitor: bool
    bleeding_partner: str | None
    inhibits: tuple[tuple[str, str], ...]
    induces: tuple[tuple[str, str], ...]
    substrates: Mapping[str, str]
    duplicate_groups: tuple[int, ...]


@dataclass(frozen=True, eq=False)
class _Tables:
    """Everything the engine precomputes for one knowledge base."""

    kb: KnowledgeBase
    rules: Mapping[str, Any]
    profiles: Mapping[str, _Profile]
    explicit_families: tuple[frozenset[str], ...]
    smoking_ingredient: str


def _families(texts: Iterable[str], terms: Mapping[str, Sequence[str]]) -> frozenset[str]:
    """Return the mechanism families whose terms occur in any of the texts."""
    haystack = " ".join(texts).casefold()
    return frozenset(family for family, words in terms.items() if any(word in haystack for word in words))


def _selector_matches(raw: Mapping[str, Any], ingredient: Ingredient) -> bool:
    """Return whether a derived-rule selector (drugs/classes/except) matches."""
    if ingredient.name in raw.get("except", ()):
        return False
    return ingredient.name in raw.get("drugs", ()) or any(c in ingredient.classes for c in raw.get("classes", ()))


def _enzyme_effects(effects: Mapping[str, str], table: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """Keep the (enzyme, strength) pairs whose strength the severity table grades."""
    return tuple(sorted((enzyme, strength) for enzyme, strength in effects.items() if strength in table))


def _profile(ingredient: Ingredient, rules: Mapping[str, Any], group_indexes: tuple[int, ...]) -> _Profile:
    """Build the property vector of one ingredient."""
    props = ingredient.properties
    metabolism = ingredient.metabolism
    bleeding = rules["bleeding"]
    partner_ranks = [
        SEVERITY_RANK[partner["severity"]]
        for partner in bleeding["partners"]
        if _selector_matches(partner, ingredient)
    ]
    roles = {role for table in rules["cyp_inhibition"]["severity"].values() for role in table}
    roles |= {role for table in rules["cyp_induction"]["severity"].values() for role in table}
    return _Profile(
        ingredient=ingredient,
        serotonergic=LEVEL_RANK[props["serotonergic"]],
        qt=LEVEL_RANK[props["qt_risk"]],
        cns=LEVEL_RANK[props["cns_depressant"]],
        acb=props["anticholinergic_burden"],
        seizure=props["lowers_seizure_threshold"],
        sympathomimetic=props["sympathomimetic"],
        maoi=props["maoi"] is not None,
        opioid=_selector_matches(rules["opioid_benzodiazepine"]["opioid"], ingredient),
        benzodiazepine=_selector_matches(rules["opioid_benzodiazepine"]["benzodiazepine"], ingredient),
        bleeding_inhibitor=props["bleeding_risk"] and _selector_matches(bleeding["reuptake_inhibitor"], ingredient),
        bleeding_partner=SEVERITIES[min(partner_ranks)] if partner_ranks else None,
        inhibits=_enzyme_effects(metabolism["inhibits"], rules["cyp_inhibition"]["severity"]),
        induces=_enzyme_effects(metabolism["induces"], rules["cyp_induction"]["severity"]),
        substrates=MappingProxyType(
            {enzyme: role for enzyme, role in metabolism["substrate"].items() if role in roles}
        ),
        duplicate_groups=group_indexes,
    )


@functools.lru_cache(maxsize=8)
def _tables(kb: KnowledgeBase) -> _Tables:
    """Return the engine tables for a knowledge base (cached per KB object)."""
    rules = kb.derived_rules
    terms = rules["mechanism_terms"]
    memberships: dict[str, list[int]] = {name: [] for name in kb.ingredients}
    for index, group in enumerate(kb.duplicate_groups):
        for ingredient in kb.ingredients.values():
            if group.selector.matches(ingredient):
                memberships[ingredient.name].append(index)
    profiles = {
        name: _profile(ingredient, rules, tuple(memberships[name])) for name, ingredient in kb.ingredients.items()
    }
    explicit_families = tuple(
        _families((rule.summary, rule.mechanism, rule.effect), terms) for rule in kb.interaction_rules
    )
    return _Tables(
        kb=kb,
        rules=rules,
        profiles=MappingProxyType(profiles),
        explicit_families=explicit_families,
        smoking_ingredient=rules["smoking"]["ingredient"],
    )


# ---------------------------------------------------------------------------------------
# The check.


@dataclass
class _Run:
    """The state of one check: the regimen, the context and the findings so far."""

    tables: _Tables
    context: Context
    version: str
    names: list[str]
    doses: dict[str, float | None]
    findings: list[Finding] = field(default_factory=list)
    # (family, severity rank, is_explicit) of the pairwise findings, by sorted drug pair.
    pair_families: dict[tuple[str, ...], list[tuple[str, int, bool]]] = field(default_factory=dict)
    # (finding, family, pairwise) of the derived findings awaiting the suppression step.
    derived: list[tuple[Finding, str, bool]] = field(default_factory=list)

    def add(
        self,
        kind: str,
        severity: str,
        drugs: Iterable[str],
        summary: str,
        mechanism: str,
        action: str,
        sources: Iterable[str],
        rule_id: str,
    ) -> Finding:
        """Record a finding that is never suppressed."""
        finding = Finding(
            kind, severity, tuple(sorted(drugs)), summary, mechanism, action, tuple(sources), rule_id, self.version
        )
        self.findings.append(finding)
        return finding

    def add_derived(self, family: str, pairwise: bool, finding: Finding) -> None:
        """Hold a derived finding until suppression is decided; register pairwise ones."""
        self.derived.append((finding, family, pairwise))
        if pairwise:
            self.pair_families.setdefault(finding.drugs, []).append(
                (family, SEVERITY_RANK[finding.severity], False)
            )

    def derived_finding(
        self,
        kind: str,
        severity: str,
        involved: Iterable[str],
        rule: Mapping[str, Any],
        extra_sources: tuple[str, ...] = (),
        **fields: Any,
    ) -> Finding:
        """Build a finding from a derived rule's templates; extra sources follow the rule's."""
        return Finding(
            kind,
            severity,
            tuple(sorted(involved)),
            rule["summary"].format(**fields),
            rule["mechanism"].format(**fields),
            rule["action"].format(**fields),
            tuple(dict.fromkeys((*rule["sources"], *extra_sources))),
            rule["id"],
            self.version,
        )


def _join(names: Sequence[str]) -> str:
    """Join names as 'a, b and c'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _resolve_regimen(
    kb: KnowledgeBase, regimen: Sequence[RegimenItem | str]
) -> tuple[list[str], dict[str, float | None]]:
    """Resolve every item to a generic name; refuse an ingredient entered twice."""
    if isinstance(regimen, (str, RegimenItem)):
        raise ClinicalInputError("the regimen must be a list of drugs")
    doses: dict[str, float | None] = {}
    entered: dict[str, str] = {}
    for item in regimen:
        entry = RegimenItem(item) if isinstance(item, str) else item
        key = normalise_name(entry.name)
        owners = kb.aliases.get(key)
        name = owners[0] if owners is not None and len(owners) == 1 else resolve_drug(entry.name, kb)
        if name in doses:
            raise ClinicalInputError(
                f"{name} is entered twice ('{entered[name]}' and '{entry.name}'); enter it once with the total daily dose"
            )
        doses[name] = entry.dose_mg_per_day
        entered[name] = entry.name
    return sorted(doses), doses


def _explicit_interactions(run: _Run) -> None:
    """Fire explicit rules for the candidate pairs given by the per-ingredient rule masks."""
    kb = run.tables.kb
    rules = kb.interaction_rules
    families = run.tables.explicit_families
    mask_a = kb.rule_mask_a
    mask_b = kb.rule_mask_b
    names = run.names
    for i, first in enumerate(names):
        a_first, b_first = mask_a[first], mask_b[first]
        if not (a_first or b_first):
            continue
        for second in names[i + 1 :]:
            bits = (a_first & mask_b[second]) | (mask_a[second] & b_first)
            while bits:
                low = bits & -bits
                index = low.bit_length() - 1
                bits ^= low
                rule = rules[index]
                mechanism = f"{rule.mechanism}; risk: {rule.effect}" if rule.effect else rule.mechanism
                finding = run.add(
                    "interaction", rule.severity, (first, second), rule.summary, mechanism, rule.action,
                    rule.sources, rule.id,
                )
                rank = SEVERITY_RANK[rule.severity]
                slot = run.pair_families.setdefault(finding.drugs, [])
                # A deliberately specific rule outranks any derived finding of the families it names.
                slot.extend(
                    (family, -1 if family in rule.specific_families else rank, True) for family in families[index]
                )


def _role_phrase(items: Sequence[tuple[str, str]], noun: str) -> str:
    """Render [('CYP1A2', 'strong')] as 'strong CYP1A2 inhibitor'."""
    return f"{', '.join(f'{grade} {enzyme}' for enzyme, grade in items)} {noun}"


def _enzyme_interactions(run: _Run, profiles: Sequence[_Profile]) -> None:
    """Add CYP (and transporter) inhibition and induction findings per ordered pair."""
    for key, attribute, noun in (("cyp_inhibition", "inhibits", "inhibitor"), ("cyp_induction", "induces", "inducer")):
        rule = run.tables.rules[key]
        table = rule["severity"]
        for perpetrator in profiles:
            effects = getattr(perpetrator, attribute)
            if not effects:
                continue
            for victim in profiles:
                if victim is perpetrator or not victim.substrates:
                    continue
                hits = [
                    (enzyme, strength, victim.substrates[enzyme])
                    for enzyme, strength in effects
                    if enzyme in victim.substrates and victim.substrates[enzyme] in table[strength]
                ]
                if not hits:
                    continue
                rank = min(SEVERITY_RANK[table[strength][role]] for _, strength, role in hits)
                enzymes = _join([enzyme for enzyme, _, _ in hits])
                finding = run.derived_finding(
                    "interaction",
                    SEVERITIES[rank],
                    (perpetrator.ingredient.name, victim.ingredient.name),
                    rule,
                    perpetrator=perpetrator.ingredient.name,
                    victim=victim.ingredient.name,
                    enzymes=enzymes,
                    perpetrator_roles=_role_phrase([(e, s) for e, s, _ in hits], noun),
                    victim_roles=_role_phrase([(e, r) for e, _, r in hits], "substrate"),
                    extra_sources=(perpetrator.ingredient.metabolism["source"], victim.ingredient.metabolism["source"]),
                )
                run.add_derived(rule["family"], True, finding)


def _maoi_interactions(run: _Run, profiles: Sequence[_Profile]) -> None:
    """Add MAOI with a serotonergic, sympathomimetic or MAOI partner.

    A moderately or highly serotonergic partner is contraindicated; a weakly serotonergic one
    is a caution (its label contraindications, where they exist, are explicit rules).
    """
    rules = run.tables.rules
    partner_min = LEVEL_RANK[rules["maoi_serotonergic"]["partner_min_serotonergic"]]
    weak_min = LEVEL_RANK[rules["maoi_weak_serotonergic"]["partner_min_serotonergic"]]
    for maoi in profiles:
        if not maoi.maoi:
            continue
        name = maoi.ingredient.name
        for partner in profiles:
            other = partner.ingredient.name
            if partner is maoi:
                continue
            if partner.maoi:
                if name < other:
                    rule = rules["maoi_maoi"]
                    finding = run.derived_finding(
                        "interaction", rule["severity"], (name, other), rule, drugs=_join([name, other])
                    )
                    run.add_derived(rule["family"], True, finding)
                continue
            for key, applies in (
                ("maoi_serotonergic", partner.serotonergic >= partner_min),
                ("maoi_weak_serotonergic", weak_min <= partner.serotonergic < partner_min),
                ("maoi_sympathomimetic", partner.sympathomimetic),
            ):
                if applies:
                    rule = rules[key]
                    finding = run.derived_finding(
                        "interaction", rule["severity"], (name, other), rule, maoi=name, partner=other
                    )
                    run.add_derived(rule["family"], True, finding)


def _qt_pairs(run: _Run, profiles: Sequence[_Profile]) -> None:
    """Add label QT contraindications (partners chosen by the QT property) and known-risk QT pairs."""
    rules = run.tables.rules
    label_rule = rules["qt_label_rules"]
    partner_min = LEVEL_RANK[label_rule["partner_min_level"]]
    labelled = {entry["drug"]: entry for entry in label_rule["drugs"]}
    # The strictest label statement per pair: a pair of two such drugs gets one finding.
    strictest: dict[tuple[str, ...], tuple[Mapping[str, Any], _Profile]] = {}
    for holder in profiles:
        entry = labelled.get(holder.ingredient.name)
        if entry is None:
            continue
        for partner in profiles:
            if partner is holder or partner.qt < partner_min:
                continue
            pair = tuple(sorted((holder.ingredient.name, partner.ingredient.name)))
            kept = strictest.get(pair)
            if kept is None or SEVERITY_RANK[entry["severity"]] < SEVERITY_RANK[kept[0]["severity"]]:
                strictest[pair] = (entry, partner)
    for pair, (entry, partner) in sorted(strictest.items()):
        templated = dict(label_rule, id=f"{label_rule['id']}-{entry['severity']}")
        finding = run.derived_finding(
            "interaction", entry["severity"], pair, templated, extra_sources=(entry["source"],),
            drug=entry["drug"], partner=partner.ingredient.name, wording=entry["wording"], verb=entry["verb"],
            action=entry["action"], level=partner.ingredient.properties["qt_risk"],
        )
        run.add_derived(label_rule["family"], True, finding)
    pair_rule = rules["qt_known_risk_pair"]
    rank = SEVERITY_RANK[pair_rule["severity"]]
    known = [p for p in profiles if p.qt >= LEVEL_RANK[pair_rule["level"]]]
    for i, first in enumerate(known):
        for second in known[i + 1 :]:
            pair = tuple(sorted((first.ingredient.name, second.ingredient.name)))
            if pair in strictest and SEVERITY_RANK[strictest[pair][0]["severity"]] <= rank:
                continue
            finding = run.derived_finding(
                "interaction", pair_rule["severity"], pair, pair_rule, first=pair[0], second=pair[1]
            )
            run.add_derived(pair_rule["family"], True, finding)

def _opioid_benzodiazepine(run: _Run, profiles: Sequence[_Profile]) -> None:
    """Add the FDA 2016 boxed-warning finding for each opioid and benzodiazepine pair."""
    rule = run.tables.rules["opioid_benzodiazepine"]
    for opioid in profiles:
        if not opioid.opioid:
            continue
        for benzodiazepine in profiles:
            if benzodiazepine.benzodiazepine and benzodiazepine is not opioid:
                names = (opioid.ingredient.name, benzodiazepine.ingredient.name)
                finding = run.derived_finding(
                    "interaction", rule["severity"], names, rule, opioid=names[0], benzodiazepine=names[1]
                )
                run.add_derived(rule["family"], True, finding)


def _bleeding(run: _Run, profiles: Sequence[_Profile]) -> None:
    """Add serotonin reuptake inhibitor with anticoagulant, antiplatelet or NSAID."""
    rule = run.tables.rules["bleeding"]
    for inhibitor in profiles:
        if not inhibitor.bleeding_inhibitor:
            continue
        for partner in profiles:
            if partner.bleeding_partner is None or partner is inhibitor or partner.bleeding_inhibitor:
                continue
            names = (inhibitor.ingredient.name, partner.ingredient.name)
            finding = run.derived_finding(
                "interaction", partner.bleeding_partner, names, rule, inhibitor=names[0], partner=names[1]
            )
            run.add_derived(rule["family"], True, finding)


def _burdens(run: _Run, profiles: Sequence[_Profile]) -> None:
    """Add the cumulative serotonergic, QT, CNS, anticholinergic and seizure findings."""
    rules = run.tables.rules
    context = run.context

    rule = rules["serotonergic_burden"]
    members = [p for p in profiles if p.serotonergic >= LEVEL_RANK[rule["min_level"]]]
    if len(members) >= 2:
        high = sum(1 for p in members if p.serotonergic == LEVEL_RANK["high"])
        severity = rule["high_pair_severity"] if high >= 2 else rule["severity"]
        _burden(run, "serotonergic-burden", severity, members, rule)

    rule = rules["cns_burden"]
    members = [p for p in profiles if p.cns >= LEVEL_RANK[rule["min_level"]]]
    if len(members) >= 2:
        severity = rule["stack_of_three_severity"] if len(members) >= 3 else rule["severity"]
        _burden(run, "cns-depression-burden", severity, members, rule)

    rule = rules["seizure_threshold"]
    members = [p for p in profiles if p.seizure]
    if len(members) >= 2:
        severity = rule["stack_of_three_severity"] if len(members) >= 3 else rule["severity"]
        _burden(run, "interaction", severity, members, rule)

    rule = rules["anticholinergic_burden"]
    members = [p for p in profiles if p.acb > 0]
    score = sum(p.acb for p in members)
    if score >= rule["threshold"]:
        _burden(run, "anticholinergic-burden", rule["severity"], members, rule, score=score)

    rule = rules["qt_burden"]
    members = [p for p in profiles if p.qt >= LEVEL_RANK[rule["min_level"]]]
    threshold = rule["prolonged_qtc_ms"][context.sex or "unknown"]
    qtc = context.qtc_ms
    ranks: list[str] = []
    if len(members) >= 2:
        ranks.append(rule["severity"])
        if qtc is not None and qtc >= threshold:
            ranks.append(rule["prolonged_stack_severity"])
    elif members and qtc is not None and qtc >= threshold:
        ranks.append(rule["prolonged_single_severity"])
    if members and qtc is not None and qtc > rule["high_qtc_ms"]:
        ranks.append(rule["high_qtc_severity"])
    if ranks:
        severity = min(ranks, key=SEVERITY_RANK.__getitem__)
        if qtc is not None and qtc >= threshold:
            shown = f"{qtc:g}"
            limit = f"{rule['high_qtc_ms']:g}" if qtc > rule["high_qtc_ms"] else f"{threshold:g}"
            templated = dict(rule, summary=rule["summary_context"], mechanism=rule["mechanism_context"])
            names = sorted(p.ingredient.name for p in members)
            # Never suppressed: the patient's QTc is information no pair rule carries.
            run.findings.append(
                run.derived_finding(
                    "qt-burden", severity, names, templated, drugs=_join(names), count=len(names), qtc=shown,
                    threshold=limit,
                )
            )
        else:
            _burden(run, "qt-burden", severity, members, rule)


def _burden(
    run: _Run, kind: str, severity: str, members: Sequence[_Profile], rule: Mapping[str, Any], **fields: Any
) -> None:
    """Add one cumulative finding over the member drugs."""
    names = sorted(p.ingredient.name for p in members)
    finding = run.derived_finding(
        kind, severity, names, rule, drugs=_join(names), count=len(names), **fields
    )
    run.add_derived(rule["family"], False, finding)


def _keep(run: _Run, finding: Finding, family: str, pairwise: bool) -> bool:
    """Return whether a derived finding adds what no same-pair, same-family finding says.

    An explicit finding covers derived pairwise and two-drug burden findings; a derived
    pairwise finding covers only the two-drug burden of its family.
    """
    if len(finding.drugs) != 2:
        return True
    rank = SEVERITY_RANK[finding.severity]
    for other_family, other_rank, explicit in run.pair_families.get(finding.drugs, ()):
        if other_family == family and other_rank <= rank and (explicit or not pairwise):
            return False
    return True


def _dose_and_age(run: _Run, ingredient: Ingredient, dose: float | None) -> None:
    """Add dose-range and age findings for one ingredient."""
    context_rules = run.tables.rules["context"]
    facts = ingredient.dose
    if facts is None:
        return
    name = ingredient.name
    age = run.context.age
    source = (facts["source"],)
    geriatric = context_rules["geriatric_dose"]
    if dose is not None:
        geriatric_max = facts.get("geriatric_max_mg")
        if age is not None and age >= geriatric["age_years"] and geriatric_max is not None and dose > geriatric_max:
            _context_finding(run, "dose-range", geriatric, name, source, dose=f"{dose:g}", limit=f"{geriatric_max:g}")
        elif dose > facts["max_mg"]:
            _context_finding(
                run, "dose-range", context_rules["dose_above_max"], name, source,
                dose=f"{dose:g}", limit=f"{facts['max_mg']:g}",
            )
        elif dose > facts["usual_max_mg"]:
            _context_finding(
                run, "dose-range", context_rules["dose_above_usual_max"], name, source,
                dose=f"{dose:g}", low=f"{facts['usual_min_mg']:g}", limit=f"{facts['usual_max_mg']:g}",
            )
    min_age = facts.get("min_age_years")
    if age is not None and min_age is not None and age < min_age:
        _context_finding(
            run, "age", context_rules["below_min_age"], name, source, age=f"{age:g}", limit=f"{min_age:g}"
        )
    note = ingredient.geriatric_note
    rule = context_rules["geriatric_note"]
    if age is not None and note is not None and age >= rule["age_years"]:
        run.add(
            "age", rule["severity"], (name,), rule["summary"].format(drug=name, age=f"{age:g}"), note["text"],
            rule["action"], (note["source"],), rule["id"],
        )


def _context_finding(
    run: _Run, kind: str, rule: Mapping[str, Any], drug: str, sources: tuple[str, ...], **fields: Any
) -> None:
    """Add a finding from a context rule's templates."""
    run.add(
        kind, rule["severity"], (drug,), rule["summary"].format(drug=drug, **fields),
        rule["mechanism"].format(drug=drug, **fields), rule["action"].format(drug=drug, **fields), sources,
        rule["id"],
    )


def _reproductive(run: _Run, ingredient: Ingredient, key: str) -> None:
    """Add a pregnancy or lactation finding unless the drug is compatible.

    A co-medication without the fact gets a minor finding that says so: silence would read as safe.
    """
    facts = getattr(ingredient, key)
    if not facts:
        rule = run.tables.rules["context"][f"{key}_unknown"]
        _context_finding(run, key, rule, ingredient.name, ingredient.sources[:1])
        return
    risk = facts["risk"]
    if risk == "compatible":
        return
    rule = run.tables.rules["context"][key]
    run.add(
        key, rule["severity"][risk], (ingredient.name,), rule["summary"].format(drug=ingredient.name, risk=risk),
        facts["note"], rule["action"][risk], (facts["source"],), f"{rule['id']}-{risk}",
    )


def _organ(run: _Run, ingredient: Ingredient, dose: float | None, kind: str, organ_rule: Mapping[str, Any],
           value: str, limit: str) -> None:
    """Add a renal or hepatic finding from the ingredient's organ rule."""
    rule = run.tables.rules["context"][kind]
    max_mg = organ_rule.get("max_mg")
    action = organ_rule["action"]
    if organ_rule.get("avoid"):
        severity = rule["avoid_severity"]
    elif max_mg is not None and dose is not None:
        if dose <= max_mg:
            return
        severity = rule["above_max_severity"]
        action = f"{action} (at most {max_mg:g} mg/day; entered {dose:g} mg/day)"
    else:
        severity = rule["adjust_severity"]
        if max_mg is not None:
            action = f"{action} (at most {max_mg:g} mg/day)"
    fields = {"drug": ingredient.name, "value": value, "limit": limit}
    run.add(
        kind, severity, (ingredient.name,), rule["summary"].format(**fields), rule["mechanism"].format(**fields),
        action, (organ_rule["source"],), rule["id"],
    )


def _organ_function(run: _Run, ingredient: Ingredient, dose: float | None) -> None:
    """Add kidney (by eGFR) and liver (by Child-Pugh class) findings."""
    facts = ingredient.dose
    if facts is None:
        return
    egfr = run.context.egfr
    if egfr is not None and facts.get("renal"):
        applicable = [rule for rule in facts["renal"] if egfr < rule["egfr_below"]]
        if applicable:
            tightest = min(applicable, key=lambda rule: rule["egfr_below"])
            _organ(run, ingredient, dose, "renal", tightest, f"{egfr:g}", f"{tightest['egfr_below']:g}")
    child_pugh = run.context.child_pugh
    hepatic = facts.get("hepatic")
    if child_pugh is not None and hepatic and child_pugh in hepatic:
        _organ(run, ingredient, dose, "hepatic", hepatic[child_pugh], child_pugh, child_pugh)


def _duplicate_therapy(run: _Run, profiles: Sequence[_Profile]) -> None:
    """Add one finding per duplicate-therapy group with two or more regimen members."""
    members: dict[int, list[str]] = {}
    for profile in profiles:
        for index in profile.duplicate_groups:
            members.setdefault(index, []).append(profile.ingredient.name)
    for index, names in sorted(members.items()):
        if len(names) < 2:
            continue
        group = run.tables.kb.duplicate_groups[index]
        run.add(
            "duplicate-therapy", group.severity, names, f"{group.summary}: {_join(sorted(names))}",
            group.mechanism, group.action, group.sources, group.id,
        )


def _allergies(run: _Run) -> None:
    """Add direct (drug or class) and cross-sensitivity allergy findings."""
    kb = run.tables.kb
    rule = run.tables.rules["context"]["allergy"]
    regimen = [kb.ingredients[name] for name in run.names]
    flagged: set[tuple[str, str]] = set()
    for text in run.context.allergies:
        allergen = " ".join(text.split())
        key = normalise_name(text)
        owners = kb.aliases.get(key, ())
        drug = owners[0] if len(owners) == 1 else None
        class_name = key if key in kb.by_class else (key[:-1] if key.endswith("s") and key[:-1] in kb.by_class else None)
        direct = [
            ingredient for ingredient in regimen
            if ingredient.name == drug or (class_name is not None and class_name in ingredient.classes)
        ]
        for ingredient in direct:
            if ("allergy", ingredient.name) in flagged:
                continue
            flagged.add(("allergy", ingredient.name))
            fields = {"allergen": allergen, "drug": ingredient.name}
            run.add(
                "allergy", rule["severity"], (ingredient.name,), rule["summary"].format(**fields),
                rule["mechanism"].format(**fields), rule["action"].format(**fields), ingredient.sources, rule["id"],
            )
        for group in kb.allergy_groups:
            if drug is not None:
                in_group = group.selector.matches(kb.ingredients[drug])
            else:
                in_group = key == group.id or (class_name is not None and class_name in group.selector.classes)
            if not in_group:
                continue
            for ingredient in regimen:
                if ingredient in direct or not group.selector.matches(ingredient):
                    continue
                if ("allergy", ingredient.name) in flagged or (group.id, ingredient.name) in flagged:
                    continue
                flagged.add((group.id, ingredient.name))
                run.add(
                    "allergy", group.severity, (ingredient.name,),
                    f"recorded allergy to {allergen}: possible cross-sensitivity with {ingredient.name}",
                    f"{group.summary}; {group.mechanism}", group.action or rule["cross_action"].format(
                        drug=ingredient.name, allergen=allergen
                    ),
                    group.sources, f"allergy-{group.id}",
                )


def _pgx(run: _Run) -> None:
    """Add the pharmacogenomic recommendations for the regimen as findings."""
    context = run.context
    if not context.genotypes and not context.phenotypes:
        return
    for recommendation in _pgx_recommendations(
        tuple(run.names), tuple(sorted(context.genotypes.items())), tuple(sorted(context.phenotypes.items()))
    ):
        if recommendation.severity == "info":
            # Standard dosing or no recommendation: shown by the pgx command, not a finding.
            continue
        gene, drug = recommendation.gene, recommendation.drug
        run.add(
            "pgx", recommendation.severity, (drug,), f"{drug}: {gene} {recommendation.phenotype}",
            f"{gene} result {recommendation.phenotype} changes how {drug} should be used "
            f"(CPIC recommendation strength: {recommendation.strength})",
            recommendation.recommendation, (recommendation.source,), f"pgx-{gene.lower()}-{drug}",
        )


@functools.lru_cache(maxsize=1024)
def _pgx_recommendations(
    names: tuple[str, ...], genotypes: tuple[tuple[str, str], ...], phenotypes: tuple[tuple[str, str], ...]
) -> tuple[Any, ...]:
    """Return the PGx recommendations, cached because they depend only on their arguments."""
    # Imported here so a check without genotypes never loads the PGx module or its tables.
    from dosewise.clinical import pgx

    return tuple(pgx.recommendations_for_regimen(names, dict(genotypes), dict(phenotypes)))


def check(regimen: Sequence[RegimenItem | str], context: Context | None = None, *,
          kb: KnowledgeBase | None = None) -> list[Finding]:
    """Return the safety findings for a regimen in a patient context, most severe first."""
    kb = kb or load_kb()
    tables = _tables(kb)
    context = context or Context()
    names, doses = _resolve_regimen(kb, regimen)
    if context.smoker and tables.smoking_ingredient not in doses:
        doses[tables.smoking_ingredient] = None
        names = sorted(doses)
    run = _Run(tables=tables, context=context, version=kb.version, names=names, doses=doses)
    profiles = [tables.profiles[name] for name in names]

    _explicit_interactions(run)
    _enzyme_interactions(run, profiles)
    _maoi_interactions(run, profiles)
    _qt_pairs(run, profiles)
    _opioid_benzodiazepine(run, profiles)
    _bleeding(run, profiles)
    _burdens(run, profiles)
    run.findings.extend(
        finding for finding, family, pairwise in run.derived if _keep(run, finding, family, pairwise)
    )

    _duplicate_therapy(run, profiles)
    for profile in profiles:
        ingredient = profile.ingredient
        dose = doses[ingredient.name]
        _dose_and_age(run, ingredient, dose)
        if context.pregnant:
            _reproductive(run, ingredient, "pregnancy")
        if context.lactating:
            _reproductive(run, ingredient, "lactation")
        _organ_function(run, ingredient, dose)
    if context.allergies:
        _allergies(run)
    _pgx(run)
    if context.results is not None:
        for found in judge(names, doses, context, kb):
            run.add(*found)
    return sorted(run.findings, key=Finding.sort_key)


__all__ = [
    "CHILD_PUGH_CLASSES",
    "KINDS",
    "SEVERITIES",
    "Context",
    "ChartResults",
    "Finding",
    "LabResult",
    "RegimenItem",
    "check",
]
