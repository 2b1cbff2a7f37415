"""Golden tests of the safety engine on the real knowledge base.

Each derived-rule test names, in its docstring, the source the rule's texts cite in
kb/derived_rules.json.
"""

from __future__ import annotations

import pytest

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import load_kb
from dosewise.clinical.safety import KINDS, SEVERITIES, Context, Finding, RegimenItem, check


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def _with(findings: list[Finding], *drugs: str, kind: str | None = None) -> list[Finding]:
    """Return the findings that involve exactly these drugs (and this kind, if given)."""
    wanted = tuple(sorted(drugs))
    return [f for f in findings if f.drugs == wanted and (kind is None or f.kind == kind)]


def _text(finding: Finding) -> str:
    return f"{finding.summary} {finding.mechanism}".lower()


# --- interactions --------------------------------------------------------------------


def test_an_maoi_with_an_ssri_is_contraindicated():
    """Nardil (phenelzine) label, Contraindications; Boyer & Shannon, N Engl J Med 2005."""
    findings = _with(check(["phenelzine", "sertraline"]), "phenelzine", "sertraline", kind="interaction")
    assert findings and findings[0].severity == "contraindicated"
    assert "serotonin" in _text(findings[0])


def test_an_maoi_with_a_sympathomimetic_is_contraindicated():
    """Nardil (phenelzine) label, Contraindications: sympathomimetic amines, hypertensive crisis."""
    findings = _with(check(["phenelzine", "amphetamine"]), "amphetamine", "phenelzine", kind="interaction")
    assert any(f.severity == "contraindicated" and "hypertensive" in _text(f) for f in findings)


def test_two_maois_are_contraindicated():
    """Nardil (phenelzine) label, Contraindications: other MAO inhibitors."""
    findings = _with(check(["phenelzine", "tranylcypromine"]), "phenelzine", "tranylcypromine", kind="interaction")
    assert findings and all(f.severity == "contraindicated" for f in findings)
    assert [f for f in findings if f.rule_id == "derived-maoi-serotonergic"] == []


def test_fluvoxamine_raises_clozapine_through_cyp1a2_once():
    """FDA Table of Substrates, Inhibitors and Inducers (2023): fluvoxamine is a strong CYP1A2 inhibitor."""
    findings = [f for f in _with(check(["fluvoxamine", "clozapine"]), "clozapine", "fluvoxamine") if "cyp1a2" in _text(f)]
    assert len(findings) == 1
    assert findings[0].severity == "major"
    assert findings[0].kind == "interaction"


def test_a_strong_inducer_lowers_a_substrate():
    """FDA Table of Substrates, Inhibitors and Inducers (2023): carbamazepine is a strong CYP3A4 inducer."""
    findings = _with(check(["carbamazepine", "quetiapine"]), "carbamazepine", "quetiapine", kind="interaction")
    assert any("cyp3a4" in _text(f) and f.severity in ("major", "moderate") for f in findings)


def test_a_weak_inhibitor_adds_no_cyp_finding(kb):
    """FDA guidance (2020): weak inhibitors change exposure less than twofold; the rule grades strong and moderate only."""
    assert kb.ingredients["sertraline"].metabolism["inhibits"].get("CYP2D6") == "weak"
    findings = check(["sertraline", "aripiprazole"])
    assert [f for f in findings if f.rule_id == "derived-cyp-inhibition"] == []


def test_opioid_with_benzodiazepine_carries_the_boxed_warning():
    """FDA Drug Safety Communication, August 2016: boxed warning for opioids with benzodiazepines."""
    findings = _with(check(["oxycodone", "alprazolam"]), "alprazolam", "oxycodone")
    interaction = [f for f in findings if f.kind == "interaction"]
    assert interaction and interaction[0].severity == "major"
    assert any("boxed warning" in f"{f.summary} {f.mechanism}".lower() for f in interaction)
    # The two-drug CNS burden says nothing the boxed-warning finding does not.
    assert _with(findings, "alprazolam", "oxycodone", kind="cns-depression-burden") == []


