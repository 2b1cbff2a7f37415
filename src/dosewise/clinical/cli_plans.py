"""The `dosewise taper`, `dosewise titrate` and `dosewise switch` commands.

`dosewise taper citalopram --from 20 --json` prints a taper (day 0 is the current dose; the
last step is 0 unless `--to` says otherwise); `dosewise titrate lamotrigine --with valproate`
prints a labelled titration; `dosewise switch sertraline --to phenelzine` prints a switch
with its washout and the safety findings of every day. Bad input raises
`ClinicalInputError`: one line on stderr, exit status 2, nothing on stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.plans import METHODS_HELP, plan_switch, plan_taper, plan_titration
from dosewise.clinical.plans.common import Step


def _number(text: str) -> float:
    """Parse a number option; a non-number is the user's input error."""
    try:
        return float(text)
    except ValueError:
        raise ClinicalInputError(f"'{text}' is not a number") from None


def _integer(text: str) -> int:
    """Parse a whole-number option; anything else is the user's input error."""
    try:
        return int(text)
    except ValueError:
        raise ClinicalInputError(f"'{text}' is not a whole number") from None


def _pause(text: str) -> tuple[int, int]:
    """Parse STEP:DAYS (hold step STEP for DAYS more days)."""
    step, separator, days = text.partition(":")
    if not separator:
        raise ClinicalInputError(f"malformed --pause '{text}'; use STEP:DAYS, e.g. 2:14")
    return _integer(step), _integer(days)


def add_parsers(subparsers: Any) -> None:
    """Register the `taper`, `titrate` and `switch` sub-commands."""
    taper = subparsers.add_parser("taper", help="plan a taper (hyperbolic where occupancy data exist)")
    taper.add_argument("drug")
    taper.add_argument("--from", dest="from_mg", required=True, metavar="MG", help="current daily dose in mg")
    taper.add_argument("--to", dest="to_mg", default="0", metavar="MG", help="final daily dose in mg (default 0)")
    taper.add_argument("--interval-days", dest="interval_days", metavar="N", help="days between steps")
    taper.add_argument("--model", choices=("hyperbolic", "percentage"), help="default: hyperbolic when available")
    taper.add_argument("--step-points", dest="step_points", metavar="PP", help="hyperbolic: occupancy points per step")
    taper.add_argument("--percent", metavar="P", help="percentage: percent of the current dose per step")
    taper.add_argument("--pause", action="append", default=[], metavar="STEP:DAYS", help="hold a step longer")
    taper.add_argument("--json", action="store_true", help="print JSON")
    taper.set_defaults(func=handle_taper)

    titrate = subparsers.add_parser("titrate", help="print a labelled titration schedule")
    titrate.add_argument("drug")
    titrate.add_argument("--with", dest="with_drugs", nargs="+", action="extend", default=[], metavar="DRUG",
                         help="other drugs the patient takes (e.g. valproate)")
    titrate.add_argument("--template", metavar="ID", help="template id when a drug has several")
    titrate.add_argument("--target", metavar="MG", help="target daily dose")
    titrate.add_argument("--start", metavar="MG", help="custom first daily dose")
    titrate.add_argument("--step", metavar="MG", help="custom increase per step")
    titrate.add_argument("--interval-days", dest="interval_days", metavar="N", help="custom days between increases")
    titrate.add_argument("--json", action="store_true", help="print JSON")
    titrate.set_defaults(func=handle_titrate)

    switch = subparsers.add_parser("switch", help="plan a switch with washout and per-day safety check")
    switch.add_argument("from_drug", metavar="FROM")
    switch.add_argument("--to", dest="to_drug", required=True, metavar="DRUG")
    switch.add_argument("--from-dose", dest="from_mg", metavar="MG")
    switch.add_argument("--to-dose", dest="to_mg", metavar="MG")
    switch.add_argument("--method", choices=("cross-taper", "direct"), default="cross-taper", help=METHODS_HELP)
    switch.add_argument("--steps", default="4", metavar="N", help="cross-taper steps (default 4)")
    switch.add_argument("--interval-days", dest="interval_days", default="7", metavar="N")
    switch.add_argument("--json", action="store_true", help="print JSON")
    switch.set_defaults(func=handle_switch)


