"""Golden tests of the explicit interaction knowledge.

Covers `kb/interactions.json` (each important rule on a real pair, with its source),
`kb/duplicate_therapy.json`, `kb/allergy_groups.json` and the coverage of the ONC
high-priority drug-drug interaction list recorded in `kb/onc_high_priority.json`.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pytest

from dosewise.clinical.kb import KB_DIR, Ingredient, InteractionRule, Selector, load_kb
from dosewise.clinical.safety import SEVERITIES, Context, Finding, check

KB = load_kb()
RULES_BY_ID = {rule.id: rule for rule in KB.interaction_rules}
RAW_RULES = json.loads((KB_DIR / "interactions.json").read_text(encoding="utf-8"))["rules"]
ONC = json.loads((KB_DIR / "onc_high_priority.json").read_text(encoding="utf-8"))
REQUIRED_RULE_FIELDS = ("id", "a", "b", "severity", "summary", "mechanism", "effect", "action", "sources")


def findings_for(
    regimen: Sequence[str], context: Context | None = None, rule_id: str | None = None
) -> list[Finding]:
    """Return the findings of a check, optionally only those of one rule."""
    found = check(list(regimen), context)
    return [finding for finding in found if rule_id is None or finding.rule_id == rule_id]


def rule_finding(regimen: Sequence[str], rule_id: str, context: Context | None = None) -> Finding:
    """Return the one finding a rule produces for the regimen, failing with what fired instead."""
    found = check(list(regimen), context)
    matching = [finding for finding in found if finding.rule_id == rule_id]
    assert len(matching) == 1, f"{rule_id} on {regimen}: got {[finding.rule_id for finding in found]}"
    return matching[0]


def assert_rule(
    regimen: Sequence[str], rule_id: str, severity: str, source_fragment: str, context: Context | None = None
) -> Finding:
    """Check that the rule fires on the regimen with its severity, drugs and cited source."""
    finding = rule_finding(regimen, rule_id, context)
    assert finding.kind == "interaction"
    assert finding.severity == severity
    assert finding.drugs == tuple(sorted(regimen))
    assert finding.sources == RULES_BY_ID[rule_id].sources
    assert any(source_fragment in source for source in finding.sources), finding.sources
    assert finding.kb_version == KB.version
    return finding


def selector_from(raw: Mapping[str, Any]) -> Selector:
    """Build a Selector from raw JSON selector data."""
    return Selector(
        drugs=frozenset(raw.get("drugs", ())),
        classes=frozenset(raw.get("classes", ())),
        except_=frozenset(raw.get("except", ())),
    )


def matching(selector: Selector) -> list[Ingredient]:
    """Return the formulary ingredients a selector matches, by name."""
    return [ingredient for ingredient in KB.ingredients.values() if selector.matches(ingredient)]


def selector_pairs(a: Selector, b: Selector) -> Iterator[tuple[str, str]]:
    """Yield every unordered pair of different formulary ingredients with one side each."""
    seen: set[tuple[str, str]] = set()
    for first, second in itertools.product(matching(a), matching(b)):
        if first.name == second.name:
            continue
        pair = (first.name, second.name) if first.name < second.name else (second.name, first.name)
        if pair not in seen:
            seen.add(pair)
            yield pair


def example_pair(rule: InteractionRule) -> tuple[str, str]:
    """Return the first formulary pair the rule selects."""
    return next(selector_pairs(rule.a, rule.b))


# ---------------------------------------------------------------------------------------
# Structure of the data files.


def test_every_rule_has_the_contract_fields_and_a_unique_id() -> None:
    """Each rule carries id, a, b, severity, summary, mechanism, effect, action and sources."""
    ids = [raw["id"] for raw in RAW_RULES]
    assert len(ids) == len(set(ids))
    assert len(ids) >= 60
    for raw in RAW_RULES:
        for key in REQUIRED_RULE_FIELDS:
            assert raw.get(key), f"{raw['id']}: missing {key}"
        assert raw["severity"] in SEVERITIES
        assert all(len(source) >= 8 for source in raw["sources"])


def test_every_rule_selects_at_least_one_formulary_pair() -> None:
    """A rule that can never fire would be dead data."""
    for rule in KB.interaction_rules:
        assert next(selector_pairs(rule.a, rule.b), None) is not None, rule.id


@pytest.mark.parametrize("rule", KB.interaction_rules, ids=lambda rule: rule.id)
def test_every_rule_fires_on_its_first_formulary_pair(rule: InteractionRule) -> None:
    """The engine reports each explicit rule with the rule's own texts and sources."""
    first, second = example_pair(rule)
    finding = rule_finding([first, second], rule.id)
    assert finding.severity == rule.severity
    assert finding.drugs == (first, second)
    assert finding.summary == rule.summary
    assert finding.action == rule.action
    assert finding.sources == rule.sources
    assert finding.mechanism.startswith(rule.mechanism)


# ---------------------------------------------------------------------------------------
# Lithium.


