"""Imports that always end: a malformed entry costs its entry, a worker that dies is replaced,
a deeply nested upload is refused with a 400, and no Python message reaches the report."""

from __future__ import annotations

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dosewise.monitoring import fill_imports, imports
from dosewise.monitoring.models import FillImport, ImportStatus, Observation, ResultImport
from dosewise.monitoring.tests.test_fill_imports import HEADER as FILL_HEADER
from dosewise.monitoring.tests.test_fill_imports import medicine
from dosewise.monitoring.tests.test_imports import HEADER, _observation

pytestmark = pytest.mark.django_db


def _sodium_rows(dana, count: int) -> str:
    return "".join(f"{dana.mrn},sodium,{130 + n % 10},mmol/L,2025-01-01 {n // 60:02d}:{n % 60:02d}\n"
                   for n in range(count))


def test_a_string_where_a_reference_belongs_is_reported_for_its_entry_and_the_rest_are_imported(
        prescriber_a, dana):
    good = _observation(dana.mrn, "14334-7", 0.8, "mmol/L", "2025-02-03T08:00:00-06:00")
    bad_subject = {**good["resource"], "subject": f"Patient/{dana.pk}"}
    bad_identifier = {**good["resource"], "subject": {"identifier": "NA-123"}}
    bad_code = {**good["resource"], "code": "14334-7"}
    bad_quantity = {**good["resource"], "valueQuantity": "0.8 mmol/L"}
    bad_value = {**good["resource"], "valueQuantity": {"value": {"nested": 1}, "code": "mmol/L"}}
    bundle = {"resourceType": "Bundle", "entry": [
        {"resource": bad_subject}, {"resource": bad_identifier}, {"resource": bad_code},
        {"resource": bad_quantity}, {"resource": bad_value}, "an entry that is a string", ["a", "list"],
        {"resource": {**good["resource"], "status": {"text": "final"}}},
        good,
    ]}
    job = imports.result_import_create(actor=prescriber_a, filename="bundle.json", data=json.dumps(bundle).encode())
    assert imports.result_import_run(job.pk) == ImportStatus.DONE
    job.refresh_from_db()
    assert (job.status, job.imported, job.skipped, job.processed_rows) == ("done", 1, 8, 9)
    reasons = dict(job.problems)
    assert "subject names no patient" in reasons[1] and "subject names no patient" in reasons[2]
    assert "no LOINC code" in reasons[3] and "no valueQuantity" in reasons[4]
    assert "must be a number" in reasons[5]
    assert reasons[6] == reasons[7] == "not an Observation"
    assert "is not a final result" in reasons[8]
    assert Observation.objects.filter(patient=dana, source="fhir").count() == 1


def test_a_deeply_nested_upload_gets_a_400_with_the_reason(prescriber_a, as_user):
    nested = ('{"resourceType": "Bundle", "entry": [' + '{"a": ' * 50_000 + "1" + "}" * 50_000 + "]}").encode()
    response = as_user(prescriber_a).post(reverse("monitoring:import_start"),
                                          {"file": SimpleUploadedFile("deep.json", nested)})
    assert response.status_code == 400
    assert "not a FHIR Bundle: it is nested 65 levels deep; at most 64 are accepted" in response.content.decode()
    assert not ResultImport.objects.exists()


def test_an_import_whose_worker_died_is_queued_again_and_resumes_after_its_last_batch(
        prescriber_a, dana, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(imports, "BATCH_SIZE", 10)
    job = imports.result_import_create(actor=prescriber_a, filename="labs.csv",
                                       data=(HEADER + _sodium_rows(dana, 35)).encode())
    real_batch = imports._import_batch
    calls = {"n": 0}

    def dies_in_the_third_batch(*args):
        calls["n"] += 1
        if calls["n"] == 3:
            raise SystemExit("the worker is killed")  # not an Exception: nothing in the import may catch it
        return real_batch(*args)

    with mock.patch.object(imports, "_import_batch", dies_in_the_third_batch), pytest.raises(SystemExit):
        imports.result_import_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.imported, job.attempts) == ("running", 20, 20, 1)
    # Nobody else may take it while its lease runs; once the lease has expired the clock queues it again.
    assert imports.result_import_run(job.pk) == "not queued"
    assert imports.import_jobs_reclaim() == {"requeued": 0, "failed": 0}
    ResultImport.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):  # the immediate task backend runs it at once
        assert imports.import_jobs_reclaim() == {"requeued": 1, "failed": 0}
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.imported, job.skipped, job.attempts) == ("done", 35, 35, 0, 2)
    assert Observation.objects.filter(patient=dana).count() == 35


