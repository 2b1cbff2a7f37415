"""Writes of monitoring data: each one atomic, validated, and audited in the same transaction."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from dosewise.assessments.models import ScoreSummary, TaskKind
from dosewise.assessments.services import care_task_raise
from dosewise.audit.services import audit_record
from dosewise.clinical.adherence import Fill, low_spans
from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import load_kb
from dosewise.clinical.monitoring import interpret_result
from dosewise.clinical.triage import triage
from dosewise.clinics.clock import clinic_today
from dosewise.clinics.roles import Capability
from dosewise.monitoring.catalogue import ResultTest, result_tests
from dosewise.monitoring.models import (
    MAX_DAYS_SUPPLY,
    AdherenceSpan,
    MonitoringDue,
    Observation,
    ObservationSource,
    ObservationStatus,
    PharmacyFill,
    ReviewPriority,
    Severity,
    SideEffect,
    SideEffectAction,
    SideEffectReporter,
    TriageUrgency,
    WorklistAcknowledgement,
)
from dosewise.monitoring.selectors import (
    ADHERENCE_WORKLIST_DAYS,
    chart_medicines,
    due_monitoring,
    medications_installed,
    patients_with_medicines,
    triage_drugs,
)
from dosewise.patients.models import Patient
from dosewise.patients.selectors import PatientAccess

FOUR_PLACES = Decimal("0.0001")
FUTURE_SLACK = timedelta(minutes=5)
URGENT_ACTIONS = ("urgent", "emergency")


class DuplicateObservation(ValidationError):
    """The same result (test, time and value) is already on the chart."""


def _require(actor, *capabilities: str) -> None:
    for capability in capabilities:
        if not actor.can(capability):
            raise PermissionDenied(f"{actor.get_role_display() if actor.role else 'this account'} may not {capability}")


def _parse_value(raw) -> Decimal:
    try:
        number = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip().replace(",", "."))
        if not number.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        raise ValidationError({"value": f"Enter the result as a number, not {str(raw)[:30]!r}."}) from None
    if number < 0:
        raise ValidationError({"value": "A result cannot be negative; check the value."})
    return number


def review_priority(flag: str, action: str) -> int | None:
    """Return where an interpreted result goes on the worklist (None: nothing to review)."""
    if flag == "critical":
        return ReviewPriority.CRITICAL
    if flag == "normal":
        return None
    if action.lower().startswith(URGENT_ACTIONS):
        return ReviewPriority.URGENT
    return ReviewPriority.ABNORMAL


@dataclass(frozen=True)
class CheckedResult:
    """A result that passed every check, ready to store."""

    test: ResultTest
    value: Decimal
    unit: str
    value_canonical: Decimal
    effective_at: datetime
    flag: str
    band: str
    action: str
    reference: str = ""


def observation_check(*, patient: Patient, test: str, value, unit: str, effective_at: datetime) -> CheckedResult:
    """Return the result converted and interpreted, or raise ValidationError saying what to correct."""
    spec = result_tests().get(test)
    if spec is None:
        raise ValidationError({"test": f"Unknown test {test!r}; choose one of: {', '.join(result_tests())}."})
    number = _parse_value(value)
    unit = (unit or "").strip()
    ucum = spec.aliases.get(unit, unit)
    if ucum not in spec.units:
        raise ValidationError({"unit": f"{unit or 'No unit'} is not a unit for {spec.name}; use one of: "
                                       f"{', '.join(spec.units)}."})
    if timezone.is_naive(effective_at):
        effective_at = timezone.make_aware(effective_at)
    if effective_at > timezone.now() + FUTURE_SLACK:
        raise ValidationError({"effective_at": "The result is dated in the future; check the date and time."})
    if effective_at.date() < patient.date_of_birth:
        raise ValidationError({"effective_at": "The result is dated before the patient's birth; check the year."})
    try:
        found = interpret_result(test, float(number), ucum, sex=patient.sex_at_birth)
    except ClinicalInputError as exc:
        raise ValidationError({"value": str(exc)}) from None
    low, high = spec.possible
    if not (low <= found.value <= high):
        raise ValidationError({"value": (
            f"{number.normalize():f} {ucum} ({found.value:g} {found.unit}) is not a possible {spec.name}: "
            f"possible results lie between {low:g} and {high:g} {found.unit}. Check the value and the unit.")})
    return CheckedResult(test=spec, value=number.quantize(FOUR_PLACES), unit=ucum,
                         value_canonical=Decimal(repr(round(found.value, 4))).quantize(FOUR_PLACES),
                         effective_at=effective_at, flag=found.flag, band=found.band, action=found.action,
                         reference=found.reference)


def _is_duplicate(patient: Patient, checked: CheckedResult) -> bool:
    return Observation.objects.filter(clinic_id=patient.clinic_id,
                                      patient=patient, test=checked.test.key, effective_at=checked.effective_at,
                                      value_canonical=checked.value_canonical,
                                      status=ObservationStatus.FINAL).exists()


def observation_build(*, actor, patient: Patient, checked: CheckedResult, source: str) -> Observation:
    return Observation(
        clinic_id=patient.clinic_id, patient=patient, test=checked.test.key, code=checked.test.loinc,
        value=checked.value, unit=checked.unit, value_canonical=checked.value_canonical,
        unit_canonical=checked.test.unit, effective_at=checked.effective_at, source=source, flag=checked.flag,
        band=checked.band, action=checked.action[:500], reference_range=checked.reference[:120], kb_version=load_kb().version,
        review_priority=review_priority(checked.flag, checked.action), recorded_by=actor,
    )


def monitoring_due_refresh(patient: Patient) -> None:
    """Rewrite the patient's due dates from the current medicines and latest results.

    Call inside the transaction that changed either; an acknowledgement stays while the
    due date it was given for is unchanged.
    """
    if not medications_installed():
        return
    due = {d.test: d for d in due_monitoring(patient, clinic_today(patient.clinic))}
    current = {row.test: row for row in MonitoringDue.objects.filter(clinic_id=patient.clinic_id,
                                                                     patient=patient)}
    stale = [row.pk for test, row in current.items() if test not in due]
    if stale:
        MonitoringDue.objects.filter(pk__in=stale).delete()
    fresh = []
    for test, item in due.items():
        row = current.get(test)
        if row is None:
            fresh.append(MonitoringDue(clinic_id=patient.clinic_id, patient=patient, test=test,
                                       due_date=item.due_date, reason=item.reason[:500]))
        elif row.due_date != item.due_date or row.reason != item.reason[:500]:
            row.due_date, row.reason = item.due_date, item.reason[:500]
            row.acknowledged_at, row.acknowledged_by, row.acknowledgement_note = None, None, ""
            row.save(update_fields=["due_date", "reason", "acknowledged_at", "acknowledged_by",
                                    "acknowledgement_note"])
    MonitoringDue.objects.bulk_create(fresh)


def monitoring_due_refresh_many(patients: list[Patient]) -> None:
    """Rewrite the due dates of several patients (an import batch): only those taking a
    medicine need the plan; the others lose any stale rows in one statement."""
    if not medications_installed():
        return
    if not patients:
        return
    clinic_id = patients[0].clinic_id  # an import batch is one clinic's
    treated = patients_with_medicines(clinic_id, [p.pk for p in patients])
    MonitoringDue.objects.filter(clinic_id=clinic_id,
                                 patient_id__in=[p.pk for p in patients if p.pk not in treated]).delete()
    for patient in patients:
        if patient.pk in treated:
            monitoring_due_refresh(patient)


def _audit_created(actor, patient: Patient, observation: Observation) -> None:
    audit_record(action="observation.record", actor=actor, patient=patient, obj=observation,
                 detail={"test": observation.test, "flag": observation.flag, "source": observation.source})


def observation_record(*, actor, access: PatientAccess, test: str, value, unit: str, effective_at: datetime,
                       source: str = ObservationSource.MANUAL) -> Observation:
    """Store one result after checking its unit, converting it and placing it in its band.

    Refuses unknown tests and units, impossible values, future dates and a result already on
    the chart (same test, time and value).
    """
    _require(actor, Capability.MONITORING_VIEW, Capability.CLINICAL_EDIT)
    patient = access.patient
    checked = observation_check(patient=patient, test=test, value=value, unit=unit, effective_at=effective_at)
    with transaction.atomic():
        if _is_duplicate(patient, checked):
            raise DuplicateObservation(
                f"This {checked.test.name} of {checked.value.normalize():f} {checked.unit} at "
                f"{timezone.localtime(checked.effective_at):%Y-%m-%d %H:%M} is already on the chart.")
        observation = observation_build(actor=actor, patient=patient, checked=checked, source=source)
        observation.save()
        monitoring_due_refresh(patient)
        _audit_created(actor, patient, observation)
        _overrides_recheck(patient, actor)
    return observation


def _overrides_recheck(patient: Patient, actor) -> None:
    """Resolve the safety overrides a new or withdrawn result no longer supports (see medications.services)."""
    if medications_installed():
        from dosewise.medications.services import overrides_recheck

        overrides_recheck(patient=patient, actor=actor)


def observation_mark_entered_in_error(*, actor, access: PatientAccess, observation_id: int,
                                      reason: str) -> Observation:
    """Withdraw a result entered in error; it stays on file with who, when and why."""
    _require(actor, Capability.MONITORING_VIEW, Capability.CLINICAL_EDIT)
    reason = " ".join(reason.split())
    if len(reason) < 5:
        raise ValidationError({"reason": "Say why this result was entered in error (at least 5 characters)."})
    with transaction.atomic():
        observation = Observation.objects.select_for_update().get(clinic_id=access.patient.clinic_id,
                                                                  pk=observation_id, patient=access.patient,
                                                                  status=ObservationStatus.FINAL)
        observation.status = ObservationStatus.ENTERED_IN_ERROR
        observation.entered_in_error_at, observation.entered_in_error_by = timezone.now(), actor
        observation.entered_in_error_reason = reason[:200]
        observation.review_priority = None
        observation.save(update_fields=["status", "entered_in_error_at", "entered_in_error_by",
                                        "entered_in_error_reason", "review_priority"])
        monitoring_due_refresh(access.patient)
        audit_record(action="observation.entered_in_error", actor=actor, patient=access.patient, obj=observation,
                     detail={"reason": observation.entered_in_error_reason})
        _overrides_recheck(access.patient, actor)
    return observation


def _note(note: str) -> str:
    note = " ".join(note.split())
    if len(note) < 5:
        raise ValidationError({"note": "Write what you did about it (at least 5 characters), e.g. "
                                       "\"Phoned patient, lithium withheld, repeat level tomorrow\"."})
    return note[:500]


def observation_acknowledge(*, actor, access: PatientAccess, observation_id: int, note: str) -> Observation:
    """Take an out-of-range result off the worklist with a note of what was done."""
    _require(actor, Capability.MONITORING_VIEW, Capability.CLINICAL_EDIT)
    note = _note(note)
    with transaction.atomic():
        observation = (Observation.objects.select_for_update(of=("self",)).select_related("acknowledged_by")
                       .get(clinic_id=access.patient.clinic_id, pk=observation_id, patient=access.patient))
        if observation.acknowledged_at is not None:
            raise ValidationError(f"Already acknowledged by {observation.acknowledged_by.full_name}.")
        observation.acknowledged_at, observation.acknowledged_by = timezone.now(), actor
        observation.acknowledgement_note, observation.review_priority = note, None
        observation.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note",
                                        "review_priority"])
        audit_record(action="observation.acknowledge", actor=actor, patient=access.patient, obj=observation,
                     detail={"note": note})
    return observation


def due_acknowledge(*, actor, access: PatientAccess, due_id: int, note: str) -> MonitoringDue:
    """Take an overdue check off the worklist (e.g. ordered, or not needed) until its due date changes."""
    _require(actor, Capability.MONITORING_VIEW, Capability.CLINICAL_EDIT)
    note = _note(note)
    with transaction.atomic():
        due = MonitoringDue.objects.select_for_update(of=("self",)).select_related("acknowledged_by").get(clinic_id=access.patient.clinic_id,
            pk=due_id, patient=access.patient)
        if due.acknowledged_at is not None:
            raise ValidationError(f"Already acknowledged by {due.acknowledged_by.full_name}.")
        due.acknowledged_at, due.acknowledged_by, due.acknowledgement_note = timezone.now(), actor, note
        due.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"])
        audit_record(action="worklist.acknowledge", actor=actor, patient=access.patient, obj=due,
                     detail={"kind": "overdue", "test": due.test, "note": note})
    return due


def not_improving_acknowledge(*, actor, access: PatientAccess, summary_id: int, note: str) -> WorklistAcknowledgement:
    """Take a "not improving" item off the worklist until the next score."""
    _require(actor, Capability.MONITORING_VIEW, Capability.CLINICAL_EDIT)
    note = _note(note)
    with transaction.atomic():
        summary = ScoreSummary.objects.get(clinic_id=access.patient.clinic_id,
                                           pk=summary_id, patient=access.patient, not_improving=True)
        acknowledgement, created = WorklistAcknowledgement.objects.get_or_create(
            kind="not-improving", object_id=summary.pk, version=summary.latest_at,
            defaults={"clinic_id": summary.clinic_id, "patient": access.patient, "note": note,
                      "acknowledged_by": actor})
        if not created:
            raise ValidationError(f"Already acknowledged by {acknowledgement.acknowledged_by.full_name}.")
        audit_record(action="worklist.acknowledge", actor=actor, patient=access.patient, obj=acknowledgement,
                     detail={"kind": "not-improving", "questionnaire": summary.questionnaire, "note": note})
    return acknowledgement


# ---------------------------------------------------------------------------------------
# Side effects and pharmacy fills


def _patient_medicines(patient: Patient, ids) -> list:
    from dosewise.medications.models import Medication

    wanted = {int(i) for i in ids}
    found = list(Medication.objects.filter(clinic_id=patient.clinic_id, patient=patient, pk__in=wanted))
    if len(found) != len(wanted):
        raise ValidationError({"suspected": "Choose medicines from this patient's medication list."})
    return found


def _not_future(day: date, patient: Patient, field: str) -> None:
    if day > clinic_today(patient.clinic):
        raise ValidationError({field: f"{day.isoformat()} is in the future; enter the date it happened."})


def side_effect_record(*, actor, access: PatientAccess, code: str, effect: str = "", suspected=(),
                       severity: str, burden: int, action: str = SideEffectAction.NONE, noted_on: date,
                       reporter: str = SideEffectReporter.CLINICIAN) -> SideEffect:
    """Record a side effect attributed to suspected medicines; a heavy one goes on the worklist."""
    _require(actor, Capability.MONITORING_VIEW, Capability.CLINICAL_EDIT)
    patient = access.patient
    effect = " ".join(effect.split())
    if code == "other" and not effect:
        raise ValidationError({"effect": "Describe the side effect when it is not one of the listed ones."})
    if severity not in Severity.values:
        raise ValidationError({"severity": f"Severity must be one of: {', '.join(Severity.values)}."})
    if action not in SideEffectAction.values:
        raise ValidationError({"action": f"Action must be one of: {', '.join(SideEffectAction.values)}."})
    if not 0 <= int(burden) <= 10:
        raise ValidationError({"burden": f"Burden on daily life is 0 (none) to 10 (unbearable), got {burden}."})
    _not_future(noted_on, patient, "noted_on")
    with transaction.atomic():
        medicines = _patient_medicines(patient, suspected)
        item = SideEffect.objects.create(
            clinic_id=patient.clinic_id, patient=patient, code=code, effect=effect[:300], severity=severity,
            burden=int(burden), action=action, noted_on=noted_on, reporter=reporter, recorded_by=actor,
            heavy=severity == Severity.SEVERE or int(burden) >= SideEffect.HEAVY_BURDEN)
        item.suspected.set(medicines)
        _side_effect_triage(item)
        audit_record(action="side_effect.record", actor=actor, patient=patient, obj=item,
                     detail={"code": code, "severity": severity, "burden": item.burden, "action": action,
                             "suspected": sorted(m.pk for m in medicines), "urgency": item.urgency,
                             "care_task": item.care_task_id})
    return item


def side_effect_acknowledge(*, actor, access: PatientAccess, side_effect_id: int, note: str) -> SideEffect:
    """Take a heavy side effect off the worklist with a note of what was done."""
    _require(actor, Capability.MONITORING_VIEW, Capability.CLINICAL_EDIT)
    note = _note(note)
    with transaction.atomic():
        item = (SideEffect.objects.select_for_update(of=("self",)).select_related("acknowledged_by")
                .get(clinic_id=access.patient.clinic_id, pk=side_effect_id, patient=access.patient))
        if item.acknowledged_at is not None:
            raise ValidationError(f"Already acknowledged by {item.acknowledged_by.full_name}.")
        item.acknowledged_at, item.acknowledged_by, item.acknowledgement_note = timezone.now(), actor, note
        item.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"])
        audit_record(action="worklist.acknowledge", actor=actor, patient=access.patient, obj=item,
                     detail={"kind": "side-effect", "note": note})
    return item


def pharmacy_fill_record(*, actor, access: PatientAccess, medication_id: int, filled_on: date,
                         days_supply: int) -> PharmacyFill:
    """Record one pharmacy fill of a medicine on the patient's list."""
    _require(actor, Capability.MONITORING_VIEW, Capability.CLINICAL_EDIT)
    patient = access.patient
    if not 1 <= int(days_supply) <= MAX_DAYS_SUPPLY:
        raise ValidationError({"days_supply": f"Days' supply is 1 to {MAX_DAYS_SUPPLY}, got {days_supply}."})
    _not_future(filled_on, patient, "filled_on")
    with transaction.atomic():
        (medicine,) = _patient_medicines(patient, [medication_id])
        if PharmacyFill.objects.filter(medication=medicine, filled_on=filled_on).exists():
            raise ValidationError(f"A fill of {medicine.ingredient} on {filled_on.isoformat()} is already recorded.")
        fill = PharmacyFill.objects.create(clinic_id=patient.clinic_id, patient=patient, medication=medicine,
                                           filled_on=filled_on, days_supply=int(days_supply), recorded_by=actor)
        adherence_spans_refresh(patient.clinic, [medicine.pk])
        audit_record(action="pharmacy_fill.record", actor=actor, patient=patient, obj=fill,
                     detail={"medication": medicine.pk, "filled_on": filled_on.isoformat(),
                             "days_supply": fill.days_supply})
    return fill


