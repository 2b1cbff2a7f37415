"""Patient handouts from the knowledge base: every section sourced, the boxed warnings and the
label's danger signs all present, the tests to keep, what to avoid, pregnancy, missed doses,
stopping and the clinic's phone, in plain language (grade 8 or below)."""

from __future__ import annotations

import re

import pytest

from dosewise.clinical.education import TARGET_GRADE, education_handout, plain_schedule
from dosewise.clinical.kb import load_kb
from dosewise.clinical.monitoring import Interval, Schedule, monitoring_plan
from dosewise.clinical.triage import signs_for

PHONE = "(312) 555-0142"


def _handout(name: str, **kwargs):
    return education_handout(load_kb().ingredients[name], **kwargs)


def _section(handout, key: str) -> str:
    section = handout.section(key)
    return " ".join(s.text for s in section.statements) if section else ""


def _psychotropics():
    return [name for name, ingredient in load_kb().ingredients.items() if ingredient.psychotropic]


def test_every_formulary_handout_is_sourced_and_within_the_reading_target():
    for name, ingredient in load_kb().ingredients.items():
        handout = education_handout(ingredient, how_to_take="50 mg/day once daily", clinic_phone=PHONE)
        assert handout.readability.grade <= TARGET_GRADE and handout.within_target, name
        assert all(s.source.strip() for section in handout.sections for s in section.statements), name


@pytest.mark.parametrize("name", _psychotropics())
def test_every_psychotropic_handout_covers_its_boxed_warnings_and_danger_signs(name):
    """The gap check: each boxed-warning topic in 'Serious warnings', each danger sign in a 'get help' section."""
    kb = load_kb()
    ingredient = kb.ingredients[name]
    handout = education_handout(ingredient, clinic_phone=PHONE)
    boxed = handout.section("boxed")
    topics = {w["topic"] for w in ingredient.boxed_warnings}
    covered = {s.key for s in boxed.statements} if boxed else set()
    assert topics <= covered, f"{name}: boxed warnings missing from the handout: {sorted(topics - covered)}"
    plain = kb.data("handouts.json")["boxed"]
    assert topics <= set(plain), f"{name}: no plain words for boxed topics {sorted(topics - set(plain))}"
    sign_keys = {s.key for key in ("help-now", "call-today", "tell-soon") if handout.section(key)
                 for s in handout.section(key).statements}
    expected = {sign["id"] for sign in signs_for(name)}
    assert expected <= sign_keys, f"{name}: danger signs missing from the handout: {sorted(expected - sign_keys)}"
    for key in ("missed", "stopping", "contact"):
        assert handout.section(key) is not None, f"{name}: no {key} section"
    assert PHONE in _section(handout, "contact")
    if ingredient.pregnancy.get("risk") in ("caution", "avoid", "contraindicated"):
        assert handout.section("pregnancy") is not None, f"{name}: the label warns in pregnancy"
    dated = {item.key for item in monitoring_plan([name]) if item.schedule.dated}
    monitored = {s.key for s in handout.section("monitoring").statements} if handout.section("monitoring") else set()
    assert dated <= monitored, f"{name}: tests missing from the handout: {sorted(dated - monitored)}"


@pytest.mark.parametrize("name", _psychotropics())
def test_patient_text_carries_no_rule_ids_or_citation_numbers(name):
    handout = education_handout(load_kb().ingredients[name], clinic_phone=PHONE)
    ids = {sign["id"] for sign in signs_for(name)}
    for section in handout.sections:
        for statement in section.statements:
            text = statement.text
            assert not any(re.search(rf"\b{re.escape(i)}\b", text) for i in ids if "-" in i), (name, text)
            assert not re.search(r"\[\d+\]|\(\d+\.\d+\)|section \d", text), (name, text)
            assert "rev." not in text and "FDA label" not in text, (name, text)


def test_the_lithium_handout_covers_toxicity_levels_fluids_salt_and_nsaids():
    handout = _handout("lithium", clinic_phone=PHONE)
    assert "poison" in _section(handout, "boxed")
    monitoring = _section(handout, "monitoring")
    assert "lithium level" in monitoring and "12 hours after your last dose" in monitoring
    assert "every 3 months for the first year, then every 6 months" in monitoring
    assert "kidneys" in monitoring and "thyroid" in monitoring
    avoid = _section(handout, "avoid")
    assert "ibuprofen" in avoid and "NSAIDs" in avoid and "fluids" in avoid and "salt" in avoid
    urgent = _section(handout, "call-today")
    assert "lithium level is too high" in urgent and "unsteady" in urgent
    assert "at least 4 weeks" in _section(handout, "stopping")
    assert "Shaky hands" in _section(handout, "side-effects")


