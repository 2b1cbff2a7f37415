"""A synthetic clinic population at scale, for load tests and for sizing a deployment.

`population_load()` adds patients to a clinic with years of history: medicines started,
changed and stopped, pharmacy fills whose gaps follow each patient's adherence, laboratory
and vital-sign results (most in range, a few out, interpreted by the knowledge base), and
PHQ-9 / GAD-7 answers whose totals improve for most patients and not for some. Every row is
written with bulk inserts in batches; one audit event records the load. Every person is
invented; the value ranges below only make the synthetic data look like a clinic's, and every
flag, band and suggested action comes from the knowledge base (`interpret_result`).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import transaction

from dosewise.accounts.models import User
from dosewise.assessments.models import QuestionnaireResponse, ResponseSource, ScoreSummary
from dosewise.assessments.services import judge_outcomes
from dosewise.audit.services import audit_record
from dosewise.clinical import outcomes
from dosewise.clinical.instruments import load_instruments, score
from dosewise.clinical.monitoring import interpret_result
from dosewise.clinics.clock import clinic_today, local_date
from dosewise.clinics.models import Clinic
from dosewise.clinics.roles import Role
from dosewise.demo import generate_patients
from dosewise.medications.models import DoseChange, DoseChangeKind, Medication, MedicationStatus, StopReason
from dosewise.monitoring.catalogue import result_tests
from dosewise.monitoring.models import Observation, ObservationSource, PharmacyFill
from dosewise.monitoring.services import adherence_spans_refresh, review_priority
from dosewise.patients.models import Patient

# (ingredient, doses in mg/day a clinic might use, the result tests followed on it beyond the visit's
# vital signs, share of patients)
REGIMENS = (
    ("sertraline", (50, 100, 150), (), 0.22),
    ("escitalopram", (10, 20), (), 0.18),
    ("bupropion", (150, 300), (), 0.10),
    ("lithium", (600, 900, 1200), ("lithium-level", "creatinine", "egfr", "tsh-level", "calcium-level"), 0.10),
    ("quetiapine", (100, 200, 300, 400), ("fasting-glucose", "cholesterol", "triglycerides"), 0.12),
    ("aripiprazole", (5, 10, 15), ("fasting-glucose", "cholesterol"), 0.10),
    ("lamotrigine", (100, 200), (), 0.08),
    ("valproate", (750, 1000, 1500), ("valproate-level", "alt", "platelets"), 0.06),
    ("carbamazepine", (400, 600, 800), ("carbamazepine-level", "sodium", "alt"), 0.04),
)
# The usual spread of each test in this synthetic population (canonical unit), and a value
# outside it for the few results that are not.
VALUES = {
    "weight": ((55, 110), (125, 140)), "systolic-bp": ((100, 119), (142, 165)),
    "diastolic-bp": ((62, 79), (92, 102)), "lithium-level": ((0.6, 1.0), (1.3, 1.8)),
    "creatinine": ((0.6, 1.1), (1.6, 2.2)), "egfr": ((70, 110), (35, 50)), "tsh-level": ((0.6, 3.8), (6.5, 11)),
    "calcium-level": ((8.7, 10.1), (10.9, 11.6)), "fasting-glucose": ((75, 99), (127, 160)),
    "cholesterol": ((150, 199), (245, 290)), "triglycerides": ((70, 149), (210, 320)),
    "valproate-level": ((55, 95), (125, 150)), "alt": ((8, 30), (95, 160)), "platelets": ((170, 380), (85, 120)),
    "carbamazepine-level": ((5, 11), (13, 16)), "sodium": ((136, 144), (127, 131)),
    "heart-rate": ((58, 92), (105, 120)),
}
VISIT_VITALS = ("weight", "systolic-bp", "diastolic-bp", "heart-rate")
OUT_OF_RANGE = 0.03  # share of results drawn outside the usual spread
RESULTS_AWAITING_DAYS = 21  # older out-of-range results were reviewed and acknowledged already
INSTRUMENTS = {"sertraline": "phq9", "escitalopram": "phq9", "bupropion": "phq9", "quetiapine": "phq9",
               "aripiprazole": "phq9", "lithium": "phq9", "lamotrigine": "phq9", "valproate": "gad7",
               "carbamazepine": "gad7"}
BATCH = 5000


@dataclass
class PopulationCounts:
    patients: int = 0
    medications: int = 0
    dose_changes: int = 0
    fills: int = 0
    observations: int = 0
    responses: int = 0
    summaries: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def medication_events(self) -> int:
        return self.dose_changes + self.fills


class _Writer:
    """Collect rows per model and insert them in batches of BATCH."""

    def __init__(self, counts: PopulationCounts):
        self.rows: dict[type, list] = {}
        self.counts = counts

    def add(self, row) -> None:
        rows = self.rows.setdefault(type(row), [])
        rows.append(row)
        if len(rows) >= BATCH:
            self.flush(type(row))

    def flush(self, model=None) -> None:
        for kind in [model] if model else list(self.rows):
            rows = self.rows.get(kind) or []
            if rows:
                started = time.perf_counter()
                kind.objects.bulk_create(rows, batch_size=BATCH)
                self.counts.seconds[kind.__name__] = (self.counts.seconds.get(kind.__name__, 0)
                                                      + time.perf_counter() - started)
            self.rows[kind] = []


@contextmanager
def _historic_timestamps():
    """Let the dose history keep the dates it is given (the field is stamped on insert otherwise)."""
    changed_at = DoseChange._meta.get_field("changed_at")
    changed_at.auto_now_add = False
    try:
        yield
    finally:
        changed_at.auto_now_add = True


def _staff(clinic: Clinic) -> dict:
    staff = {}
    for user in User.objects.filter(clinic=clinic, is_active=True).order_by("pk"):
        staff.setdefault(user.role, user)
    if Role.PRESCRIBER not in staff:
        raise ValueError(f"clinic {clinic.slug!r} has no prescriber to own the synthetic histories; add one first")
    return staff


def population_load(clinic: Clinic, *, patients: int, years: int, seed: int = 16,
                    progress: Callable[[str], None] | None = None) -> PopulationCounts:
    """Add `patients` synthetic patients with `years` of history to the clinic; return the row counts."""
    if patients < 1 or not 1 <= years <= 20:
        raise ValueError("patients must be at least 1 and years between 1 and 20")
    counts = PopulationCounts()
    staff = _staff(clinic)
    rng = random.Random(seed)
    today = clinic_today(clinic)
    started = time.perf_counter()
    batch = 2000
    done = 0
    while done < patients:
        n = min(batch, patients - done)
        with transaction.atomic(), _historic_timestamps():
            first_mrn_number = Clinic.objects.get(pk=clinic.pk).mrn_next
            generate_patients(clinic, n, seed=seed * 100003 + done, staff=staff, batch_size=n)
            clinic.refresh_from_db()
            made = list(Patient.objects.filter(clinic=clinic, mrn__gte=f"{clinic.mrn_prefix}{first_mrn_number:06d}")
                        .order_by("pk"))[:n]
            writer = _Writer(counts)
            _histories(rng, clinic, made, staff, today, years, writer)
            writer.flush()
            adherence_spans_refresh(clinic, PharmacyFill.objects.filter(patient__in=made)
                                    .values_list("medication_id", flat=True).distinct())
        done += n
        counts.patients += n
        if progress:
            progress(f"{done} patients, {counts.observations} results, {counts.medication_events} medication events "
                     f"({time.perf_counter() - started:.0f} s)")
    audit_record(action="population.load", actor=None, clinic=clinic,
                 detail={"patients": counts.patients, "years": years, "observations": counts.observations,
                         "medication_events": counts.medication_events, "responses": counts.responses})
    counts.seconds["total"] = time.perf_counter() - started
    return counts


def _histories(rng, clinic, patients, staff, today, years, writer: _Writer) -> None:
    prescriber = staff[Role.PRESCRIBER]
    nurse = staff.get(Role.NURSE, prescriber)
    first_day = today - timedelta(days=365 * years)
    medications: list[tuple[Patient, Medication, list, float]] = []
    for patient in patients:
        taken = rng.choices(REGIMENS, weights=[r[3] for r in REGIMENS], k=rng.choice((1, 1, 1, 2, 2, 3)))
        adherence = min(1.0, max(0.3, rng.gauss(0.88, 0.14)))  # share of doses taken, most patients high
        for ingredient, doses, tests, _share in {r[0]: r for r in taken}.values():
            start = first_day + timedelta(days=rng.randint(0, max(1, (today - first_day).days - 30)))
            stopped = rng.random() < 0.25 and (today - start).days > 120
            stop = start + timedelta(days=rng.randint(90, (today - start).days)) if stopped else None
            dose = doses[0]
            medication = Medication(
                clinic=clinic, patient=patient, ingredient=ingredient, dose_mg_per_day=Decimal(dose),
                frequency="once daily", route="oral", prescriber=prescriber, start_date=start, stop_date=stop,
                status=MedicationStatus.DISCONTINUED if stop else MedicationStatus.ACTIVE,
                status_reason=rng.choice((StopReason.INEFFECTIVE, StopReason.SIDE_EFFECTS)) if stop else "",
                created_by=prescriber, days_supply=90)
            medications.append((patient, medication, [start, stop, doses, tests], adherence))
    Medication.objects.bulk_create([m for _, m, _, _ in medications], batch_size=BATCH)
    writer.counts.medications += len(medications)
    tests = result_tests()
    interpreted: dict[tuple[str, str], tuple] = {}
    for patient, medication, (start, stop, doses, followed), adherence in medications:
        end = stop or today
        _dose_history(rng, clinic, patient, medication, start, stop, doses, prescriber, writer)
        _fills(rng, clinic, patient, medication, start, end, adherence, nurse, writer)
        _results(rng, clinic, patient, followed, start, end, today, prescriber, tests, interpreted, writer)
    first_start: dict[int, date] = {}
    for patient, _medication, (start, *_rest), _adherence in medications:
        first_start[patient.pk] = min(first_start.get(patient.pk, start), start)
    by_pk = {p.pk: p for p in patients}
    for patient_pk, start in first_start.items():  # vital signs at the clinic visits, every 7 to 11 weeks
        _results(rng, clinic, by_pk[patient_pk], VISIT_VITALS, start, today, today, nurse, tests, interpreted, writer,
                 every=(49, 77))
    seen_instruments: dict[int, set[str]] = {}
    for patient, medication, (start, stop, _doses, _tests), adherence in medications:
        instrument = INSTRUMENTS[medication.ingredient]
        if instrument in seen_instruments.setdefault(patient.pk, set()):
            continue
        seen_instruments[patient.pk].add(instrument)
        _scores(rng, clinic, patient, instrument, start, stop or today, adherence, writer)


def _dose_history(rng, clinic, patient, medication, start, stop, doses, prescriber, writer) -> None:
    at = datetime.combine(start, datetime.min.time(), tzinfo=UTC) + timedelta(hours=15)
    writer.add(DoseChange(clinic=clinic, patient=patient, medication=medication, kind=DoseChangeKind.START,
                          new_dose_mg_per_day=medication.dose_mg_per_day, new_frequency="once daily",
                          changed_at=at, effective_date=start, changed_by=prescriber))
    dose = doses[0]
    day = start
    end = stop or clinic_today(clinic)
    while True:
        day += timedelta(days=rng.randint(45, 330))
        if day >= end:
            break
        step = doses[min(len(doses) - 1, doses.index(dose) + 1)] if rng.random() < 0.7 else doses[0]
        if step == dose:
            continue
        writer.add(DoseChange(clinic=clinic, patient=patient, medication=medication, kind=DoseChangeKind.DOSE,
                              old_dose_mg_per_day=Decimal(dose), new_dose_mg_per_day=Decimal(step),
                              old_frequency="once daily", new_frequency="once daily", reason="clinical response",
                              changed_at=datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=15),
                              effective_date=day, changed_by=prescriber))
        dose = step
        writer.counts.dose_changes += 1
    if stop:
        writer.add(DoseChange(clinic=clinic, patient=patient, medication=medication, kind=DoseChangeKind.DISCONTINUE,
                              old_dose_mg_per_day=Decimal(dose), reason="stopped",
                              changed_at=datetime.combine(stop, datetime.min.time(), tzinfo=UTC) + timedelta(hours=15),
                              effective_date=stop, changed_by=prescriber))
        writer.counts.dose_changes += 1
    writer.counts.dose_changes += 1
    if dose != doses[0]:
        medication.dose_mg_per_day = Decimal(dose)


def _fills(rng, clinic, patient, medication, start, end, adherence, recorder, writer) -> None:
    """90-day fills; a patient taking a share `adherence` of the doses comes back that much later."""
    day = start
    while day < end:
        writer.add(PharmacyFill(clinic=clinic, patient=patient, medication=medication, filled_on=day,
                                days_supply=90, source="import", quantity=Decimal(90), pharmacy="Synthetic Pharmacy",
                                recorded_by=recorder))
        writer.counts.fills += 1
        day += timedelta(days=round(90 / adherence) + rng.randint(-3, 5))


def _results(rng, clinic, patient, followed, start, end, today, recorder, tests, interpreted, writer, *,
             every: tuple[int, int] = (75, 110)) -> None:
    """A draw about every three months while on the medicine (or a visit's vitals), each test of its panel."""
    if not followed:
        return
    awaiting_since = today - timedelta(days=RESULTS_AWAITING_DAYS)
    day = start + timedelta(days=rng.randint(5, 20))
    while day < end:
        at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=rng.randint(13, 20))
        for test in followed:
            (low, high), (out_low, out_high) = VALUES[test]
            raw = rng.uniform(out_low, out_high) if rng.random() < OUT_OF_RANGE else rng.uniform(low, high)
            value = Decimal(f"{raw:.2f}" if raw < 20 else f"{raw:.0f}")
            spec = tests[test]
            key = (test, str(value))
            if key not in interpreted:
                found = interpret_result(test, float(value), spec.unit, sex=patient.sex_at_birth)
                interpreted[key] = (found.flag, found.band, found.action, review_priority(found.flag, found.action))
            flag, band, action, priority = interpreted[key]
            reviewed = priority is not None and day < awaiting_since
            writer.add(Observation(
                clinic=clinic, patient=patient, test=test, code=spec.loinc, value=value, unit=spec.unit,
                value_canonical=value, unit_canonical=spec.unit, effective_at=at, flag=flag, band=band,
                action=action, kb_version="population", review_priority=None if reviewed else priority,
                acknowledged_at=at + timedelta(days=1) if reviewed else None,
                acknowledged_by=recorder if reviewed else None,
                acknowledgement_note="Reviewed at the next visit." if reviewed else "",
                recorded_by=recorder, source=ObservationSource.CSV))
            writer.counts.observations += 1
        day += timedelta(days=rng.randint(*every))


