from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dosewise.audit.models import AuditEvent
from dosewise.monitoring import imports
from dosewise.monitoring.models import Observation, ResultImport

pytestmark = pytest.mark.django_db

HEADER = "mrn,test,value,unit,date\n"


def run(actor, text: str) -> ResultImport:
    job = imports.result_import_create(actor=actor, filename="labs.csv", data=text.encode())
    imports.result_import_run(job.pk)
    job.refresh_from_db()
    return job


def test_good_rows_are_imported_and_bad_rows_reported_with_the_reason(prescriber_a, dana, evan):
    job = run(prescriber_a, HEADER + "\n".join([
        f"{dana.mrn},lithium-level,1.8,mmol/L,2025-02-03 08:00",
        f"{dana.mrn.lower()},14334-7,0.7,mEq/L,2025-01-03",
        f"{dana.mrn},lithium-level,0.7,mg/dL,2025-01-04",
        f"{dana.mrn},lithium-level,70,mmol/L,2025-01-05",
        f"{dana.mrn},unicorn,1,mmol/L,2025-01-05",
        f"{dana.mrn},sodium,131,mmol/L,yesterday",
        f"{evan.mrn},sodium,131,mmol/L,2025-01-05",
        "NA999999,sodium,131,mmol/L,2025-01-05",
        f"{dana.mrn},anc,1.2,10*9/L,2025-01-06",
    ]) + "\n")
    assert (job.status, job.total_rows, job.processed_rows, job.imported, job.skipped) == ("done", 9, 9, 3, 6)
    reasons = dict(job.problems)
    assert "mg/dL is not a unit for lithium" in reasons[4]
    assert "not a possible lithium level" in reasons[5]
    assert "unknown test 'unicorn'" in reasons[6]
    assert "is not a date" in reasons[7]
    assert "no patient with MRN" in reasons[8] and "no patient with MRN" in reasons[9]
    stored = Observation.objects.filter(patient=dana, source="csv").order_by("effective_at")
    assert [(o.test, o.flag) for o in stored] == [("lithium-level", "normal"), ("anc", "low"),
                                                  ("lithium-level", "high")]
    assert not Observation.objects.filter(patient=evan).exists()
    event = AuditEvent.objects.get(action="observation.import")
    assert event.patient_id == dana.pk and len(event.detail["observations"]) == 3


def test_duplicates_in_the_file_and_on_the_chart_are_skipped(prescriber_a, dana):
    row = f"{dana.mrn},lithium-level,0.8,mmol/L,2025-01-03 09:00\n"
    first = run(prescriber_a, HEADER + row + row)
    assert (first.imported, first.skipped, first.problems) == (1, 1, [[3, "duplicate of line 2"]])
    again = run(prescriber_a, HEADER + row.replace("0.8", "0.80"))
    assert (again.imported, again.skipped, again.problems) == (0, 1, [[2, "already on the chart"]])


