"""The `dosewise pgx` and `dosewise equiv` commands.

`dosewise pgx GENE DIPLOTYPE [--drug NAME] [--json]` prints the CPIC phenotype of a
diplotype and the recommendations for that phenotype. `dosewise equiv DRUG DOSE_MG --to
DRUG [--table NAME] [--json]` converts a daily dose with a named equivalence table. Bad
input raises `ClinicalInputError`, which the dispatcher reports as one line with exit 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

from dosewise.clinical import equivalence, pgx
from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.names import resolve_drug


def add_parsers(subparsers: Any) -> None:
    """Register the `pgx` and `equiv` sub-commands."""
    pgx_parser = subparsers.add_parser(
        "pgx",
        help="translate a diplotype into its CPIC phenotype and recommendations",
        description="Translate a diplotype (e.g. CYP2D6 '*1/*4', HLA-B '*15:02/*07:02') into its CPIC "
        "phenotype and list the CPIC and FDA-label recommendations for that phenotype.",
    )
    pgx_parser.add_argument("gene", metavar="GENE", help=f"one of {', '.join(pgx.supported_genes())}")
    pgx_parser.add_argument("diplotype", metavar="DIPLOTYPE", help="two alleles, e.g. '*1/*1x2' or '*2/*17'")
    pgx_parser.add_argument("--drug", metavar="NAME", help="show the recommendations for this drug only")
    pgx_parser.add_argument("--json", action="store_true", help="print JSON")
    pgx_parser.set_defaults(func=handle_pgx)

    equiv_parser = subparsers.add_parser(
        "equiv",
        help="convert a daily dose to an approximately equivalent dose of another drug",
        description="Convert a daily dose with one named equivalence table. Equivalents are approximate.",
    )
    equiv_parser.add_argument("drug", metavar="DRUG", help="the drug taken now (generic or brand name)")
    equiv_parser.add_argument("dose_mg", metavar="DOSE_MG", help="its daily dose in mg")
    equiv_parser.add_argument("--to", dest="to_drug", metavar="DRUG", required=True, help="the drug to convert to")
    equiv_parser.add_argument(
        "--table",
        metavar="NAME",
        help=f"equivalence table ({', '.join(equivalence.table_names())}); default: the first of these "
        "that covers both drugs",
    )
    equiv_parser.add_argument("--json", action="store_true", help="print JSON")
    equiv_parser.set_defaults(func=handle_equiv)


def _drug_name(text: str, known: frozenset[str]) -> str:
    """Return the generic name: a name the tables use as-is, otherwise the formulary's resolution."""
    lowered = text.strip().lower()
    if lowered in known:
        return lowered
    return resolve_drug(text)


def _dose_mg(text: str) -> float:
    """Parse a dose in mg from the command line, refusing non-numbers."""
    try:
        value = float(text)
    except ValueError:
        raise ClinicalInputError(f"dose must be a number of mg, not '{text}'") from None
    if not math.isfinite(value) or value <= 0:
        raise ClinicalInputError(f"dose must be a positive number of mg, not '{text}'")
    return value


def _print_json(payload: dict[str, Any]) -> None:
    """Write one JSON document to stdout."""
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")


def handle_pgx(args: argparse.Namespace) -> int:
    """Print the phenotype of a diplotype and the recommendations that apply to it."""
    result = pgx.phenotype(args.gene, args.diplotype)
    drug = _drug_name(args.drug, pgx.recommendation_drugs()) if args.drug is not None else None
    found = pgx.recommendations_for_phenotype(result.gene, result.phenotype, drug)
    if args.json:
        payload = result.to_dict()
        payload["recommendations"] = [
            {"drug": rec.drug, "recommendation": rec.recommendation, "strength": rec.strength, "source": rec.source}
            for rec in found
        ]
        _print_json(payload)
        return 0
    lines = [f"{result.gene} {result.diplotype}"]
    if result.activity_score is not None:
        lines.append(f"Activity score: {result.activity_score:g}")
    lines.append(f"Phenotype: {result.phenotype}")
    if found:
        lines.append("Recommendations:")
        for rec in found:
            lines.append(f"- {rec.drug} ({rec.strength}; {rec.severity}): {rec.recommendation}")
            lines.append(f"  Source: {rec.source}")
    else:
        scope = f" for {drug}" if drug is not None else ""
        lines.append(f"No phenotype-specific recommendation{scope} in the knowledge base.")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def handle_equiv(args: argparse.Namespace) -> int:
    """Print the dose of the target drug equivalent to the given dose."""
    dose = _dose_mg(args.dose_mg)
    known = equivalence.covered_drugs()
    result = equivalence.convert_dose(
        _drug_name(args.drug, known), dose, _drug_name(args.to_drug, known), table=args.table
    )
    if args.json:
        _print_json(result.to_dict())
        return 0
    sys.stdout.write(
        f"{result.from_drug} {result.from_dose_mg:g} mg/day ~ {result.to_drug} {result.to_dose_mg:g} mg/day\n"
        f"Table: {result.table} ({result.source})\n"
        f"Warning: {result.warning}\n"
    )
    return 0
