"""The `dosewise monitoring` command: the tests and observations a regimen needs."""

from __future__ import annotations

import argparse
import json
import sys

from dosewise.clinical.monitoring import MonitoringItem, describe_schedule, monitoring_plan
from dosewise.clinical.safety import Context


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    """Add the `monitoring` sub-command."""
    parser = subparsers.add_parser(
        "monitoring",
        help="list the tests and observations a regimen needs",
        description="List the laboratory tests and observations a regimen needs, with schedule, reason and source.",
    )
    parser.add_argument("drugs", nargs="+", metavar="DRUG", help="generic name, brand or RxNorm code")
    parser.add_argument("--age", type=float, help="age in years (selects age-dependent items such as height in youth)")
    parser.add_argument("--json", action="store_true", help="print the plan as JSON")
    parser.set_defaults(func=monitoring_command)


def monitoring_command(args: argparse.Namespace) -> int:
    """Print the monitoring plan of the drugs given on the command line."""
    context = Context(age=args.age) if args.age is not None else None
    plan = monitoring_plan(args.drugs, context)
    if args.json:
        sys.stdout.write(json.dumps({"items": [item.to_dict() for item in plan]}, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(_text(plan))
    return 0


def _text(plan: list[MonitoringItem]) -> str:
    if not plan:
        return "No monitoring rules apply to this regimen.\n"
    lines: list[str] = []
    for item in plan:
        code = f"LOINC {item.loinc}" if item.loinc else "no LOINC code"
        lines.append(f"{item.test}  ({code})")
        lines.append(f"  schedule: {describe_schedule(item.schedule)}")
        if item.sampling:
            lines.append(f"  sampling: {item.sampling}")
        lines.append(f"  reason: {item.reason}")
        lines.append(f"  source: {'; '.join(item.sources)}")
    return "\n".join(lines) + "\n"
