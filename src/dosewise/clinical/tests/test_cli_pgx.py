"""Command-line tests for `dosewise pgx` and `dosewise equiv`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dosewise.cli import main

DOSEWISE = Path(sys.executable).parent / "dosewise"


def _run_json(capsys, argv):
    """Run the command, assert success and return its parsed JSON output."""
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return json.loads(out)


def test_pgx_json_reports_cyp2d6_duplication_as_ultrarapid(capsys):
    payload = _run_json(capsys, ["pgx", "CYP2D6", "*1/*1x2", "--json"])
    assert set(payload) == {"gene", "diplotype", "activity_score", "phenotype", "recommendations"}
    assert (payload["gene"], payload["activity_score"], payload["phenotype"]) == (
        "CYP2D6", 3.0, "Ultrarapid Metabolizer"
    )
    drugs = {rec["drug"] for rec in payload["recommendations"]}
    assert {"codeine", "tramadol", "amitriptyline", "paroxetine"} <= drugs
    for rec in payload["recommendations"]:
        assert set(rec) == {"drug", "recommendation", "strength", "source"}
        assert rec["source"]


def test_pgx_drug_option_resolves_a_brand_name(capsys):
    payload = _run_json(capsys, ["pgx", "CYP2D6", "*4/*4", "--drug", "Abilify", "--json"])
    assert [(rec["drug"], rec["strength"]) for rec in payload["recommendations"]] == [
        ("aripiprazole", "FDA label")
    ]
    assert payload["phenotype"] == "Poor Metabolizer"


def test_pgx_hla_reports_carrier_status_without_activity_score(capsys):
    payload = _run_json(capsys, ["pgx", "HLA-B", "*15:02/*07:02", "--json"])
    assert payload["phenotype"] == "HLA-B*15:02 positive"
    assert payload["activity_score"] is None
    assert {rec["drug"] for rec in payload["recommendations"]} >= {"carbamazepine", "oxcarbazepine", "phenytoin"}


def test_pgx_text_output_is_readable(capsys):
    assert main(["pgx", "CYP2C19", "*2/*2"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "Phenotype: Poor Metabolizer" in out
    assert "citalopram (FDA label; moderate)" in out
    assert "Source: CPIC guideline" in out
    assert "Activity score" not in out


def test_pgx_text_output_gives_normal_metabolizers_the_standard_dose(capsys):
    assert main(["pgx", "CYP2D6", "*1/*2"]) == 0
    out, _ = capsys.readouterr()
    assert "Activity score: 2" in out
    assert "recommended starting dose" in out and "(Strong; info)" in out


def test_equiv_json_shape_and_default_table(capsys):
    payload = _run_json(capsys, ["equiv", "sertraline", "100", "--to", "fluoxetine", "--json"])
    assert set(payload) == {"from", "to", "table", "source", "warning"}
    assert payload["from"] == {"name": "sertraline", "dose_mg": 100.0}
    # Hayasaka 2015: sertraline 98.5 mg/day = fluoxetine 40 mg/day, so 100 mg -> 40.61 mg.
    assert payload["to"] == {"name": "fluoxetine", "dose_mg": 40.61}
    assert payload["table"] == "hayasaka2015"
    assert "approximate" in payload["warning"]


def test_equiv_resolves_brand_names_and_honours_table_option(capsys):
    payload = _run_json(capsys, ["equiv", "Zyprexa", "10", "--to", "Risperdal", "--table", "leucht2016", "--json"])
    # Leucht 2016 DDDs: olanzapine 10 mg, risperidone 5 mg.
    assert (payload["from"]["name"], payload["to"]["name"], payload["to"]["dose_mg"]) == (
        "olanzapine", "risperidone", 5.0
    )


def test_equiv_text_output_carries_the_warning(capsys):
    assert main(["equiv", "lorazepam", "2", "--to", "diazepam"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.startswith("lorazepam 2 mg/day ~ diazepam 20 mg/day")
    assert "Table: ashton2002" in out and "Warning:" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["pgx", "CYP2D6", "*1/*1", "--drug", "zolof"], "unknown drug 'zolof'"),
        (["pgx", "CYP2D6", "*1/*1", "--drug", "olanzapine and risperidone"], "ambiguous drug name"),
        (["pgx", "CYP2D6", "*1-*4"], "malformed CYP2D6 diplotype"),
        (["pgx", "CYP2D6", "*1/*4/*4"], "malformed CYP2D6 diplotype"),
        (["pgx", "CYP9Z9", "*1/*1"], "unknown gene 'CYP9Z9'"),
        (["pgx", "CYP2C19", "*1/*99"], "unknown CYP2C19 allele '*99'"),
        (["equiv", "zolof", "50", "--to", "fluoxetine"], "unknown drug 'zolof'"),
        (["equiv", "olanzapine and risperidone", "10", "--to", "haloperidol"], "ambiguous drug name"),
        (["equiv", "sertraline", "-50", "--to", "fluoxetine"], "positive number"),
        (["equiv", "sertraline", "fifty", "--to", "fluoxetine"], "must be a number of mg, not 'fifty'"),
        (["equiv", "sertraline", "nan", "--to", "fluoxetine"], "positive number"),
        (["equiv", "sertraline", "100", "--to", "diazepam"], "no equivalence table covers both sertraline"),
        (["equiv", "olanzapine", "10", "--to", "risperidone", "--table", "maudsley"], "unknown equivalence table"),
    ],
)
def test_bad_input_exits_2_with_one_line_on_stderr(capsys, argv, message):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("dosewise: ") and err.endswith("\n") and err.count("\n") == 1
    assert message in err
    assert "Traceback" not in err


def test_installed_command_runs_in_a_subprocess():
    completed = subprocess.run(
        [str(DOSEWISE), "pgx", "CYP2D6", "*4/*10", "--json"], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr
    payload = json.loads(completed.stdout)
    assert (payload["activity_score"], payload["phenotype"]) == (0.25, "Intermediate Metabolizer")
    failed = subprocess.run(
        [str(DOSEWISE), "pgx", "CYP2D6", "*1/*999"], capture_output=True, text=True, timeout=60, check=False
    )
    assert (failed.returncode, failed.stdout) == (2, "")
    assert failed.stderr.startswith("dosewise: unknown CYP2D6 allele '*999'")
