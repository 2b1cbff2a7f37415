"""Patient handouts from the knowledge base: every section sourced, class facts where they
apply, avoidances derived from the drug's properties, and plain language (grade 8 or below)."""

from __future__ import annotations

import pytest

from dosewise.clinical.education import TARGET_GRADE, education_handout
from dosewise.clinical.kb import load_kb


def _handout(name: str, **kwargs):
    return education_handout(load_kb().ingredients[name], **kwargs)


def _section(handout, title: str) -> str:
    return " ".join(s.text for section in handout.sections if section.title == title for s in section.statements)


def test_every_formulary_handout_is_sourced_and_within_the_reading_target():
    for name, ingredient in load_kb().ingredients.items():
        handout = education_handout(ingredient, how_to_take="50 mg/day once daily")
        assert handout.readability.grade <= TARGET_GRADE and handout.within_target, name
        assert all(s.source.strip() for section in handout.sections for s in section.statements), name


def test_an_antidepressant_says_when_it_helps_and_warns_about_suicidality():
    handout = _handout("sertraline", how_to_take="50 mg/day once daily")
    assert [s.title for s in handout.sections] == ["What it is for", "How to take it", "When it starts to help",
                                                   "Side effects", "If you miss a dose", "Pregnancy"]
    assert "2 to 4 weeks" in _section(handout, "When it starts to help")
    assert "4 to 8 weeks" in _section(handout, "When it starts to help")
    assert "Your instructions: 50 mg/day once daily" in _section(handout, "How to take it")
    effects = _section(handout, "Side effects")
    assert "Upset stomach" in effects and "thoughts of suicide" in effects


def test_an_maoi_handout_explains_the_tyramine_diet():
    assert "tyramine" in _section(_handout("phenelzine"), "What to avoid")


def test_a_cns_depressant_warns_about_alcohol_and_a_sensitive_cyp3a4_substrate_about_grapefruit():
    avoid = _section(_handout("quetiapine"), "What to avoid")
    assert "alcohol" in avoid and "grapefruit" in avoid
    assert "alcohol" in _section(_handout("lorazepam"), "What to avoid")
    assert _section(_handout("sertraline"), "What to avoid") == ""


def test_a_missed_clozapine_break_means_calling_before_restarting():
    assert "do not restart it" in _section(_handout("clozapine"), "If you miss a dose")


@pytest.mark.parametrize(("name", "phrase"), [("quetiapine", "leaves the body within a day"),
                                              ("fluoxetine", "stays in the body a long time")])
def test_the_missed_dose_note_follows_the_half_life(name, phrase):
    assert phrase in _section(_handout(name), "If you miss a dose")


def test_the_pregnancy_note_follows_the_formulary_risk_with_its_source():
    handout = _handout("sertraline")
    pregnancy = next(section for section in handout.sections if section.title == "Pregnancy").statements[0]
    assert "pregnant" in pregnancy.text and pregnancy.source == load_kb().ingredients["sertraline"].pregnancy["source"]