def test_lithium_with_ibuprofen_is_major() -> None:
    """FDA label Lithium carbonate section 7 (rev. 2022): NSAIDs raise lithium levels."""
    finding = assert_rule(["lithium", "ibuprofen"], "lithium-nsaid", "major", "Lithium carbonate")
    assert "lithium level" in finding.action


def test_lithium_with_low_dose_aspirin_is_not_the_nsaid_rule() -> None:
    """FDA label Lithium carbonate section 7 (rev. 2022): aspirin is excepted from the NSAID rule."""
    assert findings_for(["lithium", "aspirin"], rule_id="lithium-nsaid") == []


def test_lithium_with_lisinopril_is_major() -> None:
    """FDA label Lithium carbonate section 7 (rev. 2022): ACE inhibitors raise lithium levels."""
    assert_rule(["lithium", "lisinopril"], "lithium-ace-inhibitor", "major", "Lithium carbonate")


def test_lithium_with_losartan_is_major() -> None:
    """FDA label Lithium carbonate section 7 (rev. 2022): ARBs raise lithium levels."""
    assert_rule(["lithium", "losartan"], "lithium-arb", "major", "Lithium carbonate")


def test_lithium_with_hydrochlorothiazide_is_major() -> None:
    """FDA label Lithium carbonate section 7 (rev. 2022): thiazides reduce lithium clearance."""
    assert_rule(["lithium", "hydrochlorothiazide"], "lithium-thiazide", "major", "Lithium carbonate")


def test_lithium_with_furosemide_is_moderate() -> None:
    """FDA label Lithium carbonate section 7 (rev. 2022): loop diuretics, smaller effect."""
    assert_rule(["lithium", "furosemide"], "lithium-loop-diuretic", "moderate", "Lithium carbonate")


# ---------------------------------------------------------------------------------------
# Clozapine and olanzapine.


def test_clozapine_with_fluvoxamine_asks_for_a_third_of_the_dose() -> None:
    """FDA label Clozaril sections 2.6 and 7.1 (rev. 2023): one third of the dose with fluvoxamine."""
    finding = assert_rule(
        ["clozapine", "fluvoxamine"], "clozapine-strong-cyp1a2-inhibitor", "major", "Clozaril"
    )
    assert "one third" in finding.action


def test_clozapine_with_ciprofloxacin_is_major() -> None:
    """FDA label Clozaril sections 2.6 and 7.1 (rev. 2023): ciprofloxacin is a strong CYP1A2 inhibitor."""
    assert_rule(["clozapine", "ciprofloxacin"], "clozapine-strong-cyp1a2-inhibitor", "major", "Clozaril")


def test_clozapine_in_a_smoker_warns_about_stopping_smoking() -> None:
    """FDA label Clozaril section 7.1 (rev. 2023); Tsuda et al., BMJ Open 2014: smoking induces CYP1A2."""
    finding = rule_finding(["clozapine"], "clozapine-tobacco-smoke", Context(smoker=True))
    assert finding.severity == "major"
    assert finding.drugs == ("clozapine", "tobacco smoke")
    assert any("Tsuda" in source for source in finding.sources)


def test_olanzapine_with_tobacco_smoke_is_moderate() -> None:
    """FDA label Zyprexa sections 7 and 12.3 (rev. 2021): clearance about 40% higher in smokers."""
    assert_rule(["olanzapine", "tobacco smoke"], "olanzapine-tobacco-smoke", "moderate", "Zyprexa")


def test_clozapine_with_carbamazepine_is_avoided() -> None:
    """FDA label Clozaril sections 5.1 and 7.1 (rev. 2023): marrow suppression and CYP induction."""
    finding = assert_rule(["clozapine", "carbamazepine"], "clozapine-carbamazepine", "major", "Clozaril")
    assert finding.action.startswith("avoid")


# ---------------------------------------------------------------------------------------
# Anticonvulsant mood stabilisers.


def test_valproate_with_lamotrigine_halves_the_lamotrigine_titration() -> None:
    """FDA label Lamictal section 2.1 (rev. 2023): valproate doubles lamotrigine exposure."""
    finding = assert_rule(["valproate", "lamotrigine"], "valproate-lamotrigine", "major", "Lamictal")
    assert "25 mg every other day" in finding.action


def test_valproate_with_topiramate_warns_of_hyperammonaemia() -> None:
    """FDA label Depakote sections 5 and 7 (rev. 2023): hyperammonaemic encephalopathy."""
    finding = assert_rule(["valproate", "topiramate"], "valproate-topiramate", "moderate", "Depakote")
    assert "hyperammonaemi" in finding.mechanism


def test_lamotrigine_with_carbamazepine_uses_the_inducer_titration() -> None:
    """FDA label Lamictal sections 2.1 and 7 (rev. 2023): enzyme inducers halve lamotrigine."""
    assert_rule(["lamotrigine", "carbamazepine"], "lamotrigine-enzyme-inducer", "moderate", "Lamictal")