def _answers(rng, items: int, target: int, top: int) -> list[int]:
    """Item answers (0..top each) that add up to `target`, spread over the items."""
    answers = [0] * items
    for _ in range(min(target, items * top)):
        open_items = [i for i in range(items) if answers[i] < top]
        answers[rng.choice(open_items)] += 1
    return answers


def _scores(rng, clinic, patient, key, start, end, adherence, writer) -> None:
    """A questionnaire every four to ten weeks; most patients improve, some do not, a few worsen."""
    instrument = load_instruments()[key]
    top = 3
    items = len(instrument.items)
    baseline = rng.randint(10, 22) if key == "phq9" else rng.randint(8, 18)
    course = rng.choices(("improves", "partial", "flat", "worsens"), weights=(55, 20, 18, 7))[0]
    floor = {"improves": 3, "partial": baseline * 0.6, "flat": baseline, "worsens": baseline + 4}[course]
    rows: list[tuple[datetime, float, str]] = []
    day = start
    n = 0
    while day < end:
        progress = min(1.0, n / 6)
        target = round(baseline + (floor - baseline) * progress * (0.6 + 0.4 * adherence) + rng.randint(-2, 2))
        target = max(0, min(items * top, target))
        # PHQ-9 item 9 (thoughts of self-harm) stays 0 here: a positive answer raises a risk task,
        # which the demo stories create through the service, with its audit trail.
        scored_items = items - 1 if key == "phq9" else items
        answers = _answers(rng, scored_items, min(target, scored_items * top), top) + [0] * (items - scored_items)
        result = score(instrument, answers)
        authored = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=16)
        writer.add(QuestionnaireResponse(
            clinic=clinic, patient=patient, questionnaire=key, questionnaire_version="population", authored=authored,
            source=ResponseSource.REMOTE, answers=answers, code=instrument.loinc_total or "", total=result.total,
            severity=result.severity or "", positive=result.positive, alerts=[], risk=False))
        writer.counts.responses += 1
        rows.append((authored, result.total, result.severity or ""))
        n += 1
        day += timedelta(days=rng.randint(28, 70))
    if not rows:
        return
    (first_at, first, _), (last_at, last, severity) = rows[0], rows[-1]
    judged = judge_outcomes(instrument, [(local_date(clinic, at), total) for at, total, _ in rows])
    writer.add(ScoreSummary(
        clinic=clinic, patient=patient, questionnaire=key, count=len(rows), baseline_total=first, baseline_at=first_at,
        latest_total=last, latest_at=last_at, latest_severity=severity, change=last - first,
        reduction=outcomes.reduction(first, last), response=judged.response, remission=judged.remission,
        reliable_change=judged.reliable_change, not_improving=judged.not_improving))
    writer.counts.summaries += 1
