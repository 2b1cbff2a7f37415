"""`dosewise check ... --result NAME=VALUE`: results in the command-line check, and bad input."""

from __future__ import annotations

import json
import subprocess
from datetime import date

import pytest

from dosewise.clinical.tests.cli_runner import DOSEWISE
from dosewise.clinical.tests.cli_runner import run as _run


def _lab_findings(out: str) -> list[dict]:
    return [f for f in json.loads(out)["findings"] if f["kind"] == "lab-result"]


def test_a_toxic_lithium_level_on_a_raised_dose_is_reported(capsys):
    status, out, err = _run(capsys, "check", "lithium=1500", "--result", "lithium=1.8", "--previous-dose",
                            "lithium=1200", "--json")
    assert status == 0 and err == ""
    (finding,) = _lab_findings(out)
    assert finding["severity"] == "contraindicated" and finding["drugs"] == ["lithium"]
    assert "1.8 mmol/L" in finding["summary"] and finding["action"].startswith("hold the increase")
    payload = json.loads(out)
    assert payload["results"] == [{"test": "lithium-level", "value": 1.8, "unit": "", "date": date.today().isoformat()}]


def test_the_plain_form_dates_the_result_today_and_judges_it(capsys):
    status, out, _ = _run(capsys, "check", "lithium", "--result", "lithium=1.6", "--json")
    assert status == 0
    (finding,) = _lab_findings(out)
    assert finding["severity"] == "major" and date.today().isoformat() in finding["summary"]


@pytest.mark.parametrize(("argv", "rule"), [
    (("valproate", "--result", "valproate=130", "--sex", "male"), "valproate"),
    (("carbamazepine", "--result", "carbamazepine=14"), "carbamazepine level 14"),
    (("clozapine", "--result", "anc=800"), "ANC 800"),
    (("clozapine", "--result", "anc=0.8x10^9/L"), "ANC 800"),
    (("valproate", "--result", "platelets=40000"), "platelet count 40"),
    (("valproate", "--result", "platelets=40x10^9/L"), "platelet count 40"),
    (("carbamazepine", "--result", "wbc=3000"), "white cell count 3"),
    (("sertraline", "--result", "sodium=128", "--age", "75"), "sodium 128"),
    (("valproate", "--result", "alt=150"), "ALT 150"),
    (("lithium", "--result", "creatinine=0.8@2026-01-05", "--result", "creatinine=1.3@2026-06-01", "--today",
      "2026-06-02"), "creatinine on lithium has risen"),
])
def test_each_named_result_is_understood(capsys, argv, rule):
    status, out, err = _run(capsys, "check", *argv, "--json")
    assert status == 0, err
    assert any(rule in f["summary"] for f in _lab_findings(out))


def test_ast_is_accepted(capsys):
    status, out, err = _run(capsys, "check", "valproate", "--result", "ast=30", "--json")
    assert status == 0 and err == ""


def test_a_dated_level_three_days_after_the_change_is_not_at_steady_state(capsys):
    status, out, _ = _run(capsys, "check", "lithium=900", "--result", "lithium=0.7@2026-11-28", "--dose-changed",
                          "lithium=2026-11-25", "--today", "2026-11-30", "--json")
    assert status == 0
    assert any("not yet at steady state" in f["summary"] for f in _lab_findings(out))


def test_ben_and_a_new_start_change_the_anc_judgement(capsys):
    _, out, _ = _run(capsys, "check", "clozapine=12.5", "--result", "anc=1200", "--new", "clozapine", "--json")
    assert _lab_findings(out)[0]["severity"] == "contraindicated"
    _, out, _ = _run(capsys, "check", "clozapine=12.5", "--result", "anc=1200", "--ben", "--json")
    assert _lab_findings(out) == []


def test_the_table_shows_result_findings(capsys):
    status, out, _ = _run(capsys, "check", "lithium", "--result", "lithium=1.9")
    assert status == 0 and "lab-result" in out and "1.9 mmol/L" in out


@pytest.mark.parametrize(("value", "message"), [
    ("lithium=abc", "is not a number"),
    ("lithium=-0.4", "is negative"),
    ("cholesterolx=3", "unknown result name 'cholesterolx'"),
    ("lithium=", "malformed --result"),
    ("lithium", "malformed --result"),
    ("lithium=1.2@2026-02-30", "is not a date"),
    ("lithium=1.2 mg/dL", "is not accepted for lithium-level"),
    ("sodium=12000", "not a possible result"),
    ("pregnancy=maybe", "must be positive or negative"),
])
def test_bad_results_exit_2_with_one_line_on_stderr(capsys, value, message):
    status, out, err = _run(capsys, "check", "lithium", "--result", value)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and message in err


def test_a_bad_previous_dose_exits_2(capsys):
    status, _, err = _run(capsys, "check", "lithium=900", "--previous-dose", "lithium=lots")
    assert status == 2 and "not a dose" in err and err.count("\n") == 1


def test_the_installed_command_exits_2_on_a_bad_result():
    completed = subprocess.run([str(DOSEWISE), "check", "lithium", "--result", "lithium=high"],
                               capture_output=True, text=True, check=False)
    assert completed.returncode == 2 and completed.stdout == ""
    assert completed.stderr.strip().count("\n") == 0 and "not a number" in completed.stderr