def test_lamotrigine_with_ethinyl_estradiol_is_moderate() -> None:
    """FDA label Lamictal sections 2.1 and 7 (rev. 2023): estrogens lower lamotrigine by about half."""
    assert_rule(
        ["lamotrigine", "ethinyl estradiol"], "lamotrigine-estrogen-contraceptive", "moderate", "Lamictal"
    )


def test_carbamazepine_with_ethinyl_estradiol_is_major() -> None:
    """FDA label Tegretol section 7 (rev. 2023); CDC US MEC 2024: contraceptive failure."""
    assert_rule(
        ["carbamazepine", "ethinyl estradiol"], "carbamazepine-hormonal-contraceptive", "major", "Tegretol"
    )


def test_carbamazepine_with_clarithromycin_is_major() -> None:
    """FDA label Tegretol section 7 (rev. 2023): macrolides cause carbamazepine toxicity."""
    assert_rule(["carbamazepine", "clarithromycin"], "carbamazepine-macrolide", "major", "Tegretol")


def test_carbamazepine_with_lurasidone_is_contraindicated() -> None:
    """FDA label Latuda sections 4 and 7.1 (rev. 2022): strong CYP3A4 inducers are contraindicated."""
    assert_rule(
        ["lurasidone", "carbamazepine"], "lurasidone-strong-cyp3a4-inducer", "contraindicated", "Latuda"
    )


def test_carbamazepine_with_quetiapine_raises_the_dose_fivefold() -> None:
    """FDA label Seroquel sections 2 and 7.1 (rev. 2022): up to 5 times the dose with a strong inducer."""
    finding = assert_rule(
        ["quetiapine", "carbamazepine"], "quetiapine-strong-cyp3a4-inducer", "major", "Seroquel"
    )
    assert "5 times" in finding.action


def test_carbamazepine_with_phenelzine_is_contraindicated() -> None:
    """FDA label Tegretol section 4 (rev. 2023): MAOIs within 14 days are contraindicated."""
    assert_rule(["carbamazepine", "phenelzine"], "carbamazepine-maoi", "contraindicated", "Tegretol")


# ---------------------------------------------------------------------------------------
# Antipsychotics with label contraindications or CYP dose rules.


def test_thioridazine_with_fluvoxamine_is_contraindicated() -> None:
    """FDA label Thioridazine CONTRAINDICATIONS (rev. 2016): fluvoxamine raises thioridazine."""
    assert_rule(
        ["thioridazine", "fluvoxamine"], "thioridazine-fluvoxamine", "contraindicated", "Thioridazine"
    )


@pytest.mark.parametrize("inhibitor", ["fluoxetine", "paroxetine"])
def test_thioridazine_with_cyp2d6_inhibitors_is_contraindicated(inhibitor: str) -> None:
    """FDA label Thioridazine CONTRAINDICATIONS (rev. 2016): CYP2D6 inhibitors raise thioridazine."""
    assert_rule(
        ["thioridazine", inhibitor], "thioridazine-cyp2d6-inhibitor", "contraindicated", "Thioridazine"
    )


def test_thioridazine_with_propranolol_is_contraindicated() -> None:
    """FDA label Thioridazine CONTRAINDICATIONS (rev. 2016): propranolol raises thioridazine levels."""
    assert_rule(
        ["thioridazine", "propranolol"], "thioridazine-beta-blocker", "contraindicated", "Thioridazine"
    )


def test_thioridazine_with_sotalol_suppresses_the_generic_qt_finding() -> None:
    """FDA label Thioridazine CONTRAINDICATIONS (rev. 2016): other QT-prolonging drugs."""
    finding = rule_finding(["thioridazine", "sotalol"], "derived-qt-label-contraindicated")
    assert finding.severity == "contraindicated"
    assert any("thioridazine" in source for source in finding.sources)
    assert findings_for(["thioridazine", "sotalol"], rule_id="derived-qt-burden") == []
    assert findings_for(["thioridazine", "sotalol"], rule_id="derived-qt-known-risk-pair") == []


def test_pimozide_with_thioridazine_is_one_contraindicated_finding() -> None:
    """FDA label Orap CONTRAINDICATIONS (rev. 2019): phenothiazines that prolong the QT interval."""
    found = findings_for(["pimozide", "thioridazine"])
    qt = [f for f in found if f.rule_id.startswith("derived-qt")]
    assert [f.rule_id for f in qt] == ["derived-qt-label-contraindicated"]
    assert qt[0].severity == "contraindicated"


@pytest.mark.parametrize(
    "inhibitor", ["clarithromycin", "ketoconazole", "itraconazole", "ritonavir", "nefazodone"]
)
def test_pimozide_with_strong_cyp3a4_inhibitors_is_contraindicated(inhibitor: str) -> None:
    """FDA label Orap CONTRAINDICATIONS (rev. 2019): macrolides, azoles, protease inhibitors, nefazodone."""
    assert_rule(["pimozide", inhibitor], "pimozide-strong-cyp3a4-inhibitor", "contraindicated", "Orap")


