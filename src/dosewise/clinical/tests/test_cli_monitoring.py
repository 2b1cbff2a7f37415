"""Command-line tests for `dosewise monitoring`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dosewise.cli import main

DOSEWISE = Path(sys.executable).parent / "dosewise"
ITEM_FIELDS = {"test", "loinc", "schedule", "reason", "source"}


def test_json_lists_every_item_with_test_loinc_schedule_reason_and_source(capsys):
    assert main(["monitoring", "lithium", "clozapine", "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    items = json.loads(out)["items"]
    assert all(ITEM_FIELDS <= set(item) for item in items)
    by_key = {item["key"]: item for item in items}
    assert by_key["lithium-level"]["loinc"] == "14334-7"
    assert by_key["anc"]["schedule"]["intervals"][0] == {"every_days": 7, "until_day": 182}
    assert by_key["weight"]["drugs"] == ["clozapine", "lithium"]
    assert "Clozaril" in by_key["anc"]["source"]


def test_brand_names_resolve_and_two_antipsychotics_share_items(capsys):
    assert main(["monitoring", "Zyprexa", "Risperdal", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)["items"]
    assert [item["key"] for item in items].count("lipids") == 1


def test_age_option_drops_height_for_adults(capsys):
    assert main(["monitoring", "methylphenidate", "--age", "40", "--json"]) == 0
    adult = {item["key"] for item in json.loads(capsys.readouterr().out)["items"]}
    assert main(["monitoring", "methylphenidate", "--age", "12", "--json"]) == 0
    youth = {item["key"] for item in json.loads(capsys.readouterr().out)["items"]}
    assert "height" in youth and "height" not in adult


def test_text_output_is_readable(capsys):
    assert main(["monitoring", "lithium"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "lithium level  (LOINC 14334-7)" in out
    assert "sampling: 12-hour trough" in out
    assert "source: NICE guideline CG185" in out


def test_a_drug_without_rules_says_so(capsys):
    assert main(["monitoring", "sertraline"]) == 0
    assert capsys.readouterr().out == "No monitoring rules apply to this regimen.\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["monitoring", "lithum"], "unknown drug 'lithum'"),
        (["monitoring", "lithium", "--age", "200"], "age must be between 0 and 130"),
    ],
)
def test_bad_input_is_one_line_on_stderr_with_exit_2(capsys, argv, message):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and message in err


def test_missing_drug_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["monitoring"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().out == ""


def test_the_installed_command_prints_json():
    result = subprocess.run(
        [str(DOSEWISE), "monitoring", "lithium", "clozapine", "--json"],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    keys = {item["key"] for item in json.loads(result.stdout)["items"]}
    assert {"lithium-level", "anc", "tsh", "lipids"} <= keys


def test_the_installed_command_refuses_an_unknown_drug():
    result = subprocess.run(
        [str(DOSEWISE), "monitoring", "notadrug"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 2 and result.stdout == ""
    assert "unknown drug 'notadrug'" in result.stderr