# Spans start this many days before the clinic's today (or at the newest fill), so a clock set a
# little back (another time zone's day, a test) still finds the runs it is in.
ADHERENCE_SPAN_MARGIN_DAYS = 7
ADHERENCE_SPAN_CHUNK = 500


def adherence_spans_refresh(clinic, medication_ids) -> int:
    """Rewrite the low-adherence spans of these medicines from their fills of the last 455 days;
    return how many spans were written. Call in the transaction that writes the fills (three
    queries)."""
    ids = sorted(set(medication_ids))
    if len(ids) > ADHERENCE_SPAN_CHUNK:  # a population load: keep each IN list short
        return sum(adherence_spans_refresh(clinic, ids[n:n + ADHERENCE_SPAN_CHUNK])
                   for n in range(0, len(ids), ADHERENCE_SPAN_CHUNK))
    if not ids:
        return 0
    # Fills older than a year before the window are left out, as the worklist always did: a fill
    # covers at most 365 days, so only a stockpile of early refills could carry supply from them
    # into the window. Reading a medicine's whole history instead made each batch of an import
    # re-read every fill of the file so far (bench/RESULTS.md, the pharmacy-fill import).
    today = clinic_today(clinic)
    oldest = today - timedelta(days=ADHERENCE_SPAN_MARGIN_DAYS + ADHERENCE_WORKLIST_DAYS + MAX_DAYS_SUPPLY)
    rows = (PharmacyFill.objects.filter(clinic_id=clinic.pk, medication_id__in=ids, filled_on__gte=oldest)
            .values_list(*ADHERENCE_SPAN_FILL_COLUMNS))
    AdherenceSpan.objects.filter(clinic_id=clinic.pk, medication_id__in=ids).delete()
    spans = [AdherenceSpan(clinic_id=clinic.pk, **span)
             for span in adherence_span_rows(rows, since=today)]
    AdherenceSpan.objects.bulk_create(spans)
    return len(spans)


