"""Monitoring rules and due dates (dosewise.clinical.monitoring); each rule test names its source."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import KB_DIR, load_kb
from dosewise.clinical.monitoring import catalogue_keys, due_items, monitoring_plan
from dosewise.clinical.safety import Context, RegimenItem

START = date(2025, 1, 6)


def _by_key(plan):
    return {item.key: item for item in plan}


def _loinc_check_digit_ok(code: str) -> bool:
    """Return whether a LOINC code's last digit is its mod-10 check digit."""
    body, digit = code.split("-")
    total = 0
    for position, char in enumerate(reversed(body)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value // 10 + value % 10
    return (10 - total % 10) % 10 == int(digit)


# --- the data -------------------------------------------------------------------------


def test_monitoring_file_loads_with_the_knowledge_base():
    data = load_kb().data("monitoring.json")
    assert len(data["rules"]) >= 25
    assert all(rule["sources"] for rule in data["rules"])


def test_every_loinc_code_has_a_valid_check_digit():
    data = json.loads((KB_DIR / "monitoring.json").read_text(encoding="utf-8"))
    codes = []
    for test in data["tests"].values():
        codes.append(test["loinc"])
        codes += [part["loinc"] for part in test.get("components", []) + test.get("alternatives", [])]
    checked = [code for code in codes if code is not None]
    assert len(checked) >= 25
    assert [code for code in checked if not _loinc_check_digit_ok(code)] == []


def test_loinc_check_digit_helper_rejects_a_typo():
    assert _loinc_check_digit_ok("14334-7")
    assert not _loinc_check_digit_ok("4086-4")


# --- rules ----------------------------------------------------------------------------


def test_lithium_needs_level_kidney_thyroid_and_calcium():
    """Source: NICE CG185 section 1.10 (2014, updated 2023); FDA label lithium carbonate 2.3."""
    plan = _by_key(monitoring_plan(["lithium"]))
    assert {"lithium-level", "kidney-function", "tsh", "calcium", "weight"} <= set(plan)
    level = plan["lithium-level"]
    assert level.loinc == "14334-7"
    assert level.schedule.after_start_days == (7,) and level.schedule.early_days == 2
    assert level.schedule.after_dose_change_days == (7,)
    assert level.schedule.every_days_at(100) == 91 and level.schedule.every_days_at(400) == 182
    assert "12-hour trough" in level.sampling
    assert plan["tsh"].loinc == "3016-3" and plan["calcium"].loinc == "17861-6"
    assert plan["kidney-function"].schedule.at_start


def test_valproate_needs_liver_tests_platelets_and_level():
    """Source: FDA label Depakote boxed warning, 2.1, 5.1 and hematopoietic warnings (rev. 2023)."""
    plan = _by_key(monitoring_plan(["Depakote"]))
    assert {"liver-tests", "cbc", "valproate-level"} <= set(plan)
    assert plan["valproate-level"].loinc == "4086-5"
    assert "777-3" in {code for _, code in plan["cbc"].components}
    assert plan["liver-tests"].schedule.at_start


def test_carbamazepine_needs_blood_count_sodium_liver_tests_and_level():
    """Source: FDA label Tegretol boxed warning, Warnings, Precautions (rev. 2023)."""
    plan = _by_key(monitoring_plan(["carbamazepine"]))
    assert {"cbc", "sodium", "liver-tests", "carbamazepine-level"} <= set(plan)
    assert plan["carbamazepine-level"].loinc == "3432-2"
    assert plan["sodium"].loinc == "2951-2"


def test_clozapine_anc_follows_the_label_schedule():
    """Source: FDA label Clozaril 2.1, 5.1 ANC monitoring table (rev. 2025)."""
    plan = _by_key(monitoring_plan(["clozapine"]))
    anc = plan["anc"].schedule
    assert plan["anc"].loinc == "751-8"
    assert anc.at_start
    assert [anc.every_days_at(day) for day in (0, 181, 182, 364, 365, 2000)] == [7, 7, 14, 14, 30, 30]
    assert plan["clozapine-level"].loinc is None  # not verified, so left out rather than guessed


def test_second_generation_antipsychotic_follows_the_ada_apa_schedule():
    """Source: ADA/APA/AACE/NAASO consensus, Diabetes Care 2004;27:596-601."""
    plan = _by_key(monitoring_plan(["olanzapine"]))
    assert plan["weight"].schedule.after_start_days == (28, 56, 84)
    assert plan["weight"].schedule.every_days_at(0) == 91
    assert plan["waist"].schedule.every_days_at(0) == 365
    assert plan["blood-pressure"].schedule.after_start_days == (84,)
    assert plan["glucose"].schedule.every_days_at(0) == 365
    assert "4548-4" in json.dumps(load_kb().data("monitoring.json")["tests"]["glucose"]["alternatives"][0]["loinc"])
    # APA 2020 asks for lipids at least yearly (the 2004 consensus allowed 5 years when normal).
    assert plan["lipids"].schedule.every_days_at(0) == 365
    assert plan["prolactin"].schedule.dated is False and "symptoms" in plan["prolactin"].schedule.when


@pytest.mark.parametrize("drug", ["haloperidol", "fluphenazine", "chlorpromazine", "loxapine", "olanzapine",
                                  "aripiprazole", "lurasidone", "clozapine", "pimavanserin"])
def test_every_antipsychotic_gets_the_full_metabolic_panel_and_aims(drug):
    """Source: APA schizophrenia guideline 3rd ed. 2020, Table 2 (every antipsychotic); ADA/APA 2004."""
    plan = _by_key(monitoring_plan([drug]))
    for key in ("weight", "waist", "blood-pressure", "glucose", "lipids", "aims", "prolactin"):
        assert key in plan, (drug, key)
    assert plan["weight"].schedule.after_start_days == (28, 56, 84)


def test_two_antipsychotics_share_one_lipid_panel_and_keep_both_reasons():
    """Source: ADA/APA/AACE/NAASO consensus 2004 (one panel answers for both drugs)."""
    plan = monitoring_plan(["olanzapine", "risperidone", "lithium"])
    assert [item.key for item in plan].count("lipids") == 1
    lipids = _by_key(plan)["lipids"]
    assert lipids.drugs == ("olanzapine", "risperidone")
    assert len(lipids.indications) == 2
    weight = _by_key(plan)["weight"]
    assert weight.drugs == ("lithium", "olanzapine", "risperidone")
    assert "lithium:" in weight.reason and "olanzapine, risperidone:" in weight.reason
    # The merged schedule is as demanding as the most demanding indication.
    assert weight.schedule.every_days_at(0) == 91 and weight.schedule.at_start


def test_stimulant_height_only_in_youth_and_weight_by_age_band():
    """Source: NICE NG87 section 1.8 (2018, updated 2019)."""
    child = _by_key(monitoring_plan(["methylphenidate"], Context(age=9)))
    teen = _by_key(monitoring_plan(["methylphenidate"], Context(age=15)))
    adult = _by_key(monitoring_plan(["Adderall"], Context(age=30)))
    assert "height" in child and "height" in teen and "height" not in adult
    assert child["weight"].schedule.every_days_at(0) == 91
    assert teen["weight"].schedule.after_start_days == (91, 182)
    assert adult["weight"].schedule.every_days_at(0) == 182
    assert {"blood-pressure", "heart-rate"} <= set(adult)
    unknown_age = _by_key(monitoring_plan(["methylphenidate"]))
    assert "height" in unknown_age  # without an age every band applies


def test_tricyclic_needs_an_ecg():
    """Source: Gutgesell et al., Circulation 1999;99:979-982; TCA label warnings."""
    plan = _by_key(monitoring_plan(["nortriptyline"]))
    assert plan["ecg"].loinc == "11524-6"
    assert ("QTc interval", "8636-3") in plan["ecg"].components


def test_qt_combination_needs_an_ecg_but_one_qt_drug_does_not():
    """Source: Drew et al., AHA/ACCF statement, Circulation 2010;121:1047-1060."""
    assert "ecg" not in _by_key(monitoring_plan(["citalopram"]))
    ecg = _by_key(monitoring_plan(["citalopram", "quetiapine", "sertraline"]))["ecg"]
    assert ecg.indications[0].drugs == ("citalopram", "quetiapine")


def test_a_drug_without_rules_gets_an_empty_plan():
    assert monitoring_plan([RegimenItem("sertraline", 50)]) == []


def test_every_catalogue_test_is_used_by_a_rule():
    used = {rule["test"] for rule in load_kb().data("monitoring.json")["rules"]}
    assert set(catalogue_keys()) == used


# --- bad input ------------------------------------------------------------------------


def test_unknown_drug_is_refused_with_suggestions():
    with pytest.raises(ClinicalInputError, match="unknown drug 'lithum'"):
        monitoring_plan(["lithum"])


def test_a_start_date_for_a_drug_outside_the_regimen_is_refused():
    with pytest.raises(ClinicalInputError, match="not in the regimen"):
        monitoring_plan(["lithium"], start_dates={"clozapine": START})


def test_a_start_date_that_is_not_a_date_is_refused():
    with pytest.raises(ClinicalInputError, match="must be a date"):
        monitoring_plan(["lithium"], start_dates={"lithium": "2025-01-06"})


def test_a_regimen_given_as_one_string_is_refused():
    with pytest.raises(ClinicalInputError, match="list of drugs"):
        monitoring_plan("lithium")


# --- due and overdue ------------------------------------------------------------------


def _due(plan, last, changes, today):
    return {item.test: item for item in due_items(plan, last, changes, today)}


def test_lithium_level_is_due_seven_days_after_starting():
    """Source: NICE CG185 1.10: level one week after starting."""
    plan = monitoring_plan(["lithium"], start_dates={"lithium": START})
    due = _due(plan, {}, {}, START + timedelta(days=3))
    assert due["lithium-level"].due_date == START + timedelta(days=7)
    assert not due["lithium-level"].overdue
    assert due["tsh"].due_date == START and due["tsh"].overdue


def test_a_level_at_day_five_counts_for_the_day_seven_check():
    plan = monitoring_plan(["lithium"], start_dates={"lithium": START})
    day5 = START + timedelta(days=5)
    due = _due(plan, {"lithium-level": day5}, {}, START + timedelta(days=10))
    assert due["lithium-level"].due_date == day5 + timedelta(days=91)


def test_a_level_at_day_four_is_too_early_and_the_check_becomes_overdue():
    plan = monitoring_plan(["lithium"], start_dates={"lithium": START})
    due = _due(plan, {"lithium-level": START + timedelta(days=4)}, {}, START + timedelta(days=10))
    assert due["lithium-level"].due_date == START + timedelta(days=7)
    assert due["lithium-level"].overdue


def test_a_dose_change_brings_the_lithium_level_forward():
    plan = monitoring_plan(["lithium"], start_dates={"lithium": START})
    last = START + timedelta(days=30)
    changed = START + timedelta(days=60)
    due = _due(plan, {"lithium-level": last}, {"Lithobid": changed}, changed + timedelta(days=1))
    assert due["lithium-level"].due_date == changed + timedelta(days=7)
    assert "dose change of lithium" in due["lithium-level"].reason


def test_lithium_level_interval_widens_after_the_first_year():
    plan = monitoring_plan(["lithium"], start_dates={"lithium": START})
    last = START + timedelta(days=400)
    due = _due(plan, {"lithium-level": last}, {}, last + timedelta(days=1))
    assert due["lithium-level"].due_date == last + timedelta(days=182)


def test_clozapine_anc_goes_from_weekly_to_monthly():
    """Source: FDA label Clozaril ANC table: weekly, every 2 weeks, monthly."""
    plan = monitoring_plan(["clozapine"], start_dates={"clozapine": START})
    for day, gap in ((30, 7), (200, 14), (500, 30)):
        last = START + timedelta(days=day)
        assert _due(plan, {"anc": last}, {}, last)["anc"].due_date == last + timedelta(days=gap)


def test_missed_anc_is_overdue():
    plan = monitoring_plan(["clozapine"], start_dates={"clozapine": START})
    last = START + timedelta(days=14)
    due = _due(plan, {"anc": last}, {}, last + timedelta(days=10))
    assert due["anc"].overdue and due["anc"].due_date == last + timedelta(days=7)


def test_antipsychotic_week_twelve_glucose_is_due_after_a_baseline():
    plan = monitoring_plan(["aripiprazole"], start_dates={"aripiprazole": START})
    due = _due(plan, {"glucose": START - timedelta(days=10)}, {}, START + timedelta(days=20))
    assert due["glucose"].due_date == START + timedelta(days=84)
    assert "84 days after starting" in due["glucose"].reason


def test_a_baseline_older_than_the_lookback_does_not_count():
    plan = monitoring_plan(["aripiprazole"], start_dates={"aripiprazole": START})
    due = _due(plan, {"lipids": START - timedelta(days=200)}, {}, START + timedelta(days=1))
    assert due["lipids"].due_date == START and due["lipids"].overdue


def test_shared_test_takes_the_earliest_due_date_of_its_drugs():
    later = START + timedelta(days=100)
    plan = monitoring_plan(["olanzapine", "risperidone"], start_dates={"olanzapine": START, "risperidone": later})
    last = later - timedelta(days=5)
    due = _due(plan, {"weight": last}, {}, later + timedelta(days=1))
    # risperidone's 4-week weight check comes before olanzapine's 3-monthly one.
    assert due["weight"].due_date == later + timedelta(days=28)
    assert "risperidone" in due["weight"].reason


def test_condition_driven_items_have_no_due_date():
    plan = monitoring_plan(["haloperidol"], start_dates={"haloperidol": START})
    assert "prolactin" not in _due(plan, {}, {}, START)


def test_unknown_start_and_no_result_is_due_today():
    plan = monitoring_plan(["lithium"])
    today = date(2025, 6, 1)
    due = _due(plan, {}, {}, today)
    assert due["tsh"].due_date == today and not due["tsh"].overdue


def test_due_items_are_sorted_by_date():
    plan = monitoring_plan(["lithium", "clozapine"], start_dates={"lithium": START, "clozapine": START})
    items = due_items(plan, {"anc": START}, {}, START + timedelta(days=2))
    assert [i.due_date for i in items] == sorted(i.due_date for i in items)


def test_an_unknown_test_key_in_results_is_refused():
    plan = monitoring_plan(["lithium"])
    with pytest.raises(ClinicalInputError, match="unknown test key 'lithium'"):
        due_items(plan, {"lithium": START}, {}, START)


def test_a_non_date_today_is_refused():
    with pytest.raises(ClinicalInputError, match="today must be a date"):
        due_items(monitoring_plan(["lithium"]), {}, {}, "2025-01-01")
