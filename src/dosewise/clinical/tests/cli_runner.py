"""Run the `dosewise` command in-process for the command-line tests."""

from __future__ import annotations

import sys
from pathlib import Path

from dosewise.cli import main

DOSEWISE = Path(sys.executable).with_name("dosewise")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Return the exit status, stdout and stderr of `dosewise ARGV...`."""
    try:
        status = main(list(argv))
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err