def test_a_large_file_is_imported_in_batches(prescriber_a, dana, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_SIZE", 7)
    rows = "".join(f"{dana.mrn},sodium,{130 + n % 10},mmol/L,2025-01-01 {n // 60:02d}:{n % 60:02d}\n"
                   for n in range(50))
    job = run(prescriber_a, HEADER + rows)
    assert (job.imported, job.skipped, job.processed_rows) == (50, 0, 50)
    assert AuditEvent.objects.filter(action="observation.import").count() == 8  # one per batch for Dana


@pytest.mark.parametrize(("data", "words"), [
    (b"", "empty"),
    (b"patient,test,result\n1,2,3\n", "missing: mrn, value, unit, date"),
    (HEADER.encode(), "no results"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not a CSV text file"),
    ("mrn,test,value,unit,date\nNA1,sodium,131,mmol/L,2025-01-01\n".encode("utf-16"), "not a CSV text file"),
    (b"mrn,test,value,unit,date\n\xff\xfe,1,2,3,4\n", "not UTF-8"),
])
def test_a_malformed_file_is_refused_with_a_clear_message(prescriber_a, data, words):
    with pytest.raises(ValidationError, match=words):
        imports.result_import_create(actor=prescriber_a, filename="bad.csv", data=data)
    assert not ResultImport.objects.exists()


def test_only_prescribers_and_nurses_may_import(therapist_a, front_desk_a):
    for person in (therapist_a, front_desk_a):
        with pytest.raises(PermissionDenied):
            imports.result_import_create(actor=person, filename="labs.csv", data=HEADER.encode())


def test_a_job_is_imported_once(prescriber_a, dana):
    job = imports.result_import_create(actor=prescriber_a, filename="labs.csv",
                                       data=(HEADER + f"{dana.mrn},sodium,131,mmol/L,2025-01-01\n").encode())
    assert imports.result_import_run(job.pk) == "done"
    assert imports.result_import_run(job.pk) == "not queued"
    assert Observation.objects.count() == 1


def test_the_upload_page_queues_the_file_and_shows_progress(prescriber_a, dana, as_user,
                                                            django_capture_on_commit_callbacks):
    client = as_user(prescriber_a)
    upload = SimpleUploadedFile("labs.csv", (HEADER + f"{dana.mrn},lithium-level,1.8,mmol/L,2025-01-01\n").encode(),
                                content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("monitoring:import_start"), {"file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert b"1 imported" in page.content and b"hx-trigger" not in page.content
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert partial.content.lstrip().startswith(b'<section class="card" id="import-progress"')


def test_the_upload_page_explains_wrong_columns(prescriber_a, as_user):
    upload = SimpleUploadedFile("labs.csv", b"name,result\nx,1\n", content_type="text/csv")
    response = as_user(prescriber_a).post(reverse("monitoring:import_start"), {"file": upload})
    assert response.status_code == 400 and b"missing: mrn, test, value, unit, date" in response.content


def test_an_import_moves_the_due_date_of_a_patient_on_lithium(prescriber_a, dana):
    from datetime import timedelta

    from django.utils import timezone

    from dosewise.medications.models import DoseChange, Medication
    from dosewise.monitoring.models import MonitoringDue

    medicine = Medication.objects.create(clinic=dana.clinic, patient=dana, ingredient="lithium",
                                         start_date=timezone.localdate() - timedelta(days=60), created_by=prescriber_a)
    DoseChange.objects.create(clinic=dana.clinic, patient=dana, medication=medicine, kind="start",
                              changed_by=prescriber_a)
    assert MonitoringDue.objects.get(patient=dana, test="lithium-level").due_date < timezone.localdate()
    yesterday = timezone.localdate() - timedelta(days=1)
    run(prescriber_a, HEADER + f"{dana.mrn},lithium-level,0.7,mmol/L,{yesterday:%Y-%m-%d}\n")
    assert MonitoringDue.objects.get(patient=dana, test="lithium-level").due_date > timezone.localdate()


def _observation(mrn: str, loinc: str, value, unit: str, when: str, status: str = "final") -> dict:
    return {"resource": {"resourceType": "Observation", "status": status,
                         "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
                         "subject": {"identifier": {"value": mrn}},
                         "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org",
                                           "code": unit},
                         "effectiveDateTime": when}}


def test_a_fhir_bundle_of_observations_is_imported_with_a_report(prescriber_a, dana):
    import json

    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        _observation(dana.mrn, "14334-7", 1.8, "mmol/L", "2025-02-03T08:00:00-06:00"),
        _observation(dana.mrn, "2951-2", 131, "mmol/L", "2025-02-03T08:00:00-06:00", status="preliminary"),
        _observation(dana.mrn, "751-8", 0.4, "10*9/L", "2025-02-03T08:00:00-06:00"),
        _observation(dana.mrn, "751-8", 0.4, "mg/dL", "2025-02-04T08:00:00-06:00"),
        {"resource": {"resourceType": "Patient"}},
    ]}
    job = run(prescriber_a, json.dumps(bundle))
    assert (job.kind, job.status, job.imported, job.skipped) == ("fhir", "done", 2, 3)
    reasons = dict(job.problems)
    assert "not a final result" in reasons[2] and "not a unit" in reasons[4] and reasons[5] == "not an Observation"
    assert sorted(Observation.objects.filter(source="fhir").values_list("flag", flat=True)) == ["critical", "high"]


@pytest.mark.parametrize(("data", "words"), [
    (b'{"resourceType": "Patient"}', "must be a FHIR Bundle"),
    (b'{"resourceType": "Bundle", "entry": []}', "no entries"),
    (b'{"resourceType": "Bundle", ', "not valid JSON"),
])
def test_a_malformed_bundle_is_refused(prescriber_a, data, words):
    with pytest.raises(ValidationError, match=words):
        imports.result_import_create(actor=prescriber_a, filename="bundle.json", data=data)


def test_columns_in_another_order_and_case_with_extra_columns_and_blank_lines_are_read(prescriber_a, dana):
    job = run(prescriber_a, "Date, UNIT ,Value,Test,MRN,lab\n\n"
                            f"2025-01-03 09:00,mmol/L,0.8,lithium-level,{dana.mrn},Quest\n\n")
    assert (job.total_rows, job.imported, job.skipped) == (1, 1, 0)


def test_a_semicolon_separated_file_is_refused_naming_the_columns_it_needs(prescriber_a):
    with pytest.raises(ValidationError, match="missing: mrn, test, value, unit, date"):
        imports.result_import_create(actor=prescriber_a, filename="labs.csv",
                                     data=b"mrn;test;value;unit;date\nNA1;sodium;131;mmol/L;2025-01-01\n")


def test_a_file_with_a_runaway_quote_is_refused_before_anything_is_imported(prescriber_a, dana):
    data = (HEADER + f"{dana.mrn},sodium,131,mmol/L,2025-01-01\n"
            + f'{dana.mrn},sodium,"131' + "9" * 140_000 + "\n").encode()
    with pytest.raises(ValidationError, match="not valid CSV"):
        imports.result_import_create(actor=prescriber_a, filename="labs.csv", data=data)
    assert not ResultImport.objects.exists() and not Observation.objects.exists()


def test_rows_with_missing_cells_are_skipped_with_the_reason(prescriber_a, dana):
    job = run(prescriber_a, HEADER + f"{dana.mrn},sodium\n{dana.mrn},sodium,,mmol/L,2025-01-01\n"
                                     f"{dana.mrn},sodium,131,,2025-01-01\n")
    assert (job.imported, job.skipped) == (0, 3)
    reasons = dict(job.problems)
    assert "not a date" in reasons[2] and "Enter the result as a number" in reasons[3]
    assert "No unit is not a unit for serum sodium" in reasons[4]


def test_a_repeat_in_a_later_batch_is_caught_on_the_chart(prescriber_a, dana, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_SIZE", 2)
    rows = [f"{dana.mrn},sodium,{130 + n},mmol/L,2025-01-0{n + 1} 08:00\n" for n in range(3)]
    job = run(prescriber_a, HEADER + "".join(rows) + rows[0])
    assert (job.imported, job.problems) == (3, [[5, "already on the chart"]])
