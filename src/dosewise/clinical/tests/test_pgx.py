"""Golden and property tests for diplotype -> phenotype translation and pgx recommendations."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import fastjsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dosewise.clinical import pgx
from dosewise.clinical.errors import ClinicalInputError

KB_DIR = Path(pgx.__file__).resolve().parent / "kb"


def _gene_data(gene: str) -> dict:
    """Return the raw JSON table of one gene."""
    for path in (KB_DIR / "pgx").glob("*.json"):
        for raw in json.loads(path.read_text()).get("genes", ()):
            if raw["gene"] == gene:
                return raw
    raise AssertionError(f"no table for {gene}")


def _alleles(gene: str, *functions: str) -> list[str]:
    """Return the gene's allele names, optionally only those with the given functions."""
    return [a["allele"] for a in _gene_data(gene)["alleles"] if not functions or a["function"] in functions]


@pytest.mark.parametrize(
    ("gene", "diplotype", "score", "expected"),
    [
        ("CYP2D6", "*1/*1x2", 3.0, "Ultrarapid Metabolizer"),
        ("CYP2D6", "*2x2/*1", 3.0, "Ultrarapid Metabolizer"),
        ("CYP2D6", "*4x2/*4", 0.0, "Poor Metabolizer"),
        ("CYP2D6", "*4/*4", 0.0, "Poor Metabolizer"),
        ("CYP2D6", "*5/*5", 0.0, "Poor Metabolizer"),
        ("CYP2D6", "*1/*41", 1.5, "Normal Metabolizer"),
        ("CYP2D6", "*4/*10", 0.25, "Intermediate Metabolizer"),
        ("CYP2D6", "*10/*10", 0.5, "Intermediate Metabolizer"),
        ("CYP2D6", "*1/*4", 1.0, "Intermediate Metabolizer"),
        ("CYP2D6", "*10/*41", 0.75, "Intermediate Metabolizer"),
        ("CYP2D6", "*1/*10", 1.25, "Normal Metabolizer"),
        ("CYP2D6", "*1/*1", 2.0, "Normal Metabolizer"),
        ("CYP2D6", "*41x2/*1", 2.0, "Normal Metabolizer"),
        ("CYP2D6", "*41x3/*1", 2.5, "Ultrarapid Metabolizer"),
        ("CYP2D6", "*1xN/*4", 2.0, "Normal Metabolizer"),
        ("CYP2D6", "*36+*10/*4", 0.25, "Intermediate Metabolizer"),
        ("CYP2D6", "*17/*29", 1.0, "Intermediate Metabolizer"),
        ("CYP2C9", "*1/*1", 2.0, "Normal Metabolizer"),
        ("CYP2C9", "*1/*2", 1.5, "Intermediate Metabolizer"),
        ("CYP2C9", "*1/*3", 1.0, "Intermediate Metabolizer"),
        ("CYP2C9", "*2/*3", 0.5, "Poor Metabolizer"),
        ("CYP2C9", "*3/*3", 0.0, "Poor Metabolizer"),
    ],
)
def test_activity_score_genes_follow_cpic_bands(gene, diplotype, score, expected):
    result = pgx.phenotype(gene, diplotype)
    assert result.activity_score == score
    assert result.phenotype == expected
    assert result.gene == gene


@pytest.mark.parametrize(
    ("gene", "diplotype", "expected"),
    [
        ("CYP2C19", "*1/*1", "Normal Metabolizer"),
        ("CYP2C19", "*1/*17", "Rapid Metabolizer"),
        ("CYP2C19", "*17/*17", "Ultrarapid Metabolizer"),
        ("CYP2C19", "*1/*2", "Intermediate Metabolizer"),
        ("CYP2C19", "*2/*17", "Intermediate Metabolizer"),
        ("CYP2C19", "*2/*2", "Poor Metabolizer"),
        ("CYP2C19", "*2/*3", "Poor Metabolizer"),
        ("CYP2C19", "*1/*9", "Likely Intermediate Metabolizer"),
        ("CYP2C19", "*2/*9", "Likely Poor Metabolizer"),
        ("CYP2B6", "*1/*1", "Normal Metabolizer"),
        ("CYP2B6", "*1/*4", "Rapid Metabolizer"),
        ("CYP2B6", "*22/*22", "Ultrarapid Metabolizer"),
        ("CYP2B6", "*1/*6", "Intermediate Metabolizer"),
        ("CYP2B6", "*4/*18", "Intermediate Metabolizer"),
        ("CYP2B6", "*6/*6", "Poor Metabolizer"),
        ("CYP2B6", "*6/*18", "Poor Metabolizer"),
    ],
)
def test_function_pair_genes_follow_cpic_tables(gene, diplotype, expected):
    result = pgx.phenotype(gene, diplotype)
    assert result.phenotype == expected
    assert result.activity_score is None