@pytest.mark.parametrize("ssri", ["sertraline", "citalopram", "escitalopram", "paroxetine", "fluoxetine"])
def test_pimozide_with_ssris_is_contraindicated(ssri: str) -> None:
    """FDA labels Orap CONTRAINDICATIONS (rev. 2019) and the SSRI labels section 4 (rev. 2023)."""
    assert_rule(["pimozide", ssri], "pimozide-ssri", "contraindicated", "Orap")


def test_ziprasidone_with_dofetilide_is_contraindicated() -> None:
    """FDA label Geodon section 4 (rev. 2022): class Ia and III antiarrhythmics."""
    found = [f for f in findings_for(["ziprasidone", "dofetilide"]) if f.rule_id.startswith("derived-qt")]
    assert [(f.rule_id, f.severity) for f in found] == [("derived-qt-label-contraindicated", "contraindicated")]
    assert any("Geodon" in source for source in found[0].sources)


def test_lurasidone_with_ketoconazole_is_contraindicated() -> None:
    """FDA label Latuda sections 4 and 7.1 (rev. 2022): strong CYP3A4 inhibitors."""
    assert_rule(
        ["lurasidone", "ketoconazole"], "lurasidone-strong-cyp3a4-inhibitor", "contraindicated", "Latuda"
    )


def test_quetiapine_with_ketoconazole_needs_one_sixth_of_the_dose() -> None:
    """FDA label Seroquel sections 2 and 7.1 (rev. 2022): reduce to one sixth."""
    finding = assert_rule(
        ["quetiapine", "ketoconazole"], "quetiapine-strong-cyp3a4-inhibitor", "major", "Seroquel"
    )
    assert "one sixth" in finding.action


@pytest.mark.parametrize("inhibitor", ["fluoxetine", "paroxetine", "itraconazole", "clarithromycin"])
def test_aripiprazole_with_strong_inhibitors_halves_the_dose(inhibitor: str) -> None:
    """FDA label Abilify sections 2 and 7.1 (rev. 2022): half dose with strong CYP2D6 or CYP3A4 inhibitors."""
    finding = assert_rule(
        ["aripiprazole", inhibitor], "aripiprazole-strong-cyp-inhibitor", "moderate", "Abilify"
    )
    assert "half" in finding.action


def test_brexpiprazole_with_paroxetine_halves_the_dose() -> None:
    """FDA label Rexulti sections 2 and 7.1 (rev. 2023): half the dose with a strong CYP2D6 inhibitor."""
    assert_rule(["brexpiprazole", "paroxetine"], "brexpiprazole-strong-cyp-inhibitor", "moderate", "Rexulti")


def test_iloperidone_with_fluoxetine_halves_the_dose() -> None:
    """FDA label Fanapt sections 2, 5.3 and 7.1 (rev. 2024): half the dose with strong CYP2D6 inhibitors."""
    assert_rule(["iloperidone", "fluoxetine"], "iloperidone-strong-cyp-inhibitor", "major", "Fanapt")


# ---------------------------------------------------------------------------------------
# CYP1A2, CYP2C19 and CYP2D6 label rules.


def test_ramelteon_with_fluvoxamine_is_contraindicated() -> None:
    """FDA label Rozerem sections 5 and 7 (rev. 2021): ramelteon exposure rises about 190-fold."""
    assert_rule(["ramelteon", "fluvoxamine"], "ramelteon-fluvoxamine", "contraindicated", "Rozerem")


@pytest.mark.parametrize("inhibitor", ["fluvoxamine", "ciprofloxacin"])
def test_tizanidine_with_cyp1a2_inhibitors_is_contraindicated(inhibitor: str) -> None:
    """FDA label Zanaflex sections 4 and 7 (rev. 2020): fluvoxamine and ciprofloxacin."""
    assert_rule(["tizanidine", inhibitor], "tizanidine-cyp1a2-inhibitor", "contraindicated", "Zanaflex")


@pytest.mark.parametrize("inhibitor", ["paroxetine", "fluoxetine", "bupropion"])
def test_tamoxifen_with_strong_cyp2d6_inhibitors_is_major(inhibitor: str) -> None:
    """Goetz et al., CPIC tamoxifen guideline, Clin Pharmacol Ther 2018: reduced endoxifen."""
    assert_rule(["tamoxifen", inhibitor], "tamoxifen-cyp2d6-inhibitor", "major", "CPIC")


@pytest.mark.parametrize("opioid", ["codeine", "tramadol"])
def test_codeine_and_tramadol_with_paroxetine_lose_analgesia(opioid: str) -> None:
    """Crews et al., CPIC opioid guideline, Clin Pharmacol Ther 2021: CYP2D6 inhibition blocks activation."""
    assert_rule([opioid, "paroxetine"], "codeine-tramadol-strong-cyp2d6-inhibitor", "moderate", "CPIC")


