"""Convert a daily dose of one drug to an approximately equivalent dose of another.

The tables live in `kb/equivalence.json` (schema `kb/schema/equivalence.schema.json`). Each
table is named and cited, and within a table every `dose_mg` is equivalent to the same
reference, so a conversion is `dose * to_equivalent / from_equivalent` inside one table.
The tables, in the order used to pick a default (the first that covers both drugs):

1. `hayasaka2015` - antidepressants, fluoxetine 40 mg/day equivalents (Hayasaka 2015);
2. `gardner2010` - antipsychotics, international consensus, olanzapine 20 mg/day (Gardner 2010);
3. `leucht2016` - antipsychotics, defined-daily-dose method (Leucht 2016);
4. `ashton2002` - benzodiazepines and z-drugs, diazepam 10 mg equivalents (Ashton Manual 2002).

Drugs that no single table covers (e.g. sertraline and diazepam) cannot be converted.
Every result carries the warning that equivalents are approximate.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import fastjsonschema

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import KnowledgeBaseError

KB_DIR = Path(__file__).resolve().parent / "kb"
EQUIVALENCE_FILE = KB_DIR / "equivalence.json"
EQUIVALENCE_SCHEMA = KB_DIR / "schema" / "equivalence.schema.json"
RESULT_DECIMALS = 2


@dataclass(frozen=True)
class EquivalenceTable:
    """One named, cited table: drug -> dose (mg) equivalent to the table's reference."""

    name: str
    title: str
    drug_class: str
    reference: str
    doses: Mapping[str, float]
    source: str


@dataclass(frozen=True)
class EquivalenceResult:
    """A converted dose with the table it came from and the approximation warning."""

    from_drug: str
    from_dose_mg: float
    to_drug: str
    to_dose_mg: float
    table: str
    source: str
    warning: str

    def to_dict(self) -> dict[str, Any]:
        """Return the result in the command-line JSON shape."""
        return {
            "from": {"name": self.from_drug, "dose_mg": self.from_dose_mg},
            "to": {"name": self.to_drug, "dose_mg": self.to_dose_mg},
            "table": self.table,
            "source": self.source,
            "warning": self.warning,
        }


@dataclass(frozen=True)
class _Data:
    warning: str
    tables: tuple[EquivalenceTable, ...]


@functools.lru_cache(maxsize=1)
def _validator() -> Any:
    """Return the compiled equivalence schema (compiled once per process)."""
    return fastjsonschema.compile(json.loads(EQUIVALENCE_SCHEMA.read_text(encoding="utf-8")))


@functools.lru_cache(maxsize=1)
def _data() -> _Data:
    """Load and validate kb/equivalence.json (once per process)."""
    try:
        raw = json.loads(EQUIVALENCE_FILE.read_text(encoding="utf-8"))
        _validator()(raw)
    except (ValueError, fastjsonschema.JsonSchemaException) as exc:
        raise KnowledgeBaseError(f"equivalence.json: {exc}") from exc
    tables = []
    names: set[str] = set()
    for item in raw["tables"]:
        if item["name"] in names:
            raise KnowledgeBaseError(f"equivalence.json: table {item['name']} is defined twice")
        names.add(item["name"])
        doses: dict[str, float] = {}
        for entry in item["entries"]:
            if entry["drug"] in doses:
                raise KnowledgeBaseError(f"equivalence.json: {entry['drug']} is listed twice in {item['name']}")
            doses[entry["drug"]] = float(entry["dose_mg"])
        tables.append(EquivalenceTable(item["name"], item["title"], item["drug_class"], item["reference"],
                                       MappingProxyType(doses), item["source"]))
    return _Data(raw["warning"], tuple(tables))


def equivalence_tables() -> tuple[EquivalenceTable, ...]:
    """Return the tables in default-selection order."""
    return _data().tables


def table_names() -> tuple[str, ...]:
    """Return the table names in default-selection order."""
    return tuple(table.name for table in _data().tables)


def covered_drugs() -> frozenset[str]:
    """Return every drug name that appears in at least one table."""
    return frozenset(drug for table in _data().tables for drug in table.doses)


def _check_dose(dose_mg: float) -> float:
    """Return the dose as a float, refusing non-numbers, non-finite, zero and negative doses."""
    if isinstance(dose_mg, bool) or not isinstance(dose_mg, (int, float)):
        raise ClinicalInputError(f"dose must be a number of mg, not {dose_mg!r}")
    value = float(dose_mg)
    if not math.isfinite(value) or value <= 0:
        raise ClinicalInputError(f"dose must be a positive number of mg, not {dose_mg!r}")
    return value


def _tables_covering(drug: str) -> str:
    """Return the comma-separated names of the tables that list a drug."""
    return ", ".join(table.name for table in _data().tables if drug in table.doses)


def _pick_table(from_drug: str, to_drug: str, table: str | None) -> EquivalenceTable:
    """Return the named table, or the first table covering both drugs."""
    tables = _data().tables
    if table is not None:
        chosen = next((t for t in tables if t.name == table.strip().lower()), None)
        if chosen is None:
            raise ClinicalInputError(f"unknown equivalence table '{table}'; tables: {', '.join(table_names())}")
        for drug in (from_drug, to_drug):
            if drug not in chosen.doses:
                raise ClinicalInputError(f"table {chosen.name} has no equivalent for {drug}")
        return chosen
    for drug in (from_drug, to_drug):
        if drug not in covered_drugs():
            raise ClinicalInputError(f"no equivalence table covers {drug}")
    for candidate in tables:
        if from_drug in candidate.doses and to_drug in candidate.doses:
            return candidate
    raise ClinicalInputError(
        f"no equivalence table covers both {from_drug} ({_tables_covering(from_drug)}) and {to_drug} "
        f"({_tables_covering(to_drug)}); equivalents are only defined within one drug class"
    )


def convert_dose(from_drug: str, dose_mg: float, to_drug: str, table: str | None = None) -> EquivalenceResult:
    """Return the dose of `to_drug` approximately equivalent to `dose_mg` of `from_drug`.

    Drug names are generic names as the tables spell them (lower-case); resolve brand names
    first. Without `table`, the first table (in documented order) covering both drugs is used.
    """
    dose = _check_dose(dose_mg)
    source_drug = from_drug.strip().lower()
    target_drug = to_drug.strip().lower()
    chosen = _pick_table(source_drug, target_drug, table)
    converted = dose * chosen.doses[target_drug] / chosen.doses[source_drug]
    return EquivalenceResult(
        from_drug=source_drug,
        from_dose_mg=dose,
        to_drug=target_drug,
        to_dose_mg=round(converted, RESULT_DECIMALS),
        table=chosen.name,
        source=chosen.source,
        warning=_data().warning,
    )