@pytest.mark.parametrize(
    ("gene", "diplotype", "expected"),
    [
        ("HLA-B", "*15:02/*07:02", "HLA-B*15:02 positive"),
        ("HLA-B", "*15:02:01/*15:02", "HLA-B*15:02 positive"),
        ("HLA-B", "*15:01/*07:02", "HLA-B*15:02 negative"),
        ("HLA-B", "HLA-B*58:01/HLA-B*15:02", "HLA-B*15:02 positive"),
        ("HLA-A", "*31:01/*02:01", "HLA-A*31:01 positive"),
        ("HLA-A", "*02:01/*24:02", "HLA-A*31:01 negative"),
    ],
)
def test_hla_carrier_status(gene, diplotype, expected):
    result = pgx.phenotype(gene, diplotype)
    assert result.phenotype == expected
    assert result.activity_score is None


@pytest.mark.parametrize(
    ("gene", "diplotype"),
    [("CYP2D6", "*22/*1"), ("CYP2C19", "*12/*1"), ("CYP2C9", "*7/*1"), ("CYP2B6", "*3/*6")],
)
def test_an_uncertain_function_allele_gives_indeterminate(gene, diplotype):
    result = pgx.phenotype(gene, diplotype)
    assert result.phenotype == "Indeterminate"
    assert result.activity_score is None


def test_gene_names_and_allele_prefixes_are_case_insensitive():
    assert pgx.phenotype("cyp2d6", "CYP2D6*1/cyp2d6*1X2").phenotype == "Ultrarapid Metabolizer"
    assert pgx.phenotype("hla-b", "*15:02/*07:02").gene == "HLA-B"


@pytest.mark.parametrize(
    ("gene", "diplotype", "message"),
    [
        ("CYP9Z9", "*1/*1", "unknown gene 'CYP9Z9'"),
        ("CYP2D6", "*1", "malformed CYP2D6 diplotype"),
        ("CYP2D6", "*1/*2/*4", "malformed CYP2D6 diplotype"),
        ("CYP2D6", "", "malformed CYP2D6 diplotype"),
        ("CYP2D6", "1/4", "malformed CYP2D6 diplotype"),
        ("CYP2D6", "*1/", "malformed CYP2D6 diplotype"),
        ("CYP2D6", "*1/*999", "unknown CYP2D6 allele '*999'"),
        ("CYP2D6", "*1x1/*1", "must be 2 or more"),
        ("CYP2D6", "*5x2/*1", "gene deletion"),
        ("CYP2C19", "*1x2/*1", "copy-number notation"),
        ("CYP2C19", "*1+*2/*1", "tandem alleles"),
        ("HLA-B", "*15/*07:02", "malformed HLA-B diplotype"),
    ],
)
def test_bad_input_raises_clinical_input_error(gene, diplotype, message):
    with pytest.raises(ClinicalInputError, match=message.replace("*", r"\*")):
        pgx.phenotype(gene, diplotype)


@given(st.data())
def test_diplotype_order_does_not_change_the_phenotype(data):
    gene = data.draw(st.sampled_from(["CYP2D6", "CYP2C9", "CYP2C19", "CYP2B6"]))
    first, second = data.draw(st.lists(st.sampled_from(_alleles(gene)), min_size=2, max_size=2))
    if gene == "CYP2D6" and first != "*5" and data.draw(st.booleans()):
        first = f"{first}x{data.draw(st.integers(min_value=2, max_value=4))}"
    forward = pgx.phenotype(gene, f"{first}/{second}")
    backward = pgx.phenotype(gene, f"{second}/{first}")
    assert (forward.phenotype, forward.activity_score) == (backward.phenotype, backward.activity_score)


@given(st.data())
def test_hla_order_does_not_change_carrier_status(data):
    allele = st.from_regex(r"\*[0-9]{2}:[0-9]{2}", fullmatch=True)
    first, second = data.draw(allele), data.draw(allele)
    forward = pgx.phenotype("HLA-B", f"{first}/{second}")
    backward = pgx.phenotype("HLA-B", f"{second}/{first}")
    assert forward.phenotype == backward.phenotype
    assert forward.phenotype.endswith("positive") == ("*15:02" in (first, second))


