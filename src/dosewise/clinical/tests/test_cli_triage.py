"""`dosewise triage DRUG... --symptom TEXT [--severity] --json` and its bad input."""

from __future__ import annotations

import json
import subprocess

import pytest

from dosewise.clinical.tests.cli_runner import DOSEWISE
from dosewise.clinical.tests.cli_runner import run as _run


def test_the_json_has_urgency_advice_and_sources(capsys):
    status, out, err = _run(capsys, "triage", "Lamictal", "--symptom", "blistering rash", "--json")
    assert status == 0 and err == ""
    payload = json.loads(out)
    assert {"urgency", "patient_advice", "clinician_advice", "sources"} <= set(payload)
    assert payload["urgency"] == "emergency" and payload["drugs"] == ["lamotrigine"]
    assert "911" in payload["patient_advice"] and payload["sources"]
    assert payload["matches"][0]["sign"] == "serious-rash"


def test_severity_and_the_clinic_phone_reach_the_advice(capsys):
    status, out, _ = _run(capsys, "triage", "clozapine", "--symptom", "constipated", "--severity", "mild",
                          "--phone", "(312) 555-0142", "--json")
    payload = json.loads(out)
    assert status == 0 and payload["urgency"] == "soon" and payload["severity"] == "mild"
    assert "(312) 555-0142" in payload["patient_advice"]


def test_several_drugs_and_the_readable_output(capsys):
    status, out, _ = _run(capsys, "triage", "sertraline", "tramadol", "--symptom", "sweating and shaking")
    assert status == 0 and "Urgency: emergency" in out and "serotonin syndrome" in out and "Sources:" in out


def test_a_benign_effect_is_routine(capsys):
    _, out, _ = _run(capsys, "triage", "sertraline", "--symptom", "dry mouth", "--json")
    assert json.loads(out)["urgency"] == "routine"


@pytest.mark.parametrize(("argv", "message"), [
    (("triage", "lamotrgine", "--symptom", "rash"), "unknown drug 'lamotrgine'"),
    (("triage", "lamotrigine", "--symptom", "  "), "the text is empty"),
    (("triage", "lamotrigine", "--symptom", ""), "the text is empty"),
    (("triage", "lamotrigine", "--symptom", "rash", "--severity", "awful"), "invalid choice"),
    (("triage", "lamotrigine"), "--symptom"),
])
def test_bad_input_exits_2_with_one_line_on_stderr(capsys, argv, message):
    status, out, err = _run(capsys, *argv)
    assert status == 2 and out == "" and err.count("\n") == 1 and message in err


def test_the_installed_command_exits_2_on_an_unknown_drug():
    completed = subprocess.run([str(DOSEWISE), "triage", "notadrug", "--symptom", "rash", "--json"],
                               capture_output=True, text=True, check=False)
    assert completed.returncode == 2 and completed.stdout == "" and completed.stderr.count("\n") == 1