ADHERENCE_SPAN_FILL_COLUMNS = ("medication_id", "patient_id", "filled_on", "days_supply", "created_at", "pk")


def adherence_span_rows(fill_rows, *, since: date) -> list[dict]:
    """Return the low-adherence spans, as field values, of the medicines whose fills are given
    (ADHERENCE_SPAN_FILL_COLUMNS tuples); `since` is the clinic's today (also used by the
    migration that fills the table, so it takes no model)."""
    since = since - timedelta(days=ADHERENCE_SPAN_MARGIN_DAYS)
    by_medication: dict[int, list[tuple]] = defaultdict(list)
    for row in fill_rows:
        by_medication[row[0]].append(row)
    spans = []
    for medication_id, rows in by_medication.items():
        last = max(rows, key=lambda r: (r[4], r[5]))
        fills = [Fill(r[2], r[3]) for r in rows]
        first_day = max(since, max(f.filled_on for f in fills))
        spans += [{"patient_id": last[1], "medication_id": medication_id, "starts_on": starts, "ends_on": ends,
                   "last_fill_id": last[5], "last_fill_at": last[4], "last_filled_on": last[2]}
                  for starts, ends in low_spans(fills, since=first_day, period_days=ADHERENCE_WORKLIST_DAYS)]
    return spans


