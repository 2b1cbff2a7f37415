"""Run every benchmark in this folder, one after another, and print their figures.

`make bench` runs them on the embedded SQLite default; set DATABASE_URL to a PostgreSQL
database to run the database benchmarks there too. bench_gnuhealth.py is left out: it
downloads GNU Health on its first run; `make bench-gnuhealth` runs it. The benchmarks over HTTP
(bench_pages_http.py, bench_load.py) take minutes and have their own targets. Figures worth
keeping go into bench/RESULTS.md together with the machine and the command used. The run exits
non-zero when any script misses a budget (each exits 1 as soon as a figure is over its
budget, see bench/_budget.py).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
OPT_IN = {"bench_gnuhealth.py": "make bench-gnuhealth", "bench_pages_http.py": "make bench-pages",
          "bench_load.py": "make bench-load"}


def main() -> int:
    failures: list[str] = []
    for script in sorted(HERE.glob("bench_*.py")):
        if script.name in OPT_IN:
            print(f"\n## {script.name}: not run by default; `{OPT_IN[script.name]}` runs it\n", flush=True)
            continue
        print(f"\n## {script.name}\n", flush=True)
        result = subprocess.run([sys.executable, str(script)], check=False)
        if result.returncode != 0:
            failures.append(script.name)
    if failures:
        print(f"\nBudgets missed (or the script failed) in: {', '.join(failures)}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
