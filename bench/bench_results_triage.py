"""Benchmark the safety check with the chart's results, and the triage of a reported symptom.

Prints two markdown tables:

- the median time of `check()` on 15 drugs with the full context and three genotypes of
  bench_safety.py, without results and with 16 dated results (levels, ANC, sodium, liver
  tests, platelets, white cells, creatinine and weight trends, QTc), the dose before the
  order and the dose-change dates; budget: under 1 ms;
- the median time of `triage()` for reports on five medicines (a benign effect, a rash, a
  phrase with a denied symptom, several serotonin signs, a long free-text note); budget:
  under 0.2 ms.

Times are the process's CPU time (`time.process_time`), so that other processes on a shared
machine weigh less than on wall-clock time; the two check contexts are measured in
alternation, each first every other time. The ratio of the two is the robust figure on a
loaded machine.

Run: .venv/bin/python bench/bench_results_triage.py
"""

from __future__ import annotations

import functools
import os
import statistics
import sys
import time
from dataclasses import replace
from datetime import date, timedelta

from _budget import Budgets, verdict
from bench_safety import CONTEXT, _regimen

from dosewise.clinical.kb import load_kb
from dosewise.clinical.safety import ChartResults, LabResult, check
from dosewise.clinical.triage import triage

RUNS = 400
TODAY = date(2026, 11, 30)
CHECK_BUDGET_US = 1000
TRIAGE_BUDGET_US = 200


def _days(n: int) -> date:
    return TODAY - timedelta(days=n)


RESULTS = ChartResults(
    results=(
        LabResult("lithium-level", 1.3, "mmol/L", _days(2)), LabResult("lithium-level", 0.9, "mmol/L", _days(90)),
        LabResult("clozapine-level", 720, "ng/mL", _days(10)), LabResult("anc", 1300, "/uL", _days(3)),
        LabResult("sodium", 131, "mmol/L", _days(5)), LabResult("alt", 70, "U/L", _days(20)),
        LabResult("ast", 52, "U/L", _days(20)), LabResult("platelets", 140, "10*3/uL", _days(20)),
        LabResult("wbc", 3.8, "10*3/uL", _days(20)), LabResult("creatinine", 0.9, "mg/dL", _days(170)),
        LabResult("creatinine", 1.25, "mg/dL", _days(4)), LabResult("egfr", 58, "mL/min/{1.73_m2}", _days(4)),
        LabResult("weight", 82, "kg", _days(200)), LabResult("weight", 87, "kg", _days(6)),
        LabResult("qtc", 468, "ms", _days(30)), LabResult("valproate-level", 88, "ug/mL", _days(40)),
    ),
    today=TODAY,
    dose_changes={"lithium": _days(6), "clozapine": _days(40), "quetiapine": _days(300)},
    start_dates={"lithium": _days(700), "clozapine": _days(500), "quetiapine": _days(400)},
    previous_doses={"lithium": 1200},
)
TEXTS = (
    ("benign", "mild nausea in the morning", "mild"),
    ("rash", "itchy rash on my arms", None),
    ("denied", "no fever, just a sore throat and swollen glands", "moderate"),
    ("serotonin", "sweating, shaking, agitated and my heart is racing", "severe"),
    ("long note", "I have been feeling more tired than usual for a week, my stomach hurts after meals, I keep "
                  "throwing up in the evenings, and yesterday my partner said my eyes look a bit yellow", None),
)
TRIAGE_DRUGS = ("lamotrigine", "sertraline", "clozapine", "lithium", "valproate")


def _interleaved_us(first, second, runs: int) -> tuple[float, float]:
    """Return the median times of two calls measured in alternation, each first every other time,
    so a change of machine load during the run (or the scheduler's time slice) weighs on both alike."""
    times: dict[int, list[float]] = {0: [], 1: []}
    calls = (first, second)
    for n in range(runs):
        for which in ((0, 1) if n % 2 == 0 else (1, 0)):
            start = time.process_time()
            calls[which]()
            times[which].append(time.process_time() - start)
    return statistics.median(times[0]) * 1e6, statistics.median(times[1]) * 1e6


def _cpu_median_us(call, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        call()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1e6


def main() -> int:
    budgets = Budgets()
    kb = load_kb()
    regimen = _regimen(kb, 15)
    with_results = replace(CONTEXT, results=RESULTS)
    plain = check(regimen, CONTEXT)
    judged = check(regimen, with_results)
    lab = [f for f in judged if f.kind == "lab-result"]
    assert lab, "the results must be judged"
    plain_us, results_us = _interleaved_us(functools.partial(check, regimen, CONTEXT),
                                           functools.partial(check, regimen, with_results), RUNS)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"KB {kb.version}: check() on {len(regimen)} drugs, full context, 3 genotypes; median CPU time of {RUNS} runs, "
          f"the two contexts measured in alternation (1-minute load average at the start: {load:.1f})\n")
    print("| context | findings | of which results | median (µs) | budget (µs) | verdict |")
    print("|---|---:|---:|---:|---:|---|")
    print(f"| without results | {len(plain)} | 0 | {plain_us:.0f} | {CHECK_BUDGET_US} | "
          f"{verdict(budgets.at_most('check() without results', plain_us, CHECK_BUDGET_US, ' µs'))} |")
    print(f"| with {len(RESULTS.results)} dated results and the dose history | {len(judged)} | {len(lab)} | "
          f"{results_us:.0f} | {CHECK_BUDGET_US} | "
          f"{verdict(budgets.at_most('check() with results', results_us, CHECK_BUDGET_US, ' µs'))} |")
    print(f"\nThe results add {results_us - plain_us:.0f} µs ({results_us / plain_us:.2f}x the check without them).\n")

    print(f"triage() on {len(TRIAGE_DRUGS)} medicines ({', '.join(TRIAGE_DRUGS)}); median CPU time of {RUNS} runs\n")
    print("| report | words | urgency | signs | median (µs) | budget (µs) | verdict |")
    print("|---|---:|---|---:|---:|---:|---|")
    triage(TRIAGE_DRUGS, "warm up", None)
    for label, text, severity in TEXTS:
        result = triage(TRIAGE_DRUGS, text, severity)
        median = _cpu_median_us(functools.partial(triage, TRIAGE_DRUGS, text, severity), RUNS)
        print(f"| {label} | {len(text.split())} | {result.urgency} | {len(result.matches)} | {median:.0f} | "
              f"{TRIAGE_BUDGET_US} | {verdict(budgets.at_most(f'triage() of {label}', median, TRIAGE_BUDGET_US, ' µs'))} |")
    return budgets.exit_code()


if __name__ == "__main__":
    sys.exit(main())