def low_adherence_acknowledge(*, actor, access: PatientAccess, medication_id: int, note: str
                              ) -> WorklistAcknowledgement:
    """Take a low-adherence item off the worklist until the next fill is recorded."""
    _require(actor, Capability.MONITORING_VIEW, Capability.CLINICAL_EDIT)
    note = _note(note)
    with transaction.atomic():
        latest = (PharmacyFill.objects.filter(clinic_id=access.patient.clinic_id,
                                              patient=access.patient, medication_id=medication_id)
                  .order_by("-created_at").first())
        if latest is None:
            raise PharmacyFill.DoesNotExist
        # The version the worklist compares with is the span's last fill (the newest of the fills
        # it was derived from): a fill recorded now but made over 455 days ago is not among them.
        version = (AdherenceSpan.objects.filter(clinic_id=access.patient.clinic_id,
                                                medication_id=medication_id, patient=access.patient)
                   .order_by("-last_fill_at").values_list("last_fill_at", flat=True).first()) or latest.created_at
        acknowledgement, created = WorklistAcknowledgement.objects.get_or_create(
            kind="low-adherence", object_id=medication_id, version=version,
            defaults={"clinic_id": access.patient.clinic_id, "patient": access.patient, "note": note,
                      "acknowledged_by": actor})
        if not created:
            raise ValidationError(f"Already acknowledged by {acknowledgement.acknowledged_by.full_name}.")
        audit_record(action="worklist.acknowledge", actor=actor, patient=access.patient, obj=acknowledgement,
                     detail={"kind": "low-adherence", "medication": medication_id, "note": note})
    return acknowledgement