@pytest.mark.parametrize("ppi", ["omeprazole", "esomeprazole"])
def test_clopidogrel_with_omeprazole_is_major(ppi: str) -> None:
    """FDA label Plavix sections 5.1 and 7.1 (rev. 2022): avoid omeprazole and esomeprazole."""
    assert_rule(["clopidogrel", ppi], "clopidogrel-omeprazole", "major", "Plavix")


def test_clopidogrel_with_fluvoxamine_is_moderate() -> None:
    """FDA label Plavix sections 5.1 and 12.5 (rev. 2022): CYP2C19 inhibitors reduce activation."""
    assert_rule(["clopidogrel", "fluvoxamine"], "clopidogrel-ssri-cyp2c19", "moderate", "Plavix")


@pytest.mark.parametrize("inhibitor", ["omeprazole", "cimetidine"])
def test_citalopram_with_cyp2c19_inhibitors_caps_the_dose(inhibitor: str) -> None:
    """FDA label Celexa sections 2, 5.2 and 7 (rev. 2023): at most 20 mg/day with a CYP2C19 inhibitor."""
    finding = assert_rule(["citalopram", inhibitor], "citalopram-cyp2c19-inhibitor", "moderate", "Celexa")
    assert "20 mg/day" in finding.action


def test_escitalopram_with_omeprazole_is_moderate() -> None:
    """FDA label Lexapro sections 7 and 12.3 (rev. 2023): CYP2C19 inhibition raises exposure."""
    assert_rule(["escitalopram", "omeprazole"], "escitalopram-cyp2c19-inhibitor", "moderate", "Lexapro")


def test_warfarin_with_fluvoxamine_is_major() -> None:
    """FDA label Luvox section 7 (rev. 2019): CYP2C9 and CYP1A2 inhibition of warfarin."""
    assert_rule(["warfarin", "fluvoxamine"], "warfarin-fluvoxamine", "major", "Luvox")


def test_warfarin_with_carbamazepine_is_major() -> None:
    """FDA label Tegretol section 7 (rev. 2023): induction lowers the INR."""
    assert_rule(["warfarin", "carbamazepine"], "carbamazepine-warfarin", "major", "Tegretol")


def test_warfarin_with_valproate_is_moderate() -> None:
    """FDA label Depakote section 7 (rev. 2023): protein-binding displacement of warfarin."""
    assert_rule(["warfarin", "valproate"], "valproate-warfarin", "moderate", "Depakote")


# ---------------------------------------------------------------------------------------
# Addiction medicine and opioids.


@pytest.mark.parametrize("inducer", ["carbamazepine", "rifampin", "phenytoin"])
def test_methadone_with_strong_inducers_risks_withdrawal(inducer: str) -> None:
    """FDA label Dolophine sections 5 and 7 (rev. 2023): CYP3A4 inducers lower methadone."""
    finding = assert_rule(["methadone", inducer], "methadone-strong-cyp3a4-inducer", "major", "Dolophine")
    assert "withdrawal" in finding.mechanism


def test_buprenorphine_with_ketoconazole_is_moderate() -> None:
    """FDA label Suboxone section 7 (rev. 2022): CYP3A4 inhibitors raise buprenorphine."""
    assert_rule(
        ["buprenorphine", "ketoconazole"], "buprenorphine-strong-cyp3a4-inhibitor", "moderate", "Suboxone"
    )


@pytest.mark.parametrize("opioid", ["methadone", "buprenorphine", "oxycodone"])
def test_naltrexone_with_opioids_is_contraindicated(opioid: str) -> None:
    """FDA label Vivitrol sections 4 and 5 (rev. 2022): precipitated withdrawal and blocked analgesia."""
    finding = assert_rule(["naltrexone", opioid], "naltrexone-opioid", "contraindicated", "Vivitrol")
    assert "withdrawal" in finding.mechanism


def test_disulfiram_with_warfarin_is_moderate() -> None:
    """FDA label Disulfiram tablets, PRECAUTIONS (rev. 2022): disulfiram potentiates warfarin."""
    assert_rule(["disulfiram", "warfarin"], "disulfiram-warfarin", "moderate", "Disulfiram")


@pytest.mark.parametrize("benzodiazepine", ["triazolam", "midazolam"])
def test_ritonavir_with_triazolam_or_midazolam_is_contraindicated(benzodiazepine: str) -> None:
    """FDA label Norvir section 4 (rev. 2022): oral midazolam and triazolam are contraindicated."""
    rule_id = f"{benzodiazepine}-strong-cyp3a4-inhibitor"
    assert_rule([benzodiazepine, "ritonavir"], rule_id, "contraindicated", "Norvir")


def test_ketoconazole_with_triazolam_is_contraindicated() -> None:
    """FDA label Halcion section 4 (rev. 2023): strong CYP3A4 inhibitors."""
    assert_rule(
        ["triazolam", "ketoconazole"], "triazolam-strong-cyp3a4-inhibitor", "contraindicated", "Halcion"
    )


# ---------------------------------------------------------------------------------------
# MAO inhibition, linezolid and methylene blue.


