"""Titration templates: labelled schedules, modifiers as data, overrides checked against the label."""

from __future__ import annotations

import itertools
import json

import fastjsonschema
import pytest

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import KB_DIR, load_kb
from dosewise.clinical.plans import calendar, plan_titration, template_ids


def _doses(plan):
    return [(step.day, step.dose_mg) for step in plan.steps]


def test_the_knowledge_base_still_loads_with_the_plan_files():
    kb = load_kb()
    assert kb.data("titrations.json")["templates"]
    assert kb.data("tapering.json")["percentage"]["percent"] > 0


def test_every_template_step_rule_and_modifier_has_a_source():
    for template in load_kb().data("titrations.json")["templates"]:
        assert template["source"] and template["escalation"]["source"]
        for modifier in template.get("modifiers", ()):
            assert modifier["source"].startswith("FDA label")


def test_every_template_names_a_formulary_drug_and_stays_under_its_maximum():
    kb = load_kb()
    for template_id in template_ids():
        template = next(t for t in kb.data("titrations.json")["templates"] if t["id"] == template_id)
        plan = plan_titration(template["drug"], template=template_id)
        assert plan.steps[-1].dose_mg == plan.target_mg <= plan.max_mg <= kb.ingredients[plan.drug].dose["max_mg"]


def test_lamotrigine_follows_the_label_schedule():
    assert _doses(plan_titration("Lamictal")) == [(0, 25), (14, 50), (28, 100), (35, 200)]


def test_valproate_halves_the_lamotrigine_schedule():
    plain = plan_titration("lamotrigine")
    halved = plan_titration("lamotrigine", with_drugs=["Depakote"])
    assert [dose for _, dose in _doses(halved)] == [dose / 2 for _, dose in _doses(plain)]
    assert halved.target_mg == 100 and halved.modifiers == ("with-valproate",)
    assert "every other day" in halved.steps[0].note


def test_an_inducer_without_valproate_doubles_after_the_first_weeks():
    plan = plan_titration("lamotrigine", with_drugs=["carbamazepine"])
    assert _doses(plan) == [(0, 50), (14, 100), (28, 200), (35, 300), (42, 400)]
    both = plan_titration("lamotrigine", with_drugs=["carbamazepine", "valproate"])
    assert both.modifiers == ("with-valproate",)


def test_an_estrogen_contraceptive_adds_a_note_but_keeps_the_escalation():
    plan = plan_titration("lamotrigine", with_drugs=["ethinyl estradiol"])
    assert _doses(plan) == _doses(plan_titration("lamotrigine"))
    assert any("contraceptive" in note for note in plan.notes)


def test_a_slower_custom_lamotrigine_schedule_is_held_under_the_label():
    plan = plan_titration("lamotrigine", interval_days=14)
    label = plan_titration("lamotrigine")
    for day in range(plan.steps[-1].day + 1):
        assert calendar(plan, through_day=day)[day].doses_mg["lamotrigine"] <= max(
            calendar(label, through_day=day)[day].doses_mg["lamotrigine"], 200)
    assert plan.steps[1].dose_mg == 50 and "held" in plan.steps[1].note
    assert plan.steps[-1].dose_mg == 200


def test_clozapine_reaches_300_by_the_end_of_week_two_and_continues_weekly():
    plan = plan_titration("clozapine", target_mg=500)
    assert plan.steps[0].dose_mg == 12.5
    assert max(step.dose_mg for step in plan.steps if step.day <= 13) == 300
    later = [step for step in plan.steps if step.day > 12]
    assert [step.dose_mg for step in later] == [400, 500]
    assert all(b.day - a.day >= 3 for a, b in itertools.pairwise(later))


def test_sertraline_increases_weekly_to_a_higher_target():
    assert _doses(plan_titration("sertraline", target_mg=200)) == [(0, 50), (7, 100), (14, 150), (21, 200)]


def test_a_second_template_is_chosen_by_id():
    plan = plan_titration("sertraline", template="sertraline-panic-ptsd-sad")
    assert _doses(plan) == [(0, 25), (7, 50)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"target_mg": 300}, "exceeds the labelled maximum of 200"),
        ({"step_mg": 100}, "larger than the labelled maximum step"),
        ({"interval_days": 3}, "shorter than the labelled minimum of 7"),
        ({"start_mg": 100}, "above the labelled first dose"),
        ({"target_mg": -5}, "above 0"),
        ({"template": "nope"}, "no titration template 'nope'"),
    ],
)
def test_overrides_outside_the_label_are_refused(kwargs, message):
    with pytest.raises(ClinicalInputError, match=message):
        plan_titration("sertraline", **kwargs)


def test_a_drug_without_a_template_is_refused():
    with pytest.raises(ClinicalInputError, match="no titration template for olanzapine"):
        plan_titration("olanzapine")


def test_quetiapine_bipolar_depression_caps_at_300():
    with pytest.raises(ClinicalInputError, match="300"):
        plan_titration("quetiapine", template="quetiapine-bipolar-depression", target_mg=400)


def test_the_schema_requires_a_factor_for_a_scaling_modifier():
    schema = json.loads((KB_DIR / "schema" / "titrations.schema.json").read_text(encoding="utf-8"))
    data = load_kb().files["titrations.json"]
    broken = json.loads(json.dumps(data))
    del broken["templates"][0]["modifiers"][0]["dose_factor"]
    validate = fastjsonschema.compile(schema)
    validate(json.loads(json.dumps(data)))
    with pytest.raises(fastjsonschema.JsonSchemaException):
        validate(broken)


def test_the_calendar_lists_every_day_with_the_dose_in_force():
    from datetime import date

    days = calendar(plan_titration("lamotrigine"), date(2025, 1, 1))
    assert len(days) == 36 and days[0].date == date(2025, 1, 1)
    assert days[13].doses_mg == {"lamotrigine": 25} and days[14].doses_mg == {"lamotrigine": 50}
    assert "weeks 3-4" in days[14].note and days[15].note == ""


@pytest.mark.parametrize(
    "inducer", ["carbamazepine", "phenytoin", "fosphenytoin", "phenobarbital", "primidone", "rifampin", "lopinavir",
                "atazanavir"],
)
def test_every_inducer_the_lamotrigine_label_lists_doubles_the_schedule(inducer):
    """FDA label Lamictal section 2.1 and Table 5: the glucuronidation inducers, each one."""
    plan = plan_titration("lamotrigine", with_drugs=[inducer])
    assert plan.modifiers == ("with-enzyme-inducer",) and plan.target_mg == 400
