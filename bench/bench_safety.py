"""Benchmark the knowledge-base load and the safety check.

Prints a markdown table: cold KB load time (fresh subprocess, median of several), and the
median time of `check()` for regimens of 2 to 20 drugs with a full context and three
genotypes, next to a straightforward all-pairs scan of the same interaction rules.

Run: .venv/bin/python bench/bench_safety.py
"""

from __future__ import annotations

import functools
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence

from dosewise.clinical.kb import KnowledgeBase, load_kb
from dosewise.clinical.safety import Context, RegimenItem, check

COLD_RUNS = 7
# Budgets (bench/RESULTS.md, "Budgets at a glance"): a fresh process loads the knowledge base in
# under 200 ms, and check() on 15 drugs with the full context takes under 1 ms (median).
KB_LOAD_BUDGET_MS = 200.0
CHECK_15_BUDGET_US = 1000.0
CHECK_RUNS = 300
SIZES = (2, 5, 10, 15, 20)
COLD_LOAD = (
    "import time; t = time.perf_counter(); from dosewise.clinical.kb import load_kb; load_kb(); "
    "print(time.perf_counter() - t)"
)
CONTEXT = Context(
    age=70, sex="female", pregnant=False, lactating=True, egfr=40, child_pugh="B", qtc_ms=465,
    allergies=("carbamazepine", "penicillin"), genotypes={"CYP2D6": "*1/*4", "CYP2C19": "*1/*2", "HLA-B": "*15:02/*07:02"},
    smoker=True,
)
# A realistic polypharmacy list first, then the rest of the formulary in name order.
COMMON = [
    "sertraline", "quetiapine", "lorazepam", "lithium", "tramadol", "ibuprofen", "warfarin", "omeprazole",
    "clozapine", "fluvoxamine", "ondansetron", "citalopram", "oxycodone", "metoprolol", "lamotrigine",
    "trazodone", "methylphenidate", "aripiprazole", "gabapentin", "simvastatin",
]


def _regimen(kb: KnowledgeBase, size: int) -> list[RegimenItem]:
    names = [name for name in COMMON if name in kb.ingredients]
    names += [name for name in kb.ingredients if name not in names]
    items = []
    for name in names[:size]:
        dose = kb.ingredients[name].dose
        items.append(RegimenItem(name, dose["usual_max_mg"] if dose else None))
    return items


def check_all_pairs_reference(kb: KnowledgeBase, regimen: Sequence[RegimenItem]) -> list[tuple[str, tuple[str, ...]]]:
    """Return (rule id, drugs) of the explicit rules by scanning every rule for every pair."""
    ingredients = [kb.ingredients[item.name] for item in regimen]
    fired = []
    for i, first in enumerate(ingredients):
        for second in ingredients[i + 1 :]:
            for rule in kb.interaction_rules:
                if (rule.a.matches(first) and rule.b.matches(second)) or (
                    rule.a.matches(second) and rule.b.matches(first)
                ):
                    fired.append((rule.id, tuple(sorted((first.name, second.name)))))
    return fired


def _median_us(call: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def _cold_load_ms() -> float:
    runs = [
        float(subprocess.run([sys.executable, "-c", COLD_LOAD], capture_output=True, text=True, check=True).stdout)
        for _ in range(COLD_RUNS)
    ]
    return statistics.median(runs) * 1000


def main() -> int:
    from _budget import Budgets, verdict

    budgets = Budgets()
    kb = load_kb()
    cold = _cold_load_ms()
    print(f"KB {kb.version}: {len(kb.ingredients)} ingredients, {len(kb.interaction_rules)} explicit rules")
    print(f"\nCold KB load (fresh subprocess, import + validate + index, median of {COLD_RUNS}): {cold:.1f} ms\n")
    print("| drugs | findings | full check() median (µs) | explicit rules only, all-pairs scan median (µs) | scan / check |")
    print("|---:|---:|---:|---:|---:|")
    for size in SIZES:
        regimen = _regimen(kb, size)
        findings = check(regimen, CONTEXT)
        explicit_ids = {rule.id for rule in kb.interaction_rules}
        explicit = {(f.rule_id, f.drugs) for f in findings if f.rule_id in explicit_ids}
        # The smoker flag adds tobacco smoke inside check(); the scan gets it explicitly.
        scanned = [*regimen, RegimenItem(kb.derived_rules["smoking"]["ingredient"])]
        # The indexed lookup must fire exactly the rules the full scan fires.
        assert set(check_all_pairs_reference(kb, scanned)) == explicit
        check_us = _median_us(functools.partial(check, regimen, CONTEXT), CHECK_RUNS)
        scan_us = _median_us(functools.partial(check_all_pairs_reference, kb, scanned), CHECK_RUNS)
        print(f"| {size} | {len(findings)} | {check_us:.0f} | {scan_us:.0f} | {scan_us / check_us:.1f}x |")
        if size == 15:
            check_15 = check_us
    load_met = budgets.at_most("cold knowledge-base load", cold, KB_LOAD_BUDGET_MS, " ms")
    check_met = budgets.at_most("check() on 15 drugs, median", check_15, CHECK_15_BUDGET_US, " µs")
    print(f"\nBudgets: KB load < {KB_LOAD_BUDGET_MS:.0f} ms {verdict(load_met)}; check() on 15 drugs < "
          f"{CHECK_15_BUDGET_US / 1000:.0f} ms {verdict(check_met)}")
    return budgets.exit_code()


if __name__ == "__main__":
    sys.exit(main())