def test_citalopram_with_ondansetron_prolongs_qt():
    """Drew et al., Circulation 2010 (AHA/ACCF statement on torsade de pointes)."""
    findings = _with(check(["citalopram", "ondansetron"]), "citalopram", "ondansetron")
    assert any("qt" in _text(f) and f.severity in ("major", "moderate") for f in findings)
    qt_findings = [f for f in findings if "qt" in _text(f)]
    assert len(qt_findings) == 1


def test_a_smoker_on_clozapine_gets_the_cyp1a2_induction_finding():
    """FDA Table of Substrates, Inhibitors and Inducers (2023); tobacco smoke induces CYP1A2."""
    findings = check(["clozapine"], Context(smoker=True))
    induced = _with(findings, "clozapine", "tobacco smoke", kind="interaction")
    assert induced and "cyp1a2" in _text(induced[0])
    assert all("tobacco smoke" not in f.drugs for f in check(["clozapine"], Context(smoker=False)))
    assert all("tobacco smoke" not in f.drugs for f in check(["clozapine"]))


def test_tobacco_smoke_in_the_regimen_counts_even_without_the_flag():
    assert _with(check(["clozapine", "tobacco smoke"], Context(smoker=False)), "clozapine", "tobacco smoke")


def test_an_ssri_with_an_anticoagulant_raises_bleeding_risk():
    """de Abajo & Garcia-Rodriguez, Arch Gen Psychiatry 2008; Zoloft label section 5.3 (rev. 2023)."""
    findings = _with(check(["sertraline", "warfarin"]), "sertraline", "warfarin", kind="interaction")
    assert any("bleeding" in _text(f) and f.severity == "major" for f in findings)


def test_an_ssri_with_an_nsaid_raises_bleeding_risk():
    """de Abajo & Garcia-Rodriguez, Arch Gen Psychiatry 2008."""
    findings = _with(check(["sertraline", "ibuprofen"]), "ibuprofen", "sertraline", kind="interaction")
    assert any("bleeding" in _text(f) and f.severity in ("moderate", "major") for f in findings)


def test_every_explicit_rule_fires_for_a_pair_it_selects(kb):
    """Each rule of kb/interactions.json fires, with its own texts and sources, for one pair it selects."""
    for rule in kb.interaction_rules:
        first = next(e.name for e in kb.ingredients.values() if rule.a.matches(e))
        second = next(e.name for e in kb.ingredients.values() if rule.b.matches(e) and e.name != first)
        findings = [f for f in check([first, second]) if f.rule_id == rule.id]
        assert len(findings) == 1, rule.id
        assert findings[0].severity == rule.severity and findings[0].sources == rule.sources
        assert findings[0].drugs == tuple(sorted((first, second)))


# --- cumulative burdens ----------------------------------------------------------------


def _by_level(kb, prop: str, level: str, exclude=()) -> list[str]:
    return sorted(
        name for name, entry in kb.ingredients.items()
        if entry.properties[prop] == level and entry.properties["maoi"] is None and name not in exclude
    )


def test_two_highly_serotonergic_drugs_are_a_major_burden(kb):
    """Boyer & Shannon, N Engl J Med 2005; Zoloft label section 5.2 (rev. 2023)."""
    high = [n for n in _by_level(kb, "serotonergic", "high") if "ssri" in kb.ingredients[n].classes][:2]
    findings = [f for f in check(high) if f.kind == "serotonergic-burden"]
    assert len(findings) == 1 and findings[0].severity == "major" and findings[0].drugs == tuple(high)


def test_serotonergic_drugs_of_moderate_level_are_a_moderate_burden(kb):
    """Boyer & Shannon, N Engl J Med 2005."""
    high = _by_level(kb, "serotonergic", "high")[0]
    moderate = _by_level(kb, "serotonergic", "moderate")[0]
    findings = [f for f in check([high, moderate]) if f.kind == "serotonergic-burden"]
    assert findings and findings[0].severity == "moderate"