def side_effect_report_from_patient(*, actor, patient: Patient, code: str, effect: str = "", suspected=(),
                                    severity: str, burden: int, noted_on: date) -> SideEffect:
    """Record a side effect the patient reported themself; it joins the chart's list and, when
    heavy, the worklist, exactly like one a clinician recorded.

    The caller has established that `actor` is the patient's own portal account
    (`dosewise.portal.selectors.portal_access`); staff record through `side_effect_record`.
    """
    from dosewise.clinics.roles import Role
    from dosewise.monitoring.models import SIDE_EFFECT_CODES

    if actor.role != Role.PATIENT:
        raise PermissionDenied("Staff record side effects from the chart.")
    effect = " ".join(effect.split())
    errors = {}
    if code not in dict(SIDE_EFFECT_CODES):
        errors["code"] = "Choose the side effect from the list."
    elif code == "other" and not effect:
        errors["effect"] = "Describe the side effect in a few words when it is not on the list."
    if severity not in Severity.values:
        errors["severity"] = "Choose how bad it is: mild, moderate or severe."
    try:
        burden = int(burden)
    except (TypeError, ValueError):
        burden = -1
    if not 0 <= burden <= 10:
        errors["burden"] = "Choose a number from 0 (no effect on your day) to 10 (unbearable)."
    if errors:
        raise ValidationError(errors)
    _not_future(noted_on, patient, "noted_on")
    with transaction.atomic():
        medicines = _patient_medicines(patient, suspected)
        item = SideEffect.objects.create(
            clinic_id=patient.clinic_id, patient=patient, code=code, effect=effect[:300], severity=severity,
            burden=burden, action=SideEffectAction.NONE, noted_on=noted_on, reporter=SideEffectReporter.PATIENT,
            recorded_by=actor, heavy=severity == Severity.SEVERE or burden >= SideEffect.HEAVY_BURDEN)
        item.suspected.set(medicines)
        _side_effect_triage(item)
        audit_record(action="side_effect.record", actor=actor, patient=patient, obj=item,
                     detail={"code": code, "severity": severity, "burden": burden, "reporter": "patient",
                             "suspected": sorted(m.pk for m in medicines), "urgency": item.urgency,
                             "care_task": item.care_task_id})
    return item