def test_an_import_that_keeps_killing_its_worker_is_stopped_with_the_reason(prescriber_a, dana, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = imports.result_import_create(actor=prescriber_a, filename="labs.csv",
                                       data=(HEADER + _sodium_rows(dana, 3)).encode())
    expired = timezone.now() - timedelta(seconds=1)
    ResultImport.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, lease_expires_at=expired,
                                                  attempts=imports.MAX_ATTEMPTS, processed_rows=0)
    assert imports.import_jobs_reclaim() == {"requeued": 0, "failed": 1}
    job.refresh_from_db()
    assert job.status == "failed" and job.finished
    assert job.error.startswith(f"The import stopped {imports.MAX_ATTEMPTS} times before finishing")
    assert imports.result_import_run(job.pk) == "not queued"


def test_a_worker_whose_lease_was_taken_over_rolls_its_batch_back(prescriber_a, dana, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)
    job = imports.result_import_create(actor=prescriber_a, filename="labs.csv",
                                       data=(HEADER + _sodium_rows(dana, 4)).encode())
    real_batch = imports._import_batch

    def another_worker_takes_over(job_, *args):
        ResultImport.objects.filter(pk=job_.pk).update(lease_token="someone-else")
        return real_batch(job_, *args)

    with mock.patch.object(imports, "_import_batch", another_worker_takes_over):
        assert imports.result_import_run(job.pk) == "lease lost"
    assert not Observation.objects.exists()
    assert ResultImport.objects.get(pk=job.pk).processed_rows == 0


def test_an_unforeseen_error_stops_the_import_with_a_plain_reason_and_keeps_earlier_batches(
        prescriber_a, dana, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)
    job = imports.result_import_create(actor=prescriber_a, filename="labs.csv",
                                       data=(HEADER + _sodium_rows(dana, 5)).encode())
    real_batch = imports._import_batch

    def breaks_in_the_second_batch(job_, rows, *args):
        if rows[0][0] == 4:
            raise KeyError("internal detail nobody should read")
        return real_batch(job_, rows, *args)

    with mock.patch.object(imports, "_import_batch", breaks_in_the_second_batch):
        assert imports.result_import_run(job.pk) == ImportStatus.FAILED
    job.refresh_from_db()
    assert (job.status, job.imported) == ("failed", 2)
    assert "stopped at an unexpected error" in job.error and "internal detail" not in job.error


def test_an_unforeseen_error_in_one_row_costs_only_that_row(prescriber_a, dana):
    real_check = imports.observation_check

    def breaks_on_133(**kwargs):
        if kwargs["value"] == "133":
            raise ZeroDivisionError("float division by zero")
        return real_check(**kwargs)

    job = imports.result_import_create(actor=prescriber_a, filename="labs.csv",
                                       data=(HEADER + _sodium_rows(dana, 5)).encode())
    with mock.patch.object(imports, "observation_check", breaks_on_133):
        imports.result_import_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.imported, job.problems) == ("done", 4, [[5, imports.UNREADABLE_ROW]])


def test_the_fill_report_says_what_is_wrong_never_what_python_said(prescriber_a, dana, as_user):
    medicine(dana, "sertraline", timezone.localdate() - timedelta(days=200), prescriber_a)
    text = FILL_HEADER + "".join(f"{dana.mrn},sertraline,2025-03-0{n},{days},30,Main,,\n"
                                 for n, days in enumerate(["3²", "٣٠", "30.5", "1e3", "-5"], start=1))
    job = fill_imports.fill_import_create(actor=prescriber_a, filename="fills.csv", data=text.encode())
    fill_imports.fill_import_run(job.pk)
    job.refresh_from_db()
    assert (job.imported, job.skipped) == (0, 5)
    for _, reason in job.problems:
        assert "is not a whole number of days" in reason, reason
    page = as_user(prescriber_a).get(reverse("monitoring:fill_import_detail", args=[job.pk])).content.decode()
    assert "invalid literal" not in page and "is not a whole number of days" in page
    assert FillImport.objects.get(pk=job.pk).status == "done"
