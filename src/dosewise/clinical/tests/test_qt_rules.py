"""QT rules derived from the formulary's QT property, over the whole formulary.

Phansalkar et al., JAMIA 2012 (the ONC high-priority list) treat two QT-prolonging drugs as
a high-priority pair; the labels of pimozide, thioridazine, ziprasidone and dronedarone
contraindicate any QT-prolonging partner and the dofetilide label advises against one.
"""

from __future__ import annotations

import itertools
import json

import pytest

from dosewise.clinical.kb import KB_DIR, load_kb
from dosewise.clinical.safety import SEVERITIES, check

KB = load_kb()
LABEL_RULES = {entry["drug"]: entry for entry in KB.derived_rules["qt_label_rules"]["drugs"]}
HIGH = sorted(name for name, ing in KB.ingredients.items() if ing.properties["qt_risk"] == "high")
AT_LEAST_MODERATE = sorted(
    name for name, ing in KB.ingredients.items() if ing.properties["qt_risk"] in ("moderate", "high")
)
LOW = sorted(name for name, ing in KB.ingredients.items() if ing.properties["qt_risk"] in ("none", "low"))
ONC = json.loads((KB_DIR / "onc_high_priority.json").read_text(encoding="utf-8"))


def _qt_findings(regimen: list[str]) -> list:
    return [
        finding for finding in check(regimen)
        if finding.rule_id.startswith("derived-qt") and finding.drugs == tuple(sorted(regimen))
    ]


def _pair_interactions(regimen: list[str]) -> list:
    """Return every interaction finding about exactly this pair (explicit rules may carry the QT risk)."""
    return [f for f in check(regimen) if f.kind == "interaction" and f.drugs == tuple(sorted(regimen))]


def _worst(findings: list) -> str | None:
    return min((f.severity for f in findings), key=SEVERITIES.index, default=None)


def test_every_pair_of_known_risk_drugs_is_at_least_major() -> None:
    assert len(HIGH) >= 20
    for first, second in itertools.combinations(HIGH, 2):
        worst = _worst(_pair_interactions([first, second]))
        assert worst is not None and SEVERITIES.index(worst) <= SEVERITIES.index("major"), (first, second)


def test_a_known_risk_pair_without_a_label_rule_is_one_major_finding() -> None:
    found = _qt_findings(["citalopram", "ondansetron"])
    assert [(f.rule_id, f.severity) for f in found] == [("derived-qt-known-risk-pair", "major")]
    assert any("Phansalkar" in source for source in found[0].sources)


@pytest.mark.parametrize(("first", "second"), [("sertraline", "mirtazapine"), ("fluoxetine", "risperidone")])
def test_a_pair_of_low_qt_drugs_stays_below_major(first: str, second: str) -> None:
    assert KB.ingredients[first].properties["qt_risk"] in ("none", "low")
    found = [f for f in check([first, second]) if f.rule_id.startswith("derived-qt")]
    assert all(SEVERITIES.index(f.severity) > SEVERITIES.index("major") for f in found)


def test_two_moderate_qt_drugs_make_a_moderate_burden_not_a_major_pair() -> None:
    found = _qt_findings(["quetiapine", "amitriptyline"])
    assert [(f.rule_id, f.severity) for f in found] == [("derived-qt-burden", "moderate")]


@pytest.mark.parametrize("holder", sorted(LABEL_RULES))
def test_a_label_qt_contraindication_reaches_every_qt_prolonging_partner(holder: str) -> None:
    entry = LABEL_RULES[holder]
    partners = [name for name in AT_LEAST_MODERATE if name != holder]
    assert partners
    for partner in partners:
        found = _qt_findings([holder, partner])
        worst = _worst(_pair_interactions([holder, partner]))
        assert worst is not None and SEVERITIES.index(worst) <= SEVERITIES.index(entry["severity"]), partner
        assert not any(f.rule_id == "derived-qt-known-risk-pair" for f in found), partner


@pytest.mark.parametrize("holder", sorted(LABEL_RULES))
def test_a_label_qt_rule_ignores_partners_without_a_qt_effect(holder: str) -> None:
    for partner in ("venlafaxine", "lorazepam", "metformin"):
        if partner in KB.ingredients and partner in LOW:
            found = [f for f in check([holder, partner]) if f.rule_id.startswith("derived-qt-label")]
            assert found == [], (holder, partner)


def test_the_label_rule_names_its_source_and_the_partner_level() -> None:
    found = _qt_findings(["pimozide", "levofloxacin"])
    assert [f.rule_id for f in found] == ["derived-qt-label-contraindicated"]
    assert any("Orap" in source for source in found[0].sources)
    assert "QT risk: high" in found[0].mechanism


def test_dofetilide_label_advice_is_major_not_contraindicated() -> None:
    found = _qt_findings(["dofetilide", "quetiapine"])
    assert [(f.rule_id, f.severity) for f in found] == [("derived-qt-label-major", "major")]
    assert "not recommended" in found[0].summary


def test_two_label_drugs_make_one_finding_with_the_stricter_wording() -> None:
    found = _qt_findings(["dofetilide", "ziprasidone"])
    assert [(f.rule_id, f.severity) for f in found] == [("derived-qt-label-contraindicated", "contraindicated")]
    assert "ziprasidone label" in found[0].summary


def test_the_onc_qt_pair_lists_the_formulary_known_risk_drugs_and_maps_to_a_major_rule() -> None:
    entry = next(item for item in ONC["pairs"] if item["pair"].startswith("QT prolonging"))
    assert sorted(entry["a"]["drugs"]) == HIGH and sorted(entry["b"]["drugs"]) == HIGH
    assert entry["covered_by"] == "derived:derived-qt-known-risk-pair"
    assert KB.derived_rules["qt_known_risk_pair"]["severity"] in ("contraindicated", "major")


def test_no_onc_pair_is_mapped_to_a_rule_below_major() -> None:
    explicit = {rule.id: rule.severity for rule in KB.interaction_rules}
    derived = {
        rule["id"]: rule["severity"] for rule in KB.derived_rules.values()
        if isinstance(rule, dict | type(KB.derived_rules)) and "id" in rule and isinstance(rule.get("severity"), str)
    }
    for entry in ONC["pairs"]:
        kind, _, name = entry["covered_by"].partition(":")
        if kind == "out-of-formulary":
            continue
        severity = explicit[name] if kind == "explicit" else derived[name]
        assert severity in ("contraindicated", "major"), entry["pair"]
