"""The `dosewise` command.

Clinical commands (check, drugs, pgx, equiv, score, taper, titrate, monitoring, triage) run on the
pure clinical core and never import Django, so they start fast. The application commands
(serve, demo, worker, manage, audit) set up Django first.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from dosewise.clinical.errors import ClinicalInputError

# Modules that add clinical sub-commands. Each defines `add_parsers(subparsers)`, and each
# parser it adds sets `func=handler`, where `handler(args) -> int` returns the exit status.
CLINICAL_COMMAND_MODULES = (
    "dosewise.clinical.cli_safety",
    "dosewise.clinical.cli_pgx",
    "dosewise.clinical.cli_instruments",
    "dosewise.clinical.cli_plans",
    "dosewise.clinical.cli_monitoring",
    "dosewise.clinical.cli_triage",
)
APP_COMMAND_MODULE = "dosewise.app_cli"


class _Parser(argparse.ArgumentParser):
    """Report usage errors as one line and exit status 2 (argparse prints usage too)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"dosewise: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    """Return the parser with every available sub-command registered."""
    parser = _Parser(prog="dosewise", description="Dosewise psychiatric medication management")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers.required = True
    for module_name in (*CLINICAL_COMMAND_MODULES, APP_COMMAND_MODULE):
        importlib.import_module(module_name).add_parsers(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the `dosewise` command and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except ClinicalInputError as exc:
        sys.stderr.write(f"dosewise: {exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