TASK_URGENCIES = (TriageUrgency.EMERGENCY, TriageUrgency.URGENT)


def side_effect_text(code: str, label: str, effect: str) -> str:
    """Return what the triage reads: the listed effect's name and the reporter's own words."""
    return ". ".join(part for part in (label if code != "other" else "", effect) if part)


def _side_effect_triage(item: SideEffect) -> None:
    """Triage the report against every current medicine's danger signs; raise an urgent task when needed.

    All current medicines are checked, not only the suspected ones: a rash matters on
    lamotrigine whether or not the patient thought of it.
    """
    patient = item.patient
    result = triage(triage_drugs(chart_medicines(patient)), side_effect_text(item.code, item.get_code_display(),
                                                                            item.effect),
                    item.severity, clinic_phone=patient.clinic.phone or None)
    item.urgency = result.urgency
    item.patient_advice, item.clinician_advice = result.patient_advice, result.clinician_advice
    item.triage = {"matches": [m.to_dict() for m in result.matches], "sources": list(result.sources),
                   "patient_steps": list(result.patient_steps),
                   "symptoms": list(result.symptoms), "drugs": list(result.drugs), "kb_version": result.kb_version}
    if result.urgency in TASK_URGENCIES:
        first = result.matches[0]
        on = f" on {', '.join(first.drugs)}" if first.drugs else ""
        what = item.effect or item.get_code_display()
        item.care_task = care_task_raise(
            patient=patient, kind=TaskKind.URGENT_SIDE_EFFECT, now=timezone.now(),
            message=f"{result.urgency.capitalize()} side effect ({item.get_reporter_display().lower()}): {what}; "
                    f"possible {first.name}{on}.",
            body_template="assessments/email/urgent_side_effect.txt")
    item.save(update_fields=["urgency", "patient_advice", "clinician_advice", "triage", "care_task"])


def merge_clear_due(keep: Patient, other: Patient) -> None:
    """Drop the duplicate's due dates before its records move (patients.merging); rebuilt after."""
    MonitoringDue.objects.filter(clinic_id=other.clinic_id, patient=other).delete()


def merge_rebuild_due(keep: Patient) -> None:
    """Rebuild the kept record's due dates from all its medicines and results."""
    monitoring_due_refresh(keep)