def test_qt_stacking_is_worse_with_a_prolonged_qtc():
    """Drew et al., Circulation 2010: QTc of 470 ms (women) or 450 ms (men) is prolonged; over 500 ms high risk."""
    regimen = ["citalopram", "quetiapine"]
    plain = [f for f in check(regimen) if f.kind == "qt-burden"]
    prolonged = [f for f in check(regimen, Context(sex="female", qtc_ms=475)) if f.kind == "qt-burden"]
    assert plain and plain[0].severity == "moderate"
    assert prolonged and prolonged[0].severity == "major" and "475" in prolonged[0].summary


def test_one_qt_drug_with_a_prolonged_qtc_is_flagged_by_sex_threshold():
    """Drew et al., Circulation 2010."""
    assert [f for f in check(["citalopram"], Context(sex="female", qtc_ms=460)) if f.kind == "qt-burden"] == []
    male = [f for f in check(["citalopram"], Context(sex="male", qtc_ms=460)) if f.kind == "qt-burden"]
    assert male and male[0].severity == "moderate"
    over_500 = [f for f in check(["citalopram"], Context(sex="female", qtc_ms=510)) if f.kind == "qt-burden"]
    assert over_500 and over_500[0].severity == "major"
    assert [f for f in check(["citalopram"]) if f.kind == "qt-burden"] == []


def test_three_cns_depressants_are_a_major_burden(kb):
    """FDA Drug Safety Communications 2016 (opioids with benzodiazepines) and 2019 (gabapentinoids)."""
    drugs = ["gabapentin", "quetiapine", "zolpidem"]
    assert all(kb.ingredients[d].properties["cns_depressant"] in ("moderate", "high") for d in drugs)
    two = [f for f in check(drugs[:2]) if f.kind == "cns-depression-burden"]
    three = [f for f in check(drugs) if f.kind == "cns-depression-burden"]
    assert two and two[0].severity == "moderate"
    assert three and three[0].severity == "major" and three[0].drugs == tuple(drugs)


def test_an_anticholinergic_burden_of_three_is_flagged(kb):
    """Boustani et al., Aging Health 2008 (ACB scale); Fox et al., J Am Geriatr Soc 2011."""
    ones = sorted(n for n, e in kb.ingredients.items() if e.properties["anticholinergic_burden"] == 1
                  and e.properties["maoi"] is None)[:3]
    assert [f for f in check(ones[:2]) if f.kind == "anticholinergic-burden"] == []
    findings = [f for f in check(ones) if f.kind == "anticholinergic-burden"]
    assert findings and findings[0].severity == "moderate" and "3" in findings[0].summary
    assert any("Boustani" in s for s in findings[0].sources) and any("Fox" in s for s in findings[0].sources)


def test_seizure_threshold_lowering_drugs_stack(kb):
    """FDA label Wellbutrin XL section 5.3 Seizure."""
    lowering = sorted(n for n, e in kb.ingredients.items() if e.properties["lowers_seizure_threshold"]
                      and e.properties["serotonergic"] == "none" and e.properties["maoi"] is None)[:3]
    two = [f for f in check(lowering[:2]) if f.rule_id == "derived-seizure-threshold"]
    three = [f for f in check(lowering) if f.rule_id == "derived-seizure-threshold"]
    assert two and two[0].severity == "minor"
    assert three and three[0].severity == "moderate"


# --- patient context -------------------------------------------------------------------


def test_dose_above_the_labelled_maximum_is_major_and_above_usual_is_minor(kb):
    entry = next(e for e in kb.ingredients.values() if e.dose and e.dose["usual_max_mg"] < e.dose["max_mg"])
    dose = entry.dose
    over = [f for f in check([RegimenItem(entry.name, dose["max_mg"] + 1)]) if f.kind == "dose-range"]
    high = [f for f in check([RegimenItem(entry.name, dose["max_mg"])]) if f.kind == "dose-range"]
    usual = [f for f in check([RegimenItem(entry.name, dose["usual_max_mg"])]) if f.kind == "dose-range"]
    assert over and over[0].severity == "major" and over[0].sources == (dose["source"],)
    assert high and high[0].severity == "minor"
    assert usual == []


