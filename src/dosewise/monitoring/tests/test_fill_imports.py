"""Pharmacy fills imported from a CSV file: matched to the patient's medicine, bad rows reported."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dosewise.audit.models import AuditEvent
from dosewise.medications.models import Medication
from dosewise.monitoring import fill_imports, imports, selectors
from dosewise.monitoring.models import FillImport, PharmacyFill

pytestmark = pytest.mark.django_db

HEADER = "mrn,drug,fill_date,days_supply,quantity,pharmacy,ndc,rx_number\n"


def medicine(patient, ingredient: str, start: date, actor, **extra) -> Medication:
    return Medication.objects.create(clinic=patient.clinic, patient=patient, ingredient=ingredient,
                                     start_date=start, created_by=actor, **extra)


def run(actor, text: str) -> FillImport:
    job = fill_imports.fill_import_create(actor=actor, filename="fills.csv", data=text.encode())
    fill_imports.fill_import_run(job.pk)
    job.refresh_from_db()
    return job


@pytest.fixture
def dana_sertraline(dana, prescriber_a):
    return medicine(dana, "sertraline", timezone.localdate() - timedelta(days=200), prescriber_a)


def test_good_rows_are_imported_and_each_bad_row_is_reported_with_its_reason(prescriber_a, dana, evan,
                                                                             dana_sertraline):
    today = timezone.localdate()
    day = (today - timedelta(days=40)).isoformat()
    job = run(prescriber_a, HEADER + "\n".join([
        f"{dana.mrn},sertraline,{day},30,30,Main Street Pharmacy,0049-4960-50,RX1",   # 2: imported
        f"{dana.mrn.lower()},Zoloft 50 mg,{(today - timedelta(days=10)).isoformat()},30,30,Main Street,,",  # 3
        "NA999999,sertraline,2025-01-01,30,30,Main,,",                                  # 4: unknown MRN
        f"{evan.mrn},sertraline,2025-01-01,30,30,Main,,",                               # 5: another clinic
        f"{dana.mrn},unicornazepam,2025-01-01,30,30,Main,,",                            # 6: unknown drug
        f"{dana.mrn},lithium,2025-01-01,30,30,Main,,",                                  # 7: not on the list
        f"{dana.mrn},sertraline,01/02/2025,30,30,Main,,",                               # 8: bad date
        f"{dana.mrn},sertraline,{(today + timedelta(days=2)).isoformat()},30,30,Main,,",  # 9: future
        f"{dana.mrn},sertraline,2025-01-03,0,30,Main,,",                                # 10: zero days
        f"{dana.mrn},sertraline,2025-01-04,366,30,Main,,",                              # 11: over a year
        f"{dana.mrn},sertraline,2025-01-05,thirty,30,Main,,",                           # 12: not a number
        f"{dana.mrn},sertraline,2025-01-06,30,-5,Main,,",                               # 13: bad quantity
        f"{dana.mrn},,2025-01-07,30,30,Main,,",                                         # 14: no drug
    ]) + "\n")
    assert (job.status, job.total_rows, job.processed_rows, job.imported, job.skipped) == ("done", 13, 13, 2, 11)
    reasons = dict(job.problems)
    assert "no patient with MRN 'NA999999'" in reasons[4] and "no patient with MRN" in reasons[5]
    assert "unknown drug 'unicornazepam'" in reasons[6]
    assert reasons[7] == "lithium is not on this patient's medication list; add it first"
    assert "'01/02/2025' is not a date" in reasons[8]
    assert "in the future" in reasons[9]
    assert reasons[10] == "days' supply must be 1 to 365, got 0"
    assert reasons[11] == "days' supply must be 1 to 365, got 366"
    assert "not a whole number" in reasons[12] and "quantity must be more than 0" in reasons[13]
    assert reasons[14] == "no drug named"
    first, second = PharmacyFill.objects.filter(patient=dana).order_by("filled_on")
    assert (first.medication_id, first.source, first.days_supply, first.quantity, first.pharmacy, first.ndc,
            first.rx_number, first.fill_import_id) == (dana_sertraline.pk, "imported", 30, 30, "Main Street Pharmacy",
                                                       "0049-4960-50", "RX1", job.pk)
    assert second.medication_id == dana_sertraline.pk and second.recorded_by == prescriber_a
    event = AuditEvent.objects.get(action="pharmacy_fill.import")
    assert event.patient_id == dana.pk and sorted(event.detail["fills"]) == sorted([first.pk, second.pk])


def test_duplicates_in_the_file_and_already_recorded_are_skipped(prescriber_a, dana, dana_sertraline):
    row = f"{dana.mrn},sertraline,2025-01-03,30,30,Main,,\n"
    first = run(prescriber_a, HEADER + row + row + row.replace(",30,30,", ",60,60,"))
    assert (first.imported, first.skipped) == (1, 2)
    assert first.problems == [[3, "duplicate of line 2"],
                              [4, "line 2 has another fill of sertraline on 2025-01-03"]]
    again = run(prescriber_a, HEADER + row)
    assert (again.imported, again.problems) == (0, [[2, "already recorded"]])
    other = run(prescriber_a, HEADER + row.replace(",30,30,", ",90,90,"))
    assert other.imported == 0 and "already recorded with 30 days' supply" in other.problems[0][1]
    assert PharmacyFill.objects.count() == 1


def test_a_fill_entered_by_hand_is_not_imported_again(prescriber_a, dana, dana_access, dana_sertraline):
    from dosewise.monitoring import services

    services.pharmacy_fill_record(actor=prescriber_a, access=dana_access, medication_id=dana_sertraline.pk,
                                  filled_on=date(2025, 1, 3), days_supply=30)
    job = run(prescriber_a, HEADER + f"{dana.mrn},Zoloft,2025-01-03,30,30,Main,,\n")
    assert (job.imported, job.problems) == (0, [[2, "already recorded"]])
    assert PharmacyFill.objects.get().source == "entered"


def test_imported_fills_update_the_proportion_of_days_covered(prescriber_a, dana, dana_sertraline):
    today = timezone.localdate()
    assert selectors.adherence(dana, [dana_sertraline], today)[0].pdc[0][1] is None
    rows = "".join(f"{dana.mrn},sertraline,{(today - timedelta(days=d)).isoformat()},30,30,Main,,\n"
                   for d in (150, 120, 90))
    run(prescriber_a, HEADER + rows)
    (result,) = selectors.adherence(dana, [dana_sertraline], today)
    pdc = dict(result.pdc)
    # 90 days covered since the first fill 150 days ago (PQA: the period starts at the first fill).
    assert pdc[30] == 0.0 and pdc[180] == pytest.approx(90 / 151) and result.low


def test_a_fill_goes_to_the_course_of_the_medicine_it_was_dispensed_in(prescriber_a, dana):
    today = timezone.localdate()
    old = medicine(dana, "lithium", today - timedelta(days=400), prescriber_a, status="stopped",
                   stop_date=today - timedelta(days=300))
    current = medicine(dana, "lithium", today - timedelta(days=100), prescriber_a)
    run(prescriber_a, HEADER + f"{dana.mrn},Lithobid,{(today - timedelta(days=350)).isoformat()},30,60,Main,,\n"
                      f"{dana.mrn},lithium carbonate,{(today - timedelta(days=50)).isoformat()},30,60,Main,,\n")
    assert list(PharmacyFill.objects.order_by("filled_on").values_list("medication_id", flat=True)) == [
        old.pk, current.pk]


def test_a_large_file_is_imported_in_batches_and_repeats_across_batches_are_caught(prescriber_a, dana,
                                                                                   dana_sertraline, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_SIZE", 7)
    rows = [f"{dana.mrn},sertraline,{date(2024, 1, 1) + timedelta(days=n)},30,30,Main,,\n" for n in range(50)]
    job = run(prescriber_a, HEADER + "".join(rows) + rows[3])
    assert (job.imported, job.skipped, job.processed_rows, job.problems) == (50, 1, 51, [[52, "already recorded"]])
    assert AuditEvent.objects.filter(action="pharmacy_fill.import").count() == 8


def test_a_file_that_stops_being_csv_part_way_is_refused_before_anything_is_imported(prescriber_a, dana,
                                                                                     dana_sertraline):
    good = "".join(f"{dana.mrn},sertraline,2024-02-0{n},30,30,Main,,\n" for n in range(1, 4))
    broken = f'{dana.mrn},sertraline,"2024-03-01' + "x" * 140_000 + "\n"
    with pytest.raises(ValidationError, match="not valid CSV: a cell is longer than 131,072 characters"):
        fill_imports.fill_import_create(actor=prescriber_a, filename="fills.csv",
                                        data=(HEADER + good + broken).encode())
    assert not FillImport.objects.exists() and not PharmacyFill.objects.exists()


@pytest.mark.parametrize(("data", "words"), [
    (b"", "empty"),
    (b"mrn,drug,date,days\nNA1,x,2025-01-01,30\n", "missing: fill_date, days_supply, quantity, pharmacy"),
    (b"mrn,test,value,unit,date\nNA1,sodium,131,mmol/L,2025-01-01\n", "missing: drug, fill_date"),
    (HEADER.encode(), "no fills"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "not a CSV text file"),
    (b'{"resourceType": "Bundle"}', "imported from CSV"),
    (HEADER.encode() + b"NA1,\xe9,2025-01-01,30,30,Main,,\n", "not UTF-8"),
])
def test_a_malformed_file_is_refused_with_a_clear_message(prescriber_a, data, words):
    with pytest.raises(ValidationError, match=words):
        fill_imports.fill_import_create(actor=prescriber_a, filename="bad.csv", data=data)
    assert not FillImport.objects.exists()


def test_only_prescribers_and_nurses_may_import_fills(therapist_a, front_desk_a):
    for person in (therapist_a, front_desk_a):
        with pytest.raises(PermissionDenied):
            fill_imports.fill_import_create(actor=person, filename="fills.csv", data=HEADER.encode())


def test_a_fill_job_is_imported_once(prescriber_a, dana, dana_sertraline):
    job = fill_imports.fill_import_create(actor=prescriber_a, filename="fills.csv",
                                          data=(HEADER + f"{dana.mrn},sertraline,2025-01-01,30,30,M,,\n").encode())
    assert fill_imports.fill_import_run(job.pk) == "done"
    assert fill_imports.fill_import_run(job.pk) == "not queued"
    assert PharmacyFill.objects.count() == 1


def test_the_upload_page_describes_the_columns_queues_the_file_and_shows_progress(
        prescriber_a, dana, dana_sertraline, as_user, django_capture_on_commit_callbacks):
    client = as_user(prescriber_a)
    page = client.get(reverse("monitoring:fill_import_start")).content.decode()
    for column in fill_imports.FILL_COLUMNS + fill_imports.OPTIONAL_COLUMNS:
        assert f"<code>{column}</code>" in page
    upload = SimpleUploadedFile("fills.csv", (HEADER + f"{dana.mrn},sertraline,2025-01-01,30,30,M,,\n").encode(),
                                content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("monitoring:fill_import_start"), {"file": upload})
    assert response.status_code == 302
    job = FillImport.objects.get()
    assert response["Location"] == reverse("monitoring:fill_import_detail", args=[job.pk])
    detail = client.get(response["Location"])
    assert b"1 imported" in detail.content and b"hx-trigger" not in detail.content
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true")
    assert partial.content.lstrip().startswith(b'<section class="card" id="import-progress"')


def test_the_upload_page_explains_wrong_columns(prescriber_a, as_user):
    upload = SimpleUploadedFile("fills.csv", b"name,result\nx,1\n", content_type="text/csv")
    response = as_user(prescriber_a).post(reverse("monitoring:fill_import_start"), {"file": upload})
    assert response.status_code == 400
    assert b"missing: mrn, drug, fill_date, days_supply, quantity, pharmacy" in response.content


def test_rows_are_grouped_by_patient_so_a_batch_writes_few_audit_events(prescriber_a, dana, dana_sertraline,
                                                                        monkeypatch):
    from tests.conftest import demographics

    from dosewise.patients.services import patient_register

    monkeypatch.setattr(imports, "BATCH_SIZE", 10)
    evan = patient_register(actor=prescriber_a, data=demographics(legal_given_name="Eve", email="eve@example.org"))
    medicine(evan, "sertraline", timezone.localdate() - timedelta(days=200), prescriber_a)
    rows = [f"{(dana if n % 2 else evan).mrn},sertraline,{date(2024, 1, 1) + timedelta(days=n)},30,30,Main,,\n"
            for n in range(40)]
    job = run(prescriber_a, HEADER + "".join(rows) + f"{dana.mrn},sertraline,not a date,30,30,Main,,\n")
    assert (job.imported, job.skipped) == (40, 1)
    assert job.problems == [[42, "fill date 'not a date' is not a date; use YYYY-MM-DD"]]  # the file's own line
    # In file order each of the 5 batches of 10 would hold both patients (9 events). Grouped by
    # MRN, the batches hold one patient each, the first patient's 20 fills and bad line then the other's.
    events = AuditEvent.objects.filter(action="pharmacy_fill.import")
    assert events.count() == 5
    assert len({e.patient_id for e in events}) == 2
    assert sorted(len(e.detail["fills"]) for e in events) == [1, 9, 10, 10, 10]


def test_the_grouped_order_depends_only_on_the_file_so_a_resumed_import_skips_what_was_stored(monkeypatch):
    monkeypatch.setattr(fill_imports, "GROUPING_WINDOW", 3)
    job = FillImport(content=HEADER + "".join(f"{mrn},sertraline,2024-01-0{n},30,30,Main,,\n"
                                              for n, mrn in enumerate(["B2", "A1", "B2", "A1", "C3"], start=1)))
    order = [number for number, _ in fill_imports._fill_rows(job)]
    assert order == [3, 2, 4, 5, 6] == [number for number, _ in fill_imports._fill_rows(job)]
