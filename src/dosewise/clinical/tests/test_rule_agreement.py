"""Explicit and derived interaction rules of the same mechanism family agree.

For every formulary pair an explicit rule selects, the property-derived pairwise rules of
the same family (CYP, MAOI, QT pair and label rules, opioid with benzodiazepine, bleeding)
are computed on a copy of the knowledge base without explicit rules. Their severity must
equal the explicit rule's, unless the explicit rule is marked `specific` with the reason it
replaces the derived grading (a label statement about that very pair).
"""

from __future__ import annotations

import dataclasses
import functools

import pytest

from dosewise.clinical import safety
from dosewise.clinical.kb import load_kb
from dosewise.clinical.safety import check

KB = load_kb()
PAIRWISE_KEYS = (
    "cyp_inhibition", "cyp_induction", "maoi_serotonergic", "maoi_weak_serotonergic", "maoi_sympathomimetic",
    "maoi_maoi", "qt_known_risk_pair", "qt_label_rules", "opioid_benzodiazepine", "bleeding",
)
FAMILY_BY_RULE = {KB.derived_rules[key]["id"]: KB.derived_rules[key]["family"] for key in PAIRWISE_KEYS}


@functools.cache
def _without_explicit_rules():
    return dataclasses.replace(
        KB, interaction_rules=(), rule_mask_a=dict.fromkeys(KB.ingredients, 0),
        rule_mask_b=dict.fromkeys(KB.ingredients, 0),
    )


def _derived_family(rule_id: str) -> str | None:
    for prefix, family in FAMILY_BY_RULE.items():
        if rule_id == prefix or rule_id.startswith(prefix + "-"):
            return family
    return None


def disagreements() -> list[tuple[str, str, str, str, str, str]]:
    """Return (rule, its severity, drug, drug, derived rule, derived severity) for every unexplained mismatch."""
    bare = _without_explicit_rules()
    families = safety._tables(KB).explicit_families
    out = []
    for index, rule in enumerate(KB.interaction_rules):
        if not families[index]:
            continue
        sides_a = [ing for ing in KB.ingredients.values() if rule.a.matches(ing)]
        sides_b = [ing for ing in KB.ingredients.values() if rule.b.matches(ing)]
        for first in sides_a:
            for second in sides_b:
                if first is second:
                    continue
                for finding in check([first.name, second.name], kb=bare):
                    family = _derived_family(finding.rule_id)
                    if family in families[index] and family not in rule.specific_families and (
                        finding.severity != rule.severity
                    ):
                        out.append((rule.id, rule.severity, first.name, second.name, finding.rule_id, finding.severity))
    return out


def test_explicit_and_derived_rules_of_one_family_agree_or_the_explicit_rule_says_why() -> None:
    assert disagreements() == []


def test_a_specific_rule_replaces_the_derived_finding_of_its_family() -> None:
    found = check(["phenelzine", "buspirone"])
    assert [(f.rule_id, f.severity) for f in found if f.kind == "interaction"] == [("maoi-buspirone", "major")]


@pytest.mark.parametrize(
    "rule", [rule for rule in KB.interaction_rules if rule.specific_families], ids=lambda r: r.id
)
def test_every_specific_rule_gives_its_reason_for_families_it_really_has(rule) -> None:
    assert rule.specific_reason and len(rule.specific_reason) >= 20
    index = KB.interaction_rules.index(rule)
    assert rule.specific_families <= safety._tables(KB).explicit_families[index]


@pytest.mark.parametrize("partner", ["ondansetron", "lithium", "granisetron", "buprenorphine"])
def test_a_weakly_serotonergic_partner_of_an_maoi_is_a_caution_not_a_contraindication(partner: str) -> None:
    assert KB.ingredients[partner].properties["serotonergic"] == "low"
    found = [f for f in check(["phenelzine", partner]) if f.kind == "interaction"]
    assert found and all(f.severity != "contraindicated" for f in found)
    assert any(f.rule_id == "derived-maoi-weak-serotonergic" and f.severity == "moderate" for f in found)


@pytest.mark.parametrize("partner", ["sertraline", "venlafaxine", "trazodone", "tramadol"])
def test_a_moderately_or_highly_serotonergic_partner_of_an_maoi_is_contraindicated(partner: str) -> None:
    found = [f for f in check(["tranylcypromine", partner]) if f.kind == "interaction"]
    assert any(f.severity == "contraindicated" for f in found)


def test_an_maoi_with_fentanyl_is_one_major_finding_as_its_label_says() -> None:
    found = [f for f in check(["phenelzine", "fentanyl"]) if f.kind == "interaction"]
    assert [(f.rule_id, f.severity) for f in found] == [("maoi-fentanyl", "major")]


def test_nortriptyline_with_an_maoi_stays_contraindicated_by_its_label() -> None:
    found = [f for f in check(["nortriptyline", "phenelzine"]) if f.kind == "interaction"]
    assert [(f.rule_id, f.severity) for f in found] == [("maoi-tricyclic-tetracyclic", "contraindicated")]
