"""Every parser of outside input, fuzzed: lab-result CSV files, pharmacy-fill CSV files, FHIR
Bundles and the clinical commands' arguments. Whatever arrives, an upload is either queued or
refused with a ValidationError, a queued import ends "done" or "failed" with every row
accounted for, and a command exits with a status and a message, never a traceback.

(Dosewise receives no webhooks yet; when the SMS provider's delivery receipts arrive, their
bodies get a test here.)
"""

from __future__ import annotations

import argparse
import json

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dosewise.cli import APP_COMMAND_MODULE, build_parser, main
from dosewise.monitoring import fill_imports, imports
from dosewise.monitoring.models import FillImport, ImportStatus, ResultImport

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.filter_too_much, HealthCheck.data_too_large])

# Cells near the valid ones (so that rows reach the deeper checks) and anything at all.
_CELLS = st.one_of(
    st.sampled_from(["NA000001", "sodium", "lithium-level", "14334-7", "131", "0.8", "-1", "1e400", "nan", "inf",
                     "mmol/L", "mEq/L", "2025-01-03", "2025-01-03 09:00", "2025-13-45", "²", "٣٠", "30", "sertraline",
                     "Zoloft 50 mg", "", " ", "=cmd|' /C calc'!A0", '"', "\x00", "9" * 400]),
    st.text(max_size=40),
)
_ROW = st.lists(_CELLS, min_size=0, max_size=8)


def _csv_text(header: list[str], rows: list[list[str]], separator: str) -> str:
    def cell(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n\r') else value

    return "".join(separator.join(cell(c) for c in line) + "\n" for line in [header, *rows])


def _accounted_for(job) -> None:
    job.refresh_from_db()
    assert job.status in (ImportStatus.DONE, ImportStatus.FAILED), job.status
    assert job.imported + job.skipped <= job.processed_rows <= max(job.total_rows, job.processed_rows)
    if job.status == ImportStatus.FAILED:
        assert job.error and "Traceback" not in job.error
    for _, reason in job.problems:
        assert "Traceback" not in reason and "invalid literal" not in reason


@FUZZ
@given(rows=st.lists(_ROW, max_size=12), separator=st.sampled_from([",", ",", ";", "\t"]),
       raw=st.binary(max_size=200))
def test_a_lab_result_file_is_refused_or_imported_never_a_crash(prescriber_a, dana, rows, separator, raw):
    text = _csv_text(list(imports.COLUMNS), [[dana.mrn if c == "NA000001" else c for c in row] for row in rows],
                     separator)
    for data in (text.encode(), raw, text.encode()[: len(text) // 2] + raw):
        try:
            job = imports.result_import_create(actor=prescriber_a, filename="fuzz.csv", data=data)
        except ValidationError:
            continue
        imports.result_import_run(job.pk)
        _accounted_for(job)
    ResultImport.objects.all().delete()


@FUZZ
@given(rows=st.lists(_ROW, max_size=12), separator=st.sampled_from([",", ";"]))
def test_a_pharmacy_fill_file_is_refused_or_imported_never_a_crash(prescriber_a, dana, rows, separator):
    text = _csv_text(list(fill_imports.FILL_COLUMNS), [[dana.mrn if c == "NA000001" else c for c in row]
                                                      for row in rows], separator)
    try:
        job = fill_imports.fill_import_create(actor=prescriber_a, filename="fuzz.csv", data=text.encode())
    except ValidationError:
        return
    fill_imports.fill_import_run(job.pk)
    _accounted_for(job)
    FillImport.objects.all().delete()


_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20),
              st.sampled_from(["Observation", "final", "http://loinc.org", "14334-7", "mmol/L", "2025-01-03"])),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.sampled_from(
                                   ["resource", "resourceType", "status", "subject", "identifier", "value", "code",
                                    "coding", "system", "valueQuantity", "unit", "effectiveDateTime", "x"]),
                                   children, max_size=6)),
    max_leaves=25,
)


@FUZZ
@given(entries=st.lists(_JSON, min_size=1, max_size=8))
def test_a_fhir_bundle_of_anything_is_refused_or_imported_entry_by_entry(prescriber_a, dana, entries):
    bundle = json.dumps({"resourceType": "Bundle", "entry": entries})
    try:
        job = imports.result_import_create(actor=prescriber_a, filename="fuzz.json", data=bundle.encode())
    except ValidationError:
        return
    imports.result_import_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.processed_rows) == (ImportStatus.DONE, len(entries))
    assert job.imported + job.skipped == len(entries)
    ResultImport.objects.all().delete()


def _clinical_commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    [subparsers] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    app_commands = argparse.ArgumentParser()
    __import__(APP_COMMAND_MODULE, fromlist=["add_parsers"]).add_parsers(app_commands.add_subparsers())
    app_names = set(app_commands._subparsers._group_actions[0].choices)
    return {name: sub for name, sub in subparsers.choices.items() if name not in app_names}


CLINICAL = _clinical_commands()
_WORDS = st.sampled_from(["sertraline", "fluoxetine", "lithium", "phenelzine", "CYP2D6", "*1/*4", "*4/*4", "phq9",
                          "gad7", "0,1,2,3,0,1,2,3,1", "50", "-5", "0", "1e9", "nan", "mg", "weekly", "--json", "--", "-"])


@pytest.mark.parametrize("command", sorted(CLINICAL))
def test_the_clinical_commands_answer_any_arguments_with_a_status_never_a_traceback(command, capsys):
    options = [o for action in CLINICAL[command]._actions for o in action.option_strings if o not in ("-h", "--help")]
    tokens = st.one_of(_WORDS, st.sampled_from(options or ["--x"]), st.text(max_size=15))

    @FUZZ
    @given(argv=st.lists(tokens, max_size=8))
    def run(argv):
        try:
            status = main([command, *argv])
        except SystemExit as exc:  # argparse's usage errors (2)
            status = exc.code
        assert status in (0, 1, 2), (argv, status)
        assert "Traceback" not in capsys.readouterr().err

    run()
