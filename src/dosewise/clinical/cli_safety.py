"""The `dosewise check` and `dosewise drugs` commands.

`dosewise check sertraline=100 tramadol --age 70 --json` prints the safety findings for a
regimen; `dosewise drugs zol` lists matching formulary entries. Bad input raises
`ClinicalInputError`, which the dispatcher prints as one line on stderr with exit status 2.

Results join the check with `--result NAME=VALUE[UNIT][@YYYY-MM-DD]` (repeatable), e.g.
`--result lithium=1.8 --result platelets=95x10^9/L@2026-11-02`: without a unit the value is
in the test's usual unit (lithium mmol/L, valproate and carbamazepine µg/mL, ANC, WBC and
platelets per µL, sodium mmol/L, ALT and AST U/L, creatinine mg/dL); without a date it is
today's. `--previous-dose DRUG=MG` gives the dose in force before the order (so a higher
DRUG=MG is an increase), `--dose-changed DRUG=DATE` and `--started DRUG=DATE` the dose
history, `--new DRUG` a drug the order starts, `--ben` a recorded benign ethnic neutropenia.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import textwrap
from datetime import date
from typing import Any

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import KnowledgeBaseError, load_kb
from dosewise.clinical.names import resolve_drug, search_drugs
from dosewise.clinical.results import PREGNANCY_TEST, ChartResults, LabResult, result_tests
from dosewise.clinical.safety import CHILD_PUGH_CLASSES, Context, Finding, RegimenItem, check

FINDING_KEYS = ("kind", "severity", "drugs", "summary", "mechanism", "action", "sources")
# What a user may type before '=' in --result, beside the test keys themselves.
RESULT_NAMES = {
    "lithium": "lithium-level", "li": "lithium-level",
    "valproate": "valproate-level", "valproic-acid": "valproate-level", "divalproex": "valproate-level",
    "carbamazepine": "carbamazepine-level", "clozapine": "clozapine-level",
    "neutrophils": "anc", "white-cells": "wbc", "plt": "platelets", "na": "sodium",
    "pregnancy": PREGNANCY_TEST, "hcg": PREGNANCY_TEST,
}
# Counts are typed per µL unless a unit says otherwise (the catalogue stores WBC and platelets in 10*3/uL).
PER_MICROLITRE = frozenset({"anc", "wbc", "platelets"})
PREGNANCY_ANSWERS = {"positive": 1.0, "pos": 1.0, "+": 1.0, "1": 1.0, "negative": 0.0, "neg": 0.0, "-": 0.0,
                     "0": 0.0}
_NUMBER_AND_UNIT = re.compile(r"^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)\s*(.*)$")


def add_parsers(subparsers: Any) -> None:
    """Register the `check` and `drugs` sub-commands."""
    checker = subparsers.add_parser("check", help="check a regimen for interactions and patient-specific risks")
    checker.add_argument("drugs", nargs="+", metavar="DRUG[=MG_PER_DAY]", help="generic name, brand or RxNorm code")
    checker.add_argument("--age", type=float, help="age in years")
    checker.add_argument("--sex", choices=("female", "male"))
    checker.add_argument("--pregnant", action="store_true")
    checker.add_argument("--lactating", action="store_true")
    checker.add_argument("--egfr", type=float, help="eGFR in mL/min/1.73 m2")
    checker.add_argument("--child-pugh", choices=CHILD_PUGH_CLASSES, type=str.upper, dest="child_pugh")
    checker.add_argument("--qtc", type=float, help="QTc in ms")
    checker.add_argument("--smoker", action="store_true", help="the patient smokes tobacco")
    checker.add_argument("--allergy", action="append", default=[], metavar="NAME", help="drug, class or free text")
    checker.add_argument("--genotype", action="append", default=[], metavar="GENE=DIPLOTYPE")
    checker.add_argument("--result", action="append", default=[], metavar="NAME=VALUE[UNIT][@DATE]",
                         help="a dated result, e.g. lithium=1.8 or platelets=95x10^9/L@2026-11-02")
    checker.add_argument("--previous-dose", action="append", default=[], metavar="DRUG=MG", dest="previous_dose",
                         help="the daily dose in force before this order")
    checker.add_argument("--dose-changed", action="append", default=[], metavar="DRUG=YYYY-MM-DD",
                         dest="dose_changed", help="the date of the drug's last dose change")
    checker.add_argument("--started", action="append", default=[], metavar="DRUG=YYYY-MM-DD",
                         help="the date the drug was started")
    checker.add_argument("--new", action="append", default=[], metavar="DRUG", help="a drug this order starts")
    checker.add_argument("--ben", action="store_true", help="benign ethnic neutropenia is recorded")
    checker.add_argument("--today", metavar="YYYY-MM-DD", help="the day of the check (default: today)")
    checker.add_argument("--json", action="store_true", help="print JSON")
    checker.set_defaults(func=handle_check)

    drugs = subparsers.add_parser("drugs", help="search the formulary by name, brand or class")
    drugs.add_argument("query")
    drugs.add_argument("--json", action="store_true", help="print JSON")
    drugs.set_defaults(func=handle_drugs)


def parse_regimen_item(text: str) -> RegimenItem:
    """Parse 'DRUG' or 'DRUG=MG_PER_DAY' into a RegimenItem."""
    name, separator, dose_text = text.rpartition("=") if "=" in text else (text, "", "")
    name = name.strip()
    if not name:
        raise ClinicalInputError(f"missing drug name in '{text}'; use DRUG or DRUG=MG_PER_DAY")
    if not separator:
        return RegimenItem(name)
    try:
        dose = float(dose_text)
    except ValueError:
        raise ClinicalInputError(
            f"dose '{dose_text}' for {name} is not a number; give mg per day, e.g. {name}=100"
        ) from None
    return RegimenItem(name, dose)


def parse_genotypes(values: list[str]) -> dict[str, str]:
    """Parse GENE=DIPLOTYPE options and check each with the pharmacogenomics tables."""
    genotypes: dict[str, str] = {}
    if not values:
        return genotypes
    # Imported only when genotypes are given, so plain checks never load the PGx tables.
    from dosewise.clinical import pgx

    for value in values:
        gene, separator, diplotype = value.partition("=")
        gene, diplotype = gene.strip(), diplotype.strip()
        if not separator or not gene or not diplotype:
            raise ClinicalInputError(
                f"malformed --genotype '{value}'; use GENE=DIPLOTYPE, e.g. CYP2D6='*1/*4' or HLA-B='*15:02/*07:02'"
            )
        if gene in genotypes:
            raise ClinicalInputError(f"--genotype {gene} is given twice")
        pgx.phenotype(gene, diplotype)
        genotypes[gene] = diplotype
    return genotypes


def _date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ClinicalInputError(f"{what}: '{text}' is not a date; use YYYY-MM-DD") from None


def parse_result(text: str, known: tuple[str, ...]) -> LabResult:
    """Parse NAME=VALUE[UNIT][@YYYY-MM-DD] into a LabResult."""
    name, separator, rest = text.partition("=")
    key = name.strip().lower().replace("_", "-").replace(" ", "-")
    if not separator or not key or not rest.strip():
        raise ClinicalInputError(f"malformed --result '{text}'; use NAME=VALUE, e.g. lithium=1.8")
    test = RESULT_NAMES.get(key, key)
    if test not in known:
        names = sorted({*RESULT_NAMES, *known} - {"pregnancy-test"})
        raise ClinicalInputError(f"unknown result name '{name.strip()}'; use one of: {', '.join(names)}")
    value_text, at, day_text = rest.partition("@")
    on = _date(day_text, f"--result {name.strip()}") if at else None
    value_text = value_text.strip()
    if test == PREGNANCY_TEST:
        if value_text.lower() not in PREGNANCY_ANSWERS:
            raise ClinicalInputError(f"pregnancy result '{value_text}' must be positive or negative")
        return LabResult(test, PREGNANCY_ANSWERS[value_text.lower()], "", on)
    match = _NUMBER_AND_UNIT.match(value_text)
    if match is None:
        raise ClinicalInputError(f"{name.strip()} result '{value_text}' is not a number")
    value = float(match.group(1))
    if value < 0:
        raise ClinicalInputError(f"{name.strip()} result {value:g} is negative; a result cannot be below 0")
    unit = match.group(2).strip() or ("/uL" if test in PER_MICROLITRE else "")
    return LabResult(test, value, unit, on)


def _drug_values(values: list[str], option: str, parse) -> dict[str, Any]:
    """Parse repeated DRUG=VALUE options into {generic name: parsed value}."""
    found: dict[str, Any] = {}
    kb = load_kb()
    for value in values:
        drug, separator, text = value.partition("=")
        if not separator or not drug.strip() or not text.strip():
            raise ClinicalInputError(f"malformed {option} '{value}'; use DRUG=VALUE")
        found[resolve_drug(drug, kb)] = parse(text, f"{option} {drug.strip()}")
    return found


def _dose(text: str, what: str) -> float:
    try:
        dose = float(text)
    except ValueError:
        raise ClinicalInputError(f"{what}: '{text}' is not a dose in mg per day") from None
    if dose < 0:
        raise ClinicalInputError(f"{what}: a dose cannot be negative")
    return dose


def parse_chart_results(args: argparse.Namespace) -> ChartResults | None:
    """Return the results and dose history of the options, or None when none were given."""
    if not (args.result or args.previous_dose or args.dose_changed or args.started or args.new or args.ben):
        return None
    known = result_tests(load_kb())
    return ChartResults(
        results=tuple(parse_result(text, known) for text in args.result),
        today=_date(args.today, "--today") if args.today else None,
        previous_doses=_drug_values(args.previous_dose, "--previous-dose", _dose),
        dose_changes=_drug_values(args.dose_changed, "--dose-changed", _date),
        start_dates=_drug_values(args.started, "--started", _date),
        starting=tuple(resolve_drug(name) for name in args.new), ben=args.ben)


def _regimen_rows(items: list[RegimenItem]) -> list[dict[str, Any]]:
    """Return the resolved regimen as JSON-ready rows."""
    kb = load_kb()
    rows = []
    for item in items:
        name = resolve_drug(item.name, kb)
        rows.append(
            {"input": item.name, "name": name, "rxcui": kb.ingredients[name].rxcui, "dose_mg_per_day": item.dose_mg_per_day}
        )
    return rows


def _render_table(version: str, rows: list[dict[str, Any]], findings: list[Finding]) -> str:
    """Render the regimen and findings as readable text."""
    lines = [f"Knowledge base {version}", "Regimen:"]
    for row in rows:
        dose = f" {row['dose_mg_per_day']:g} mg/day" if row["dose_mg_per_day"] is not None else ""
        shown = f" (entered as {row['input']})" if row["input"].strip().casefold() != row["name"] else ""
        lines.append(f"  {row['name']}{dose}{shown}")
    if not findings:
        lines.append("No findings.")
        return "\n".join(lines) + "\n"
    lines.append(f"{len(findings)} finding{'s' if len(findings) != 1 else ''}:")
    lines.append(f"  {'SEVERITY':<16}{'KIND':<23}{'DRUGS':<34}SUMMARY")
    for finding in findings:
        drugs = ", ".join(finding.drugs)
        lines.append(f"  {finding.severity:<16}{finding.kind:<23}{drugs:<34}{finding.summary}")
        for label, text in (("why", finding.mechanism), ("do", finding.action), ("source", "; ".join(finding.sources))):
            lines.extend(textwrap.wrap(text, width=100, initial_indent=f"      {label}: ", subsequent_indent="        "))
    return "\n".join(lines) + "\n"


def _knowledge_base_failure(exc: KnowledgeBaseError) -> int:
    """Report an invalid knowledge base as one line and exit status 1 (not the user's input)."""
    sys.stderr.write(f"dosewise: knowledge base error: {exc}\n")
    return 1


def handle_check(args: argparse.Namespace) -> int:
    """Run `dosewise check` and print the findings."""
    try:
        return _check(args)
    except KnowledgeBaseError as exc:
        return _knowledge_base_failure(exc)


def _check(args: argparse.Namespace) -> int:
    """Resolve the regimen and context, run the check and print the result."""
    items = [parse_regimen_item(text) for text in args.drugs]
    chart = parse_chart_results(args)
    qtc = args.qtc
    if qtc is None and chart is not None:
        # The newest QTc given as a result also feeds the QT rules, as the chart's ECG does.
        tracings = sorted((r for r in chart.results if r.test == "qtc" and r.unit in ("", "ms")),
                          key=lambda r: r.on or date.max)
        qtc = tracings[-1].value if tracings else None
    context = Context(
        age=args.age,
        sex=args.sex,
        pregnant=args.pregnant,
        lactating=args.lactating,
        egfr=args.egfr,
        child_pugh=args.child_pugh,
        qtc_ms=qtc,
        allergies=tuple(args.allergy),
        genotypes=parse_genotypes(args.genotype),
        smoker=True if args.smoker else None,
        results=chart,
    )
    rows = _regimen_rows(items)
    findings = check(items, context)
    version = load_kb().version
    if args.json:
        payload = {
            "kb_version": version,
            "regimen": rows,
            "results": [{"test": r.test, "value": r.value, "unit": r.unit, "date": (r.on or chart.today or date.today())
                         .isoformat()} for r in chart.results] if chart is not None else [],
            "findings": [{key: finding.to_dict()[key] for key in FINDING_KEYS} for finding in findings],
        }
        sys.stdout.write(json.dumps(payload, indent=2) + "\n")
    else:
        sys.stdout.write(_render_table(version, rows, findings))
    return 0


def handle_drugs(args: argparse.Namespace) -> int:
    """Run `dosewise drugs` and print the matching formulary entries."""
    try:
        matches = search_drugs(args.query)
    except KnowledgeBaseError as exc:
        return _knowledge_base_failure(exc)
    if args.json:
        rows = [{"name": i.name, "rxcui": i.rxcui, "brands": list(i.brands), "classes": list(i.classes)} for i in matches]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return 0
    if not matches:
        sys.stdout.write(f"No formulary entry matches '{args.query}'.\n")
        return 0
    for ingredient in matches:
        brands = ", ".join(ingredient.brands) or "-"
        sys.stdout.write(f"{ingredient.name:<24}  brands: {brands}  classes: {', '.join(ingredient.classes)}\n")
    return 0