def test_the_clozapine_handout_covers_neutropenia_heart_bowel_and_blood_counts():
    handout = _handout("clozapine")
    boxed = _section(handout, "boxed")
    assert "white blood cells" in boxed and "heart muscle" in boxed and "seizures" in boxed
    today = _section(handout, "call-today")
    assert "sore throat" in today and "Constipation" in today and "Chest pain" in today
    assert "every week for the first 6 months" in _section(handout, "monitoring")
    assert "smoking" in _section(handout, "avoid")
    assert "do not restart it" in _section(handout, "missed")


def test_the_lamotrigine_handout_has_side_effects_and_the_rash_warning():
    handout = _handout("lamotrigine")
    assert "Dizziness" in _section(handout, "side-effects")
    assert "serious skin rash" in _section(handout, "boxed")
    assert "rash" in _section(handout, "call-today")
    assert "estrogen" in _section(handout, "pregnancy")
    assert "seizure" in _section(handout, "stopping")


def test_an_antidepressant_says_when_it_helps_warns_of_suicidality_and_serotonin_syndrome():
    handout = _handout("sertraline", how_to_take="50 mg/day once daily")
    assert "2 to 4 weeks" in _section(handout, "onset") and "4 to 8 weeks" in _section(handout, "onset")
    assert "Your instructions: 50 mg/day once daily" in _section(handout, "take")
    assert "Upset stomach" in _section(handout, "side-effects")
    assert "thoughts of suicide" in _section(handout, "boxed")
    emergency = _section(handout, "help-now")
    assert "serotonin syndrome" in emergency and "988" in emergency
    avoid = _section(handout, "avoid")
    assert "St. John's wort" in avoid and "ibuprofen" in avoid
    assert "electric shock" in _section(handout, "stopping")


def test_an_maoi_handout_explains_the_tyramine_diet_and_cold_medicines():
    avoid = _section(_handout("phenelzine"), "avoid")
    assert "tyramine" in avoid and "Cold, cough" in avoid


def test_a_cns_depressant_warns_about_alcohol_and_a_sensitive_cyp3a4_substrate_about_grapefruit():
    avoid = _section(_handout("quetiapine"), "avoid")
    assert "alcohol" in avoid and "grapefruit" in avoid
    assert "alcohol" in _section(_handout("lorazepam"), "avoid")
    assert "alcohol" not in _section(_handout("sertraline"), "avoid")


def test_valproate_warns_of_birth_defects_and_birth_control():
    handout = _handout("valproate")
    assert "birth defects" in _section(handout, "boxed") and "birth control" in _section(handout, "boxed")
    assert "must not be used in pregnancy" in _section(handout, "pregnancy")


def test_enzyme_inducers_warn_that_the_pill_may_fail():
    for name in ("carbamazepine", "oxcarbazepine", "topiramate", "modafinil"):
        assert "work less well" in _section(_handout(name), "pregnancy"), name


def test_a_missed_clozapine_break_means_calling_before_restarting():
    assert "do not restart it" in _section(_handout("clozapine"), "missed")


@pytest.mark.parametrize(("name", "phrase"), [("quetiapine", "leaves the body within a day"),
                                              ("fluoxetine", "stays in the body a long time")])
def test_the_missed_dose_note_follows_the_half_life(name, phrase):
    assert phrase in _section(_handout(name), "missed")


def test_the_pregnancy_note_follows_the_formulary_risk_with_its_source():
    handout = _handout("sertraline")
    pregnancy = handout.section("pregnancy").statements[0]
    assert "pregnant" in pregnancy.text and pregnancy.source == load_kb().ingredients["sertraline"].pregnancy["source"]


def test_without_a_phone_the_handout_still_says_whom_to_call():
    contact = _section(_handout("sertraline", clinic_name="Riverside Psychiatry"), "contact")
    assert "Call Riverside Psychiatry with any question." in contact and "988" in contact


def test_schedules_are_said_in_plain_words():
    schedule = Schedule(at_start=True, after_start_days=(7,), after_dose_change_days=(5,),
                        intervals=(Interval(91, 365), Interval(182)))
    assert plain_schedule(schedule) == ("before you start, 1 week after you start, 5 days after each dose change, "
                                        "every 3 months for the first year, then every 6 months")
