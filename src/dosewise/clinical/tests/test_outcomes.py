"""Response, remission, reliable change and the not-improving flag."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.outcomes import (
    is_not_improving,
    is_remission,
    is_response,
    reliable_change,
    reliable_change_index,
    trial_progress,
)

START = date(2026, 1, 5)


@pytest.mark.parametrize(("baseline", "current", "expected"), [(20, 10, True), (20, 11, False), (9, 4, True), (0, 0, False)])
def test_response_is_a_reduction_of_at_least_half(baseline, current, expected):
    assert is_response("phq9", baseline, current) is expected


@pytest.mark.parametrize(("key", "current", "expected"), [("phq9", 4, True), ("phq9", 5, False), ("gad7", 4, True), ("gad7", 5, False)])
def test_remission_is_below_five(key, current, expected):
    assert is_remission(key, current) is expected


def test_outcomes_refuse_a_total_outside_the_range():
    with pytest.raises(ClinicalInputError, match="phq9 score 28 is outside 0-27"):
        is_remission("phq9", 28)


def test_outcomes_refuse_an_instrument_without_published_thresholds():
    with pytest.raises(ClinicalInputError, match="pcl5 has no published outcome thresholds"):
        is_response("pcl5", 40, 20)


def test_rci_follows_jacobson_truax():
    # (x2 - x1) / (SD * sqrt(2) * sqrt(1 - r)) with SD 5, r 0.5: denominator exactly 5.
    assert reliable_change_index(20, 10, sd=5, reliability=0.5) == pytest.approx(-2.0)


def test_phq9_reliable_change_uses_the_stored_sd_and_reliability():
    # SD 3.5 and r 0.89 give a denominator of about 1.642, so 3 points is not reliable and 4 is.
    assert reliable_change("phq9", 15, 12).direction == "no reliable change"
    improved = reliable_change("phq9", 15, 11)
    assert improved.reliable and improved.direction == "improved"
    assert improved.rci == pytest.approx(-4 / (3.5 * 2**0.5 * 0.11**0.5))
    assert reliable_change("phq9", 8, 14).direction == "worsened"


def test_reliable_change_needs_published_parameters():
    with pytest.raises(ClinicalInputError, match="gad7 has no published SD and reliability"):
        reliable_change("gad7", 15, 5)


def test_not_improving_after_four_weeks_with_less_than_20_percent_reduction():
    scores = [(START, 20), (START + timedelta(days=14), 19), (START + timedelta(days=28), 17)]
    progress = trial_progress("phq9", scores, START)
    assert progress.not_improving is True
    assert progress.reduction == pytest.approx(0.15)
    assert progress.days_on_regimen == 28


def test_a_20_percent_reduction_is_improving():
    assert is_not_improving("phq9", [(START, 20), (START + timedelta(days=30), 16)], START) is False


def test_no_flag_before_four_weeks_on_the_regimen():
    progress = trial_progress("phq9", [(START, 20), (START + timedelta(days=27), 20)], START)
    assert (progress.not_improving, progress.latest) == (False, None)


def test_baseline_is_the_last_score_on_or_before_the_regimen_change():
    changed = START + timedelta(days=10)
    scores = [(START + timedelta(days=40), 14), (START, 24), (changed, 15)]
    progress = trial_progress("phq9", scores, changed)
    assert progress.baseline == (changed, 15)
    assert progress.not_improving is True


def test_no_flag_without_a_baseline():
    assert is_not_improving("phq9", [(START + timedelta(days=35), 20)], START) is False
