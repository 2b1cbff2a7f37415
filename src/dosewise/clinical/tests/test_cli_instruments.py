"""The `dosewise score` and `dosewise instruments` commands."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dosewise.cli import main

DOSEWISE = Path(sys.executable).parent / "dosewise"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_score_json_reports_total_severity_and_alerts(capsys):
    status, out, err = run(capsys, "score", "phq9", "3", "3", "2", "2", "1", "1", "1", "1", "1", "--json")
    assert (status, err) == (0, "")
    assert json.loads(out) == {
        "instrument": "phq9", "total": 15, "severity": "moderately severe", "positive": None,
        "alerts": [{"code": "phq9-item9-self-harm",
                    "message": "PHQ-9 item 9 endorsed (thoughts of being better off dead or of self-harm): "
                               "assess suicide risk before the patient leaves"}],
    }


def test_score_json_for_a_sex_specific_screen(capsys):
    status, out, _ = run(capsys, "score", "auditc", "1", "1", "1", "--sex", "female", "--json")
    assert status == 0
    assert json.loads(out) == {"instrument": "auditc", "total": 3, "severity": None, "positive": True, "alerts": []}


def test_score_text_is_readable(capsys):
    status, out, _ = run(capsys, "score", "asq", "0", "0", "1", "0", "1")
    assert status == 0
    assert "screen: positive" in out
    assert "ALERT [acute] asq-acute" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [(["phq9", "0", "0", "0", "0", "0", "0", "0", "0"], "phq9 expects 9 answers, got 8"),
     (["phq9", "0", "0", "4", "0", "0", "0", "0", "0", "0"], "phq9 item 3: answer 4 is not one of 0, 1, 2, 3"),
     (["phq9", "0", "0", "two", "0", "0", "0", "0", "0", "0"], "phq9 item 3: answer 'two' is not an integer"),
     (["madrs", "1"], "unknown instrument 'madrs'"),
     (["auditc", "1", "1", "1"], "auditc needs --sex female or --sex male")],
)
def test_bad_input_exits_2_with_one_line_and_no_output(capsys, argv, message):
    status, out, err = run(capsys, "score", *argv)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_instruments_lists_every_shipped_scale(capsys):
    status, out, _ = run(capsys, "instruments")
    assert status == 0
    listed = [line.split()[0] for line in out.splitlines()]
    assert listed == ["aims", "asq", "audit", "auditc", "gad2", "gad7", "hrqol4", "pcl5", "phq2", "phq9", "who5"]


def test_real_command_scores_phq9():
    done = subprocess.run(
        [str(DOSEWISE), "score", "phq9", "1", "1", "1", "1", "1", "0", "0", "0", "0", "--json"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["severity"] == "mild"


def test_real_command_refuses_bad_input_without_a_traceback():
    done = subprocess.run(
        [str(DOSEWISE), "score", "phq9", "1", "1"], capture_output=True, text=True, timeout=60, check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "dosewise: phq9 expects 9 answers, got 2\n"