def test_a_geriatric_maximum_applies_from_65(kb):
    entry = next(e for e in kb.ingredients.values() if e.dose and e.dose.get("geriatric_max_mg"))
    dose = RegimenItem(entry.name, entry.dose["geriatric_max_mg"] + 1)
    old = [f for f in check([dose], Context(age=70)) if f.rule_id == "dose-above-geriatric-max"]
    young = [f for f in check([dose], Context(age=40)) if f.rule_id == "dose-above-geriatric-max"]
    assert old and old[0].severity == "major" and young == []


def test_a_child_below_the_labelled_age_gets_an_age_finding(kb):
    entry = next(e for e in kb.ingredients.values() if e.dose and e.dose.get("min_age_years", 0) > 1)
    young = entry.dose["min_age_years"] - 1
    findings = [f for f in check([entry.name], Context(age=young)) if f.kind == "age"]
    assert findings and findings[0].rule_id == "age-below-minimum"
    assert [f for f in check([entry.name], Context(age=entry.dose["min_age_years"])) if f.rule_id == "age-below-minimum"] == []


@pytest.mark.parametrize(("risk", "severity"), [("contraindicated", "contraindicated"), ("avoid", "major"), ("caution", "moderate")])
def test_pregnancy_risk_maps_to_severity(kb, risk, severity):
    entry = next(e for e in kb.ingredients.values() if e.pregnancy.get("risk") == risk)
    findings = [f for f in check([entry.name], Context(pregnant=True)) if f.kind == "pregnancy"]
    assert findings and findings[0].severity == severity and findings[0].sources == (entry.pregnancy["source"],)
    assert [f for f in check([entry.name]) if f.kind == "pregnancy"] == []


def test_a_pregnancy_compatible_drug_adds_nothing(kb):
    entry = next(e for e in kb.ingredients.values() if e.pregnancy.get("risk") == "compatible")
    assert [f for f in check([entry.name], Context(pregnant=True)) if f.kind == "pregnancy"] == []


def test_lactation_risk_is_reported_while_breastfeeding(kb):
    entry = next(e for e in kb.ingredients.values() if e.lactation.get("risk") in ("avoid", "contraindicated"))
    findings = [f for f in check([entry.name], Context(lactating=True)) if f.kind == "lactation"]
    assert findings and findings[0].severity in ("major", "contraindicated")


def test_renal_rules_fire_below_their_egfr_cut_off(kb):
    entry = next(e for e in kb.ingredients.values() if e.dose and e.dose.get("renal"))
    rule = min(entry.dose["renal"], key=lambda r: r["egfr_below"])
    below = [f for f in check([entry.name], Context(egfr=rule["egfr_below"] - 1)) if f.kind == "renal"]
    at = [f for f in check([entry.name], Context(egfr=max(r["egfr_below"] for r in entry.dose["renal"]))) if f.kind == "renal"]
    assert below and below[0].sources == (rule["source"],) and rule["action"] in below[0].action
    assert at == []


def test_hepatic_rules_fire_for_their_child_pugh_class(kb):
    entry = next(e for e in kb.ingredients.values() if e.dose and "C" in e.dose.get("hepatic", {}))
    findings = [f for f in check([entry.name], Context(child_pugh="c")) if f.kind == "hepatic"]
    assert findings and findings[0].sources == (entry.dose["hepatic"]["C"]["source"],)
    expected = "major" if entry.dose["hepatic"]["C"].get("avoid") else findings[0].severity
    assert findings[0].severity == expected


def test_an_allergy_to_the_drug_by_brand_is_contraindicated():
    findings = [f for f in check(["sertraline"], Context(allergies=("Zoloft",))) if f.kind == "allergy"]
    assert findings and findings[0].severity == "contraindicated" and findings[0].drugs == ("sertraline",)