@pytest.mark.parametrize("antidepressant", ["sertraline", "venlafaxine", "clomipramine", "vortioxetine"])
def test_linezolid_with_serotonergic_antidepressants_needs_a_washout(antidepressant: str) -> None:
    """FDA Drug Safety Communication on linezolid and psychiatric medications (2011)."""
    finding = assert_rule(
        ["linezolid", antidepressant],
        "linezolid-serotonergic-antidepressant",
        "contraindicated",
        "Drug Safety Communication",
    )
    assert "wait 2 weeks (5 weeks for fluoxetine)" in finding.action


def test_methylene_blue_with_an_ssri_needs_a_washout() -> None:
    """FDA Drug Safety Communication on methylene blue and psychiatric medications (2011)."""
    finding = assert_rule(
        ["methylene blue", "escitalopram"],
        "methylene-blue-serotonergic-antidepressant",
        "contraindicated",
        "Drug Safety Communication",
    )
    assert "5 weeks for fluoxetine" in finding.action


@pytest.mark.parametrize(
    ("opioid", "rule_id", "severity"),
    [
        ("meperidine", "maoi-meperidine", "contraindicated"),
        ("tramadol", "maoi-tramadol-tapentadol", "contraindicated"),
        ("tapentadol", "maoi-tramadol-tapentadol", "contraindicated"),
        ("methadone", "maoi-methadone", "contraindicated"),
        ("dextromethorphan", "maoi-dextromethorphan", "contraindicated"),
    ],
)
def test_phenelzine_with_serotonergic_opioids(opioid: str, rule_id: str, severity: str) -> None:
    """FDA labels Nardil CONTRAINDICATIONS (rev. 2023), Emsam, Ultram and Nucynta section 4."""
    assert_rule(["phenelzine", opioid], rule_id, severity, "FDA label")


def test_fentanyl_with_an_maoi_is_at_least_major() -> None:
    """FDA label Duragesic section 7 (rev. 2023): not recommended within 14 days of an MAOI."""
    finding = rule_finding(["fentanyl", "tranylcypromine"], "maoi-fentanyl")
    assert finding.severity == "major"
    assert any("Duragesic" in source for source in finding.sources)


def test_bupropion_with_an_maoi_is_contraindicated() -> None:
    """FDA label Wellbutrin XL section 4 (rev. 2022): hypertensive reactions."""
    assert_rule(["bupropion", "isocarboxazid"], "maoi-bupropion", "contraindicated", "Wellbutrin")


@pytest.mark.parametrize(
    ("stimulant", "rule_id"),
    [
        ("amphetamine", "maoi-amphetamine"),
        ("lisdexamfetamine", "maoi-amphetamine"),
        ("methylphenidate", "maoi-methylphenidate"),
        ("atomoxetine", "maoi-atomoxetine"),
        ("pseudoephedrine", "maoi-decongestant"),
    ],
)
def test_sympathomimetics_with_an_maoi_are_one_contraindicated_finding(stimulant: str, rule_id: str) -> None:
    """FDA labels Adderall, Ritalin, Strattera section 4 and Nardil CONTRAINDICATIONS: hypertensive crisis."""
    assert_rule([stimulant, "tranylcypromine"], rule_id, "contraindicated", "FDA label")
    assert findings_for([stimulant, "tranylcypromine"], rule_id="derived-maoi-sympathomimetic") == []


@pytest.mark.parametrize("triptan", ["sumatriptan", "rizatriptan", "zolmitriptan"])
def test_mao_a_cleared_triptans_with_an_maoi_are_contraindicated(triptan: str) -> None:
    """FDA labels Imitrex, Maxalt, Zomig section 4: MAO-A inhibitors within 2 weeks."""
    assert_rule([triptan, "phenelzine"], "maoi-triptan", "contraindicated", "section 4")


def test_rasagiline_is_excepted_from_the_mao_a_triptan_rule() -> None:
    """FDA label Imitrex section 4 (rev. 2020): the contraindication names MAO-A inhibitors."""
    assert findings_for(["sumatriptan", "rasagiline"], rule_id="maoi-triptan") == []


def test_selegiline_with_oxcarbazepine_is_contraindicated() -> None:
    """FDA label Emsam section 4 (rev. 2020): carbamazepine and oxcarbazepine."""
    assert_rule(["selegiline", "oxcarbazepine"], "selegiline-oxcarbazepine", "contraindicated", "Emsam")


def test_esketamine_with_an_maoi_raises_blood_pressure() -> None:
    """FDA label Spravato sections 5 and 7 (rev. 2023): MAOIs raise blood pressure."""
    assert_rule(["esketamine", "phenelzine"], "esketamine-maoi", "major", "Spravato")


def test_esketamine_with_a_psychostimulant_is_moderate() -> None:
    """FDA label Spravato sections 5 and 7 (rev. 2023): psychostimulants raise blood pressure."""
    assert_rule(["esketamine", "methylphenidate"], "esketamine-psychostimulant", "moderate", "Spravato")


