"""Budgets that fail the run: each benchmark records its checks here and exits with `exit_code()`.

A budget is missed as soon as the figure is over it (or under it, for a floor such as rows
per second); `make bench` (bench/run.py) then exits non-zero and names what was missed.
"""

from __future__ import annotations

import sys


class Budgets:
    def __init__(self) -> None:
        self.missed: list[str] = []

    def at_most(self, label: str, measured: float, budget: float, unit: str = "") -> bool:
        """Record `measured <= budget`; return whether it was met."""
        met = measured <= budget
        if not met:
            self.missed.append(f"{label}: {measured:,.2f}{unit} over the budget of {budget:,.2f}{unit}")
        return met

    def at_least(self, label: str, measured: float, floor: float, unit: str = "") -> bool:
        """Record `measured >= floor` (a throughput or a share of a reference); return whether it was met."""
        met = measured >= floor
        if not met:
            self.missed.append(f"{label}: {measured:,.2f}{unit} under the budget of {floor:,.2f}{unit}")
        return met

    def exit_code(self) -> int:
        for line in self.missed:
            print(f"OVER BUDGET: {line}", file=sys.stderr)
        return 1 if self.missed else 0


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"
