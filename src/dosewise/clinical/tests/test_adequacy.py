"""Trial adequacy (ATHF style) and the TRD flag, each rule with its source."""

from __future__ import annotations

from dosewise.clinical.adequacy import (
    DURATION_SOURCE,
    MIN_WEEKS,
    TRD_SOURCE,
    TrialFacts,
    trd_status,
    trial_adequacy,
)


def trial(drug="sertraline", dose=100.0, weeks=8, adherence="good", response="none", current=True, at_max=None):
    return TrialFacts(drug=drug, max_dose_mg_per_day=dose, weeks=weeks, adherence=adherence, response=response,
                      current_episode=current, weeks_at_max_dose=at_max)


def test_a_trial_at_the_lowest_labelled_dose_for_four_weeks_is_adequate():
    rating = trial_adequacy(trial(dose=50, weeks=MIN_WEEKS))
    assert rating.applies and rating.adequate is True and rating.min_dose_mg == 50
    assert any("Zoloft" in source for source in rating.sources) and DURATION_SOURCE in rating.sources


def test_a_dose_below_the_labelled_range_is_not_adequate():
    rating = trial_adequacy(trial(drug="escitalopram", dose=5))
    assert rating.adequate is False and "below 10 mg/day" in rating.reasons[0]


def test_a_trial_stopped_before_four_weeks_is_not_adequate():
    assert trial_adequacy(trial(weeks=3)).adequate is False


def test_weeks_at_the_highest_dose_count_when_recorded():
    assert trial_adequacy(trial(weeks=12, at_max=2)).adequate is False
    assert trial_adequacy(trial(weeks=12, at_max=6)).adequate is True


def test_a_trial_taken_rarely_is_not_adequate():
    assert trial_adequacy(trial(adherence="poor")).adequate is False


def test_missing_dose_or_duration_cannot_be_judged():
    assert trial_adequacy(trial(dose=None)).adequate is None
    assert trial_adequacy(trial(weeks=None)).adequate is None


def test_drugs_without_a_depression_dose_range_are_not_rated():
    # Quetiapine is an antipsychotic; clomipramine's labelled range is for OCD; esketamine's is per session.
    for drug in ("quetiapine", "clomipramine", "esketamine"):
        assert trial_adequacy(trial(drug=drug)).applies is False, drug


def test_an_extended_release_label_range_still_counts():
    assert trial_adequacy(trial(drug="bupropion", dose=150)).adequate is True
    assert trial_adequacy(trial(drug="venlafaxine", dose=37.5)).adequate is False


def test_two_adequate_failed_trials_in_the_current_episode_meet_trd():
    status = trd_status([trial(), trial(drug="escitalopram", dose=20, response="partial")])
    assert status.meets and status.adequate_failed == ("sertraline", "escitalopram") and status.source == TRD_SOURCE


def test_trd_does_not_count_responses_earlier_episodes_inadequate_trials_or_the_same_drug_twice():
    assert not trd_status([trial(), trial(drug="escitalopram", dose=20, response="response")]).meets
    assert not trd_status([trial(), trial(drug="escitalopram", dose=20, current=False)]).meets
    assert not trd_status([trial(), trial(drug="escitalopram", dose=5)]).meets
    assert not trd_status([trial(), trial(dose=150)]).meets
    one = trd_status([trial()])
    assert not one.meets and "needs two" in one.explanation