def test_zuranolone_with_a_benzodiazepine_is_major() -> None:
    """FDA label Zurzuvae boxed warning and sections 2, 5.1, 7.1 (rev. 2023): additive CNS depression."""
    assert_rule(["zuranolone", "lorazepam"], "zuranolone-cns-depressant", "major", "Zurzuvae")


# ---------------------------------------------------------------------------------------
# Herbal products.


def test_st_johns_wort_with_sertraline_is_major() -> None:
    """FDA label Zoloft sections 5.2 and 7 (rev. 2023): St John's wort is serotonergic."""
    assert_rule(["st johns wort", "sertraline"], "st-johns-wort-serotonergic", "major", "Zoloft")


def test_st_johns_wort_with_ethinyl_estradiol_is_major() -> None:
    """Hall et al., Clin Pharmacol Ther 2003: St John's wort lowers contraceptive exposure."""
    assert_rule(
        ["st johns wort", "ethinyl estradiol"], "st-johns-wort-hormonal-contraceptive", "major", "Hall SD"
    )


# ---------------------------------------------------------------------------------------
# Duplicate therapy.


@pytest.mark.parametrize(
    ("regimen", "group_id", "severity"),
    [
        (["sertraline", "fluoxetine"], "dup-serotonin-reuptake-inhibitor", "moderate"),
        (["sertraline", "duloxetine"], "dup-serotonin-reuptake-inhibitor", "moderate"),
        (["amitriptyline", "nortriptyline"], "dup-tricyclic", "moderate"),
        (["risperidone", "olanzapine"], "dup-antipsychotic", "moderate"),
        (["lorazepam", "clonazepam"], "dup-benzodiazepine-z-drug", "major"),
        (["zolpidem", "temazepam"], "dup-benzodiazepine-z-drug", "major"),
        (["methylphenidate", "amphetamine"], "dup-stimulant", "moderate"),
        (["ibuprofen", "naproxen"], "dup-nsaid", "major"),
        (["lisinopril", "losartan"], "dup-raas-blockade", "major"),
    ],
)
def test_duplicate_therapy_groups(regimen: list[str], group_id: str, severity: str) -> None:
    """Duplicate-therapy groups from guidelines (APA, NICE CG178, AGS Beers 2023, ONTARGET)."""
    found = findings_for(regimen, rule_id=group_id)
    assert len(found) == 1
    finding = found[0]
    assert finding.kind == "duplicate-therapy"
    assert finding.severity == severity
    assert finding.drugs == tuple(sorted(regimen))
    assert finding.sources


def test_low_dose_aspirin_with_one_nsaid_is_not_duplicate_therapy() -> None:
    """The NSAID duplicate group excepts aspirin, whose cardioprotective use differs."""
    assert findings_for(["aspirin", "ibuprofen"], rule_id="dup-nsaid") == []


def test_every_duplicate_group_fires_for_two_members() -> None:
    """Each group in duplicate_therapy.json reports two of its members, citing its sources."""
    for group in KB.duplicate_groups:
        members = sorted(ingredient.name for ingredient in matching(group.selector))
        assert len(members) >= 2, group.id
        found = findings_for(members[:2], rule_id=group.id)
        assert len(found) == 1, group.id
        assert found[0].sources == group.sources


# ---------------------------------------------------------------------------------------
# Allergy cross-sensitivity.


def test_carbamazepine_allergy_flags_oxcarbazepine() -> None:
    """FDA label Trileptal section 5 (rev. 2023): 25-30% cross-hypersensitivity with carbamazepine."""
    found = findings_for(
        ["oxcarbazepine"], Context(allergies=("carbamazepine",)), rule_id="allergy-aromatic-anticonvulsants"
    )
    assert len(found) == 1
    assert found[0].kind == "allergy"
    assert found[0].severity == "major"
    assert any("Trileptal" in source for source in found[0].sources)


def test_lamotrigine_allergy_flags_carbamazepine_once_as_moderate() -> None:
    """Hirsch et al., Neurology 2008: weaker rash cross-sensitivity with lamotrigine."""
    found = [
        f for f in findings_for(["carbamazepine"], Context(allergies=("lamotrigine",))) if f.kind == "allergy"
    ]
    assert [(f.rule_id, f.severity) for f in found] == [("allergy-lamotrigine-carbamazepine", "moderate")]


def test_carbamazepine_allergy_flags_phenytoin_once_as_major() -> None:
    """Hirsch et al., Neurology 2008: aromatic anticonvulsants cross-react; one finding per drug."""
    found = [
        f for f in findings_for(["phenytoin"], Context(allergies=("carbamazepine",))) if f.kind == "allergy"
    ]
    assert [(f.rule_id, f.severity) for f in found] == [("allergy-aromatic-anticonvulsants", "major")]