def test_an_allergy_to_a_class_flags_every_member():
    findings = [f for f in check(["alprazolam", "lorazepam", "sertraline"], Context(allergies=("benzodiazepine",)))
                if f.kind == "allergy"]
    assert {f.drugs for f in findings} == {("alprazolam",), ("lorazepam",)}
    assert all(f.severity == "contraindicated" for f in findings)


def test_carbamazepine_allergy_flags_oxcarbazepine_as_cross_sensitive(kb):
    group = next(g for g in kb.allergy_groups if g.selector.matches(kb.ingredients["carbamazepine"])
                 and g.selector.matches(kb.ingredients["oxcarbazepine"]))
    findings = [f for f in check(["oxcarbazepine"], Context(allergies=("carbamazepine",))) if f.kind == "allergy"]
    assert findings and findings[0].severity == group.severity and findings[0].sources == group.sources


def test_an_unknown_allergy_is_kept_as_free_text_without_error():
    assert [f for f in check(["sertraline"], Context(allergies=("peanuts",))) if f.kind == "allergy"] == []


def test_duplicate_therapy_fires_for_two_members_of_a_group(kb):
    group = next(g for g in kb.duplicate_groups if "ssri" in g.selector.classes)
    findings = [f for f in check(["sertraline", "fluoxetine"]) if f.kind == "duplicate-therapy"]
    assert any(f.rule_id == group.id and f.severity == group.severity for f in findings)
    assert [f for f in check(["sertraline"]) if f.kind == "duplicate-therapy"] == []


def test_pharmacogenomic_results_become_pgx_findings():
    findings = [f for f in check(["citalopram"], Context(genotypes={"CYP2C19": "*2/*2"})) if f.kind == "pgx"]
    assert findings and all(f.drugs == ("citalopram",) and f.sources for f in findings)
    assert any("CYP2C19" in f.summary for f in findings)


def test_hla_b_1502_flags_carbamazepine():
    findings = [f for f in check(["carbamazepine"], Context(genotypes={"HLA-B": "*15:02/*07:02"})) if f.kind == "pgx"]
    assert findings and findings[0].severity == "major"


# --- shape, order and input -------------------------------------------------------------


def test_findings_are_ordered_by_severity_then_kind_then_drugs(kb):
    findings = check(
        ["phenelzine", "sertraline", "clozapine", "fluvoxamine", RegimenItem("quetiapine", 2000), "warfarin"],
        Context(age=70, pregnant=True, qtc_ms=480, sex="female"),
    )
    keys = [(SEVERITIES.index(f.severity), KINDS.index(f.kind), f.drugs, f.rule_id, f.summary) for f in findings]
    assert keys == sorted(keys)
    assert len({f.severity for f in findings}) >= 3


def test_every_finding_reports_the_kb_version_sources_and_texts(kb):
    findings = check(["phenelzine", "sertraline", "tramadol", "warfarin"], Context(pregnant=True, egfr=20))
    assert findings
    for finding in findings:
        assert finding.kb_version == kb.version
        assert finding.sources and finding.summary and finding.mechanism and finding.action
        assert finding.to_dict()["drugs"] == list(finding.drugs)


def test_a_single_safe_drug_has_no_findings():
    assert check(["sertraline"]) == []


def test_bad_input_is_refused_with_a_clinical_input_error():
    with pytest.raises(ClinicalInputError, match="negative"):
        check([RegimenItem("sertraline", -5)])
    with pytest.raises(ClinicalInputError, match="entered twice"):
        check(["sertraline", "Zoloft"])
    with pytest.raises(ClinicalInputError, match="did you mean"):
        check(["zolof"])
    with pytest.raises(ClinicalInputError, match="Child-Pugh"):
        Context(child_pugh="D")
    with pytest.raises(ClinicalInputError, match="sex"):
        Context(sex="x")
