"""Scoring of the shipped instruments against their published rules."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.instruments import (
    INSTRUMENTS_DIR,
    InstrumentDefinitionError,
    compile_definition,
    get_instrument,
    instrument_schema,
    item_applies,
    load_instruments,
    score,
)

SHIPPED = ("aims", "asq", "audit", "auditc", "gad2", "gad7", "hrqol4", "pcl5", "phq2", "phq9", "who5")


def answers_for(key: str, total: int) -> list[int]:
    """Return answers whose scored items sum to `total` (raw), filling items in order."""
    instrument = get_instrument(key)
    answers = [item.minimum for item in instrument.items[: instrument.min_answers]]
    remaining = total - sum(answers[i] for i, _ in instrument.scored)
    for index, _ in instrument.scored:
        item = instrument.items[index]
        for value in sorted(item.allowed, reverse=True):
            if value - answers[index] <= remaining:
                remaining -= value - answers[index]
                answers[index] = value
                break
    assert remaining == 0, f"cannot build a {key} total of {total}"
    return answers


def test_every_shipped_file_validates_against_the_schema():
    schema = instrument_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    files = sorted(INSTRUMENTS_DIR.glob("*.json"))
    assert [f.stem for f in files] == sorted(SHIPPED)
    for path in files:
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema)


def test_every_instrument_carries_sources_and_a_licence_note():
    for instrument in load_instruments().values():
        assert instrument.sources and all(len(s) > 20 for s in instrument.sources)
        assert len(instrument.licence) > 40


def test_loinc_codes_are_the_published_ones():
    codes = {k: (i.loinc_panel, i.loinc_total) for k, i in load_instruments().items()}
    assert codes["phq9"] == ("44249-1", "44261-6")
    assert codes["gad7"] == ("69737-5", "70274-6")
    assert codes["phq2"] == ("55757-9", "55758-7")
    assert codes["auditc"] == ("72109-2", "75626-2")


@pytest.mark.parametrize(
    ("total", "label"),
    [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
     (15, "moderately severe"), (19, "moderately severe"), (20, "severe"), (27, "severe")],
)
def test_phq9_severity_bands_follow_kroenke_2001(total, label):
    result = score("phq9", answers_for("phq9", total))
    assert (result.total, result.severity, result.positive) == (total, label, None)


@pytest.mark.parametrize(
    ("total", "label"),
    [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate"),
     (15, "severe"), (21, "severe")],
)
def test_gad7_severity_bands_follow_spitzer_2006(total, label):
    assert score("gad7", answers_for("gad7", total)).severity == label


@pytest.mark.parametrize(("key", "below", "at"), [("phq2", 2, 3), ("gad2", 2, 3), ("pcl5", 32, 33), ("audit", 7, 8)])
def test_screen_cut_offs(key, below, at):
    assert score(key, answers_for(key, below)).positive is False
    assert score(key, answers_for(key, at)).positive is True


@pytest.mark.parametrize(("sex", "below", "at"), [("male", 3, 4), ("female", 2, 3)])
def test_auditc_cut_off_depends_on_sex(sex, below, at):
    assert score("auditc", answers_for("auditc", below), sex=sex).positive is False
    assert score("auditc", answers_for("auditc", at), sex=sex).positive is True


def test_auditc_refuses_to_score_without_sex():
    with pytest.raises(ClinicalInputError, match="auditc needs the sex"):
        score("auditc", [1, 1, 1])


@pytest.mark.parametrize(
    ("total", "zone"),
    [(0, "zone I: low risk"), (7, "zone I: low risk"), (8, "zone II: hazardous use"), (15, "zone II: hazardous use"),
     (16, "zone III: harmful use"), (19, "zone III: harmful use"), (20, "zone IV: possible dependence"),
     (40, "zone IV: possible dependence")],
)
def test_audit_risk_zones_follow_who(total, zone):
    assert score("audit", answers_for("audit", total)).severity == zone


def test_audit_injury_items_take_only_0_2_4():
    with pytest.raises(ClinicalInputError, match=r"audit item 9: answer 1 is not one of 0, 2, 4"):
        score("audit", [0] * 8 + [1, 0])


@pytest.mark.parametrize(
    ("raw", "percentage", "band", "positive"),
    [(0, 0, "likely depression", True), (7, 28, "likely depression", True), (8, 32, "poor wellbeing", True),
     (12, 48, "poor wellbeing", True), (13, 52, "above the screening cut-offs", False),
     (25, 100, "above the screening cut-offs", False)],
)
def test_who5_percentage_bands(raw, percentage, band, positive):
    result = score("who5", answers_for("who5", raw))
    assert (result.raw_total, result.total, result.severity, result.positive) == (raw, percentage, band, positive)


def test_phq9_item_9_above_zero_raises_an_urgent_alert():
    quiet = score("phq9", [0] * 9)
    flagged = score("phq9", [0] * 8 + [1])
    assert quiet.alerts == ()
    assert [(a.code, a.level) for a in flagged.alerts] == [("phq9-item9-self-harm", "urgent")]


def test_asq_negative_screen_skips_the_acuity_question():
    result = score("asq", [0, 0, 0, 0])
    assert (result.positive, result.alerts) == (False, ())


def test_asq_positive_screen_alerts_and_acute_yes_adds_an_acute_alert():
    non_acute = score("asq", [0, 1, 0, 0, 0])
    acute = score("asq", [0, 0, 0, 1, 1])
    assert non_acute.positive and [a.code for a in non_acute.alerts] == ["asq-positive"]
    assert [(a.code, a.level) for a in acute.alerts] == [("asq-positive", "urgent"), ("asq-acute", "acute")]


def test_asq_acuity_question_must_be_asked_after_a_yes():
    with pytest.raises(ClinicalInputError, match="asq item 5 must be answered"):
        score("asq", [1, 0, 0, 0])


def test_asq_acuity_answer_is_refused_when_the_screen_is_negative():
    with pytest.raises(ClinicalInputError, match="asq item 5 is asked only when"):
        score("asq", [0, 0, 0, 0, 0])


def test_asq_refusal_to_answer_counts_as_yes():
    result = score("asq", [None, 0, 0, 0, 0])
    assert result.positive is True and result.missing_items == (1,)


@pytest.mark.parametrize(
    ("movements", "positive"),
    [([2, 0, 0, 0, 0, 0, 0], False), ([2, 0, 0, 0, 0, 0, 2], True), ([0, 0, 3, 0, 0, 0, 0], True),
     ([1, 1, 1, 1, 1, 1, 1], False), ([0, 0, 0, 0, 0, 4, 0], True), ([0] * 7, False)],
)
def test_aims_positive_follows_schooler_kane(movements, positive):
    result = score("aims", movements + [2, 1, 1, 0, 0])
    assert result.total == sum(movements)
    assert result.positive is positive


def test_aims_global_and_dental_items_do_not_count_in_the_total():
    assert score("aims", [0] * 7 + [4, 4, 4, 1, 1]).total == 0


def test_pcl5_reports_cluster_subscales():
    result = score("pcl5", [1] * 5 + [2] * 2 + [3] * 7 + [4] * 6)
    assert result.subscales == {
        "cluster_b_intrusion": 5, "cluster_c_avoidance": 4, "cluster_d_cognition_mood": 21, "cluster_e_arousal": 24,
    }
    assert result.total == 54


def test_hrqol4_unhealthy_days_are_capped_at_30():
    assert score("hrqol4", [3, 10, 5, 2]).total == 15
    capped = score("hrqol4", [5, 20, 25, 12])
    assert capped.total == 30
    assert capped.subscales["activity_limitation_days"] == 12


def test_hrqol4_refuses_more_than_30_days():
    with pytest.raises(ClinicalInputError, match="hrqol4 item 2: answer 31 is not one of 0 to 30"):
        score("hrqol4", [1, 31, 0, 0])


@pytest.mark.parametrize(
    ("answers", "message"),
    [([0] * 8, "phq9 expects 9 answers, got 8"), ([0] * 10, "phq9 expects 9 answers, got 10"),
     ([0, 0, 4, 0, 0, 0, 0, 0, 0], "phq9 item 3: answer 4 is not one of 0, 1, 2, 3"),
     ([0, 0, 1.5, 0, 0, 0, 0, 0, 0], "phq9 item 3: answer 1.5 is not an integer"),
     ([0, 0, True, 0, 0, 0, 0, 0, 0], "phq9 item 3: answer True is not an integer"),
     ([0, None, 0, 0, 0, 0, 0, 0, 0], "phq9: item 2 unanswered; every item must be answered")],
)
def test_bad_answers_are_refused_with_a_clear_message(answers, message):
    with pytest.raises(ClinicalInputError) as excinfo:
        score("phq9", answers)
    assert str(excinfo.value) == message


def test_asq_accepts_four_or_five_answers():
    with pytest.raises(ClinicalInputError, match="asq expects 4 or 5 answers, got 3"):
        score("asq", [0, 0, 0])


def test_unknown_instrument_names_the_available_ones():
    with pytest.raises(ClinicalInputError, match="unknown instrument 'madrs'; available: aims, asq"):
        get_instrument("madrs")


# A made-up scale exercising the generic features no shipped instrument uses.
TOY = {
    "key": "toy3",
    "name": "Toy three-item scale",
    "short_name": "TOY-3",
    "rater": "self",
    "instructions": "How true is each statement this week?",
    "sources": ["Invented for the Dosewise test suite"],
    "licence": "Invented for the Dosewise test suite; no rights reserved.",
    "option_sets": {"true": [{"value": 0, "label": "Not true"}, {"value": 1, "label": "Somewhat"},
                             {"value": 2, "label": "Very true"}]},
    "items": [
        {"number": 1, "text": "I feel tense", "options": "true"},
        {"number": 2, "text": "I feel at ease", "options": "true", "reverse": True},
        {"number": 3, "text": "I want to hurt someone", "options": "true"},
    ],
    "scoring": {"multiplier": 2, "source": "Invented for the Dosewise test suite"},
    "bands": {"ranges": [{"min": 0, "max": 5, "label": "low"}, {"min": 6, "max": 12, "label": "high"}],
              "source": "Invented for the Dosewise test suite"},
    "alerts": [{"when": {"item": 3, "at_least": 2}, "code": "toy3-harm", "level": "urgent",
                "message": "Item 3 endorsed strongly: ask about intent", "source": "Invented for the Dosewise test suite"}],
    "missing": {"rule": "prorate", "max_missing": 1, "source": "Invented for the Dosewise test suite"},
}


def test_generic_engine_reverse_scores_multiplies_and_alerts():
    toy = compile_definition(TOY)
    result = score(toy, [2, 0, 2])
    assert (result.raw_total, result.total, result.severity) == (6, 12, "high")
    assert [a.code for a in result.alerts] == ["toy3-harm"]
    assert score(toy, [0, 2, 0]).total == 0


def test_generic_engine_prorates_within_the_missing_limit():
    toy = compile_definition(TOY)
    result = score(toy, [2, None, 1])
    assert (result.raw_total, result.prorated, result.missing_items) == (5, True, (2,))  # 3 x 3/2 = 4.5 -> 5
    with pytest.raises(ClinicalInputError, match="at most 1 may be missing"):
        score(toy, [2, None, None])


def test_extra_directory_adds_an_instrument(tmp_path: Path):
    (tmp_path / "toy3.json").write_text(json.dumps(TOY), encoding="utf-8")
    available = load_instruments(extra_dirs=[tmp_path])
    assert set(SHIPPED) < set(available)
    assert score(available["toy3"], [1, 1, 1]).total == 6


def test_extra_directory_cannot_redefine_a_shipped_instrument(tmp_path: Path):
    (tmp_path / "phq9.json").write_text(json.dumps({**TOY, "key": "phq9"}), encoding="utf-8")
    with pytest.raises(InstrumentDefinitionError, match="already defined"):
        load_instruments(extra_dirs=[tmp_path])


@pytest.mark.parametrize(
    ("change", "message"),
    [({"licence": "short"}, "licence"),
     ({"bands": {"ranges": [{"min": 0, "max": 5, "label": "low"}, {"min": 7, "max": 12, "label": "high"}],
                 "source": "Invented for the Dosewise test suite"}}, "does not start right after 5"),
     ({"bands": {"ranges": [{"min": 0, "max": 10, "label": "all"}], "source": "Invented for the Dosewise test suite"}},
      "cover the total range 0-12"),
     ({"alerts": [{"when": {"item": 4, "at_least": 1}, "code": "x", "level": "urgent",
                   "message": "refers to a missing item", "source": "Invented for the Dosewise test suite"}]},
      "item 4 does not exist"),
     ({"items": [{"number": 1, "text": "only", "options": "nope"}]}, "unknown option set")],
)
def test_inconsistent_definitions_are_refused_at_load(change, message):
    with pytest.raises(InstrumentDefinitionError, match=message):
        compile_definition({**TOY, **change})


def test_item_applies_tells_a_form_when_to_show_the_asq_acuity_question():
    asq = get_instrument("asq")
    assert item_applies(asq, 5, [0, 0, 0, 0]) is False
    assert item_applies(asq, 5, [0, 0, 1, 0]) is True
    assert item_applies(asq, 1, []) is True
