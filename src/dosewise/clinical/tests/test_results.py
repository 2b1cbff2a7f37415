"""Results judged in the safety check: levels, blood counts, chemistry and weight against the regimen.

Cases follow the cited sources: the lithium label (toxic at 1.5 mEq/L and above; target
0.8-1.2 acute), the clozapine label's ANC tables (general population and benign ethnic
neutropenia), the Depakote label (50-125 mcg/mL in mania; thrombocytopenia above 110 / 135
mcg/mL), the Tegretol label (4-12 mcg/mL), SSRI/SNRI labels and Spasovski 2014 on sodium,
KDIGO 2012 on creatinine and eGFR, and the ADA/APA 2004 consensus on weight.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.safety import ChartResults, Context, LabResult, RegimenItem, check

TODAY = date(2026, 11, 30)


def _days(n: int) -> date:
    return TODAY - timedelta(days=n)


def _results(*results, **chart) -> ChartResults:
    return ChartResults(results=tuple(LabResult(*r) for r in results), today=TODAY, **chart)


def _lab(regimen, *results, age=45, sex="female", pregnant=False, **chart):
    context = Context(age=age, sex=sex, pregnant=pregnant, results=_results(*results, **chart))
    items = [RegimenItem(*item) if isinstance(item, tuple) else RegimenItem(item) for item in regimen]
    return [f for f in check(items, context) if f.kind == "lab-result"]


def _ids(findings) -> dict[str, str]:
    return {f.rule_id: f.severity for f in findings}


# -- lithium ----------------------------------------------------------------------------


def test_a_toxic_lithium_level_with_a_dose_increase_is_contraindicated_and_says_hold_the_increase():
    findings = _lab([("lithium", 1500)], ("lithium-level", 1.8, "mmol/L", _days(1)),
                    previous_doses={"lithium": 1200}, dose_changes={"lithium": _days(30)})
    (finding,) = [f for f in findings if f.rule_id == "result-lithium-level-toxic"]
    assert finding.severity == "contraindicated"
    assert "1.8 mmol/L" in finding.summary and _days(1).isoformat() in finding.summary
    assert "1.5" in finding.summary and "from 1200 to 1500 mg/day" in finding.summary
    assert finding.action.startswith("hold the increase") and "5-7 days after the last change" in finding.action
    assert any("lithium toxicity" in s and "1.5 mEq/L" in s for s in finding.sources)


def test_a_toxic_lithium_level_without_an_order_to_raise_it_is_still_major():
    assert _ids(_lab(["lithium"], ("lithium-level", 1.6, "mmol/L", _days(2)))) == {
        "result-lithium-level-toxic": "major"}


def test_lithium_bands_pick_one_finding_each():
    assert _ids(_lab(["lithium"], ("lithium-level", 2.3, "", _days(1)))) == {"result-lithium-level-severe":
                                                                              "contraindicated"}
    assert _ids(_lab(["lithium"], ("lithium-level", 1.3, "", _days(1)))) == {"result-lithium-level-high": "moderate"}
    assert _ids(_lab([("lithium", 1200)], ("lithium-level", 1.3, "", _days(1)),
                     previous_doses={"lithium": 900})) == {"result-lithium-level-high": "major"}


def test_a_lithium_level_in_range_gives_no_finding_unless_the_dose_rises_from_the_top_of_it():
    assert _lab(["lithium"], ("lithium-level", 1.1, "", _days(1))) == []
    assert _lab([("lithium", 900)], ("lithium-level", 0.8, "", _days(10)), previous_doses={"lithium": 600}) == []
    rising = _lab([("lithium", 1200)], ("lithium-level", 1.1, "", _days(10)), previous_doses={"lithium": 900})
    assert _ids(rising) == {"result-lithium-level-upper-increase": "moderate"}


def test_a_lower_dose_is_not_an_increase():
    findings = _lab([("lithium", 600)], ("lithium-level", 1.6, "", _days(1)), previous_doses={"lithium": 900})
    assert _ids(findings) == {"result-lithium-level-toxic": "major"}
    assert "the order raises" not in findings[0].summary


def test_a_lithium_level_in_meq_per_litre_is_the_same_number():
    assert _ids(_lab(["lithium"], ("lithium-level", 1.6, "mEq/L", _days(1)))) == {"result-lithium-level-toxic":
                                                                                   "major"}


def test_a_lithium_level_is_not_judged_for_a_regimen_without_lithium():
    assert _lab(["sertraline"], ("lithium-level", 2.5, "", _days(1))) == []


def test_a_level_drawn_three_days_after_a_dose_change_is_not_at_steady_state():
    findings = _lab(["lithium"], ("lithium-level", 0.7, "", _days(3)), dose_changes={"lithium": _days(6)})
    (finding,) = findings
    assert finding.rule_id == "result-steady-state-lithium-level" and finding.severity == "minor"
    assert "not yet at steady state" in finding.summary and "3 days after" in finding.summary
    assert "repeat the level 5-7 days after the change" in finding.action
    assert _lab(["lithium"], ("lithium-level", 0.7, "", _days(3)), dose_changes={"lithium": _days(9)}) == []


def test_a_level_drawn_before_the_last_change_says_so_and_an_increase_asks_for_a_new_level():
    findings = _lab([("lithium", 1500)], ("lithium-level", 1.8, "", _days(10)),
                    previous_doses={"lithium": 1200}, dose_changes={"lithium": _days(5)})
    toxic = next(f for f in findings if f.rule_id == "result-lithium-level-toxic")
    assert f"drawn before the dose change on {_days(5).isoformat()}" in toxic.summary
    assert "result-level-before-change-lithium-level" in _ids(findings)


def test_an_increase_with_no_level_on_file_asks_for_one():
    findings = _lab([("lithium", 1200)], ("sodium", 140, "", _days(1)), previous_doses={"lithium": 900})
    assert _ids(findings) == {"result-no-level-lithium-level": "minor"}


def test_an_old_level_is_too_old_to_judge_and_is_not_used():
    # After the first year on lithium the level is repeated every 182 days (NICE CG185).
    findings = _lab(["lithium"], ("lithium-level", 1.8, "", _days(200)), start_dates={"lithium": _days(800)})
    assert _ids(findings) == {"result-too-old-lithium-level": "minor"}
    assert "200 days old" in findings[0].summary and "limit 182 days" in findings[0].summary
    # In the first year the interval is 91 days.
    first_year = _lab(["lithium"], ("lithium-level", 0.7, "", _days(95)), start_dates={"lithium": _days(200)})
    assert _ids(first_year) == {"result-too-old-lithium-level": "minor"}
    assert _lab(["lithium"], ("lithium-level", 0.7, "", _days(95)), start_dates={"lithium": _days(800)}) == []


def test_low_sodium_on_lithium_is_flagged():
    assert _ids(_lab(["lithium"], ("sodium", 131, "", _days(1)), ("lithium-level", 0.8, "", _days(1)))) == {
        "result-lithium-sodium-low": "moderate"}


def test_creatinine_rising_on_lithium_by_half_is_major_and_by_0_3_moderate():
    big = _lab(["lithium"], ("creatinine", 0.8, "mg/dL", _days(200)), ("creatinine", 1.25, "mg/dL", _days(2)))
    assert _ids(big) == {"result-lithium-creatinine-rise": "major"}
    assert "from 0.8 mg/dL" in big[0].summary and "to 1.25 mg/dL" in big[0].summary
    small = _lab(["lithium"], ("creatinine", 0.9, "", _days(150)), ("creatinine", 1.2, "", _days(2)))
    assert _ids(small) == {"result-lithium-creatinine-rising": "moderate"}
    assert _lab(["lithium"], ("creatinine", 1.0, "", _days(150)), ("creatinine", 1.1, "", _days(2))) == []


def test_creatinine_in_micromoles_is_converted_with_the_catalogue():
    findings = _lab(["lithium"], ("creatinine", 70, "umol/L", _days(120)), ("creatinine", 115, "umol/L", _days(1)))
    assert _ids(findings) == {"result-lithium-creatinine-rise": "major"}


def test_egfr_falling_a_quarter_into_a_lower_category_on_lithium():
    assert _ids(_lab(["lithium"], ("egfr", 80, "", _days(170)), ("egfr", 55, "", _days(1)))) == {
        "result-lithium-egfr-fall": "major"}
    # A fall within one category (KDIGO G2) is not a certain drop.
    assert _lab(["lithium"], ("egfr", 88, "", _days(170)), ("egfr", 64, "", _days(1))) == []


# -- clozapine ANC ----------------------------------------------------------------------


@pytest.mark.parametrize(("anc", "rule", "severity"), [
    (400, "result-clozapine-anc-severe", "contraindicated"),
    (800, "result-clozapine-anc-moderate", "contraindicated"),
    (1200, "result-clozapine-anc-mild", "moderate"),
])
def test_clozapine_anc_general_population_bands(anc, rule, severity):
    findings = _lab(["clozapine"], ("anc", anc, "/uL", _days(1)))
    assert _ids(findings) == {rule: severity}
    assert "interrupt clozapine" in findings[0].action or anc >= 1000


def test_normal_anc_on_clozapine_gives_no_finding():
    assert _lab(["clozapine"], ("anc", 1.6, "10*9/L", _days(1))) == []


def test_clozapine_cannot_start_below_a_baseline_anc_of_1500():
    findings = _lab(["clozapine"], ("anc", 1200, "", _days(1)), starting=("clozapine",))
    assert _ids(findings) == {"result-clozapine-anc-mild": "contraindicated"}


@pytest.mark.parametrize(("anc", "expected"), [
    (1200, {}), (800, {"result-clozapine-anc-ben": "major"}), (400, {"result-clozapine-anc-ben-severe":
                                                                     "contraindicated"}),
])
def test_benign_ethnic_neutropenia_uses_its_own_bands(anc, expected):
    assert _ids(_lab(["clozapine"], ("anc", anc, "", _days(1)), ben=True)) == expected


def test_an_anc_older_than_the_weekly_interval_of_the_first_six_months_is_too_old():
    findings = _lab(["clozapine"], ("anc", 900, "", _days(9)), start_dates={"clozapine": _days(60)})
    assert _ids(findings) == {"result-too-old-anc": "minor"}
    monthly = _lab(["clozapine"], ("anc", 900, "", _days(20)), start_dates={"clozapine": _days(500)})
    assert _ids(monthly) == {"result-clozapine-anc-moderate": "contraindicated"}


def test_a_very_high_clozapine_level_is_major():
    assert _ids(_lab(["clozapine"], ("clozapine-level", 1150, "ng/mL", _days(2)))) == {
        "result-clozapine-level-alert": "major"}


# -- valproate and carbamazepine -------------------------------------------------------------


def test_valproate_above_the_mania_range_is_major_and_contraindicated_with_an_increase():
    assert _ids(_lab(["valproate"], ("valproate-level", 130, "ug/mL", _days(2)), sex="male")) == {
        "result-valproate-level-high": "major"}
    raised = _lab([("valproate", 1500)], ("valproate-level", 130, "", _days(2)), sex="male",
                  previous_doses={"valproate": 1000})
    assert _ids(raised)["result-valproate-level-high"] == "contraindicated"


def test_valproate_thrombocytopenia_threshold_depends_on_sex_and_uses_the_lower_one_when_unknown():
    assert _ids(_lab(["valproate"], ("valproate-level", 115, "", _days(2)), sex="female")) == {
        "result-valproate-level-platelet-risk": "moderate"}
    assert _lab(["valproate"], ("valproate-level", 115, "", _days(2)), sex="male") == []
    assert "result-valproate-level-platelet-risk" in _ids(_lab(["valproate"], ("valproate-level", 115, "", _days(2)),
                                                               sex=None))


def test_a_valproate_level_in_micromoles_is_converted():
    # 900 umol/L x 0.1443 = 129.9 ug/mL, above 125.
    assert "result-valproate-level-high" in _ids(_lab(["valproate"], ("valproate-level", 900, "umol/L", _days(2))))


def test_alt_above_three_times_normal_on_valproate_is_major_with_the_label_cited():
    findings = _lab(["valproate"], ("alt", 120, "U/L", _days(3)), sex="male")
    assert _ids(findings) == {"result-hepatotoxic-alt-high": "major"}
    assert "99 U/L" in findings[0].summary
    assert findings[0].sources[0].startswith("FDA label Depakote") and "hepatotoxicity" in findings[0].sources[0]


def test_the_alt_limit_follows_the_patients_sex():
    assert _ids(_lab(["valproate"], ("alt", 80, "", _days(3)), sex="female")) == {"result-hepatotoxic-alt-high":
                                                                                  "major"}
    assert _ids(_lab(["valproate"], ("alt", 80, "", _days(3)), sex="male")) == {"result-hepatotoxic-alt-raised":
                                                                                "minor"}


def test_alt_is_not_judged_on_a_drug_without_a_liver_warning():
    assert _lab(["sertraline"], ("alt", 400, "", _days(3))) == []


def test_carbamazepine_above_12_is_major():
    assert _ids(_lab(["carbamazepine"], ("carbamazepine-level", 14, "", _days(3)))) == {
        "result-carbamazepine-level-high": "major"}


def test_a_carbamazepine_level_in_the_first_weeks_is_before_autoinduction_completes():
    findings = _lab(["carbamazepine"], ("carbamazepine-level", 9, "", _days(5)), start_dates={"carbamazepine":
                                                                                             _days(15)})
    assert _ids(findings) == {"result-steady-state-carbamazepine-level": "minor"}


@pytest.mark.parametrize(("platelets", "rule", "severity"), [
    (40, "result-platelets-severe", "major"), (120, "result-platelets-low", "moderate"),
])
def test_platelets_on_valproate(platelets, rule, severity):
    assert _ids(_lab(["valproate"], ("platelets", platelets, "10*3/uL", _days(3)))) == {rule: severity}


def test_platelets_per_microlitre_are_converted():
    assert _ids(_lab(["valproate"], ("platelets", 40000, "/uL", _days(3)))) == {"result-platelets-severe": "major"}


def test_low_white_cells_on_carbamazepine_ask_for_the_neutrophil_count():
    (finding,) = _lab(["carbamazepine"], ("wbc", 3.1, "", _days(3)))
    assert finding.rule_id == "result-wbc-low" and "neutrophil" in finding.action


# -- sodium ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("sodium", "age", "severity"), [
    (133, 40, "minor"), (133, 72, "moderate"), (128, 40, "moderate"), (128, 72, "major"), (122, 40, "major"),
])
def test_hyponatraemia_on_an_ssri_is_worse_in_older_patients(sodium, age, severity):
    (finding,) = _lab(["sertraline"], ("sodium", sodium, "mmol/L", _days(2)), age=age)
    assert finding.severity == severity and "sertraline" in finding.summary
    assert finding.sources[0].startswith("FDA label Zoloft") and "hyponatremia" in finding.sources[0]


def test_hyponatraemia_applies_to_snris_carbamazepine_and_oxcarbazepine_but_not_bupropion():
    for drug in ("venlafaxine", "carbamazepine", "oxcarbazepine"):
        assert _ids(_lab([drug], ("sodium", 128, "", _days(2)))) == {"result-hyponatraemia-moderate": "moderate"}
    assert _lab(["bupropion"], ("sodium", 128, "", _days(2))) == []
    assert _lab(["sertraline"], ("sodium", 138, "", _days(2))) == []


# -- weight and pregnancy -------------------------------------------------------------------------


def test_a_five_percent_weight_gain_on_a_second_generation_antipsychotic():
    findings = _lab(["olanzapine"], ("weight", 80, "kg", _days(120)), ("weight", 85, "kg", _days(2)))
    assert _ids(findings) == {"result-antipsychotic-weight-gain": "moderate"}
    assert "6.2%" in findings[0].summary
    assert _lab(["olanzapine"], ("weight", 80, "kg", _days(120)), ("weight", 83, "kg", _days(2))) == []
    assert _lab(["sertraline"], ("weight", 80, "kg", _days(120)), ("weight", 90, "kg", _days(2))) == []


def test_weight_gain_counts_from_the_weight_at_the_start_of_the_drug():
    findings = _lab(["quetiapine"], ("weight", 70, "kg", _days(400)), ("weight", 80, "kg", _days(150)),
                    ("weight", 82, "kg", _days(2)), start_dates={"quetiapine": _days(140)})
    assert findings == []  # 80 -> 82 kg since the start is 2.5%


def test_a_positive_pregnancy_test_on_valproate_is_contraindicated_and_cites_the_pregnancy_source():
    findings = _lab(["valproate"], ("pregnancy-test", 1, "", _days(2)))
    assert _ids(findings) == {"result-pregnancy-teratogen": "contraindicated"}
    assert any("8.1" in s or "boxed" in s or "pregnan" in s.lower() for s in findings[0].sources)
    assert _ids(_lab(["topiramate"], ("pregnancy-test", 1, "", _days(2)))) == {"result-pregnancy-teratogen": "major"}
    assert _lab(["sertraline"], ("pregnancy-test", 1, "", _days(2))) == []
    assert _lab(["valproate"], ("pregnancy-test", 0, "", _days(2))) == []
    # A pregnancy already recorded on the chart gives the pregnancy finding instead.
    assert _lab(["valproate"], ("pregnancy-test", 1, "", _days(2)), pregnant=True) == []


# -- input ----------------------------------------------------------------------------------------


def test_bad_results_are_refused_with_a_message():
    with pytest.raises(ClinicalInputError, match="negative"):
        LabResult("lithium-level", -1)
    with pytest.raises(ClinicalInputError, match="must be a number"):
        LabResult("lithium-level", "1.2")  # type: ignore[arg-type]
    with pytest.raises(ClinicalInputError, match="unknown result 'lithium'"):
        _lab(["lithium"], ("lithium", 1.0, "", _days(1)))
    with pytest.raises(ClinicalInputError, match="not accepted for lithium-level"):
        _lab(["lithium"], ("lithium-level", 1.0, "mg/dL", _days(1)))
    with pytest.raises(ClinicalInputError, match="not a possible result"):
        _lab(["lithium"], ("lithium-level", 40, "", _days(1)))
    with pytest.raises(ClinicalInputError, match="after the check's day"):
        _lab(["lithium"], ("lithium-level", 1.0, "", TODAY + timedelta(days=1)))
    with pytest.raises(ClinicalInputError, match="not one formulary drug"):
        _lab(["lithium"], previous_doses={"lithum": 900})


def test_a_plain_list_of_results_is_judged_today():
    findings = check(["lithium"], Context(results=[LabResult("lithium-level", 1.7)]))
    assert [f.rule_id for f in findings if f.kind == "lab-result"] == ["result-lithium-level-toxic"]


@given(st.floats(min_value=0.1, max_value=1.0))
def test_a_fresh_lithium_level_up_to_1_0_never_fires_without_an_increase(level):
    assert _lab(["lithium"], ("lithium-level", level, "", _days(1))) == []


@given(st.floats(min_value=0.1, max_value=4.0), st.floats(min_value=0.1, max_value=4.0))
def test_a_higher_lithium_level_is_never_judged_less_severe(low, high):
    low, high = sorted((low, high))
    order = {"contraindicated": 0, "major": 1, "moderate": 2, "minor": 3, None: 4}

    def worst(level):
        found = _lab(["lithium"], ("lithium-level", level, "", _days(1)))
        return min((order[f.severity] for f in found), default=4)

    assert worst(high) <= worst(low)