def test_imipramine_allergy_flags_carbamazepine() -> None:
    """FDA label Tegretol section 4 (rev. 2023): hypersensitivity to tricyclic compounds."""
    found = findings_for(
        ["carbamazepine"], Context(allergies=("imipramine",)), rule_id="allergy-tricyclic-compounds"
    )
    assert [finding.severity for finding in found] == ["major"]


def test_phenothiazine_allergy_by_group_name_flags_perphenazine() -> None:
    """FDA label Perphenazine CONTRAINDICATIONS: cross-sensitivity to phenothiazine derivatives."""
    found = findings_for(
        ["perphenazine"], Context(allergies=("phenothiazines",)), rule_id="allergy-phenothiazines"
    )
    assert len(found) == 1


def test_aspirin_allergy_flags_ibuprofen() -> None:
    """FDA label Naprosyn sections 4 and 5 (rev. 2021): aspirin-exacerbated respiratory disease."""
    found = findings_for(["ibuprofen"], Context(allergies=("aspirin",)), rule_id="allergy-nsaids")
    assert [finding.severity for finding in found] == ["major"]


def test_every_allergy_group_flags_a_second_member() -> None:
    """An allergy to the first member of each group flags the second member."""
    for group in KB.allergy_groups:
        members = sorted(ingredient.name for ingredient in matching(group.selector))
        assert len(members) >= 2, group.id
        found = findings_for([members[1]], Context(allergies=(members[0],)), rule_id=f"allergy-{group.id}")
        assert len(found) == 1, group.id
        assert found[0].sources == group.sources


# ---------------------------------------------------------------------------------------
# ONC high-priority drug-drug interactions (Phansalkar et al., JAMIA 2012).


def covering_rule(entry: Mapping[str, Any]) -> tuple[str, str] | None:
    """Return (rule id, severity) of the rule that covers an ONC pair, or None when out of formulary."""
    kind, _, name = entry["covered_by"].partition(":")
    if kind == "explicit":
        return name, RULES_BY_ID[name].severity
    if kind == "derived":
        derived = [
            rule for rule in KB.derived_rules.values() if isinstance(rule, Mapping) and rule.get("id") == name
        ]
        assert len(derived) == 1, f"unknown derived rule {name}"
        severity = derived[0]["severity"]
        return name, severity if isinstance(severity, str) else min(severity, key=SEVERITIES.index)
    assert entry["covered_by"] == "out-of-formulary"
    return None


def test_the_onc_list_has_its_fifteen_pairs() -> None:
    """Phansalkar et al., J Am Med Inform Assoc 2012;19:735-743: 15 high-priority pairs."""
    assert "Phansalkar" in ONC["source"]
    assert len(ONC["pairs"]) == 15
    assert len({entry["pair"] for entry in ONC["pairs"]}) == 15


@pytest.mark.parametrize("entry", ONC["pairs"], ids=lambda entry: entry["pair"])
def test_each_onc_pair_is_covered_or_out_of_formulary(entry: Mapping[str, Any]) -> None:
    """A pair with formulary drugs on both sides is covered by an explicit or derived rule."""
    a, b = selector_from(entry["a"]), selector_from(entry["b"])
    covered = covering_rule(entry)
    if covered is None:
        assert not matching(a) or not matching(b), entry["pair"]
        assert entry["example"] == []
        return
    rule_id, _ = covered
    if entry["covered_by"].startswith("explicit:"):
        rule = RULES_BY_ID[rule_id]
        assert RAW_RULES[[raw["id"] for raw in RAW_RULES].index(rule_id)].get("onc") == entry["pair"]
        for first, second in selector_pairs(a, b):
            one, two = KB.ingredients[first], KB.ingredients[second]
            assert (rule.a.matches(one) and rule.b.matches(two)) or (
                rule.a.matches(two) and rule.b.matches(one)
            ), f"{rule_id} does not select {first} with {second}"
    first, second = entry["example"]
    assert a.matches(KB.ingredients[first]) and b.matches(KB.ingredients[second])
    found = findings_for([first, second], rule_id=rule_id)
    assert len(found) == 1
    assert found[0].drugs == tuple(sorted((first, second)))


@pytest.mark.parametrize(
    "entry",
    [entry for entry in ONC["pairs"] if entry["covered_by"] != "out-of-formulary"],
    ids=lambda e: e["pair"],
)
def test_every_formulary_pair_of_an_onc_class_pair_produces_a_finding(entry: Mapping[str, Any]) -> None:
    """Each formulary pair of an ONC class pair yields its covering rule or another interaction as severe."""
    rule_id, severity = covering_rule(entry)
    limit = SEVERITIES.index(severity)
    for first, second in selector_pairs(selector_from(entry["a"]), selector_from(entry["b"])):
        found = findings_for([first, second])
        accepted = [
            finding
            for finding in found
            if finding.drugs == (first, second)
            and (
                finding.rule_id == rule_id
                or (finding.kind == "interaction" and SEVERITIES.index(finding.severity) <= limit)
            )
        ]
        assert accepted, f"{entry['pair']}: nothing for {first} with {second}: {[f.rule_id for f in found]}"
