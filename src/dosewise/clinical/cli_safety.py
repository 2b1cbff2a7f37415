"""The `dosewise check` and `dosewise drugs` commands.

`dosewise check sertraline=100 tramadol --age 70 --json` prints the safety findings for a
regimen; `dosewise drugs zol` lists matching formulary entries. Bad input raises
`ClinicalInputError`, which the dispatcher prints as one line on stderr with exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Any

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import KnowledgeBaseError, load_kb
from dosewise.clinical.names import resolve_drug, search_drugs
from dosewise.clinical.safety import CHILD_PUGH_CLASSES, Context, Finding, RegimenItem, check

FINDING_KEYS = ("kind", "severity", "drugs", "summary", "mechanism", "action", "sources")


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
    context = Context(
        age=args.age,
        sex=args.sex,
        pregnant=args.pregnant,
        lactating=args.lactating,
        egfr=args.egfr,
        child_pugh=args.child_pugh,
        qtc_ms=args.qtc,
        allergies=tuple(args.allergy),
        genotypes=parse_genotypes(args.genotype),
        smoker=True if args.smoker else None,
    )
    rows = _regimen_rows(items)
    findings = check(items, context)
    version = load_kb().version
    if args.json:
        payload = {
            "kb_version": version,
            "regimen": rows,
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
