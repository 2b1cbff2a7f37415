"""Tapers: hyperbolic and percentage models, rounding, pauses, and their properties."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import load_kb
from dosewise.clinical.plans import (
    OccupancyModel,
    hyperbolic_doses,
    occupancy_model,
    pause_taper,
    plan_taper,
)
from dosewise.clinical.plans.rounding import formulation

TAPER_DRUGS = ["citalopram", "sertraline", "diazepam", "venlafaxine", "paroxetine", "lorazepam", "quetiapine"]


def test_citalopram_tapers_hyperbolically_with_its_source():
    plan = plan_taper("Celexa", 20)
    assert plan.model == "hyperbolic" and "Horowitz" in plan.source
    assert plan.steps[0].day == 0 and plan.steps[0].dose_mg == 20
    assert plan.steps[-1].dose_mg == 0
    assert [step.day for step in plan.steps] == [28 * index for index in range(len(plan.steps))]


def test_without_occupancy_data_the_taper_is_by_percentage():
    plan = plan_taper("escitalopram", 20)
    assert plan.model == "percentage" and "Maudsley" in plan.source
    assert plan.steps[1].dose_mg == 18


def test_benzodiazepines_use_the_fortnightly_one_eighth_default():
    plan = plan_taper("diazepam", 20)
    assert plan.interval_days == 14 and plan.step_size == 12.5
    assert plan.steps[1].dose_mg == 17.5


def test_liquid_steps_are_measured_to_a_tenth_of_a_millilitre():
    plan = plan_taper("citalopram", 20)
    liquid = [step for step in plan.steps if step.volume_ml is not None]
    assert liquid
    mg_per_ml = load_kb().ingredients["citalopram"].liquid["mg_per_ml"]
    for step in liquid:
        assert round(step.volume_ml * 10) == pytest.approx(step.volume_ml * 10)
        assert step.dose_mg == pytest.approx(step.volume_ml * mg_per_ml)


def test_swallow_whole_drugs_are_never_halved():
    doses = set(formulation(load_kb(), "venlafaxine").tablet_doses)
    assert 12.5 not in doses and 37.5 in doses
    assert 12.5 in set(formulation(load_kb(), "sertraline").tablet_doses)


def test_to_sets_the_final_dose():
    plan = plan_taper("citalopram", 20, to_mg=5)
    assert plan.steps[-1].dose_mg == 5 and all(step.dose_mg >= 5 for step in plan.steps)


def test_a_pause_holds_a_step_and_moves_the_rest():
    plan = plan_taper("citalopram", 20)
    paused = pause_taper(plan, 2, 14)
    assert [s.dose_mg for s in paused.steps] == [s.dose_mg for s in plan.steps]
    assert paused.steps[2].day == plan.steps[2].day and paused.steps[3].day == plan.steps[3].day + 14
    assert plan_taper("citalopram", 20, holds={2: 14}).steps == paused.steps


def test_smaller_steps_or_longer_intervals_slow_the_taper():
    base = plan_taper("citalopram", 20)
    assert len(plan_taper("citalopram", 20, step_points=5).steps) > len(base.steps)
    assert plan_taper("citalopram", 20, interval_days=42).steps[-1].day > base.steps[-1].day


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("sertraline", 0), {}, "above 0"),
        (("sertraline", 50), {"to_mg": 50}, "must be below"),
        (("sertraline", 50), {"interval_days": 0}, "at least 1"),
        (("escitalopram", 10), {"percent": 60}, "outside"),
        (("escitalopram", 10), {"model": "hyperbolic"}, "no published occupancy"),
        (("citalopram", 20), {"step_points": 50}, "outside"),
        (("citalopram", 20), {"holds": {40: 7}}, "pause at step 40"),
        (("nonsensical", 20), {}, "unknown drug"),
    ],
)
def test_bad_taper_input_is_refused(args, kwargs, message):
    with pytest.raises(ClinicalInputError, match=message):
        plan_taper(*args, **kwargs)


@settings(max_examples=60, deadline=None)
@given(
    drug=st.sampled_from(TAPER_DRUGS),
    from_mg=st.floats(min_value=0.5, max_value=400),
    to_fraction=st.sampled_from([0.0, 0.0, 0.1, 0.5]),
    interval=st.integers(min_value=1, max_value=60),
)
def test_taper_doses_never_increase_and_end_at_to(drug, from_mg, to_fraction, interval):
    to_mg = round(from_mg * to_fraction, 2)
    plan = plan_taper(drug, from_mg, to_mg=to_mg, interval_days=interval)
    doses = [step.dose_mg for step in plan.steps]
    assert all(high > low for high, low in itertools.pairwise(doses))
    assert doses[-1] == to_mg and doses[0] == pytest.approx(from_mg, abs=1e-3)
    days = [step.day for step in plan.steps]
    assert days == sorted(set(days)) and days[0] == 0


@settings(max_examples=60, deadline=None)
@given(
    emax=st.floats(min_value=50, max_value=100),
    ed50=st.floats(min_value=0.1, max_value=50),
    from_mg=st.floats(min_value=1, max_value=400),
    points=st.floats(min_value=2, max_value=20),
)
def test_hyperbolic_reductions_shrink_as_the_dose_falls(emax, ed50, from_mg, points):
    model = OccupancyModel("x", "SERT", emax, ed50, "test parameters")
    doses = [from_mg, *hyperbolic_doses(model, from_mg, 0.0, points), 0.0]
    drops = [high - low for high, low in itertools.pairwise(doses)]
    assert all(later <= earlier + 1e-9 for earlier, later in itertools.pairwise(drops))
    occupancies = [model.occupancy(dose) for dose in doses[:-1]]
    for before, after in itertools.pairwise(occupancies):
        assert before - after == pytest.approx(points, rel=1e-6)


def test_occupancy_parameters_come_with_a_source():
    model = occupancy_model("citalopram")
    assert model is not None and model.source and model.occupancy(20) == pytest.approx(77, abs=1)
    assert occupancy_model("escitalopram") is None


# ---------------------------------------------------------------------------------------
# How a taper ends (kb/tapering.json `tail`, Horowitz & Taylor 2019: stop only from a dose
# far below the therapeutic minimum, with no large last steps). Thresholds used here: a
# percentage taper stops from at most one tenth of the lowest usual daily dose and no step
# before the stop exceeds 1.5 times the planned percentage; a hyperbolic taper stops from a
# dose whose occupancy is at most one step, and its tail steps do not grow in relative size.

TAIL = load_kb().data("tapering.json")["tail"]
PERCENT_DRUGS = ["escitalopram", "diazepam", "lorazepam", "paroxetine", "quetiapine", "bupropion", "clonazepam",
                 "fluoxetine", "alprazolam", "mirtazapine"]


def _relative_steps(doses: list[float]) -> list[float]:
    return [1 - low / high for high, low in itertools.pairwise(doses)]


@settings(max_examples=80, deadline=None)
@given(drug=st.sampled_from(PERCENT_DRUGS), factor=st.floats(min_value=0.2, max_value=4))
def test_a_percentage_taper_shrinks_its_steps_down_to_a_small_final_dose(drug, factor):
    kb = load_kb()
    usual = kb.ingredients[drug].dose["usual_min_mg"]
    from_mg = round(usual * factor, 2)
    plan = plan_taper(drug, from_mg, model="percentage")
    doses = [step.dose_mg for step in plan.steps]
    last = doses[-2]
    assert last <= TAIL["final_fraction_of_usual_min"] * min(usual, from_mg) + 1e-9, (drug, from_mg, last)
    limit = plan.step_size / 100 * TAIL["max_step_factor"] + 1e-6
    for relative in _relative_steps(doses[:-1]):
        assert relative <= limit, (drug, from_mg, doses)


@settings(max_examples=60, deadline=None)
@given(drug=st.sampled_from(["citalopram", "sertraline", "venlafaxine"]), from_mg=st.floats(min_value=5, max_value=225))
def test_a_hyperbolic_taper_tail_does_not_grow_and_stops_from_one_step_of_occupancy(drug, from_mg):
    plan = plan_taper(drug, from_mg)
    model = occupancy_model(drug)
    doses = [step.dose_mg for step in plan.steps]
    assert model.occupancy(doses[-2]) <= plan.step_size * 1.5
    relatives = _relative_steps(doses[:-1])
    if relatives:
        smallest = relatives.index(min(relatives))
        for relative in relatives[smallest:]:
            assert relative <= min(relatives) * TAIL["max_step_factor"] + 0.02, (drug, from_mg, doses)


def test_a_small_rounded_first_step_does_not_let_the_tail_halve_the_dose_later():
    # Found by the property above: from sertraline 8.75 mg the liquid made the first step 31%
    # (to 6 mg), and 4 -> 2 mg (50%) later was more than 1.5 times that.
    doses = [step.dose_mg for step in plan_taper("sertraline", 8.75).steps]
    relatives = _relative_steps(doses[:-1])
    assert doses[:3] == [8.75, 6.0, 4.0]
    assert max(relatives) <= min(relatives) * TAIL["max_step_factor"] + 1e-6, doses


def test_tablet_only_drugs_get_compounded_steps_instead_of_a_jump_to_nothing():
    plan = plan_taper("bupropion", 150, model="percentage")
    assert plan.steps[-2].dose_mg <= 15
    assert any("compounded" in step.note for step in plan.steps)
    assert plan.steps[-1].dose_mg == 0


def test_sertraline_and_venlafaxine_have_cited_occupancy_parameters():
    for drug in ("sertraline", "venlafaxine"):
        model = occupancy_model(drug)
        assert model is not None and "Meyer" in model.source
        assert model.occupancy(load_kb().ingredients[drug].dose["usual_min_mg"]) == pytest.approx(80, abs=1)