@pytest.mark.parametrize("gene", ["CYP2C19", "CYP2B6"])
def test_every_pair_of_known_functions_has_a_phenotype(gene):
    functions = {a["function"] for a in _gene_data(gene)["alleles"]} - {"Uncertain function"}
    for first, second in itertools.combinations_with_replacement(sorted(functions), 2):
        one = next(a for a in _alleles(gene, first))
        other = next(a for a in _alleles(gene, second))
        assert pgx.phenotype(gene, f"{one}/{other}").phenotype != "Indeterminate"


def test_required_alleles_are_present():
    assert {"*1", "*2", "*3", "*4", "*5", "*6", "*9", "*10", "*17", "*29", "*35", "*36", "*41"} <= set(
        _alleles("CYP2D6")
    )
    assert {"*1", "*2", "*3", "*4", "*8", "*9", "*17"} <= set(_alleles("CYP2C19"))
    assert {"*1", "*2", "*3", "*5", "*6", "*8", "*11"} <= set(_alleles("CYP2C9"))
    assert {"*1", "*4", "*6", "*9", "*18", "*22"} <= set(_alleles("CYP2B6"))


def test_every_pgx_file_validates_and_every_gene_and_recommendation_has_a_source():
    validate = fastjsonschema.compile(json.loads((KB_DIR / "schema" / "pgx.schema.json").read_text()))
    genes = recommendations = 0
    for path in sorted((KB_DIR / "pgx").glob("*.json")):
        data = json.loads(path.read_text())
        validate(data)
        for raw in data.get("genes", ()):
            genes += 1
            assert len(raw["source"]) > 20
        for raw in data.get("recommendations", ()):
            recommendations += 1
            assert raw["source"].startswith(("CPIC guideline", "FDA label"))
            assert (raw["strength"] == "FDA label") == raw["source"].startswith("FDA label")
    assert genes == 6
    assert recommendations >= 60


def test_cyp2d6_poor_metabolizer_gets_tca_and_label_recommendations():
    recs = pgx.recommendations_for_regimen(["amitriptyline", "aripiprazole", "lithium"], {"CYP2D6": "*4/*4"}, {})
    by_drug = {(rec.drug, rec.strength): rec for rec in recs}
    assert set(by_drug) == {("amitriptyline", "Strong"), ("aripiprazole", "FDA label")}
    tca = by_drug[("amitriptyline", "Strong")]
    assert tca.severity == "major" and tca.phenotype == "Poor Metabolizer"
    assert "Hicks" in tca.source and "2017" in tca.source
    label = by_drug[("aripiprazole", "FDA label")]
    assert label.severity == "moderate" and "half" in label.recommendation
    assert "Abilify" in label.source
    assert [rec.severity for rec in recs] == sorted((rec.severity for rec in recs), key=pgx.SEVERITY_ORDER.index)


def test_cyp2c19_poor_metabolizer_citalopram_has_cpic_and_label_advice():
    recs = pgx.recommendations_for_regimen(["Citalopram"], {"CYP2C19": "*2/*2"}, {})
    assert {rec.strength for rec in recs} == {"Moderate", "FDA label"}
    label = next(rec for rec in recs if rec.strength == "FDA label")
    assert "20 mg" in label.recommendation and "Celexa" in label.source
    cpic = next(rec for rec in recs if rec.strength == "Moderate")
    assert "Bousman" in cpic.source and "2023" in cpic.source


def test_hla_b_1502_carrier_is_warned_off_carbamazepine_and_oxcarbazepine():
    recs = pgx.recommendations_for_regimen(["carbamazepine", "oxcarbazepine"], {"HLA-B": "*15:02/*07:02"}, {})
    assert {rec.drug for rec in recs} == {"carbamazepine", "oxcarbazepine"}
    assert all(rec.severity == "major" for rec in recs)
    assert any("Phillips" in rec.source and rec.strength == "Strong" for rec in recs)


def test_hla_a_3101_carrier_is_warned_off_carbamazepine_only():
    recs = pgx.recommendations_for_regimen(["carbamazepine", "oxcarbazepine"], {}, {"HLA-A*31:01": "positive"})
    assert [(rec.drug, rec.gene, rec.phenotype) for rec in recs] == [
        ("carbamazepine", "HLA-A", "HLA-A*31:01 positive")
    ]


