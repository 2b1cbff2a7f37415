"""Import pharmacy fills (dispensing records) from a CSV file, in batches, like the result import.

Each row names the patient by MRN and the medicine by any name the formulary knows (generic,
brand, synonym or RxNorm code); the fill is attached to that patient's medication of the
same ingredient. A bad row is skipped with its reason and never stops the good ones; a fill
already recorded, or repeated in the file, is skipped as a duplicate. The proportion of days
covered is computed from the fills when it is read, so it is current as soon as a batch commits.
"""

from __future__ import annotations

import functools
import logging
from collections import defaultdict
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dosewise.audit.services import audit_record
from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import load_kb
from dosewise.clinical.names import resolve_drug
from dosewise.monitoring.imports import (
    UNREADABLE_ROW,
    Report,
    _check_header,
    _count_rows,
    _decode,
    _progress,
    _reader,
    import_allowed,
    import_job_run,
)
from dosewise.monitoring.models import MAX_DAYS_SUPPLY, FillImport, FillSource, PharmacyFill
from dosewise.monitoring.services import adherence_spans_refresh
from dosewise.patients.models import Patient

log = logging.getLogger(__name__)

FILL_COLUMNS = ("mrn", "drug", "fill_date", "days_supply", "quantity", "pharmacy")
OPTIONAL_COLUMNS = ("ndc", "rx_number")
MAX_QUANTITY = Decimal("100000")


class CheckedFill(NamedTuple):
    """A row that passed every check, with the medication it belongs to (a tuple: a million of
    them are built in an import)."""

    number: int
    patient: Patient
    medication_id: int
    ingredient: str
    filled_on: date
    days_supply: int
    quantity: Decimal
    pharmacy: str
    ndc: str
    rx_number: str


def fill_import_create(*, actor, filename: str, data: bytes) -> FillImport:
    """Check an uploaded fill file's columns and queue it for import; the worker does the rows."""
    if not import_allowed(actor):
        raise PermissionDenied("Importing pharmacy fills is for prescribers and nurses.")
    text = _decode(data)
    if text.lstrip().startswith("{"):
        raise ValidationError("Pharmacy fills are imported from CSV; save the file as CSV (UTF-8).")
    _check_header(text, FILL_COLUMNS)
    total = _count_rows(text)
    if total == 0:
        raise ValidationError("The file has a header line but no fills.")
    with transaction.atomic():
        job = FillImport.objects.create(clinic_id=actor.clinic_id, filename=filename[:200], content=text,
                                        total_rows=total, uploaded_by=actor)
        audit_record(action="pharmacy_fill_import.create", actor=actor, obj=job,
                     detail={"filename": job.filename, "rows": total})
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(import_id: int) -> None:
    from dosewise.monitoring.tasks import fill_import_task

    fill_import_task.enqueue(import_id)


@functools.lru_cache(maxsize=4096)
def _ingredient(text: str) -> tuple[str, str]:
    """Return (generic name, "") or ("", why not) for a drug as a pharmacy writes it."""
    kb = load_kb()
    try:
        return resolve_drug(text, kb), ""
    except ClinicalInputError as exc:
        # Pharmacy systems often append the strength ("Lithium carbonate 300 mg"): try the words before it.
        words = text.split()
        cut = next((i for i, word in enumerate(words) if word[:1].isdigit()), len(words))
        if 0 < cut < len(words):
            try:
                return resolve_drug(" ".join(words[:cut]), kb), ""
            except ClinicalInputError:
                pass
        return "", str(exc)


class RowProblem(ValueError):
    """What is wrong with a row, in words for the import report (never Python's own message)."""


