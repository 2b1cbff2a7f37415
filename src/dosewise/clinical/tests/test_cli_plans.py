"""Tests of `dosewise taper`, `dosewise titrate` and `dosewise switch`."""

from __future__ import annotations

import json

import pytest

from dosewise.cli import main


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        status = main(list(argv))
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_taper_json_has_the_agreed_shape(capsys):
    status, out, err = _run(capsys, "taper", "citalopram", "--from", "20", "--json")
    assert status == 0 and err == ""
    payload = json.loads(out)
    assert payload["drug"] == "citalopram" and payload["model"] == "hyperbolic" and payload["source"]
    assert payload["steps"][0] == {"day": 0, "dose_mg": 20.0, "note": "current dose"}
    assert payload["steps"][-1]["dose_mg"] == 0


def test_taper_to_interval_and_pause_options(capsys):
    status, out, _ = _run(capsys, "taper", "Zoloft", "--from", "100", "--to", "25", "--interval-days", "14",
                          "--model", "percentage", "--pause", "1:7", "--json")
    payload = json.loads(out)
    assert status == 0 and payload["model"] == "percentage" and payload["steps"][-1]["dose_mg"] == 25
    assert [step["day"] for step in payload["steps"][:3]] == [0, 14, 35]


def test_taper_text_output_lists_the_steps(capsys):
    status, out, _ = _run(capsys, "taper", "diazepam", "--from", "10")
    assert status == 0 and "percentage taper" in out and "day    0" in out and "Source:" in out


def test_titrate_json_has_the_agreed_shape(capsys):
    status, out, err = _run(capsys, "titrate", "lamotrigine", "--with", "valproate", "--json")
    payload = json.loads(out)
    assert status == 0 and err == ""
    assert payload["drug"] == "lamotrigine" and payload["template"] == "lamotrigine-bipolar"
    assert payload["with"] == ["valproate"] and payload["source"]
    assert [step["dose_mg"] for step in payload["steps"]] == [12.5, 25, 50, 100]
    assert set(payload["steps"][0]) == {"day", "dose_mg", "note"}


def test_titrate_text_output(capsys):
    status, out, _ = _run(capsys, "titrate", "clozapine")
    assert status == 0 and "clozapine-schizophrenia" in out and "12.5 mg/day" in out


def test_switch_json_reports_washout_and_per_day_checks(capsys):
    status, out, _ = _run(capsys, "switch", "fluoxetine", "--to", "phenelzine", "--from-dose", "20", "--json")
    payload = json.loads(out)
    assert status == 0 and payload["method"] == "direct" and payload["washout"]["days"] == 35
    assert payload["safety"]["days_checked"] >= 36


def test_switch_text_output_summarises_findings(capsys):
    status, out, _ = _run(capsys, "switch", "citalopram", "--to", "sertraline", "--from-dose", "20")
    assert status == 0 and "days checked" in out and "serotonergic-burden" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["taper", "zolof", "--from", "20"], "unknown drug 'zolof'"),
        (["taper", "sertraline", "--from", "0"], "must be above 0"),
        (["taper", "sertraline", "--from", "-5"], "must be above 0"),
        (["taper", "sertraline", "--from", "50", "--to", "50"], "must be below"),
        (["taper", "sertraline", "--from", "50", "--interval-days", "0"], "at least 1"),
        (["taper", "sertraline", "--from", "fifty"], "'fifty' is not a number"),
        (["taper", "sertraline", "--from", "50", "--interval-days", "2.5"], "not a whole number"),
        (["taper", "sertraline", "--from", "50", "--pause", "2"], "malformed --pause"),
        (["titrate", "olanzapine"], "no titration template for olanzapine"),
        (["titrate", "lamotrigine", "--target", "900"], "exceeds the labelled maximum"),
        (["titrate", "sertraline", "--with", "nonsense"], "unknown drug 'nonsense'"),
        (["switch", "sertraline", "--to", "sertraline"], "to itself"),
        (["switch", "sertraline", "--to", "citalopram", "--to-dose", "x"], "not a number"),
    ],
)
def test_bad_input_is_one_line_on_stderr_with_exit_2(capsys, argv, message):
    status, out, err = _run(capsys, *argv)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
