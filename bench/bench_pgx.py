"""Print the median time of one pharmacogenomic phenotype call, per diplotype.

Budget: under 50 microseconds per call. Run with `.venv/bin/python bench/bench_pgx.py`.
"""

from __future__ import annotations

import statistics
import sys
import time

from _budget import Budgets

from dosewise.clinical.pgx import phenotype

CASES = (
    ("CYP2D6", "*1/*1x2"),
    ("CYP2D6", "*4/*10"),
    ("CYP2D6", "*36+*10/*41"),
    ("CYP2C19", "*2/*17"),
    ("CYP2C9", "*1/*3"),
    ("HLA-B", "*15:02/*07:02"),
)
ROUNDS = 200
CALLS_PER_ROUND = 100
BUDGET_US = 50.0


def main() -> int:
    """Time every case and print its median microseconds per phenotype call."""
    phenotype(*CASES[0])  # load and validate the tables outside the timed loop
    print(f"{'diplotype':<24} {'median us/call':>15}")
    worst = 0.0
    for gene, diplotype in CASES:
        samples = []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            for _ in range(CALLS_PER_ROUND):
                phenotype(gene, diplotype)
            samples.append((time.perf_counter() - start) / CALLS_PER_ROUND * 1e6)
        median = statistics.median(samples)
        worst = max(worst, median)
        print(f"{gene + ' ' + diplotype:<24} {median:>15.2f}")
    print(f"slowest median {worst:.2f} us (budget {BUDGET_US:.0f} us): {'ok' if worst < BUDGET_US else 'OVER BUDGET'}")
    budgets = Budgets()
    budgets.at_most("slowest median", worst, BUDGET_US, " us")
    return budgets.exit_code()


if __name__ == "__main__":
    sys.exit(main())
