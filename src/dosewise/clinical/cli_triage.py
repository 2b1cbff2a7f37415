"""The `dosewise triage` command: how urgent is a symptom on these medicines?

`dosewise triage lamotrigine --symptom "blistering rash" --json` prints the urgency
(emergency, urgent, soon or routine), the advice for the patient and for the clinician, the
danger signs that fired and their label sources. An unknown drug or an empty symptom raises
`ClinicalInputError`: one line on stderr, exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Any

from dosewise.clinical.kb import KnowledgeBaseError
from dosewise.clinical.triage import SEVERITIES, triage


def add_parsers(subparsers: Any) -> None:
    """Register the `triage` sub-command."""
    parser = subparsers.add_parser("triage", help="triage a reported symptom against the medicines' danger signs")
    parser.add_argument("drugs", nargs="+", metavar="DRUG", help="generic name, brand or RxNorm code")
    parser.add_argument("--symptom", required=True, metavar="TEXT", help="the symptom in the patient's words")
    parser.add_argument("--severity", choices=SEVERITIES, help="how bad it is")
    parser.add_argument("--phone", metavar="NUMBER", help="the clinic's phone number, for the patient's advice")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=handle_triage)


def handle_triage(args: argparse.Namespace) -> int:
    """Run `dosewise triage` and print the result."""
    try:
        result = triage(args.drugs, args.symptom, args.severity, clinic_phone=args.phone)
    except KnowledgeBaseError as exc:
        sys.stderr.write(f"dosewise: knowledge base error: {exc}\n")
        return 1
    if args.json:
        sys.stdout.write(json.dumps(result.to_dict(), indent=2) + "\n")
        return 0
    lines = [f"Knowledge base {result.kb_version}", f"Urgency: {result.urgency}",
             f"Recognised: {', '.join(result.symptoms) or 'no known symptom'}"]
    for label, text in (("Patient", result.patient_advice), ("Clinician", result.clinician_advice)):
        lines += textwrap.wrap(text, width=100, initial_indent=f"{label}: ", subsequent_indent="  ")
    for match in result.matches:
        on = f" ({', '.join(match.drugs)})" if match.drugs else ""
        lines.append(f"  {match.urgency:<10} {match.name}{on}")
    lines += textwrap.wrap("; ".join(result.sources), width=100, initial_indent="Sources: ", subsequent_indent="  ") \
        if result.sources else []
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
