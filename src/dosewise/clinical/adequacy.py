"""Adequacy of antidepressant trials and the treatment-resistant depression (TRD) flag.

In the style of the Antidepressant Treatment History Form (Sackeim, J Clin Psychiatry 2001;
62 Suppl 16:10-17; short form: Sackeim et al., J Psychiatr Res 2019;113:125-136), each trial
of an antidepressant is rated on dose, duration and adherence, and only thresholds with a
source are used:

- dose: at least the lowest dose of the drug's labelled usual range for major depression (the
  formulary's `dose.usual_min_mg` where its indication is major depressive disorder or
  episodes, from the FDA label section 2 or SmPC section 4.2 it cites);
- duration: at least 4 weeks at that dose, and a trial stopped earlier is not a failure
  (Sforzini et al., Mol Psychiatry 2022;27:1286-1299, Delphi consensus definition of TRD);
- adherence: a trial taken rarely is not adequate (ATHF: poor adherence lowers the rating).

TRD is two or more adequate trials of different antidepressants without an adequate response
in the current episode: the population of the esketamine label (FDA label Spravato, section
1 and 14, rev. 2023: adults who have not responded adequately to at least two antidepressants
of adequate dose and duration in the current episode) and of Sforzini 2022.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from dosewise.clinical.kb import KnowledgeBase, load_kb

MIN_WEEKS = 4
DURATION_SOURCE = "Sforzini L et al. Mol Psychiatry 2022;27:1286-1299 (at least 4 weeks at the minimum licensed dose)"
ADHERENCE_SOURCE = "Sackeim HA. J Clin Psychiatry 2001;62 Suppl 16:10-17 (ATHF: non-adherence lowers the rating)"
TRD_SOURCE = ("FDA label Spravato (esketamine) sections 1, 14 (rev. 2023); Sforzini L et al. Mol Psychiatry "
              "2022;27:1286-1299: two or more adequate antidepressant trials without adequate response in the "
              "current episode")
NON_RESPONSE = frozenset({"none", "partial"})
ANTIDEPRESSANT_CLASS = "antidepressant"
MDD_PREFIX = "major depressive"


@dataclass(frozen=True)
class TrialFacts:
    drug: str
    max_dose_mg_per_day: float | None
    weeks: int | None
    adherence: str  # good, partial, poor, unknown
    response: str  # none, partial, response, remission, unknown
    current_episode: bool
    weeks_at_max_dose: int | None = None


@dataclass(frozen=True)
class Adequacy:
    """The rating of one trial: adequate (True/False), None when it cannot be judged."""

    applies: bool  # an antidepressant trial with a sourced dose threshold
    adequate: bool | None
    reasons: tuple[str, ...]
    min_dose_mg: float | None = None
    min_weeks: int = MIN_WEEKS
    sources: tuple[str, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        if not self.applies:
            return "not rated"
        return {True: "adequate", False: "not adequate", None: "cannot be judged"}[self.adequate]


def _dose_threshold(drug: str, kb: KnowledgeBase) -> tuple[float | None, str]:
    entry = kb.ingredients.get(drug)
    if entry is None or ANTIDEPRESSANT_CLASS not in entry.classes or not entry.dose:
        return None, ""
    # The labelled range for major depression only: a range for another use (OCD, a hypnotic dose,
    # a nasal-spray session) is no measure of an antidepressant trial.
    if not str(entry.dose.get("indication", "")).startswith(MDD_PREFIX) or entry.dose.get("usual_min_mg") is None:
        return None, ""
    return float(entry.dose["usual_min_mg"]), str(entry.dose.get("source", ""))


def trial_adequacy(trial: TrialFacts, kb: KnowledgeBase | None = None) -> Adequacy:
    """Return whether the trial was of adequate dose, duration and adherence, and why."""
    kb = kb or load_kb()
    threshold, dose_source = _dose_threshold(trial.drug, kb)
    if threshold is None:
        return Adequacy(False, None, (f"{trial.drug} has no sourced dose threshold for depression here",))
    sources = (dose_source, DURATION_SOURCE, ADHERENCE_SOURCE)
    reasons: list[str] = []
    verdicts: list[bool | None] = []
    if trial.max_dose_mg_per_day is None:
        reasons.append("maximum dose not recorded")
        verdicts.append(None)
    elif trial.max_dose_mg_per_day < threshold:
        reasons.append(f"{trial.max_dose_mg_per_day:g} mg/day is below {threshold:g} mg/day, the lowest labelled "
                       "dose for depression")
        verdicts.append(False)
    else:
        reasons.append(f"dose {trial.max_dose_mg_per_day:g} mg/day reaches {threshold:g} mg/day")
        verdicts.append(True)
    weeks = trial.weeks_at_max_dose if trial.weeks_at_max_dose is not None else trial.weeks
    if weeks is None:
        reasons.append("duration not recorded")
        verdicts.append(None)
    elif weeks < MIN_WEEKS:
        reasons.append(f"{weeks} weeks is shorter than {MIN_WEEKS} weeks; an early stop is not a failure")
        verdicts.append(False)
    else:
        reasons.append(f"{weeks} weeks reaches {MIN_WEEKS} weeks")
        verdicts.append(True)
    if trial.adherence == "poor":
        reasons.append("taken rarely")
        verdicts.append(False)
    elif trial.adherence == "unknown":
        reasons.append("adherence not known")
    if False in verdicts:
        adequate: bool | None = False
    elif None in verdicts:
        adequate = None
    else:
        adequate = True
    return Adequacy(True, adequate, tuple(reasons), threshold, MIN_WEEKS, sources)


@dataclass(frozen=True)
class TrdStatus:
    meets: bool
    adequate_failed: tuple[str, ...]  # the drugs of the adequate trials without adequate response
    explanation: str
    source: str = TRD_SOURCE


def trd_status(trials: Iterable[TrialFacts], kb: KnowledgeBase | None = None) -> TrdStatus:
    """Return whether the current episode meets TRD: two different antidepressants, each an adequate
    trial, neither with an adequate response (none or partial)."""
    kb = kb or load_kb()
    failed: list[str] = []
    for trial in trials:
        if not trial.current_episode or trial.response not in NON_RESPONSE:
            continue
        if trial_adequacy(trial, kb).adequate is True and trial.drug not in failed:
            failed.append(trial.drug)
    meets = len(failed) >= 2
    if meets:
        explanation = (f"{len(failed)} adequate antidepressant trials without adequate response in the current "
                       f"episode ({', '.join(failed)}).")
    elif failed:
        explanation = f"One adequate trial without adequate response in the current episode ({failed[0]}); TRD needs two."
    else:
        explanation = "No adequate antidepressant trial without response in the current episode yet."
    return TrdStatus(meets, tuple(failed), explanation)