def test_negative_hla_result_gives_no_recommendation():
    recs = pgx.recommendations_for_regimen(["carbamazepine"], {"HLA-B": "*07:02/*08:01"}, {})
    assert recs and {rec.severity for rec in recs} == {"info"}
    assert "standard dosing" in recs[0].recommendation


def test_reported_phenotype_wins_over_genotype_and_accepts_abbreviations():
    recs = pgx.recommendations_for_regimen(["codeine"], {"CYP2D6": "*1/*1"}, {"cyp2d6": "UM"})
    assert [(rec.drug, rec.phenotype, rec.severity) for rec in recs] == [
        ("codeine", "Ultrarapid Metabolizer", "major")
    ]
    assert "Crews" in recs[0].source


def test_thioridazine_is_contraindicated_for_intermediate_and_poor_metabolizers():
    for diplotype in ("*4/*4", "*4/*41"):
        recs = pgx.recommendations_for_regimen(["thioridazine"], {"CYP2D6": diplotype}, {})
        assert [(rec.severity, rec.strength) for rec in recs] == [("major", "FDA label")]
        assert "Contraindicated" in recs[0].recommendation


def test_sertraline_uses_both_cyp2c19_and_cyp2b6():
    recs = pgx.recommendations_for_regimen(["sertraline"], {"CYP2C19": "*2/*2", "CYP2B6": "*6/*6"}, {})
    assert {rec.gene for rec in recs} == {"CYP2C19", "CYP2B6"}


def test_normal_metabolizer_has_no_recommendations():
    recs = pgx.recommendations_for_regimen(["amitriptyline", "citalopram"], {"CYP2D6": "*1/*2"}, {})
    assert [(rec.drug, rec.severity) for rec in recs] == [("amitriptyline", "info")]
    assert "recommended starting dose" in recs[0].recommendation


@pytest.mark.parametrize(
    ("phenotypes", "message"),
    [
        ({"CYP2D6": "Rapid Metabolizer"}, "unknown CYP2D6 phenotype"),
        ({"CYP2D6": "slow"}, "unknown CYP2D6 phenotype"),
        ({"HLA-B": "maybe"}, "unknown HLA-B result"),
        ({"HLA-B*57:01": "positive"}, r"\*15:02 only"),
        ({"NAT2": "PM"}, "unknown gene 'NAT2'"),
    ],
)
def test_bad_reported_phenotypes_raise(phenotypes, message):
    with pytest.raises(ClinicalInputError, match=message):
        pgx.recommendations_for_regimen(["codeine"], {}, phenotypes)


def test_recommendations_for_phenotype_filters_by_drug():
    all_recs = pgx.recommendations_for_phenotype("CYP2D6", "Poor Metabolizer")
    only = pgx.recommendations_for_phenotype("CYP2D6", "Poor Metabolizer", drug="pimozide")
    assert len(all_recs) > len(only) == 1
    assert "4 mg/day" in only[0].recommendation and "0.05 mg/kg/day" in only[0].recommendation


def test_every_phenotype_of_every_cpic_gene_drug_pair_has_a_recommendation():
    """CPIC tables give a recommendation for every phenotype, normal metabolizers included."""
    from dosewise.clinical import pgx

    tables = pgx._tables()
    pairs = {(rule.gene, rule.drug) for rule in tables.rules if rule.strength != "FDA label"}
    for gene, drug in sorted(pairs):
        for term in sorted(tables.genes[gene].phenotypes):
            found = [r for r in pgx.recommendations_for_phenotype(gene, term, drug) if r.strength != "FDA label"]
            assert found, (gene, drug, term)


def test_a_normal_metabolizer_is_told_to_start_the_standard_dose_without_a_safety_finding():
    from dosewise.clinical import pgx
    from dosewise.clinical.safety import Context, check

    found = pgx.recommendations_for_phenotype("CYP2C19", "Normal Metabolizer", "sertraline")
    assert found and "recommended starting dose" in found[0].recommendation and found[0].severity == "info"
    assert [f for f in check(["sertraline"], Context(phenotypes={"CYP2C19": "NM"})) if f.kind == "pgx"] == []
    codeine = pgx.recommendations_for_phenotype("CYP2D6", "Normal Metabolizer", "codeine")
    assert "label" in codeine[0].recommendation
