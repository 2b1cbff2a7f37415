"""Formulary RxNorm codes agree with CPIC's drug table (a checked-in extract of every CPIC drug with a code)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import load_kb
from dosewise.clinical.names import resolve_drug

EXTRACT = json.loads((Path(__file__).parent / "data_cpic_rxnorm.json").read_text(encoding="utf-8"))
KB = load_kb()


def _cpic_rows_in_formulary() -> dict[str, tuple[str, str]]:
    """Return CPIC name -> (CPIC code, formulary ingredient) for CPIC drugs the formulary names."""
    rows = {}
    for name, code in EXTRACT["rxcui"].items():
        if "/" in name:
            continue  # a combination product, not one ingredient
        try:
            rows[name] = (code, resolve_drug(name, KB))
        except ClinicalInputError:
            continue
    return rows


def test_the_extract_is_the_whole_cpic_drug_table():
    assert "CPIC" in EXTRACT["source"] and len(EXTRACT["rxcui"]) >= 200


def test_every_cpic_drug_in_the_formulary_carries_cpics_code():
    rows = _cpic_rows_in_formulary()
    assert len(rows) >= 130
    missing = {name: (code, owner, KB.ingredients[owner].rxcuis) for name, (code, owner) in rows.items()
               if code not in KB.ingredients[owner].rxcuis}
    assert missing == {}


def test_every_formulary_code_present_in_cpics_table_names_the_same_drug():
    by_code = {code: name for name, code in EXTRACT["rxcui"].items() if "/" not in name}
    wrong = {}
    for ingredient in KB.ingredients.values():
        for code in ingredient.rxcuis:
            if code in by_code and resolve_drug(by_code[code], KB) != ingredient.name:
                wrong[code] = (ingredient.name, by_code[code])
    assert wrong == {}


@pytest.mark.parametrize(("text", "expected"), [
    ("11118", "valproate"), ("266856", "valproate"), ("40254", "valproate"), ("divalproex sodium", "valproate"),
    ("50121", "fluticasone"), ("41126", "fluticasone"), ("448", "alcohol"), ("435", "albuterol"),
])
def test_every_code_of_an_ingredient_resolves_to_it(text, expected):
    assert resolve_drug(text, KB) == expected


def test_every_code_in_the_formulary_resolves_to_its_ingredient():
    for ingredient in KB.ingredients.values():
        for code in ingredient.rxcuis:
            assert KB.by_rxcui[code] == ingredient.name
            assert resolve_drug(code, KB) == ingredient.name
