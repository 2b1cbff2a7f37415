"""Import lab results from a CSV file (mrn, test, value, unit, date) or a FHIR R4 Bundle of
Observations, in batches.

A bad row is skipped with its reason and never stops the good ones; a result already on
the chart, or repeated in the file, is skipped as a duplicate. Each batch is one
transaction with one audit event per patient listing the results stored for them.

The worker holds a lease on the import, renewed with every batch. If it dies (killed,
out of memory, the machine restarted) the lease expires and `import_jobs_reclaim` (run by
the clock and at every worker start) queues the import again: the next worker resumes
after the last committed batch. After MAX_ATTEMPTS the import is marked stopped with the
reason, keeping what was imported.
"""

from __future__ import annotations

import csv
import json
import logging
import secrets
from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from dosewise.audit.services import audit_record
from dosewise.clinics.roles import Capability
from dosewise.lib.json_limits import JsonTooDeep, json_loads_limited
from dosewise.monitoring.catalogue import test_by_code
from dosewise.monitoring.models import (
    ImportJob,
    ImportStatus,
    Observation,
    ObservationStatus,
    ResultImport,
)
from dosewise.monitoring.services import monitoring_due_refresh_many, observation_build, observation_check
from dosewise.patients.models import Patient

log = logging.getLogger(__name__)

COLUMNS = ("mrn", "test", "value", "unit", "date")
BATCH_SIZE = 1000
# Claims of one import before it is given up: a file that kills its worker every time must not loop forever.
MAX_ATTEMPTS = 3
MAX_BYTES = 100 * 1024 * 1024
IMPORT_CAPABILITIES = (Capability.MONITORING_VIEW, Capability.CLINICAL_EDIT, Capability.CASELOAD_CLINIC)


def import_allowed(user) -> bool:
    """Return whether the user may import results for the whole clinic (prescribers and nurses)."""
    return bool(user.is_authenticated and user.is_clinic_staff and all(user.can(c) for c in IMPORT_CAPABILITIES))


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ValidationError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it into parts.")
    if b"\x00" in data[:4096]:
        raise ValidationError("This is not a CSV text file; export the results as CSV (UTF-8).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("The file is not UTF-8 text; save it again as \"CSV UTF-8\".") from None


def _lines(text: str):
    """Yield the lines of the text with their endings, one at a time.

    A reader over io.StringIO would first copy the whole file into a wider buffer (up to
    four bytes a character); slicing line by line keeps the worker's memory at one batch.
    """
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        end = size if end < 0 else end + 1
        yield text[start:end]
        start = end


def _reader(text: str) -> csv.DictReader:
    reader = csv.DictReader(_lines(text))
    reader.fieldnames = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    return reader


def _check_header(text: str, columns: tuple[str, ...] = COLUMNS) -> None:
    names = _reader(text).fieldnames
    if not names:
        raise ValidationError("The file is empty; the first line must name the columns "
                              f"{', '.join(columns)}.")
    missing = [c for c in columns if c not in names]
    if missing:
        raise ValidationError(f"The file needs the columns {', '.join(columns)} on its first line; missing: "
                              f"{', '.join(missing)} (found: {', '.join(n for n in names if n) or 'nothing'}).")


def csv_problem(exc: csv.Error) -> str:
    """Say in plain words what is wrong with a CSV file, from the csv module's error (never shown as is)."""
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a cell is longer than {csv.field_size_limit():,} characters (often a quote that is never closed)"
    if "new-line character seen in unquoted field" in text:
        return "a line ends inside a cell that has no quotes around it"
    if "unexpected end of data" in text or "EOF" in text:
        return "a quoted cell is never closed"
    if "NUL" in text:
        return "it contains NUL characters, which a text file does not"
    return "its rows cannot be split into cells"


def _count_rows(text: str) -> int:
    # Records, not lines (a quoted field may hold a line break), skipping blank lines as the import does;
    # no dict per row is needed to count.
    try:
        return max(sum(1 for row in csv.reader(_lines(text)) if row) - 1, 0)
    except csv.Error as exc:
        raise ValidationError(f"The file is not valid CSV: {csv_problem(exc)}.") from None


LOINC_SYSTEM = "http://loinc.org"
FHIR_FINAL = ("final", "amended", "corrected")


def _bundle_entries(text: str) -> list:
    try:
        bundle = json_loads_limited(text)
    except JsonTooDeep as exc:
        raise ValidationError(f"The file is not a FHIR Bundle: it is {exc}.") from None
    except json.JSONDecodeError as exc:
        raise ValidationError(f"The file is not valid JSON (line {exc.lineno}, column {exc.colno}): "
                              f"{exc.msg.lower()}.") from None
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise ValidationError("A JSON file must be a FHIR Bundle (resourceType \"Bundle\") of Observations.")
    entries = bundle.get("entry") or []
    if not isinstance(entries, list) or not entries:
        raise ValidationError("The FHIR Bundle has no entries.")
    return entries


