"""Print the median time to score one questionnaire, per shipped instrument.

Budget: under 50 microseconds per score. Run with `.venv/bin/python bench/bench_instruments.py`.
"""

from __future__ import annotations

import statistics
import sys
import time

from _budget import Budgets

from dosewise.clinical.instruments import item_applies, load_instruments, score

ROUNDS = 200
CALLS_PER_ROUND = 100
BUDGET_US = 50.0


def typical_answers(instrument) -> list[int]:
    """Return mid-range answers, including any conditional item that then applies."""
    answers = []
    for item in instrument.items:
        if not item_applies(instrument, item.number, answers):
            break
        values = sorted(item.allowed)
        answers.append(values[len(values) // 2])
    return answers


def main() -> int:
    """Time every instrument and print its median microseconds per score."""
    print(f"{'instrument':<10} {'median us/score':>16}")
    worst = 0.0
    for key, instrument in sorted(load_instruments().items()):
        answers = typical_answers(instrument)
        samples = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            for _ in range(CALLS_PER_ROUND):
                score(instrument, answers, sex="female")
            samples.append((time.perf_counter() - start) / CALLS_PER_ROUND * 1e6)
        median = statistics.median(samples)
        worst = max(worst, median)
        print(f"{key:<10} {median:>16.2f}")
    print(f"slowest median {worst:.2f} us (budget {BUDGET_US:.0f} us): {'ok' if worst < BUDGET_US else 'OVER BUDGET'}")
    budgets = Budgets()
    budgets.at_most("slowest median", worst, BUDGET_US, " us")
    return budgets.exit_code()


if __name__ == "__main__":
    sys.exit(main())
