"""Worked examples and properties of the dose-equivalence tables."""

from __future__ import annotations

import json
from pathlib import Path

import fastjsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dosewise.clinical import equivalence
from dosewise.clinical.errors import ClinicalInputError

KB_DIR = Path(equivalence.__file__).resolve().parent / "kb"


def test_tables_are_in_documented_order_and_validate():
    raw = json.loads((KB_DIR / "equivalence.json").read_text())
    fastjsonschema.compile(json.loads((KB_DIR / "schema" / "equivalence.schema.json").read_text()))(raw)
    assert equivalence.table_names() == ("hayasaka2015", "gardner2010", "leucht2016", "ashton2002")
    for table in equivalence.equivalence_tables():
        assert len(table.source) > 30 and table.reference


def test_hayasaka2015_sertraline_to_fluoxetine():
    # Hayasaka 2015 primary analysis: sertraline 98.5 mg/day = fluoxetine 40 mg/day.
    result = equivalence.convert_dose("sertraline", 98.5, "fluoxetine")
    assert (result.to_dose_mg, result.table) == (40.0, "hayasaka2015")
    assert "Hayasaka" in result.source and "2015" in result.source


def test_hayasaka2015_paroxetine_to_venlafaxine():
    # paroxetine 34.0 mg/day and venlafaxine 149.4 mg/day both equal fluoxetine 40 mg/day.
    result = equivalence.convert_dose("paroxetine", 34, "venlafaxine")
    assert result.to_dose_mg == 149.4


def test_gardner2010_olanzapine_to_risperidone_is_the_default_antipsychotic_table():
    # Gardner 2010 consensus: olanzapine 20 mg/day = risperidone 6 mg/day.
    result = equivalence.convert_dose("olanzapine", 10, "risperidone")
    assert (result.to_dose_mg, result.table) == (3.0, "gardner2010")
    assert "Gardner" in result.source


def test_gardner2010_haloperidol_to_chlorpromazine():
    # Gardner 2010: haloperidol 10 mg/day = chlorpromazine 600 mg/day.
    assert equivalence.convert_dose("haloperidol", 5, "chlorpromazine").to_dose_mg == 300.0


def test_leucht2016_ddd_quetiapine_to_olanzapine():
    # Leucht 2016 DDD: quetiapine 400 mg = olanzapine 10 mg = one DDD.
    result = equivalence.convert_dose("quetiapine", 400, "olanzapine", table="leucht2016")
    assert (result.to_dose_mg, result.table) == (10.0, "leucht2016")
    assert "Leucht" in result.source


def test_leucht2016_covers_lurasidone_that_gardner2010_lacks():
    # Lurasidone DDD 60 mg, haloperidol DDD 8 mg; Gardner 2010 has no lurasidone, so the default falls through.
    result = equivalence.convert_dose("lurasidone", 60, "haloperidol")
    assert (result.to_dose_mg, result.table) == (8.0, "leucht2016")


def test_ashton2002_lorazepam_to_diazepam():
    # Ashton Manual: lorazepam 1 mg = diazepam 10 mg; alprazolam 0.5 mg = diazepam 10 mg.
    assert equivalence.convert_dose("lorazepam", 2, "diazepam").to_dose_mg == 20.0
    result = equivalence.convert_dose("alprazolam", 1.5, "diazepam")
    assert (result.to_dose_mg, result.table) == (30.0, "ashton2002")
    assert "Ashton" in result.source


def test_every_result_carries_the_approximation_warning():
    result = equivalence.convert_dose("clonazepam", 1, "diazepam")
    assert "approximate" in result.warning
    assert result.to_dict()["warning"] == result.warning
    assert result.to_dict()["from"] == {"name": "clonazepam", "dose_mg": 1.0}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("sertraline", 100, "diazepam"), "no equivalence table covers both sertraline"),
        (("olanzapine", 10, "sertraline"), "no equivalence table covers both olanzapine"),
        (("lithium", 900, "sertraline"), "no equivalence table covers lithium"),
        (("sertraline", -50, "fluoxetine"), "positive number"),
        (("sertraline", 0, "fluoxetine"), "positive number"),
        (("sertraline", float("nan"), "fluoxetine"), "positive number"),
        (("sertraline", "50", "fluoxetine"), "must be a number"),
        (("sertraline", True, "fluoxetine"), "must be a number"),
    ],
)
def test_bad_conversions_raise(args, message):
    with pytest.raises(ClinicalInputError, match=message):
        equivalence.convert_dose(*args)


def test_unknown_table_and_table_without_the_drug_raise():
    with pytest.raises(ClinicalInputError, match="unknown equivalence table 'maudsley'"):
        equivalence.convert_dose("olanzapine", 10, "risperidone", table="maudsley")
    with pytest.raises(ClinicalInputError, match="table gardner2010 has no equivalent for lurasidone"):
        equivalence.convert_dose("lurasidone", 40, "risperidone", table="gardner2010")


def _pairs():
    """Return (table, drug_a, drug_b) for every table."""
    return st.sampled_from(equivalence.equivalence_tables()).flatmap(
        lambda table: st.tuples(st.just(table), st.sampled_from(sorted(table.doses)), st.sampled_from(sorted(table.doses)))
    )


@given(_pairs(), st.floats(min_value=0.1, max_value=5))
def test_round_trip_returns_the_original_dose_within_rounding(pair, factor):
    table, first, second = pair
    # Doses from a tenth to five times the table's equivalent dose: the clinically meaningful range.
    dose = table.doses[first] * factor
    there = equivalence.convert_dose(first, dose, second, table=table.name)
    back = equivalence.convert_dose(second, there.to_dose_mg, first, table=table.name)
    ratio = table.doses[first] / table.doses[second]
    # Each leg rounds to 0.01 mg; the first leg's rounding error is scaled by the ratio on the way back.
    assert abs(back.to_dose_mg - dose) <= 0.005 * ratio + 0.0051