def _short(value) -> str:
    return repr(value)[:40]


def _fhir_row(entry) -> dict:
    """Return an entry of a Bundle as an import row, or a row that names its problem.

    Anything may stand where FHIR expects an object (a string for a reference, a list for a
    quantity): each shape is checked, so one malformed entry is reported and the rest imported.
    """
    resource = entry.get("resource") if isinstance(entry, dict) else None
    if not isinstance(resource, dict) or resource.get("resourceType") != "Observation":
        return {"_problem": "not an Observation"}
    if resource.get("status") not in FHIR_FINAL:
        return {"_problem": f"status {_short(resource.get('status'))} is not a final result"}
    subject = resource.get("subject")
    identifier = subject.get("identifier") if isinstance(subject, dict) else None
    mrn = identifier.get("value") if isinstance(identifier, dict) else None
    if not isinstance(mrn, str | int) or isinstance(mrn, bool) or not str(mrn).strip():
        return {"_problem": "subject names no patient: it needs an identifier whose value is the MRN "
                            "(subject.identifier.value)"}
    code = resource.get("code")
    codings = code.get("coding") if isinstance(code, dict) else None
    codings = codings if isinstance(codings, list) else []
    loinc = next((c.get("code") for c in codings if isinstance(c, dict) and c.get("system") == LOINC_SYSTEM), "")
    if not isinstance(loinc, str) or not loinc:
        return {"_problem": "no LOINC code (code.coding with system http://loinc.org)"}
    quantity = resource.get("valueQuantity")
    if not isinstance(quantity, dict):
        return {"_problem": "no valueQuantity with the result's value and unit"}
    value, unit = quantity.get("value", ""), quantity.get("code") or quantity.get("unit") or ""
    moment = resource.get("effectiveDateTime") or ""
    if isinstance(value, dict | list) or not isinstance(unit, str) or not isinstance(moment, str):
        return {"_problem": "valueQuantity.value must be a number, its unit and effectiveDateTime text"}
    return {"mrn": str(mrn), "test": loinc, "value": str(value), "unit": unit, "date": moment}


def result_import_create(*, actor, filename: str, data: bytes) -> ResultImport:
    """Check an uploaded file's form (CSV columns, or a FHIR Bundle) and queue it for import;
    the worker does the rows."""
    if not import_allowed(actor):
        raise PermissionDenied("Importing results is for prescribers and nurses.")
    text = _decode(data)
    kind = "fhir" if text.lstrip().startswith("{") else "csv"
    if kind == "fhir":
        total = len(_bundle_entries(text))
    else:
        _check_header(text)
        total = _count_rows(text)
        if total == 0:
            raise ValidationError("The file has a header line but no results.")
    with transaction.atomic():
        job = ResultImport.objects.create(clinic_id=actor.clinic_id, kind=kind, filename=filename[:200],
                                          content=text, total_rows=total, uploaded_by=actor)
        audit_record(action="observation_import.create", actor=actor, obj=job,
                     detail={"filename": job.filename, "rows": total})
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(import_id: int) -> None:
    from dosewise.monitoring.tasks import result_import_task

    result_import_task.enqueue(import_id)


def _parse_moment(raw: str, zone: ZoneInfo) -> datetime:
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise ValidationError(f"date {raw.strip()[:30]!r} is not a date; use YYYY-MM-DD or YYYY-MM-DD HH:MM") \
            from None
    return timezone.make_aware(moment, zone) if timezone.is_naive(moment) else moment


# What the report says of a row that raised something unforeseen: the details go to the log, not the page.
UNREADABLE_ROW = "this row could not be read and was skipped (the details are in the server log)"


class Report:
    """The skipped rows of one import: every one counted, the first REPORT_LIMIT listed.

    A resumed import starts from the counts its earlier batches committed.
    """

    def __init__(self, limit: int, problems: list | None = None, skipped: int = 0) -> None:
        self.limit, self.problems, self.skipped = limit, list(problems or []), skipped

    def skip(self, number: int, reason: str) -> None:
        self.skipped += 1
        if len(self.problems) < self.limit:
            self.problems.append([number, reason])