def _day(raw: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise RowProblem(f"fill date {raw.strip()[:30]!r} is not a date; use YYYY-MM-DD") from None


def _days_supply(raw: str) -> int:
    text = raw.strip()
    # ASCII digits only: str.isdigit() also accepts "²" or "٣", which int() then refuses.
    if not (text.isascii() and text.isdigit()):
        raise RowProblem(f"days' supply {text[:20]!r} is not a whole number of days")
    days = int(text)
    if not 1 <= days <= MAX_DAYS_SUPPLY:
        raise RowProblem(f"days' supply must be 1 to {MAX_DAYS_SUPPLY}, got {days}")
    return days


def _quantity(raw: str) -> Decimal:
    try:
        number = Decimal(raw.strip())
    except InvalidOperation:
        raise RowProblem(f"quantity {raw.strip()[:20]!r} is not a number") from None
    if not number.is_finite() or not 0 < number <= MAX_QUANTITY:
        raise RowProblem(f"quantity must be more than 0 and at most {MAX_QUANTITY}, got {raw.strip()[:20]}")
    return number.quantize(Decimal("0.001"))


def fill_row_values(raw: dict, today: date) -> tuple[date, int, Decimal]:
    """Return a row's fill date, days' supply and quantity, or raise RowProblem saying what is wrong."""
    filled_on = _day(raw.get("fill_date") or "")
    if filled_on > today:
        raise RowProblem(f"fill date {filled_on.isoformat()} is in the future")
    return filled_on, _days_supply(raw.get("days_supply") or ""), _quantity(raw.get("quantity") or "")


def _pick_medication(candidates: list[tuple[int, date]], filled_on: date) -> int:
    """Return the medication a fill belongs to: the latest started on or before the fill date, else
    the earliest (the medicine was started elsewhere before it was recorded here)."""
    if len(candidates) == 1:
        return candidates[0][0]
    started = [c for c in candidates if c[1] <= filled_on]
    return max(started, key=lambda c: c[1])[0] if started else min(candidates, key=lambda c: c[1])[0]


def fill_batch_check(job: FillImport, rows: list[tuple[int, dict]], today: date, report: Report
                     ) -> list[CheckedFill]:
    """Return the rows of one batch that may be stored; report every other row with its reason.

    Three queries whatever the batch holds: its patients, their medicines and the fills
    already recorded for them on the same days.
    """
    from dosewise.medications.models import Medication

    mrns = {(r.get("mrn") or "").strip().upper() for _, r in rows}
    patients = {p.mrn: p for p in Patient.objects.filter(clinic_id=job.clinic_id, mrn__in=mrns)}
    medicines: dict[tuple[int, str], list[tuple[int, date]]] = defaultdict(list)
    for pk, patient_id, ingredient, start in Medication.objects.filter(
            clinic_id=job.clinic_id, patient__in=list(patients.values())).values_list(
            "pk", "patient_id", "ingredient", "start_date"):
        medicines[(patient_id, ingredient)].append((pk, start))
    checked: list[CheckedFill] = []
    seen: dict[tuple[int, date], CheckedFill] = {}
    for number, raw in rows:
        mrn = (raw.get("mrn") or "").strip().upper()
        patient = patients.get(mrn)
        if patient is None:
            report.skip(number, f"no patient with MRN {mrn[:20]!r} in this clinic" if mrn else "no MRN")
            continue
        drug = " ".join((raw.get("drug") or "").split())
        ingredient, why = _ingredient(drug) if drug else ("", "no drug named")
        if not ingredient:
            report.skip(number, why)
            continue
        candidates = medicines.get((patient.pk, ingredient))
        if not candidates:
            report.skip(number, f"{ingredient} is not on this patient's medication list; add it first")
            continue
        try:
            filled_on, days_supply, quantity = fill_row_values(raw, today)
            if filled_on < patient.date_of_birth:
                raise RowProblem(f"fill date {filled_on.isoformat()} is before the patient's birth")
        except RowProblem as exc:
            report.skip(number, str(exc))
            continue
        except Exception:  # unforeseen content must cost its row, never the rest of the file
            log.exception("fill import %s: row %s could not be read", job.pk, number)
            report.skip(number, UNREADABLE_ROW)
            continue
        fill = CheckedFill(number=number, patient=patient, medication_id=_pick_medication(candidates, filled_on),
                           ingredient=ingredient, filled_on=filled_on, days_supply=days_supply, quantity=quantity,
                           pharmacy=" ".join((raw.get("pharmacy") or "").split())[:120],
                           ndc=(raw.get("ndc") or "").strip()[:20], rx_number=(raw.get("rx_number") or "").strip()[:30])
        earlier = seen.get((fill.medication_id, filled_on))
        if earlier is not None:
            report.skip(number, f"duplicate of line {earlier.number}" if earlier.days_supply == days_supply else
                        f"line {earlier.number} has another fill of {ingredient} on {filled_on.isoformat()}")
            continue
        seen[(fill.medication_id, filled_on)] = fill
        checked.append(fill)
    if not checked:
        return []
    recorded = {(m, d): days for m, d, days in PharmacyFill.objects.filter(
        clinic_id=job.clinic_id, medication_id__in={f.medication_id for f in checked},
        filled_on__in={f.filled_on for f in checked},
    ).values_list("medication_id", "filled_on", "days_supply")}
    fresh = []
    for fill in checked:
        days = recorded.get((fill.medication_id, fill.filled_on))
        if days == fill.days_supply:
            report.skip(fill.number, "already recorded")
        elif days is not None:
            report.skip(fill.number, f"a fill of {fill.ingredient} on {fill.filled_on.isoformat()} is already "
                                     f"recorded with {days} days' supply; correct it on the chart")
        else:
            fresh.append(fill)
    return fresh


def _store_batch(job: FillImport, rows: list[tuple[int, dict]], zone: ZoneInfo, report: Report) -> int:
    """Store the good fills of one batch with one audit event per patient; return how many."""
    fresh = fill_batch_check(job, rows, timezone.now().astimezone(zone).date(), report)
    # Foreign keys by id: assigning the objects costs a descriptor call each, a tenth of the import.
    fills = [PharmacyFill(clinic_id=job.clinic_id, patient_id=f.patient.pk, medication_id=f.medication_id,
                          filled_on=f.filled_on, days_supply=f.days_supply, quantity=f.quantity,
                          pharmacy=f.pharmacy, ndc=f.ndc, rx_number=f.rx_number, source=FillSource.IMPORTED,
                          fill_import_id=job.pk, recorded_by_id=job.uploaded_by_id) for f in fresh]
    with transaction.atomic():
        PharmacyFill.objects.bulk_create(fills)
        adherence_spans_refresh(job.clinic, {f.medication_id for f in fills})
        by_patient: dict[int, list[PharmacyFill]] = defaultdict(list)
        patients = {}
        for fill, checked in zip(fills, fresh, strict=True):
            by_patient[fill.patient_id].append(fill)
            patients[fill.patient_id] = checked.patient
        for patient_id, group in by_patient.items():
            audit_record(action="pharmacy_fill.import", actor=job.uploaded_by, patient=patients[patient_id],
                         detail={"import": job.pk, "fills": [f.pk for f in group],
                                 "medications": sorted({f.medication_id for f in group})})
        _progress(job, len(rows), len(fills), report)
    return len(fills)


# Rows are read this many at a time and grouped by patient before they are cut into batches: a
# pharmacy file is usually in date order, so a batch of 1,000 rows held 1,000 patients and wrote
# 1,000 audit events; grouped, it holds the fills of a few dozen patients and one event each.
GROUPING_WINDOW = 20_000


def _fill_rows(job: FillImport):
    """Yield (line number, row), counting the header as line 1 as a spreadsheet does, the rows of
    each GROUPING_WINDOW lines ordered by MRN (stable, so file order within a patient).

    The order depends only on the file, so a resumed import skips exactly the rows its earlier
    batches committed; memory holds one window, whatever the file's size.
    """
    window: list[tuple[int, dict]] = []
    for numbered in enumerate(_reader(job.content), start=2):
        window.append(numbered)
        if len(window) >= GROUPING_WINDOW:
            yield from _by_patient(window)
            window = []
    yield from _by_patient(window)


def _by_patient(window: list[tuple[int, dict]]) -> list[tuple[int, dict]]:
    return sorted(window, key=lambda numbered: (numbered[1].get("mrn") or "").strip().upper())


def fill_import_run(import_id: int) -> str:
    """Import a queued fill file batch by batch; return the final status (claimed once, like results)."""
    return import_job_run(FillImport, import_id, _fill_rows, _store_batch)
