"""The shared-decision aid: cited comparisons, this patient's safety findings and past trials, a
plain-language version, and the choice recorded with the patient's words."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dosewise.clinical.decision_aid import CIPRIANI, PILLINGER, compare_candidates
from dosewise.medications import services as medication_services
from dosewise.visits import services
from dosewise.visits.models import SharedDecision
from dosewise.visits.tests.conftest import access_for


def test_statements_carry_their_source_and_unchecked_figures_are_not_shown():
    by_drug = {c.drug: c for c in compare_candidates(["agomelatine", "olanzapine", "aripiprazole"],
                                                      ["effect", "weight"])}
    agomelatine = by_drug["agomelatine"].statements["effect"]
    assert any("0.84 (0.72-0.97)" in s.text and s.source == CIPRIANI for s in agomelatine)
    assert by_drug["olanzapine"].statements["weight"][0].source == PILLINGER
    assert "most benign" in by_drug["aripiprazole"].statements["weight"][0].text
    assert "could not be checked" in by_drug["olanzapine"].statements["effect"][0].text
    assert by_drug["agomelatine"].statements["weight"] == []


def test_the_aid_shows_this_patients_safety_findings_and_past_trials(as_user, dana, prescriber_a):
    medication_services.medication_start(actor=prescriber_a, access=access_for(prescriber_a, dana,
                                                                                "medications.prescribe"),
                                         drug="phenelzine", dose_mg_per_day=Decimal(45), frequency="three times daily")
    services.trial_record(actor=prescriber_a, access=access_for(prescriber_a, dana, "clinical.edit"),
                          trial=services.TrialInput(drug="sertraline", max_dose_mg_per_day="100", weeks=8,
                                                    response="partial", side_effects="sexual side effects"))
    body = as_user(prescriber_a).get(reverse("visits:decision_aid", kwargs={"patient_id": dana.pk}), {
        "candidate": ["sertraline", "Wellbutrin"], "priority": ["sexual", "effect"]}).content.decode()
    assert "phenelzine" in body.lower() and "contraindicated" in body.lower()
    assert "8 weeks: partial response; sexual side effects" in body
    assert "bupropion" in body  # the brand resolved to its generic
    patient = as_user(prescriber_a).get(reverse("visits:decision_aid", kwargs={"patient_id": dana.pk}), {
        "candidate": ["sertraline", "bupropion"], "priority": ["effect"], "version": "patient"}).content.decode()
    assert "Choosing your medicine" in patient and "dummy pill" in patient and "[Cipriani" not in patient


def test_an_unknown_candidate_is_named_and_the_input_kept(as_user, dana, prescriber_a):
    response = as_user(prescriber_a).get(reverse("visits:decision_aid", kwargs={"patient_id": dana.pk}),
                                         {"candidate": ["sertraline", "sertralinx"]})
    body = response.content.decode()
    assert "“sertralinx” is not in the formulary" in body and 'value="sertralinx"' in body


def test_the_decision_is_recorded_with_the_patients_words_and_linked_to_the_order(dana, prescriber_a):
    access = access_for(prescriber_a, dana, "medications.prescribe")
    order = medication_services.medication_start(actor=prescriber_a, access=access, drug="bupropion",
                                                 dose_mg_per_day=Decimal(150), frequency="once daily")
    decision = services.decision_record(actor=prescriber_a, access=access, candidates=["sertraline", "bupropion"],
                                        priorities=["sexual", "weight"], concerns="I do not want to gain weight.",
                                        chosen="bupropion")
    assert decision.medication == order and decision.concerns == "I do not want to gain weight."
    assert SharedDecision.objects.get().priorities == ["sexual", "weight"]


def test_the_choice_must_be_one_of_the_candidates(dana, prescriber_a):
    with pytest.raises(ValidationError) as exc:
        services.decision_record(actor=prescriber_a, access=access_for(prescriber_a, dana, "medications.prescribe"),
                                 candidates=["sertraline", "bupropion"], priorities=[], concerns="", chosen="lithium")
    assert "chosen" in exc.value.error_dict
