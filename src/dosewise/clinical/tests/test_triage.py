"""Triage of reported symptoms against the danger signs of the medicines' labels.

Cases follow the labels: Lamictal boxed warning (stop at the first rash; SJS/TEN) and its
HLH, multiorgan hypersensitivity and aseptic meningitis warnings; Clozaril boxed warning
(neutropenia, myocarditis, orthostatic collapse) and gastrointestinal hypomotility warning;
the lithium boxed toxicity warning; NMS and serotonin syndrome class warnings; the
antidepressant suicidality boxed warning; trazodone priapism; Depakote hepatotoxicity and
pancreatitis; MAOI hypertensive crisis; Z-drug complex sleep behaviours.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import load_kb
from dosewise.clinical.triage import URGENCIES, recognise, signs_for, triage

PHONE = "(312) 555-0142"
RANK = {u: i for i, u in enumerate(URGENCIES)}


def _urgency(drugs, text, severity=None):
    return triage(drugs, text, severity).urgency


def _signs(drugs, text, severity=None):
    return {m.sign for m in triage(drugs, text, severity).matches}


# -- vocabulary -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "concepts"), [
    ("blistering rash", {"rash", "blisters"}),
    ("swollen glands and a temperature", {"swollen-glands", "fever"}),
    ("my glands are swollen", {"swollen-glands"}),
    ("rashes all over and blisters", {"rash", "blisters"}),
    ("throwing up since last night", {"vomiting"}),
    ("I have a high temperature and chills", {"fever"}),
    ("heart racing, can't breathe", {"palpitations", "breathing"}),
    ("haven't pooped in 4 days", {"constipation"}),
])
def test_free_text_is_matched_with_synonyms_plurals_and_phrases(text, concepts):
    assert concepts <= recognise(text)


def test_a_denied_symptom_is_not_recognised_but_the_next_clause_is():
    found = recognise("no fever, just a sore throat")
    assert "fever" not in found and "sore-throat" in found
    found = recognise("I have a fever but no rash")
    assert "fever" in found and "rash" not in found


# -- drug-specific danger signs ---------------------------------------------------------------------


def test_a_rash_on_lamotrigine_is_urgent_and_a_blistering_one_an_emergency():
    result = triage(["lamotrigine"], "a red itchy rash on my chest", "mild", clinic_phone=PHONE)
    assert result.urgency == "urgent" and {m.sign for m in result.matches} == {"serious-rash"}
    assert PHONE in result.patient_advice and "next dose" in result.patient_advice
    assert any(s.startswith("FDA label Lamictal") and "boxed warning" in s for s in result.sources)
    assert _urgency(["lamotrigine"], "blistering rash") == "emergency"
    assert _urgency(["lamotrigine"], "rash and sores in my mouth") == "emergency"
    assert _urgency(["lamotrigine"], "rash", "severe") == "emergency"


def test_a_rash_on_carbamazepine_cites_its_boxed_warning():
    result = triage(["carbamazepine"], "skin rash")
    assert result.urgency == "urgent"
    assert any(s.startswith("FDA label Tegretol") and "boxed warning" in s for s in result.sources)


def test_swollen_glands_and_a_temperature_on_lamotrigine_are_urgent_even_without_a_rash():
    result = triage(["lamotrigine"], "swollen glands and a temperature")
    assert result.urgency == "urgent" and "lamotrigine-hypersensitivity" in {m.sign for m in result.matches}
    assert _urgency(["lamotrigine"], "swollen glands, a temperature and a rash") == "emergency"


def test_headache_with_fever_on_lamotrigine_is_possible_meningitis():
    assert "lamotrigine-meningitis" in _signs(["lamotrigine"], "bad headache and fever")
    assert _urgency(["lamotrigine"], "headache, fever and a stiff neck") == "emergency"


@pytest.mark.parametrize(("text", "severity", "urgency", "sign"), [
    ("sore throat and fever", None, "urgent", "neutropenia-infection"),
    ("feel like I have the flu", None, "urgent", "neutropenia-infection"),
    ("my heart is racing", None, "urgent", "clozapine-myocarditis"),
    ("chest pain", None, "emergency", "clozapine-myocarditis"),
    ("constipated", "mild", "soon", "clozapine-gi-hypomotility"),
    ("constipated", "moderate", "urgent", "clozapine-gi-hypomotility"),
    ("constipated and my stomach hurts", None, "emergency", "clozapine-gi-hypomotility"),
    ("I fainted this morning", None, "emergency", "clozapine-syncope"),
])
def test_clozapine_danger_signs(text, severity, urgency, sign):
    result = triage(["clozapine"], text, severity)
    assert result.urgency == urgency and sign in {m.sign for m in result.matches}


def test_clozapine_constipation_cites_the_label_and_the_fda_safety_communication():
    sources = triage(["clozapine"], "constipation").sources
    assert any("Clozaril" in s and "hypomotility" in s for s in sources)
    assert any("Drug Safety Communication" in s for s in sources)


@pytest.mark.parametrize(("text", "severity", "urgency"), [
    ("diarrhoea and vomiting", None, "urgent"),
    ("confused and unsteady on my feet", None, "emergency"),
    ("slurred speech", None, "emergency"),
    ("shaky hands", "mild", "soon"),
    ("very thirsty and peeing a lot", None, "soon"),
])
def test_lithium_toxicity_signs(text, severity, urgency):
    assert _urgency(["lithium"], text, severity) == urgency


def test_fever_with_rigidity_on_an_antipsychotic_is_possible_nms():
    for drug in ("haloperidol", "risperidone", "amisulpride"):
        assert "nms" in _signs([drug], "high fever and my muscles are rigid"), drug
        assert _urgency([drug], "high fever and my muscles are rigid") == "emergency"
    assert "nms" not in _signs(["haloperidol"], "stiff muscles")
    # Pimavanserin's label has no NMS warning.
    assert "nms" not in _signs(["pimavanserin"], "high fever and my muscles are rigid")


def test_two_or_more_serotonin_signs_on_a_serotonergic_drug_are_an_emergency():
    assert "serotonin-syndrome" in _signs(["sertraline", "tramadol"], "sweating, shaking and agitated")
    assert _urgency(["sertraline"], "sweating, shaking and agitated") == "emergency"
    assert "serotonin-syndrome" not in _signs(["sertraline"], "shaking")
    assert "serotonin-syndrome" not in _signs(["olanzapine"], "sweating and shaking")


def test_suicidal_thoughts_are_an_emergency_on_an_antidepressant_and_on_anything():
    result = triage(["sertraline"], "I keep thinking I want to die", clinic_phone=PHONE)
    assert result.urgency == "emergency" and "988" in result.patient_advice and "911" in result.patient_advice
    assert any("Zoloft" in s and "boxed warning" in s for s in result.sources)
    assert _urgency(["ibuprofen"], "thoughts of suicide") == "emergency"
    assert _urgency(["lamotrigine"], "suicidal thoughts") == "emergency"


def test_worsening_mood_or_agitation_on_an_antidepressant_is_urgent():
    assert _urgency(["fluoxetine"], "feeling more depressed and agitated") == "urgent"


def test_priapism_on_trazodone_is_an_emergency():
    result = triage(["trazodone"], "painful erection that won't go away")
    assert result.urgency == "emergency" and "priapism" in {m.sign for m in result.matches}


@pytest.mark.parametrize(("text", "urgency", "sign"), [
    ("yellow eyes and dark urine", "urgent", "hepatotoxicity"),
    ("stomach pain", "urgent", "valproate-pancreatitis"),
    ("stomach pain and vomiting", "emergency", "valproate-pancreatitis"),
    ("easy bruising and bleeding gums", "urgent", "blood-dyscrasia-bleeding"),
])
def test_valproate_danger_signs(text, urgency, sign):
    result = triage(["valproate"], text)
    assert result.urgency == urgency and sign in {m.sign for m in result.matches}


def test_an_maoi_headache_is_urgent_and_with_a_stiff_neck_an_emergency():
    assert _urgency(["phenelzine"], "headache") == "urgent"
    assert _urgency(["phenelzine"], "pounding headache and a stiff neck") == "emergency"
    assert _urgency(["sertraline"], "headache") == "routine"


def test_complex_sleep_behaviour_on_a_z_drug_is_urgent():
    assert _urgency(["zolpidem"], "I was sleepwalking and ate in the night") == "urgent"


def test_eye_pain_on_topiramate_is_an_emergency():
    assert _urgency(["topiramate"], "eye pain and blurred vision") == "emergency"


def test_hard_to_wake_on_a_benzodiazepine_is_an_emergency():
    assert _urgency(["lorazepam"], "very hard to wake this morning") == "emergency"


# -- benign effects and severity --------------------------------------------------------------------


@pytest.mark.parametrize(("drugs", "text"), [
    (["sertraline"], "mild nausea"), (["sertraline"], "dry mouth"), (["quetiapine"], "weight gain"),
    (["bupropion"], "trouble sleeping"), (["lamotrigine"], "no rash but a headache"),
])
def test_common_benign_effects_stay_routine(drugs, text):
    result = triage(drugs, text, "mild", clinic_phone=PHONE)
    assert result.urgency == "routine" and result.matches == ()
    assert PHONE in result.patient_advice and "911" in result.patient_advice


def test_a_severe_benign_effect_is_soon():
    assert _urgency(["sertraline"], "nausea", "severe") == "soon"


def test_the_advice_without_a_phone_still_says_whom_to_call():
    advice = triage(["lamotrigine"], "rash").patient_advice
    assert "Call your clinic today" in advice and "{phone}" not in advice


def test_patient_advice_carries_no_rule_ids_or_citations():
    for drugs, text in ((["clozapine"], "fever and constipation"), (["lamotrigine"], "blistering rash")):
        result = triage(drugs, text)
        assert not any(m.sign in result.patient_advice for m in result.matches if "-" in m.sign)
        assert "FDA" not in result.patient_advice and not re.search(r"\d+\.\d+\)", result.patient_advice)


# -- input ------------------------------------------------------------------------------------------


def test_bad_input_is_refused():
    with pytest.raises(ClinicalInputError, match="unknown drug"):
        triage(["lamotrgine"], "rash")
    with pytest.raises(ClinicalInputError, match="empty"):
        triage(["lamotrigine"], "   ")
    with pytest.raises(ClinicalInputError, match="severity"):
        triage(["lamotrigine"], "rash", "terrible")
    with pytest.raises(ClinicalInputError, match="longer than"):
        triage(["lamotrigine"], "rash " * 500)


# -- the data ---------------------------------------------------------------------------------------


def test_every_sign_applies_to_some_drug_and_cites_a_source_for_each():
    kb = load_kb()
    data = kb.data("danger_signs.json")
    for sign in data["signs"]:
        drugs = [name for name in kb.ingredients if sign in signs_for(name, kb)]
        assert drugs, sign["id"]
    for name in kb.ingredients:
        for sign in signs_for(name, kb):
            concepts = [*sign["any"], *(group[0] for group in sign.get("requires", ()))]
            result = triage([name], ", ".join(data["vocabulary"][c]["phrases"][0] for c in concepts))
            assert result.sources, (name, sign["id"])


def test_every_boxed_suicidality_warning_reaches_triage():
    kb = load_kb()
    for name, ingredient in kb.ingredients.items():
        if any(w["topic"] == "suicidality" for w in ingredient.boxed_warnings):
            assert "antidepressant-suicidality" in _signs([name], "suicidal thoughts"), name


DRUGS = ["sertraline", "lithium", "clozapine", "lamotrigine", "quetiapine", "lorazepam", "valproate", "trazodone",
         "ibuprofen"]
TEXTS = ["rash", "fever and sore throat", "constipated", "shaking and sweating", "headache", "confused",
         "chest pain", "dizzy", "yellow skin"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(DRUGS), min_size=1, max_size=4, unique=True), st.sampled_from(DRUGS),
       st.sampled_from(TEXTS), st.sampled_from([None, "mild", "moderate", "severe"]))
def test_adding_a_medicine_never_lowers_the_urgency(drugs, extra, text, severity):
    before = RANK[_urgency(drugs, text, severity)]
    after = RANK[_urgency([*drugs, extra], text, severity)]
    assert after <= before


@pytest.mark.parametrize(("drugs", "text", "sign"), [
    (["sertraline"], "I think I have serotonin syndrome", "serotonin-syndrome"),
    (["haloperidol"], "possible NMS", "nms"),
    (["lamotrigine"], "worried about Stevens Johnson", "serious-rash"),
    (["lithium"], "my lithium level is too high", "lithium-toxicity"),
    (["clozapine"], "they said it might be myocarditis", "clozapine-myocarditis"),
])
def test_a_sign_named_in_the_report_fires_by_itself(drugs, text, sign):
    assert sign in _signs(drugs, text)
    assert sign not in _signs(["bupropion"], text)


def test_phrase_words_in_another_order_do_not_reach_across_a_conjunction():
    found = recognise("sore throat and swollen glands")
    assert {"sore-throat", "swollen-glands"} <= found and "throat-swelling" not in found
    assert "throat-swelling" in recognise("my throat is swollen")
    assert _urgency(["clozapine"], "sore throat and swollen glands") == "urgent"


def test_anxiety_alone_on_an_antidepressant_is_soon_and_panic_or_severe_worsening_is_urgent():
    assert _urgency(["sertraline"], "anxious") == "soon"
    assert _urgency(["sertraline"], "anxious", "severe") == "urgent"
    assert _urgency(["sertraline"], "panic attacks") == "urgent"


def test_blurred_vision_is_urgent_on_topiramate_but_not_alone_on_quetiapine():
    assert _urgency(["topiramate"], "blurred vision") == "urgent"
    assert _urgency(["quetiapine"], "blurred vision") == "routine"
    assert _urgency(["sertraline"], "blurred vision") == "soon"
