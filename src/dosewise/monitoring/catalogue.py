"""The results a clinic can record: the interpretations of the knowledge base, with their LOINC
code, accepted UCUM units, physically possible range and the scheduled test each one satisfies."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from dosewise.clinical.kb import load_kb
from dosewise.clinical.monitoring import MONITORING_FILE


@dataclass(frozen=True)
class ResultTest:
    key: str
    name: str
    loinc: str
    unit: str
    units: tuple[str, ...]
    aliases: dict[str, str]
    possible: tuple[float, float]
    counts_as: str


@functools.cache
def result_tests() -> dict[str, ResultTest]:
    """Return the recordable tests by key, in knowledge-base order."""
    data = load_kb().data(MONITORING_FILE)
    found: dict[str, ResultTest] = {}
    for key, spec in data["interpretations"].items():
        counts_as = spec.get("counts_as", key)
        loinc = spec.get("loinc") or data["tests"].get(counts_as, {}).get("loinc") or ""
        aliases = {alias: u["ucum"] for u in spec["units"] for alias in u.get("aliases", ())}
        found[key] = ResultTest(key=key, name=spec["name"], loinc=loinc, unit=spec["unit"],
                                units=tuple(u["ucum"] for u in spec["units"]), aliases=aliases,
                                possible=(spec["possible"]["min"], spec["possible"]["max"]), counts_as=counts_as)
    return found


@functools.cache
def test_by_code() -> dict[str, str]:
    """Return test keys by key and by LOINC code (what an import file may name)."""
    found = {key: key for key in result_tests()}
    found.update({t.loinc: key for key, t in result_tests().items() if t.loinc})
    return found
