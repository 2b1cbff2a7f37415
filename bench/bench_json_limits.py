"""Cost of the nesting check on FHIR uploads (dosewise/lib/json_limits.py) beside the parse itself.

Run: `.venv/bin/python bench/bench_json_limits.py`. BENCH_FHIR_ENTRIES (default 100,000) sets the
size of the Bundle of Observations. Prints the median of five runs of the depth check, of
json.loads and of json_loads_limited, and the ratio of the checked parse to the plain one.
Budget: the checked parse of a 100,000-entry Bundle costs at most 2.5 times the plain parse.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from dosewise.lib.json_limits import json_depth, json_loads_limited  # noqa: E402

ENTRIES = int(os.environ.get("BENCH_FHIR_ENTRIES", "100000"))
BUDGET_RATIO = 2.5


def _bundle() -> str:
    return json.dumps({"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": {"resourceType": "Observation", "status": "final",
                      "code": {"coding": [{"system": "http://loinc.org", "code": "14334-7"}]},
                      "subject": {"identifier": {"value": f"NA{n:06d}"}},
                      "valueQuantity": {"value": 0.8, "unit": "mmol/L", "code": "mmol/L"},
                      "effectiveDateTime": "2025-02-03T08:00:00-06:00", "note": [{"text": 'a "quoted" ] note'}]}}
        for n in range(ENTRIES)]})


def _median(run) -> float:
    times = []
    for _ in range(5):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    text = _bundle()
    depth = _median(lambda: json_depth(text))
    plain = _median(lambda: json.loads(text))
    checked = _median(lambda: json_loads_limited(text))
    ratio = checked / plain
    print(f"Bundle of {ENTRIES:,} Observations, {len(text) / 1e6:.1f} MB, nesting {json_depth(text)}")
    print(f"depth check {depth * 1000:.0f} ms, json.loads {plain * 1000:.0f} ms, "
          f"json_loads_limited {checked * 1000:.0f} ms: {ratio:.2f} x the plain parse "
          f"(budget {BUDGET_RATIO} x) {'met' if ratio <= BUDGET_RATIO else 'MISSED'}")
    return 0 if ratio <= BUDGET_RATIO else 1


if __name__ == "__main__":
    raise SystemExit(main())