def _import_batch(job: ResultImport, rows: list[tuple[int, dict]], zone: ZoneInfo, report: Report) -> int:
    """Store the good rows of one batch; return how many were stored.

    Repeats are looked for inside the batch and then on the chart, where the earlier
    batches of the same file already are: memory stays at one batch whatever the file size.
    """
    actor = job.uploaded_by
    codes = test_by_code()
    mrns = {(r.get("mrn") or "").strip().upper() for _, r in rows}
    patients = {p.mrn: p for p in Patient.objects.filter(clinic_id=job.clinic_id, mrn__in=mrns)}
    candidates: list[tuple[int, tuple, Observation]] = []
    seen: dict[tuple, int] = {}
    skip = report.skip

    for number, raw in rows:
        if "_problem" in raw:
            skip(number, raw["_problem"])
            continue
        mrn = (raw.get("mrn") or "").strip().upper()
        patient = patients.get(mrn)
        if patient is None:
            skip(number, f"no patient with MRN {mrn[:20]!r} in this clinic" if mrn else "no MRN")
            continue
        code = (raw.get("test") or "").strip()
        test = codes.get(code) or codes.get(code.lower())
        if test is None:
            skip(number, f"unknown test {code[:40]!r}; use a test key or its LOINC code")
            continue
        try:
            checked = observation_check(patient=patient, test=test, value=raw.get("value") or "",
                                        unit=raw.get("unit") or "",
                                        effective_at=_parse_moment(raw.get("date") or "", zone))
        except ValidationError as exc:
            skip(number, "; ".join(exc.messages))
            continue
        except Exception:  # unforeseen content must cost its row, never the rest of the file
            log.exception("result import %s: row %s could not be read", job.pk, number)
            skip(number, UNREADABLE_ROW)
            continue
        key = (patient.pk, test, checked.effective_at, checked.value_canonical)
        if key in seen:
            skip(number, f"duplicate of {'entry' if job.kind == 'fhir' else 'line'} {seen[key]}")
            continue
        seen[key] = number
        candidates.append((number, key, observation_build(actor=actor, patient=patient, checked=checked,
                                               source=job.kind)))
    stored_keys = set()
    if candidates:
        stored_keys = set(Observation.objects.filter(
            clinic_id=job.clinic_id, patient_id__in={k[0] for _, k, _ in candidates}, status=ObservationStatus.FINAL,
            effective_at__in={k[2] for _, k, _ in candidates},
        ).values_list("patient_id", "test", "effective_at", "value_canonical"))
    fresh = []
    for number, key, observation in candidates:
        if key in stored_keys:
            skip(number, "already on the chart")
        else:
            fresh.append(observation)
    with transaction.atomic():
        Observation.objects.bulk_create(fresh)
        by_patient: dict[int, list[Observation]] = defaultdict(list)
        for observation in fresh:
            by_patient[observation.patient_id].append(observation)
        monitoring_due_refresh_many([group[0].patient for group in by_patient.values()])
        for group in by_patient.values():
            audit_record(action="observation.import", actor=actor, patient=group[0].patient,
                         detail={"import": job.pk, "observations": [o.pk for o in group],
                                 "flags": sorted({o.flag for o in group})})
        _progress(job, len(rows), len(fresh), report)
    return len(fresh)


class LeaseLost(Exception):
    """Another worker took the import over (this one was presumed dead); this batch is rolled back."""


def _lease_until():
    return timezone.now() + timedelta(seconds=settings.IMPORT_LEASE_SECONDS)


def _progress(job: ImportJob, processed: int, imported: int, report: Report) -> None:
    """Save a batch's counts with the batch and renew the lease (call inside its transaction), so
    the page shows true progress and a resumed import starts after this batch.

    Raises LeaseLost, rolling the batch back, when the import is no longer this worker's.
    """
    renewed = type(job).objects.filter(clinic_id=job.clinic_id, pk=job.pk, lease_token=job.lease_token,
                                       status=ImportStatus.RUNNING).update(
        processed_rows=F("processed_rows") + processed, imported=F("imported") + imported,
        skipped=report.skipped, problems=report.problems, lease_expires_at=_lease_until())
    if not renewed:
        raise LeaseLost


def _rows(job: ResultImport):
    """Yield (number, row): CSV lines counting the header as line 1, as a spreadsheet shows
    them, or Bundle entries counting from 1."""
    if job.kind == "fhir":
        for number, entry in enumerate(_bundle_entries(job.content), start=1):
            yield number, _fhir_row(entry)
    else:
        yield from enumerate(_reader(job.content), start=2)


def result_import_run(import_id: int) -> str:
    """Import a queued file batch by batch; return the final status.

    The job is claimed with a conditional update, so two workers never import it twice.
    """
    return import_job_run(ResultImport, import_id, _rows, _import_batch)


