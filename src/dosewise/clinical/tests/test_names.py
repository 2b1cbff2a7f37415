"""Tests of drug-name resolution and formulary search."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import KB_DIR, load_kb
from dosewise.clinical.names import resolve_drug, search_drugs


@pytest.mark.parametrize(
    "text", ["sertraline", "SERTRALINE", "  Sertraline ", "Zoloft", "zoloft", "sertraline hydrochloride", "36437"]
)
def test_it_resolves_generic_brand_synonym_and_rxnorm_code(text):
    assert resolve_drug(text) == "sertraline"


def test_every_alias_of_every_ingredient_resolves_to_it():
    kb = load_kb()
    for ingredient in kb.ingredients.values():
        codes = (ingredient.rxcui,) if ingredient.rxcui else ()
        for alias in (ingredient.name, *ingredient.synonyms, *ingredient.brands, *codes):
            assert resolve_drug(alias) == ingredient.name


def test_an_unknown_name_suggests_close_brand_and_generic_names():
    with pytest.raises(ClinicalInputError) as error:
        resolve_drug("zolof")
    message = str(error.value)
    assert message.startswith("unknown drug 'zolof'; did you mean: ")
    assert "Zoloft (sertraline)" in message


def test_a_misspelt_generic_name_suggests_the_generic_name():
    with pytest.raises(ClinicalInputError, match=r"did you mean: .*\bsertraline\b"):
        resolve_drug("sertralin")


def test_a_name_far_from_everything_gets_no_suggestion():
    with pytest.raises(ClinicalInputError) as error:
        resolve_drug("qqqqqqqqqq")
    assert str(error.value) == "unknown drug 'qqqqqqqqqq'"


def test_an_empty_name_is_refused():
    with pytest.raises(ClinicalInputError, match="empty drug name"):
        resolve_drug("   ")


def test_a_text_naming_two_ingredients_is_ambiguous():
    with pytest.raises(ClinicalInputError, match="ambiguous drug name 'olanzapine/fluoxetine': it names fluoxetine and olanzapine"):
        resolve_drug("olanzapine/fluoxetine")
    with pytest.raises(ClinicalInputError, match="ambiguous"):
        resolve_drug("Zoloft + Xanax")


def test_an_alias_shared_by_two_ingredients_is_ambiguous(tmp_path: Path):
    target = tmp_path / "kb"
    shutil.copytree(KB_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    path = target / "formulary" / "antidepressants.json"
    entries = json.loads(path.read_text(encoding="utf-8"))
    fluoxetine = next(entry for entry in entries if entry["name"] == "fluoxetine")
    fluoxetine["brands"].append("Zoloft")
    path.write_text(json.dumps(entries), encoding="utf-8")
    kb = load_kb(target)
    with pytest.raises(ClinicalInputError, match="ambiguous drug name 'zoloft': it names fluoxetine and sertraline"):
        resolve_drug("zoloft", kb)


def test_search_finds_brands_and_generics_by_prefix_and_substring():
    names = [ingredient.name for ingredient in search_drugs("zol")]
    assert "sertraline" in names  # Zoloft
    assert "zolpidem" in names
    assert all("zol" in " ".join((i.name, *i.synonyms, *i.brands, *i.classes)).lower() for i in search_drugs("zol"))


def test_search_puts_an_exact_match_first():
    assert search_drugs("Zoloft")[0].name == "sertraline"
    assert search_drugs("lithium")[0].name == "lithium"


def test_search_by_class_lists_every_member():
    kb = load_kb()
    found = {ingredient.name for ingredient in search_drugs("ssri")}
    assert found >= set(kb.by_class["ssri"])


def test_search_without_a_match_is_empty_and_an_empty_query_is_refused():
    assert search_drugs("qqqqqqqq") == []
    with pytest.raises(ClinicalInputError):
        search_drugs(" ")
