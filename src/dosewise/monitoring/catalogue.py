"""The results a clinic can record: the tests of the monitoring catalogue that carry units and
result bands in the knowledge base, with their LOINC code and accepted UCUM units."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from dosewise.clinical.kb import load_kb
from dosewise.clinical.monitoring import MONITORING_FILE

# A QTc is read from the ECG: it counts as the catalogue's ECG for due dates.
# LOINC 8636-3 is "QT interval corrected".
QTC_LOINC = "8636-3"
SCHEDULE_TEST = {"qtc": "ecg"}

# Physically possible results in the canonical unit: anything outside is a typing or unit
# error, never a measurement (a lithium level of 45 mmol/L is 45 mg/L typed in mmol/L).
POSSIBLE = {
    "lithium-level": (0, 10),
    "valproate-level": (0, 1000),
    "carbamazepine-level": (0, 100),
    "clozapine-level": (0, 10000),
    "anc": (0, 100000),
    "sodium": (90, 200),
    "qtc": (200, 800),
}


@dataclass(frozen=True)
class ResultTest:
    key: str
    name: str
    loinc: str
    unit: str
    units: tuple[str, ...]
    aliases: dict[str, str]
    possible: tuple[float, float]


@functools.cache
def result_tests() -> dict[str, ResultTest]:
    """Return the recordable tests by key, in knowledge-base order."""
    data = load_kb().data(MONITORING_FILE)
    found: dict[str, ResultTest] = {}
    for key, spec in data["interpretations"].items():
        test = data["tests"].get(SCHEDULE_TEST.get(key, key), {})
        loinc = QTC_LOINC if key == "qtc" else (test.get("loinc") or "")
        aliases = {alias: u["ucum"] for u in spec["units"] for alias in u.get("aliases", ())}
        found[key] = ResultTest(key=key, name=spec["name"], loinc=loinc, unit=spec["unit"],
                                units=tuple(u["ucum"] for u in spec["units"]), aliases=aliases,
                                possible=POSSIBLE.get(key, (0, 1e9)))
    return found


@functools.cache
def test_by_code() -> dict[str, str]:
    """Return test keys by key and by LOINC code (what an import file may name)."""
    found = {key: key for key in result_tests()}
    found.update({t.loinc: key for key, t in result_tests().items() if t.loinc})
    return found
