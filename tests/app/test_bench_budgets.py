"""The benchmarks' budgets bite: a figure over its budget makes the script, and `make bench`, fail."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _budget_module():
    spec = importlib.util.spec_from_file_location("_budget", BENCH / "_budget.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_figure_just_over_its_budget_fails_not_only_at_five_times_it(capsys):
    budgets = _budget_module().Budgets()
    assert budgets.at_most("worklist median", 500.0, 500, " ms")
    assert budgets.exit_code() == 0
    assert not budgets.at_most("worklist median", 500.5, 500, " ms")
    assert not budgets.at_least("fill import", 4999, 5000, " rows/s")
    assert budgets.exit_code() == 1
    err = capsys.readouterr().err
    assert "OVER BUDGET: worklist median: 500.50 ms over the budget of 500.00 ms" in err
    assert "fill import: 4,999.00 rows/s under the budget of 5,000.00 rows/s" in err


def test_every_benchmark_with_a_budget_exits_with_its_verdict():
    for script in sorted(BENCH.glob("bench_*.py")):
        text = script.read_text(encoding="utf-8")
        if not re.search(r"^[A-Z_]*(BUDGET|FLOOR)[A-Z_]* = ", text, re.MULTILINE):
            continue
        fails = re.search(r"return (budgets\.exit_code\(\)|1 if \w+ else 0|0 if .+ else 1|1)$", text, re.MULTILINE)
        assert fails, f"{script.name} does not fail when over budget"
        assert not re.search(r"\d+ \* \w*BUDGET", text), f"{script.name} fails only at a multiple of its budget"
        assert "sys.exit(main())" in text or "SystemExit(main())" in text, f"{script.name} drops main()'s exit code"


def test_the_runner_exits_non_zero_when_a_script_misses_its_budget(tmp_path):
    (tmp_path / "bench_over.py").write_text("import sys\nsys.exit(1)\n")
    (tmp_path / "bench_fine.py").write_text("print('fine')\n")
    (tmp_path / "run.py").write_text((BENCH / "run.py").read_text(encoding="utf-8"))
    result = subprocess.run([sys.executable, str(tmp_path / "run.py")], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Budgets missed (or the script failed) in: bench_over.py" in result.stderr