def _claim(model: type[ImportJob], import_id: int) -> str | None:
    """Take the import's lease if it is queued (or its lease expired); return the lease token."""
    token = secrets.token_hex(16)
    claimable = Q(status=ImportStatus.QUEUED) | Q(status=ImportStatus.RUNNING, lease_expires_at__lt=timezone.now())
    claimed = model.objects.filter(claimable, pk=import_id, attempts__lt=MAX_ATTEMPTS).update(
        status=ImportStatus.RUNNING, lease_token=token, lease_expires_at=_lease_until(),
        attempts=F("attempts") + 1)
    return token if claimed else None


def _finish(model: type[ImportJob], job: ImportJob, status: str, error: str = "") -> None:
    model.objects.filter(clinic_id=job.clinic_id, pk=job.pk, lease_token=job.lease_token).update(
        status=status, error=error[:500], finished_at=timezone.now(), lease_expires_at=None)


def import_job_run(model: type[ImportJob], import_id: int, rows, store_batch) -> str:
    """Claim a queued import and feed its rows to `store_batch` BATCH_SIZE at a time; return the final status.

    A resumed import skips the rows its earlier batches committed. A file that stops being
    valid CSV part-way keeps the batches before the bad line; an unforeseen error stops the
    import with a plain reason (details in the log) and keeps the batches before it.
    """
    token = _claim(model, import_id)
    if token is None:
        return "not queued"
    job = model.objects.select_related("clinic", "uploaded_by").get(pk=import_id)
    zone = ZoneInfo(job.clinic.timezone)
    report = Report(model.REPORT_LIMIT, job.problems, job.skipped)
    already, seen = job.processed_rows, 0
    batch: list[tuple[int, dict]] = []
    last = 1
    try:
        for number, row in rows(job):
            seen += 1
            last = number
            if seen <= already:
                continue
            batch.append((number, row))
            if len(batch) >= BATCH_SIZE:
                store_batch(job, batch, zone, report)
                batch = []
        if batch:
            store_batch(job, batch, zone, report)
    except LeaseLost:
        log.warning("import %s %s: lease taken over by another worker; this worker stops", model.__name__, import_id)
        return "lease lost"
    except csv.Error as exc:
        if batch:
            store_batch(job, batch, zone, report)
        _finish(model, job, ImportStatus.FAILED, f"The file is not valid CSV after line {last}: {csv_problem(exc)}. "
                                                 "The lines before it were imported.")
        return ImportStatus.FAILED
    except Exception:  # the import must end with a reason on its page, never stay "Importing"
        log.exception("import %s %s stopped at row %s", model.__name__, import_id, last)
        _finish(model, job, ImportStatus.FAILED, f"The import stopped at an unexpected error near row {last}; the "
                                                 "rows before it were imported. The error is in the server log.")
        return ImportStatus.FAILED
    _finish(model, job, ImportStatus.DONE)
    return ImportStatus.DONE


def import_jobs_reclaim(now=None) -> dict[str, int]:
    """Queue again every import whose worker stopped renewing its lease, or mark it stopped after
    MAX_ATTEMPTS; return how many were requeued and how many failed. Safe to run anywhere, any time."""
    from dosewise.monitoring.fill_imports import _enqueue as enqueue_fills
    from dosewise.monitoring.models import FillImport

    now = now or timezone.now()
    counts = {"requeued": 0, "failed": 0}
    for model, enqueue in ((ResultImport, _enqueue), (FillImport, enqueue_fills)):
        expired = model.objects.filter(status=ImportStatus.RUNNING, lease_expires_at__lt=now)
        for pk, attempts, processed, token in expired.values_list("pk", "attempts", "processed_rows", "lease_token"):
            still_expired = model.objects.filter(pk=pk, lease_token=token, status=ImportStatus.RUNNING,
                                                 lease_expires_at__lt=now)
            if attempts >= MAX_ATTEMPTS:
                if still_expired.update(status=ImportStatus.FAILED, finished_at=now, lease_expires_at=None, error=(
                        f"The import stopped {attempts} times before finishing (its worker was stopped or ran out "
                        f"of memory) after {processed:,} rows, which were imported. Split the file and import the "
                        "rest.")):
                    counts["failed"] += 1
                    log.warning("import %s %s failed after %s attempts", model.__name__, pk, attempts)
            elif still_expired.update(status=ImportStatus.QUEUED, lease_expires_at=None):
                counts["requeued"] += 1
                log.warning("import %s %s: worker lost after %s rows; queued again", model.__name__, pk, processed)
                transaction.on_commit(lambda pk=pk, enqueue=enqueue: enqueue(pk))
    return counts
