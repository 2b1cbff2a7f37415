"""Tests of `dosewise check` and `dosewise drugs`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dosewise.cli import main
from dosewise.clinical.kb import load_kb

DOSEWISE = Path(sys.executable).with_name("dosewise")


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_check_json_reports_version_regimen_and_findings(capsys):
    status, out, err = _run(capsys, "check", "Zoloft=100", "phenelzine", "--json")
    assert status == 0 and err == ""
    payload = json.loads(out)
    assert payload["kb_version"] == load_kb().version
    assert payload["regimen"][0] == {"input": "Zoloft", "name": "sertraline", "rxcui": "36437", "dose_mg_per_day": 100.0}
    assert payload["regimen"][1]["name"] == "phenelzine"
    first = payload["findings"][0]
    assert set(first) == {"kind", "severity", "drugs", "summary", "mechanism", "action", "sources"}
    assert first["severity"] == "contraindicated" and first["drugs"] == ["phenelzine", "sertraline"]


def test_check_passes_the_whole_context(capsys):
    status, out, _ = _run(
        capsys, "check", "citalopram=40", "carbamazepine", "--age", "70", "--sex", "female", "--pregnant",
        "--lactating", "--egfr", "25", "--child-pugh", "b", "--qtc", "480", "--smoker", "--allergy", "Trileptal",
        "--allergy", "peanuts", "--genotype", "CYP2C19=*2/*2", "--genotype", "HLA-B=*15:02/*07:02", "--json",
    )
    assert status == 0
    kinds = {finding["kind"] for finding in json.loads(out)["findings"]}
    assert {"pgx", "pregnancy", "qt-burden", "allergy"} <= kinds


def test_check_prints_a_readable_table(capsys):
    status, out, err = _run(capsys, "check", "fluvoxamine", "clozapine")
    assert status == 0 and err == ""
    assert out.startswith(f"Knowledge base {load_kb().version}\nRegimen:\n  fluvoxamine\n  clozapine\n")
    assert "major" in out and "CYP1A2" in out and "source:" in out


def test_check_without_findings_says_so(capsys):
    status, out, _ = _run(capsys, "check", "sertraline")
    assert status == 0 and "No findings." in out


def test_drugs_lists_matches_as_text_and_json(capsys):
    status, out, _ = _run(capsys, "drugs", "zolo")
    assert status == 0 and out.splitlines()[0].startswith("sertraline") and "Zoloft" in out
    status, out, _ = _run(capsys, "drugs", "ssri", "--json")
    rows = json.loads(out)
    assert status == 0 and {"name", "rxcui", "brands", "classes"} == set(rows[0])
    assert all("ssri" in row["classes"] for row in rows if row["name"] in load_kb().by_class["ssri"])


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "zolof"], "unknown drug 'zolof'; did you mean: Zoloft (sertraline)"),
        (["check", "olanzapine/fluoxetine"], "ambiguous drug name"),
        (["check", "sertraline=-50"], "negative"),
        (["check", "sertraline=abc"], "dose 'abc' for sertraline is not a number"),
        (["check", "sertraline=nan"], "must be a number"),
        (["check", "sertraline", "--genotype", "CYP2D6"], "malformed --genotype 'CYP2D6'"),
        (["check", "sertraline", "--genotype", "CYP9Z9=*1/*1"], "unknown gene 'CYP9Z9'"),
        (["check", "sertraline", "--genotype", "CYP2D6=*1/*999"], "CYP2D6"),
        (["check", "sertraline", "--age", "old"], "invalid float value"),
        (["check", "sertraline", "--egfr", "-3"], "eGFR"),
        (["check", "sertraline", "Zoloft"], "entered twice"),
        (["drugs", " "], "empty search"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_no_output(capsys, argv, message):
    status, out, err = _run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.startswith("dosewise: ") and err.count("\n") == 1 and message in err
    assert "Traceback" not in err


def test_the_installed_command_runs_without_a_traceback():
    good = subprocess.run(
        [str(DOSEWISE), "check", "phenelzine", "sertraline=100", "--json"], check=False, capture_output=True, text=True, timeout=60
    )
    assert good.returncode == 0 and json.loads(good.stdout)["findings"]
    bad = subprocess.run([str(DOSEWISE), "check", "zolof"], check=False, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stdout == ""
    assert bad.stderr.startswith("dosewise: unknown drug 'zolof'") and "Traceback" not in bad.stderr
