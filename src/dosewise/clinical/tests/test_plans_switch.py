"""Switches: washouts from the formulary, cross-tapers, and a safety check on every day."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dosewise.clinical import safety
from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import load_kb
from dosewise.clinical.plans import calendar, plan_switch, washout_for

SWITCH_DRUGS = ["sertraline", "citalopram", "fluoxetine", "venlafaxine", "phenelzine", "mirtazapine",
                "quetiapine", "aripiprazole", "lamotrigine", "valproate", "bupropion", "escitalopram"]


def test_switching_to_an_maoi_waits_the_labelled_washout():
    plan = plan_switch("fluoxetine", "phenelzine", from_mg=20)
    assert plan.method == "direct" and plan.washout.days == 35
    assert "fluoxetine" in plan.washout.basis and "Prozac" in plan.washout.source
    assert plan.schedules["phenelzine"][0].day == 35
    assert any("cross-taper refused" in note for note in plan.notes)


def test_switching_from_an_maoi_waits_14_days():
    plan = plan_switch("phenelzine", "sertraline", from_mg=45)
    assert plan.washout.days == 14 and plan.schedules["sertraline"][0].day == 14


def test_without_a_labelled_washout_five_half_lives_are_used():
    washout = washout_for(load_kb().ingredients["moclobemide"])
    assert washout.days == 1 and washout.basis.startswith("5 half-lives")


def test_a_cross_taper_overlaps_and_stops_the_old_drug():
    plan = plan_switch("citalopram", "sertraline", from_mg=20, to_mg=100)
    assert plan.method == "cross-taper" and plan.washout is None
    old = [step.dose_mg for step in plan.schedules["citalopram"]]
    assert old == sorted(old, reverse=True) and old[-1] == 0
    assert plan.schedules["sertraline"][-1].dose_mg == 100


def test_a_new_drug_with_a_template_follows_it_with_the_co_medication():
    plan = plan_switch("valproate", "lamotrigine", from_mg=750, to_mg=100)
    assert plan.schedules["lamotrigine"][0].dose_mg == 12.5


def test_the_residual_old_drug_is_still_checked_after_it_stops():
    plan = plan_switch("fluoxetine", "sertraline", from_mg=20)
    stop = next(step.day for step in plan.schedules["fluoxetine"] if step.dose_mg == 0)
    after = [check for check in plan.day_checks if check.day > stop]
    assert after and all("fluoxetine" in check.residual for check in after[:30])
    assert any(finding.drugs == ("fluoxetine", "sertraline") for finding in after[0].findings)


@settings(max_examples=25, deadline=None)
@given(
    pair=st.lists(st.sampled_from(SWITCH_DRUGS), min_size=2, max_size=2, unique=True),
    method=st.sampled_from(["cross-taper", "direct"]),
    steps=st.integers(min_value=2, max_value=6),
    interval=st.integers(min_value=1, max_value=14),
)
def test_no_day_of_a_switch_skips_the_safety_check(pair, method, steps, interval):
    plan = plan_switch(pair[0], pair[1], method=method, steps=steps, interval_days=interval)
    days = [check.day for check in plan.day_checks]
    last = max(step.day for schedule in plan.schedules.values() for step in schedule)
    assert days == list(range(len(days))) and days[-1] >= last
    for check, row in zip(plan.day_checks, calendar(plan, through_day=days[-1]), strict=True):
        taken = {drug: dose for drug, dose in row.doses_mg.items() if dose > 0}
        assert {name: dose for name, dose in check.regimen if dose is not None} == taken
        expected = safety.check([safety.RegimenItem(name, dose) for name, dose in check.regimen])
        assert list(check.findings) == expected
    assert plan.distinct_regimens == len({check.regimen for check in plan.day_checks})


def test_a_contraindicated_pair_never_overlaps():
    plan = plan_switch("sertraline", "phenelzine", method="cross-taper", from_mg=100)
    for check in plan.day_checks:
        assert all(finding.severity != "contraindicated" for finding in check.findings)


def test_the_findings_summary_names_the_days():
    summary = plan_switch("citalopram", "sertraline", from_mg=20).findings_summary()
    assert summary and all(item["days"] and item["days"][0][0] == 0 for item in summary)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("sertraline", "Zoloft"), {}, "to itself"),
        (("sertraline", "citalopram"), {"method": "sideways"}, "unknown switch method"),
        (("sertraline", "citalopram"), {"to_mg": 400}, "exceeds the labelled maximum"),
        (("sertraline", "citalopram"), {"from_mg": -1}, "above 0"),
        (("sertraline", "citalopram"), {"steps": 1}, "at least 2"),
    ],
)
def test_bad_switch_input_is_refused(args, kwargs, message):
    with pytest.raises(ClinicalInputError, match=message):
        plan_switch(*args, **kwargs)