def _optional(value: str | None, parse: Any) -> Any:
    """Parse an optional option value."""
    return None if value is None else parse(value)


def _step_rows(steps: tuple[Step, ...]) -> list[str]:
    """Render steps as aligned lines."""
    rows = []
    for step in steps:
        volume = f" ({step.volume_ml:g} mL)" if step.volume_ml is not None else ""
        note = f"  {step.note}" if step.note else ""
        rows.append(f"  day {step.day:>4}  {step.dose_mg:>8g} mg/day{volume}{note}")
    return rows


def handle_taper(args: argparse.Namespace) -> int:
    """Print a taper plan."""
    pauses = dict(_pause(text) for text in args.pause)
    plan = plan_taper(
        args.drug, _number(args.from_mg), to_mg=_number(args.to_mg),
        interval_days=_optional(args.interval_days, _integer), model=args.model,
        step_points=_optional(args.step_points, _number), percent=_optional(args.percent, _number), holds=pauses,
    )
    if args.json:
        sys.stdout.write(json.dumps(plan.to_dict(), indent=2) + "\n")
        return 0
    lines = [f"{plan.drug}: {plan.model} taper, {plan.step_size:g} {plan.step_unit} every {plan.interval_days} days",
             *_step_rows(plan.steps), f"Source: {'; '.join(plan.sources)}"]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def handle_titrate(args: argparse.Namespace) -> int:
    """Print a titration plan."""
    plan = plan_titration(
        args.drug, with_drugs=args.with_drugs, template=args.template,
        target_mg=_optional(args.target, _number), start_mg=_optional(args.start, _number),
        step_mg=_optional(args.step, _number), interval_days=_optional(args.interval_days, _integer),
    )
    if args.json:
        sys.stdout.write(json.dumps(plan.to_dict(), indent=2) + "\n")
        return 0
    lines = [f"{plan.drug} ({plan.template}: {plan.indication}), target {plan.target_mg:g} mg/day"]
    if plan.modifiers:
        lines.append(f"With {', '.join(plan.with_drugs)}: {', '.join(plan.modifiers)}")
    lines += _step_rows(plan.steps)
    lines += [f"Note: {note}" for note in plan.notes]
    lines.append(f"Source: {'; '.join(plan.sources)}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def handle_switch(args: argparse.Namespace) -> int:
    """Print a switch plan with its per-day safety summary."""
    plan = plan_switch(
        args.from_drug, args.to_drug, from_mg=_optional(args.from_mg, _number), to_mg=_optional(args.to_mg, _number),
        method=args.method, steps=_integer(args.steps), interval_days=_integer(args.interval_days),
    )
    data = plan.to_dict()
    if args.json:
        sys.stdout.write(json.dumps(data, indent=2) + "\n")
        return 0
    lines = [f"{plan.from_drug} -> {plan.to_drug}: {plan.method}"]
    lines += [f"Note: {note}" for note in plan.notes]
    for row in data["steps"]:
        doses = ", ".join(f"{drug} {dose:g} mg" for drug, dose in row["doses_mg"].items())
        lines.append(f"  day {row['day']:>4}  {doses}" + (f"  {row['note']}" if row["note"] else ""))
    safety = data["safety"]
    lines.append(f"Safety: {safety['days_checked']} days checked ({safety['distinct_regimens']} distinct regimens)")
    for finding in safety["findings"]:
        days = ", ".join(f"{first}-{last}" if first != last else f"{first}" for first, last in finding["days"])
        lines.append(f"  {finding['severity']:<16}{finding['kind']:<22}{', '.join(finding['drugs'])}: "
                     f"{finding['summary']} (days {days})")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0
