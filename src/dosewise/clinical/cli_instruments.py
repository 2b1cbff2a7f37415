"""The `dosewise score` and `dosewise instruments` commands."""

from __future__ import annotations

import argparse
import json
import sys

from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.instruments import (
    SEXES,
    Instrument,
    ScoreResult,
    get_instrument,
    load_instruments,
    score,
)

# An answer written as "-" marks an unanswered item (the instrument's missing-answer rule applies).
UNANSWERED = "-"


def add_parsers(subparsers: argparse._SubParsersAction) -> None:
    """Add the `score` and `instruments` sub-commands."""
    score_parser = subparsers.add_parser(
        "score",
        help="score a rating scale from its answers",
        description="Score a rating scale. Give one answer per item, item 1 first; '-' marks an unanswered item.",
    )
    score_parser.add_argument("instrument", help="instrument key, e.g. phq9 (see `dosewise instruments`)")
    score_parser.add_argument("answers", nargs="*", metavar="ANSWER", help="answer values, item 1 first")
    score_parser.add_argument("--sex", choices=SEXES, help="needed by instruments with sex-specific cut-offs")
    score_parser.add_argument("--json", action="store_true", help="print the result as JSON")
    score_parser.set_defaults(func=score_command)

    list_parser = subparsers.add_parser("instruments", help="list the available rating scales")
    list_parser.add_argument("--json", action="store_true", help="print the list as JSON")
    list_parser.set_defaults(func=instruments_command)


def _parse_answers(instrument: Instrument, raw: list[str]) -> list[int | None]:
    answers: list[int | None] = []
    for number, text in enumerate(raw, start=1):
        if text == UNANSWERED:
            answers.append(None)
            continue
        try:
            answers.append(int(text))
        except ValueError:
            raise ClinicalInputError(
                f"{instrument.key} item {number}: answer {text!r} is not an integer"
            ) from None
    return answers


def score_command(args: argparse.Namespace) -> int:
    """Score the answers given on the command line and print the result."""
    instrument = get_instrument(args.instrument)
    if instrument.needs_sex and args.sex is None:
        raise ClinicalInputError(
            f"{instrument.key} needs --sex female or --sex male: its cut-off differs by sex"
        )
    result = score(instrument, _parse_answers(instrument, args.answers), sex=args.sex)
    if args.json:
        payload = {
            "instrument": result.instrument,
            "total": result.total,
            "severity": result.severity,
            "positive": result.positive,
            "alerts": [{"code": a.code, "message": a.message} for a in result.alerts],
        }
        sys.stdout.write(json.dumps(payload) + "\n")
    else:
        sys.stdout.write(_text(instrument, result))
    return 0


def _text(instrument: Instrument, result: ScoreResult) -> str:
    lines = [f"{instrument.short_name}: {result.total}  ({instrument.total_label})"]
    if result.prorated:
        lines.append(f"  prorated for unanswered item(s) {', '.join(map(str, result.missing_items))}")
    if result.severity is not None:
        lines.append(f"  severity: {result.severity}")
    if result.positive is not None:
        lines.append(f"  screen: {'positive' if result.positive else 'negative'}")
    for name, value in result.subscales.items():
        lines.append(f"  {name}: {'not scored (unanswered item)' if value is None else value}")
    for alert in result.alerts:
        lines.append(f"  ALERT [{alert.level}] {alert.code}: {alert.message}")
    return "\n".join(lines) + "\n"


def instruments_command(args: argparse.Namespace) -> int:
    """Print the available instruments."""
    available = load_instruments()
    if args.json:
        rows = [
            {
                "key": i.key,
                "name": i.name,
                "items": len(i.items),
                "rater": i.rater,
                "loinc_panel": i.loinc_panel,
                "loinc_total": i.loinc_total,
            }
            for i in available.values()
        ]
        sys.stdout.write(json.dumps(rows) + "\n")
        return 0
    for key in sorted(available):
        i = available[key]
        sys.stdout.write(f"{key:<8} {i.short_name:<12} {len(i.items):>2} items  {i.rater:<9} {i.name}\n")
    return 0
