"""Treatment outcomes from repeated scores: response, remission, reliable change, progress.

Thresholds come from each instrument's `outcomes` block (kb/instruments/*.json), so they
carry their sources there. Only instruments with that block support these functions, and
the loader allows the block only where a lower score is better.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.instruments import Instrument, get_instrument

# Jacobson NS, Truax P. Clinical significance: a statistical approach to defining
# meaningful change in psychotherapy research. J Consult Clin Psychol 1991;59(1):12-19.
RCI_THRESHOLD = 1.96

# CANMAT 2016 depression guidelines, section 3 (Kennedy SH, Lam RW, McIntyre RS, et al.
# Can J Psychiatry 2016;61(9):540-560): without at least minimal improvement (a 20%
# reduction in symptom score) after 2-4 weeks at an adequate dose, optimise the dose or
# switch. The flag waits for the 4-week end of that window on an unchanged regimen.
NOT_IMPROVING_MIN_REDUCTION = 0.20
NOT_IMPROVING_MIN_DAYS = 28


def _outcome_parameters(instrument: Instrument | str) -> tuple[Instrument, dict[str, Any]]:
    if isinstance(instrument, str):
        instrument = get_instrument(instrument)
    if instrument.outcomes is None:
        raise ClinicalInputError(f"{instrument.key} has no published outcome thresholds")
    return instrument, dict(instrument.outcomes)


def _check_total(instrument: Instrument, total: float, what: str) -> None:
    if not instrument.total_min <= total <= instrument.total_max:
        raise ClinicalInputError(
            f"{instrument.key} {what} {total} is outside {instrument.total_min}-{instrument.total_max}"
        )


def reduction(baseline: float, current: float) -> float | None:
    """Return the fractional reduction from `baseline` to `current`, or None when baseline is 0."""
    if baseline == 0:
        return None
    return (baseline - current) / baseline


def is_response(instrument: Instrument | str, baseline: float, current: float) -> bool:
    """Return True when `current` is reduced from `baseline` by the instrument's response fraction."""
    instrument, params = _outcome_parameters(instrument)
    _check_total(instrument, baseline, "baseline")
    _check_total(instrument, current, "score")
    fraction = reduction(baseline, current)
    return fraction is not None and fraction >= params["response_reduction"]


def is_remission(instrument: Instrument | str, current: float) -> bool:
    """Return True when `current` is below the instrument's remission threshold."""
    instrument, params = _outcome_parameters(instrument)
    _check_total(instrument, current, "score")
    return current < params["remission_below"]


@dataclass(frozen=True, slots=True)
class ReliableChange:
    """A Jacobson-Truax reliable change result."""

    rci: float
    reliable: bool
    direction: str  # "improved", "worsened" or "no reliable change"


def reliable_change_index(before: float, after: float, sd: float, reliability: float) -> float:
    """Return the Jacobson-Truax RCI = (after - before) / (SD * sqrt(2) * sqrt(1 - r))."""
    if sd <= 0 or not 0 < reliability < 1:
        raise ClinicalInputError("reliable change needs SD > 0 and reliability between 0 and 1")
    return (after - before) / (sd * math.sqrt(2) * math.sqrt(1 - reliability))


def reliable_change(instrument: Instrument | str, before: float, after: float) -> ReliableChange:
    """Return whether the change from `before` to `after` is reliable (|RCI| > 1.96), and its direction."""
    instrument, params = _outcome_parameters(instrument)
    published = params.get("reliable_change")
    if published is None:
        raise ClinicalInputError(f"{instrument.key} has no published SD and reliability for reliable change")
    _check_total(instrument, before, "baseline")
    _check_total(instrument, after, "score")
    rci = reliable_change_index(before, after, published["sd"], published["reliability"])
    reliable = abs(rci) > RCI_THRESHOLD
    if not reliable:
        direction = "no reliable change"
    elif rci < 0:
        direction = "improved"
    else:
        direction = "worsened"
    return ReliableChange(rci=rci, reliable=reliable, direction=direction)


@dataclass(frozen=True, slots=True)
class TrialProgress:
    """Progress on the current regimen, judged by the CANMAT early-improvement rule."""

    not_improving: bool
    baseline: tuple[date, float] | None
    latest: tuple[date, float] | None
    reduction: float | None
    days_on_regimen: int | None


def trial_progress(
    instrument: Instrument | str,
    scores: Sequence[tuple[date, float]],
    regimen_changed_on: date,
) -> TrialProgress:
    """Return the progress on a regimen unchanged since `regimen_changed_on`.

    The baseline is the latest score on or before the change; the judged score is the
    latest one at least 4 weeks after it. `not_improving` is True when that score is
    reduced by less than 20% from the baseline. Without both scores there is nothing to
    judge yet and the flag stays False. A baseline of 0 leaves no room to improve.
    """
    instrument, _ = _outcome_parameters(instrument)
    for when, total in scores:
        _check_total(instrument, total, f"score on {when.isoformat()}")
    ordered = sorted(scores, key=lambda pair: pair[0])
    before = [pair for pair in ordered if pair[0] <= regimen_changed_on]
    after = [pair for pair in ordered
             if (pair[0] - regimen_changed_on).days >= NOT_IMPROVING_MIN_DAYS]
    baseline = before[-1] if before else None
    latest = after[-1] if after else None
    if baseline is None or latest is None:
        days = (latest[0] - regimen_changed_on).days if latest else None
        return TrialProgress(False, baseline, latest, None, days)
    fraction = reduction(baseline[1], latest[1])
    not_improving = fraction is not None and fraction < NOT_IMPROVING_MIN_REDUCTION
    return TrialProgress(
        not_improving=not_improving,
        baseline=baseline,
        latest=latest,
        reduction=fraction,
        days_on_regimen=(latest[0] - regimen_changed_on).days,
    )


def is_not_improving(
    instrument: Instrument | str,
    scores: Sequence[tuple[date, float]],
    regimen_changed_on: date,
) -> bool:
    """Return True when improvement is below 20% after at least 4 weeks on an unchanged regimen."""
    return trial_progress(instrument, scores, regimen_changed_on).not_improving
