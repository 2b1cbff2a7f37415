"""Writes of the medication list: each one atomic, permission-checked, safety-checked where
it changes what the patient takes, and audited in the same transaction.

A medicine prescribed here needs `medications.prescribe`; a medicine from another
prescriber, an over-the-counter drug or a supplement is recorded with `medications.record`
(nurses too) and takes part in every later safety check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from dosewise.audit.services import audit_record
from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import load_kb
from dosewise.clinical.names import resolve_drug
from dosewise.clinical.plans import (
    HYPERBOLIC,
    PERCENTAGE,
    Step,
    dose_on,
    pause_schedules,
    plan_switch,
    plan_taper,
    plan_titration,
    slow_taper,
    slow_titration,
)
from dosewise.clinical.safety import SEVERITIES, Finding, RegimenItem, check
from dosewise.clinics.clock import clinic_today
from dosewise.clinics.roles import Capability
from dosewise.lib.text import sentence
from dosewise.medications import selectors
from dosewise.medications.followups import follow_ups_for
from dosewise.medications.models import (
    DosageForm,
    DoseChange,
    DoseChangeKind,
    Medication,
    MedicationPlan,
    MedicationPlanRevision,
    MedicationSource,
    MedicationStatus,
    OverrideReason,
    OverrideResolution,
    PlanFollowUp,
    PlanKind,
    PlanRevisionKind,
    PlanStatus,
    PrescriptionOverride,
    PrescriptionTransmission,
    Problem,
    ProblemStatus,
    StopReason,
)
from dosewise.medications.problems import InvalidIcd10Code, icd10_lookup
from dosewise.medications.transmission import (
    FaxTransmitter,
    PrescriptionTransmitter,
    TransmissionResult,
    prescription_transmitter,
)
from dosewise.patients.selectors import PatientAccess
from dosewise.patients.services import EditConflict

# 21 CFR 1306.12: no refills of schedule II; 21 CFR 1306.22: at most five refills of III-IV.
MAX_REFILLS = {"II": 0, "III": 5, "IV": 5}
MAX_REFILLS_ANY = 11
MAX_PAUSE_DAYS = 180
FAILED_TRANSMISSIONS = ("failed", "refused")
CONFLICT_MESSAGE = ("Someone else changed this medication while you were editing. Your change was not saved; "
                    "it is kept in the form below. Review the current order and save again.")
# A justification is the prescriber's own reasoning, not "ok": enough characters and words to say why.
MIN_JUSTIFICATION_CHARS = 20
MIN_JUSTIFICATION_WORDS = 4
MIN_NOTE_CHARS = 10


def _require_for_source(actor, access: PatientAccess, source: str) -> None:
    capability = Capability.MEDICATIONS_PRESCRIBE if source == MedicationSource.CLINIC else Capability.MEDICATIONS_RECORD
    if not (actor.can(capability) and access.can(capability)):
        what = "prescribe medicines" if source == MedicationSource.CLINIC else "record medicines from elsewhere"
        raise PermissionDenied(f"{actor.get_role_display() if actor.role else 'This account'} may not {what}.")


def _positive_dose(dose, *, required: bool) -> None:
    if dose is None:
        if required:
            raise ValidationError({"dose_mg_per_day": "Enter the total daily dose in mg."})
        return
    if dose <= 0:
        raise ValidationError({"dose_mg_per_day": "The daily dose must be more than 0 mg; to stop a medicine, "
                                                  "discontinue it."})


def justification_problem(text: str) -> str:
    """Return why a written justification is too thin to stand as an override reason ('' when it will do)."""
    cleaned = " ".join(text.split())
    words = set(re.findall(r"[a-z]{2,}", cleaned.lower()))
    if len(cleaned) < MIN_JUSTIFICATION_CHARS or len(words) < MIN_JUSTIFICATION_WORDS:
        return (f"Write the justification in your own words (at least {MIN_JUSTIFICATION_CHARS} characters and "
                f"{MIN_JUSTIFICATION_WORDS} words), e.g. \"level checked yesterday, dose raised by 150 mg only, "
                "repeat level in 5 days\".")
    return ""


def _dose_limits(check: selectors.OrderCheck, confirm_high_dose: bool) -> None:
    """Refuse an impossible dose; ask for the explicit confirmation of a dose above twice the maximum."""
    limit = check.limit
    if limit is None:
        return
    if limit.refused:
        raise ValidationError({"dose_mg_per_day": limit.message})
    if limit.needs_confirmation and not confirm_high_dose:
        raise ValidationError({"confirm_high_dose": limit.message})


def _check_overrides(check: selectors.OrderCheck, reason_code: str, justification: str) -> list[Finding]:
    """Return the findings the reason overrides; refuse a blocking finding without a structured reason and a
    real justification."""
    blocking = check.blocking
    if not blocking:
        return []
    worst = blocking[0]
    errors = {}
    if reason_code not in OverrideReason.values:
        errors["override_reason_code"] = (
            f"{worst.severity.capitalize()}: {worst.summary}. Choose why you override it"
            + (f" ({len(blocking)} findings need a reason)" if len(blocking) > 1 else "") + ", or change the order.")
    problem = justification_problem(justification)
    if problem:
        errors["override_reason"] = problem
    if errors:
        raise ValidationError(errors)
    return blocking


def _store_overrides(*, actor, medication: Medication, findings: list[Finding], reason_code: str, reason: str,
                     confirmed_high_dose: bool = False, dose_change: DoseChange | None = None) -> None:
    for finding in findings:
        row = PrescriptionOverride.objects.create(
            clinic_id=medication.clinic_id, patient_id=medication.patient_id, medication=medication,
            dose_change=dose_change, rule_id=finding.rule_id, severity=finding.severity, kind=finding.kind,
            summary=finding.summary[:500], finding=finding.to_dict(), kb_version=finding.kb_version,
            reason_code=reason_code, reason=" ".join(reason.split())[:500], confirmed_high_dose=confirmed_high_dose,
            created_by=actor)
        audit_record(action="medication.override", actor=actor, patient=medication.patient, obj=row,
                     detail={"medication": medication.pk, "rule_id": finding.rule_id, "severity": finding.severity,
                             "reason_code": reason_code, "confirmed_high_dose": confirmed_high_dose,
                             "kb_version": finding.kb_version})


def overrides_recheck(*, patient, actor=None, findings: list[Finding] | None = None) -> int:
    """Re-check the stored regimen and resolve every active override whose medicine is stopped or whose
    finding no longer fires; return how many were resolved.

    Called in the transaction of every write that can change a finding (a medicine started,
    changed, held, resumed or stopped; a result recorded or withdrawn). `findings` are the
    stored regimen's, when the caller already has them (`selectors.order_recheck`).
    """
    active = list(PrescriptionOverride.objects.filter(clinic_id=patient.clinic_id,
                                                      patient=patient, resolved_at__isnull=True)
                  .select_related("medication"))
    if not active:
        return 0
    stopped = {o.pk for o in active if o.medication.status == MedicationStatus.DISCONTINUED}
    firing = set()
    if len(stopped) < len(active):
        if findings is None:
            findings = selectors.regimen_recheck(patient)
        firing = {(f.rule_id, drug) for f in findings for drug in f.drugs}
    now = timezone.now()
    resolved = 0
    for row in active:
        if row.pk in stopped:
            resolution, note = OverrideResolution.STOPPED, f"{row.medication.ingredient} was stopped"
        elif (row.rule_id, row.medication.ingredient) not in firing:
            resolution, note = OverrideResolution.NO_LONGER_FIRES, "the finding no longer fires on re-check"
        else:
            continue
        row.resolved_at, row.resolution, row.resolution_note = now, resolution, note
        row.save(update_fields=["resolved_at", "resolution", "resolution_note"])
        audit_record(action="medication.override_resolve", actor=actor, patient=patient, obj=row,
                     detail={"resolution": resolution, "rule_id": row.rule_id, "medication": row.medication_id})
        resolved += 1
    return resolved


def _override_note(note: str, ask: str) -> str:
    """Return the note single-spaced, or refuse one too short to say anything."""
    note = " ".join(note.split())
    if len(note) < MIN_NOTE_CHARS:
        raise ValidationError({"note": f"{ask} (at least {MIN_NOTE_CHARS} characters)."})
    return note


def override_resolve(*, actor, access: PatientAccess, override_id: int, note: str) -> PrescriptionOverride:
    """Mark an active override resolved with a note of why (e.g. the combination was stopped elsewhere)."""
    if not (actor.can(Capability.MEDICATIONS_PRESCRIBE) and access.can(Capability.MEDICATIONS_PRESCRIBE)):
        raise PermissionDenied("Only prescribers on the care team resolve safety overrides.")
    note = _override_note(note, "Say why it is resolved")
    with transaction.atomic():
        row = (PrescriptionOverride.objects.select_for_update(of=("self",)).select_related("medication")
               .filter(clinic_id=access.patient.clinic_id, pk=override_id, patient=access.patient).first())
        if row is None:
            raise PrescriptionOverride.DoesNotExist("That override is not on this chart.")
        if row.resolved_at is not None:
            raise ValidationError({"note": f"This override is already resolved ({row.get_resolution_display().lower()})."})
        row.resolved_at, row.resolved_by = timezone.now(), actor
        row.resolution, row.resolution_note = OverrideResolution.CLINICIAN, note[:500]
        row.save(update_fields=["resolved_at", "resolved_by", "resolution", "resolution_note"])
        audit_record(action="medication.override_resolve", actor=actor, patient=access.patient, obj=row,
                     detail={"resolution": row.resolution, "rule_id": row.rule_id, "note": row.resolution_note})
    return row


def override_review(*, actor, override_id: int, note: str) -> PrescriptionOverride:
    """Record a clinic admin's review of one override of their clinic, with a note."""
    if not actor.can(Capability.AUDIT_VIEW):
        raise PermissionDenied("Clinic admins review safety overrides.")
    note = _override_note(note, "Write what the review found")
    with transaction.atomic():
        row = (PrescriptionOverride.objects.select_for_update(of=("self",)).select_related("patient")
               .filter(pk=override_id, clinic_id=actor.clinic_id).first())
        if row is None:
            raise PrescriptionOverride.DoesNotExist("No such override in your clinic.")
        if row.reviewed_at is not None:
            raise ValidationError({"note": "This override is already reviewed."})
        row.reviewed_at, row.reviewed_by, row.review_note = timezone.now(), actor, note[:500]
        row.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
        audit_record(action="medication.override_review", actor=actor, patient=row.patient, obj=row,
                     detail={"rule_id": row.rule_id, "note": row.review_note})
    return row


def _refills_allowed(schedule: str, refills: int) -> None:
    limit = MAX_REFILLS.get(schedule, MAX_REFILLS_ANY)
    if refills <= limit:
        return
    if schedule == "II":
        raise ValidationError({"refills": "Schedule II medicines cannot be refilled (21 CFR 1306.12); set refills "
                                          "to 0 and write a new prescription when needed."})
    if schedule:
        raise ValidationError({"refills": f"Schedule {schedule} medicines allow at most {limit} refills "
                                          "(21 CFR 1306.22)."})
    raise ValidationError({"refills": f"At most {limit} refills; write a new prescription after that."})


def _as_needed_order(dose: Decimal | None, most_per_day: Decimal | None, indication: str, *, required: bool) -> None:
    """Refuse an as-needed order without its dose, its daily maximum or what it is for."""
    errors = {}
    if dose is None or dose <= 0:
        errors["as_needed_dose_mg"] = "Enter the dose taken each time (mg), e.g. 0.5."
    if required and (most_per_day is None or most_per_day <= 0):
        errors["dose_mg_per_day"] = "Enter the most that may be taken in 24 hours (mg); the safety check judges it."
    elif dose is not None and most_per_day is not None and dose > most_per_day:
        errors["dose_mg_per_day"] = (f"The most in 24 hours ({most_per_day.normalize():f} mg) is less than one dose "
                                     f"({dose.normalize():f} mg); correct one of them.")
    if not indication.strip():
        errors["indication"] = "Say what it is taken for as needed (e.g. panic attacks, insomnia)."
    if errors:
        raise ValidationError(errors)


def medication_start(*, actor, access: PatientAccess, drug: str, source: str = MedicationSource.CLINIC,
                     dose_mg_per_day: Decimal | None = None, frequency: str = "", strength_mg: Decimal | None = None,
                     route: str = "", product: str = "", indication: str = "", indication_icd10: str = "",
                     external_prescriber: str = "", quantity: int | None = None, refills: int = 0,
                     days_supply: int | None = None, instructions: str = "", start_date: date | None = None,
                     pdmp_attested: bool = False, override_reason_code: str = "", override_reason: str = "",
                     confirm_high_dose: bool = False, indication_problem_id: int | None = None,
                     dose_form: str = DosageForm.TABLET, as_needed: bool = False,
                     as_needed_dose_mg: Decimal | None = None) -> Medication:
    """Add a medicine to the list: prescribed here, or recorded from elsewhere.

    The safety check runs against the whole regimen in the patient's context, results
    included; a contraindicated or major finding about this drug needs a structured
    `override_reason_code` and a written `override_reason`, stored with the finding and the
    knowledge-base version. A dose above twice the labelled maximum needs `confirm_high_dose`;
    one above ten times it is refused (see `clinical.dose_limits`). `indication_problem_id`
    links an active entry of the patient's problem list, whose code and description fill the
    indication. An as-needed (PRN) order gives the dose taken each time (`as_needed_dose_mg`),
    the most in 24 hours (`dose_mg_per_day`, which the safety check judges) and what it is for.
    """
    if source not in MedicationSource.values:
        raise ValidationError({"source": "Choose where the medicine comes from."})
    _require_for_source(actor, access, source)
    patient = access.patient
    prescribed_here = source == MedicationSource.CLINIC
    if as_needed:
        _as_needed_order(as_needed_dose_mg, dose_mg_per_day, indication or (str(indication_problem_id or "")),
                         required=prescribed_here)
    else:
        as_needed_dose_mg = None
    _positive_dose(dose_mg_per_day, required=prescribed_here)
    problem = None
    if indication_problem_id is not None:
        problem = Problem.objects.filter(clinic_id=patient.clinic_id,
                                         pk=indication_problem_id, patient=patient,
                                         status=ProblemStatus.ACTIVE).first()
        if problem is None:
            raise ValidationError({"indication_problem": "Choose one of the patient's active problems."})
        indication = indication.strip() or problem.description[:200]
        indication_icd10 = problem.code
    elif indication_icd10.strip():
        try:
            indication_icd10 = icd10_lookup(indication_icd10).code
        except InvalidIcd10Code as exc:
            raise ValidationError({"indication_icd10": str(exc)}) from exc
    if dose_form not in DosageForm.values:
        raise ValidationError({"dose_form": "Choose the dosage form (tablet, capsule, oral solution...)."})
    if source == MedicationSource.OTHER_PRESCRIBER and not external_prescriber.strip():
        raise ValidationError({"external_prescriber": "Enter who prescribed it (name and practice)."})
    if not prescribed_here and (refills or pdmp_attested):
        refills, pdmp_attested = 0, False
    with transaction.atomic():
        check = selectors.order_check(patient, drug=drug, dose_mg_per_day=dose_mg_per_day)
        if not check.text:
            raise ValidationError({"drug": "Enter a drug: generic name, brand or synonym."})
        if check.ingredient is None and prescribed_here:
            raise ValidationError({"drug": sentence(check.problem)})
        if check.already_listed is not None:
            raise ValidationError({"drug": (
                f"{check.ingredient.name} is already on the list ({check.already_listed.get_status_display().lower()}"
                f", {check.already_listed.dose_display}); change its dose instead of starting it again.")})
        schedule = check.schedule
        overridden: list[Finding] = []
        _dose_limits(check, confirm_high_dose)
        if prescribed_here:
            if not frequency.strip():
                raise ValidationError({"frequency": "Enter how often it is taken (e.g. once daily)."})
            _refills_allowed(schedule, refills)
            if check.needs_pdmp and not pdmp_attested:
                raise ValidationError({"pdmp_attested": (
                    f"{check.ingredient.name} is a schedule {schedule} controlled substance: check the "
                    "prescription monitoring program and tick the attestation.")})
            overridden = _check_overrides(check, override_reason_code, override_reason)
        ingredient = check.ingredient
        now = timezone.now()
        medication = Medication(
            clinic_id=patient.clinic_id, patient=patient,
            ingredient=ingredient.name if ingredient else check.text[:120],
            rxcui=(ingredient.rxcui or "") if ingredient else "", in_formulary=ingredient is not None,
            product=product.strip(), strength_mg=strength_mg, dose_mg_per_day=dose_mg_per_day, dose_form=dose_form,
            as_needed=as_needed, as_needed_dose_mg=as_needed_dose_mg,
            frequency=frequency.strip(), route=route.strip() or ((ingredient.route or "") if ingredient else ""),
            indication=indication.strip(), indication_icd10=indication_icd10, indication_problem=problem,
            prescriber=actor if prescribed_here else None,
            external_prescriber="" if prescribed_here else external_prescriber.strip(),
            source=source, quantity=quantity, refills=refills, days_supply=days_supply,
            instructions=instructions.strip(), controlled_schedule=schedule,
            pdmp_checked_at=now if pdmp_attested and check.needs_pdmp else None,
            start_date=start_date or clinic_today(patient.clinic), created_by=actor)
        # The foreign keys come from rows already read (the patient, the actor, the checked problem):
        # validating them would cost one query each.
        medication.full_clean(exclude=["clinic", "patient", "prescriber", "created_by", "indication_problem"])
        medication.save()
        change = DoseChange.objects.create(
            clinic_id=patient.clinic_id, patient=patient, medication=medication, kind=DoseChangeKind.START,
            new_dose_mg_per_day=dose_mg_per_day, new_frequency=medication.frequency,
            reason=medication.indication, effective_date=medication.start_date, changed_by=actor)
        audit_record(action="medication.start", actor=actor, patient=patient, obj=medication, detail={
            "ingredient": medication.ingredient, "source": source, "dose_mg_per_day": str(dose_mg_per_day or ""),
            "schedule": schedule, "pdmp_attested": bool(medication.pdmp_checked_at),
            "findings": [f.rule_id for f in check.findings], "kb_version": check.kb_version})
        _store_overrides(actor=actor, medication=medication, findings=overridden, reason_code=override_reason_code,
                         reason=override_reason, confirmed_high_dose=confirm_high_dose, dose_change=change)
        overrides_recheck(patient=patient, actor=actor,
                          findings=selectors.order_recheck(check, effective_date=medication.start_date))
    return medication


def _bump(medication: Medication, expected_version: int, **changes) -> None:
    # The version check and the write are one statement: of two editors, only one wins.
    updated = Medication.objects.filter(pk=medication.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes)
    if updated == 0:
        raise EditConflict(CONFLICT_MESSAGE)


def medication_change_dose(*, actor, access: PatientAccess, medication_id: int, expected_version: int,
                           dose_mg_per_day: Decimal, frequency: str, reason: str, override_reason_code: str = "",
                           override_reason: str = "", confirm_high_dose: bool = False,
                           effective_date: date | None = None) -> Medication:
    """Change the daily dose or frequency; the old values stay in the history.

    Checked like a new order, with the stored dose as the dose before the change (so the
    results judge an increase), the same override and dose-limit rules. `effective_date` is the
    day the new dose started (default: the clinic's today); due monitoring counts from it.
    """
    medication = selectors.medication_get(access, medication_id)
    _require_for_source(actor, access, medication.source)
    if medication.status != MedicationStatus.ACTIVE:
        raise ValidationError({"dose_mg_per_day": f"{medication.ingredient} is "
                                                  f"{medication.get_status_display().lower()}; only an active "
                                                  "medicine's dose can change."})
    _positive_dose(dose_mg_per_day, required=True)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the dose changes (e.g. partial response after 4 weeks)."})
    effective_date = _effective_date(medication, effective_date)
    frequency = frequency.strip() or medication.frequency
    with transaction.atomic():
        overridden: list[Finding] = []
        check = None
        if medication.in_formulary:
            check = selectors.order_check(access.patient, drug=medication.ingredient, dose_mg_per_day=dose_mg_per_day,
                                          exclude_medication_id=medication.pk)
            _dose_limits(check, confirm_high_dose)
            if medication.source == MedicationSource.CLINIC:
                overridden = _check_overrides(check, override_reason_code, override_reason)
        _bump(medication, expected_version, dose_mg_per_day=dose_mg_per_day, frequency=frequency)
        change = DoseChange.objects.create(
            clinic_id=medication.clinic_id, patient_id=medication.patient_id, medication=medication,
            kind=DoseChangeKind.DOSE, old_dose_mg_per_day=medication.dose_mg_per_day,
            new_dose_mg_per_day=dose_mg_per_day, old_frequency=medication.frequency, new_frequency=frequency,
            reason=reason.strip()[:300], effective_date=effective_date, changed_by=actor)
        audit_record(action="medication.dose_change", actor=actor, patient=access.patient, obj=medication, detail={
            "old": str(medication.dose_mg_per_day or ""), "new": str(dose_mg_per_day),
            "effective_date": effective_date.isoformat(),
            "findings": [f.rule_id for f in check.findings] if check else [],
            "kb_version": check.kb_version if check else ""})
        _store_overrides(actor=actor, medication=medication, findings=overridden, reason_code=override_reason_code,
                         reason=override_reason, confirmed_high_dose=confirm_high_dose, dose_change=change)
        overrides_recheck(patient=access.patient, actor=actor,
                          findings=selectors.order_recheck(check, effective_date=effective_date) if check else None)
    medication.refresh_from_db()
    return medication


def _effective_date(medication: Medication, day: date | None) -> date:
    """Return the day a change took effect: given by the clinician, not before the start nor after today."""
    today = clinic_today(medication.clinic)
    if day is None:
        return today
    if day > today:
        raise ValidationError({"effective_date": f"{day:%Y-%m-%d} is in the future; enter the day the change "
                                                 "took effect (today or earlier)."})
    if day < medication.start_date:
        raise ValidationError({"effective_date": f"{medication.ingredient} was started on "
                                                 f"{medication.start_date:%Y-%m-%d}; a change cannot take "
                                                 "effect before that."})
    return day


def _status_change(*, actor, access: PatientAccess, medication_id: int, expected_version: int, allowed_from: tuple,
                   kind: str, status: str, reason: str, note: str, action: str,
                   effective_date: date | None = None) -> Medication:
    medication = selectors.medication_get(access, medication_id)
    _require_for_source(actor, access, medication.source)
    effective_date = _effective_date(medication, effective_date)
    if medication.status not in allowed_from:
        raise ValidationError({"action": f"{medication.ingredient} is {medication.get_status_display().lower()}; "
                                         f"it cannot be {DoseChangeKind(kind).label.lower()}."})
    with transaction.atomic():
        changes = {"status": status, "status_reason": reason, "status_note": note.strip()[:300]}
        if status == MedicationStatus.DISCONTINUED:
            changes["stop_date"] = effective_date
        _bump(medication, expected_version, **changes)
        why = ": ".join(filter(None, [StopReason(reason).label if reason else "", note.strip()]))
        DoseChange.objects.create(
            clinic_id=medication.clinic_id, patient_id=medication.patient_id, medication=medication, kind=kind,
            old_dose_mg_per_day=medication.dose_mg_per_day, new_dose_mg_per_day=medication.dose_mg_per_day,
            old_frequency=medication.frequency, new_frequency=medication.frequency, reason=why[:300],
            effective_date=effective_date, changed_by=actor)
        audit_record(action=action, actor=actor, patient=access.patient, obj=medication,
                     detail={"reason": reason, "from": medication.status,
                             "effective_date": effective_date.isoformat()})
        overrides_recheck(patient=access.patient, actor=actor)
    medication.refresh_from_db()
    return medication


def medication_hold(*, actor, access: PatientAccess, medication_id: int, expected_version: int,
                    note: str, effective_date: date | None = None) -> Medication:
    """Put an active medicine on hold; it stays in the safety checks until discontinued."""
    if not note.strip():
        raise ValidationError({"note": "Say why the medicine is held (e.g. surgery on Monday)."})
    return _status_change(actor=actor, access=access, medication_id=medication_id, expected_version=expected_version,
                          allowed_from=(MedicationStatus.ACTIVE,), kind=DoseChangeKind.HOLD,
                          status=MedicationStatus.ON_HOLD, reason="", note=note, action="medication.hold",
                          effective_date=effective_date)


def medication_resume(*, actor, access: PatientAccess, medication_id: int, expected_version: int,
                      note: str = "", effective_date: date | None = None) -> Medication:
    """Resume a held medicine at its last dose."""
    return _status_change(actor=actor, access=access, medication_id=medication_id, expected_version=expected_version,
                          allowed_from=(MedicationStatus.ON_HOLD,), kind=DoseChangeKind.RESUME,
                          status=MedicationStatus.ACTIVE, reason="", note=note, action="medication.resume",
                          effective_date=effective_date)


def medication_discontinue(*, actor, access: PatientAccess, medication_id: int, expected_version: int, reason: str,
                           note: str = "", effective_date: date | None = None) -> Medication:
    """Stop a medicine with a coded reason; the row and its history stay."""
    if reason not in StopReason.values:
        raise ValidationError({"reason": "Choose why the medicine is stopped."})
    if reason == StopReason.OTHER and not note.strip():
        raise ValidationError({"note": "Describe the reason when it is 'Other'."})
    return _status_change(actor=actor, access=access, medication_id=medication_id, expected_version=expected_version,
                          allowed_from=(MedicationStatus.ACTIVE, MedicationStatus.ON_HOLD),
                          kind=DoseChangeKind.DISCONTINUE, status=MedicationStatus.DISCONTINUED, reason=reason,
                          note=note, action="medication.discontinue", effective_date=effective_date)


@dataclass(frozen=True)
class PlanDraft:
    """A plan laid out by the clinical core and not yet saved: what the preview shows and the save stores."""

    kind: str
    drug: str
    medication: Medication | None
    start_date: date
    summary: str
    data: dict
    schedules: dict
    kb_version: str


def _active_plan_conflict(patient, kind: str, medication: Medication | None, drug: str) -> None:
    """Refuse a second active plan for a medicine: say which plan is in force and offer to revise it."""
    names = {medication.ingredient} if medication is not None else set()
    if drug:
        try:
            names.add(resolve_drug(drug, load_kb()))
        except ClinicalInputError:
            pass
    plans = MedicationPlan.objects.filter(clinic_id=patient.clinic_id,
                                          patient=patient, status=PlanStatus.ACTIVE)
    for plan in plans.select_related("medication"):
        involved = {plan.drug} | ({plan.medication.ingredient} if plan.medication_id else set())
        if names & involved and not selectors.plan_today(plan).finished:
            shared = sorted(names & involved)[0]
            raise ValidationError({"medication" if kind != PlanKind.TITRATION else "drug": ValidationError(
                f"{shared} already has an active plan: {plan.summary}, started {plan.start_date:%Y-%m-%d}. "
                "Revise that plan (pause, slow down or stop it) instead of starting a second one.",
                code="active_plan", params={"plan_id": plan.pk})})


def plan_build(*, actor, access: PatientAccess, kind: str, drug: str = "", medication_id: int | None = None,
               target_mg: Decimal | None = None, interval_days: int | None = None, method: str = "cross-taper",
               start_date: date | None = None, taper_model: str = PERCENTAGE, percent: Decimal | None = None,
               step_points: Decimal | None = None) -> PlanDraft:
    """Lay out a titration, taper or switch with the clinical core without saving it (the preview).

    A titration takes the patient's other medicines into account (e.g. lamotrigine halved
    with valproate); a taper starts from the medicine's current dose with the model, step and
    interval chosen (percentage of the current dose by default, see docs/decisions/0048); a
    switch starts from the medicine's dose and runs the safety check on every day. A medicine
    that already has an active plan gets none other, and a cross-taper the safety check forbids
    is refused with its reason instead of being turned into a direct switch.
    """
    if not (actor.can(Capability.MEDICATIONS_PRESCRIBE) and access.can(Capability.MEDICATIONS_PRESCRIBE)):
        raise PermissionDenied("Only prescribers make medication plans.")
    if kind not in PlanKind.values:
        raise ValidationError({"kind": "Choose titration, taper or switch."})
    patient = access.patient
    medication = None
    if kind in (PlanKind.TAPER, PlanKind.SWITCH):
        if medication_id is None:
            verb = "taper" if kind == PlanKind.TAPER else "switch from"
            raise ValidationError({"medication": f"Choose the medicine to {verb}."})
        medication = selectors.medication_get(access, medication_id)
        if (medication.status == MedicationStatus.DISCONTINUED or not medication.in_formulary
                or medication.dose_mg_per_day is None):
            raise ValidationError({"medication": f"{medication.ingredient} has no current formulary dose to "
                                                 "plan from."})
    if kind in (PlanKind.TITRATION, PlanKind.SWITCH) and not drug.strip():
        raise ValidationError({"drug": "Enter the drug to titrate or switch to."})
    _active_plan_conflict(patient, kind, medication, drug.strip() if kind != PlanKind.TAPER else "")
    others = [m for m in selectors.checked_regimen(patient) if medication is None or m.pk != medication.pk]
    target = float(target_mg) if target_mg is not None else None
    try:
        if kind == PlanKind.TITRATION:
            result = plan_titration(drug, with_drugs=[m.ingredient for m in others], target_mg=target)
            others = [m for m in others if m.ingredient != result.drug]
            summary = f"Titrate {result.drug} to {result.target_mg:g} mg/day ({result.template})"
        elif kind == PlanKind.TAPER:
            result = plan_taper(medication.ingredient, float(medication.dose_mg_per_day), to_mg=target or 0.0,
                                interval_days=interval_days, model=taper_model or PERCENTAGE,
                                percent=float(percent) if percent is not None and taper_model != HYPERBOLIC else None,
                                step_points=float(step_points) if step_points is not None
                                and taper_model == HYPERBOLIC else None)
            summary = f"Taper {result.drug} from {result.from_mg:g} to {result.to_mg:g} mg/day ({result.model})"
        else:
            result = plan_switch(medication.ingredient, drug, from_mg=float(medication.dose_mg_per_day), to_mg=target,
                                 method=method, interval_days=interval_days or 7,
                                 context=selectors.safety_context(patient),
                                 background=[RegimenItem(m.ingredient, float(m.dose_mg_per_day)
                                                         if m.dose_mg_per_day is not None else None) for m in others])
            if result.method != result.requested_method:
                why = next((n.split(": ", 1)[1] for n in result.notes if n.startswith("cross-taper refused")),
                           "the two drugs must not be taken together")
                why = why.split("; switching directly")[0]
                washout = f" after a washout of {result.washout.days} days" if result.washout else ""
                raise ValidationError({"method": (
                    f"A cross-taper from {result.from_drug} to {result.to_drug} is not possible: {why}. Choose "
                    f"\"Direct switch\" to stop {result.from_drug} and start {result.to_drug}{washout}, or "
                    "choose another drug.")})
            summary = f"Switch {result.from_drug} to {result.to_drug} ({result.method})"
    except ClinicalInputError as exc:
        field = "taper" if kind == PlanKind.TAPER and ("step" in str(exc) or "percent" in str(exc)) else "drug"
        raise ValidationError({field: sentence(exc)}) from None
    data = result.to_dict()
    if kind != PlanKind.SWITCH:
        # A switch is checked day by day by the engine; a titration or taper at each dose it reaches.
        steps = {name: tuple(drug_steps) for name, drug_steps in result.schedules.items()}
        data["schedule_safety"] = _schedule_safety(patient, medication.pk if medication else None, steps, 0)
    return PlanDraft(kind=kind, drug=result.to_drug if kind == PlanKind.SWITCH else result.drug,
                     medication=medication, start_date=start_date or clinic_today(patient.clinic),
                     summary=summary[:300], data=data,
                     schedules={name: [step.to_dict() for step in steps] for name, steps in result.schedules.items()},
                     kb_version=data.get("kb_version") or load_kb().version)


def plan_create(*, actor, access: PatientAccess, **options) -> MedicationPlan:
    """Lay out a plan (see `plan_build`, which takes the same options) and save it with its calendar."""
    patient = access.patient
    with transaction.atomic():
        draft = plan_build(actor=actor, access=access, **options)
        plan = MedicationPlan.objects.create(
            clinic_id=patient.clinic_id, patient=patient, medication=draft.medication, kind=draft.kind,
            drug=draft.drug, start_date=draft.start_date, summary=draft.summary, plan=draft.data,
            schedules=draft.schedules, kb_version=draft.kb_version, created_by=actor)
        audit_record(action="medication_plan.create", actor=actor, patient=patient, obj=plan,
                     detail={"kind": draft.kind, "summary": plan.summary, "kb_version": plan.kb_version})
        _follow_ups_generate(plan=plan, from_day=0, context=selectors.safety_context(patient))
    return plan


PLAN_CONFLICT_MESSAGE = ("Someone else revised this plan while you were editing. Your change was not saved; it is "
                         "kept in the form below. Review the current schedule and save again.")
REVISABLE = {"pause": (PlanKind.TITRATION, PlanKind.TAPER), "slow": (PlanKind.TITRATION, PlanKind.TAPER),
             "stop": (PlanKind.TITRATION, PlanKind.TAPER, PlanKind.SWITCH)}


def _follow_ups_generate(*, plan: MedicationPlan, from_day: int, context) -> list[PlanFollowUp]:
    from_drug = plan.medication.ingredient if plan.kind == PlanKind.SWITCH and plan.medication_id else ""
    specs = follow_ups_for(kind=plan.kind, drug=plan.drug, schedules=selectors.plan_steps(plan.schedules),
                           start_date=plan.start_date, from_day=from_day, context=context, from_drug=from_drug)
    return PlanFollowUp.objects.bulk_create([
        PlanFollowUp(clinic_id=plan.clinic_id, patient_id=plan.patient_id, plan=plan, kind=spec.kind,
                     due_date=spec.due_date, step_day=spec.step_day, what=spec.what, plan_version=plan.version)
        for spec in specs])


def _follow_ups_cancel(*, plan: MedicationPlan, from_day: int, reason: str) -> int:
    return PlanFollowUp.objects.filter(plan=plan, done_at__isnull=True, cancelled_at__isnull=True,
                                       step_day__gte=from_day).update(cancelled_at=timezone.now(),
                                                                     cancelled_reason=reason[:200])


def _schedule_safety(patient, medication_id: int | None, steps: dict[str, tuple], from_day: int) -> list[dict]:
    """Return the safety findings of every distinct dose still ahead, with the rest of the regimen."""
    others = [RegimenItem(m.ingredient, float(m.dose_mg_per_day) if m.dose_mg_per_day is not None else None)
              for m in selectors.checked_regimen(patient)
              if m.pk != medication_id and m.ingredient not in steps]
    context = selectors.safety_context(patient)
    found: dict[str, dict] = {}
    for drug, drug_steps in steps.items():
        ahead = {dose_on(drug_steps, from_day)} | {s.dose_mg for s in drug_steps if s.day > from_day}
        for dose in sorted(d for d in ahead if d > 0):
            for finding in check([*others, RegimenItem(drug, dose)], context):
                entry = found.setdefault(finding.rule_id, {**finding.to_dict(), "doses_mg": []})
                entry["doses_mg"].append(dose)
    return sorted(found.values(), key=lambda f: (SEVERITIES.index(f["severity"]), f["rule_id"]))


def _plan_revise(*, actor, access: PatientAccess, plan_id: int, expected_version: int, kind: str,
                 effective_date: date | None, reason: str, parameters: dict, revise,
                 plan_data: dict | None = None) -> MedicationPlan:
    """Apply `revise(steps, from_day)` to the plan as a new version, keeping the old schedule in a revision."""
    if not (actor.can(Capability.MEDICATIONS_PRESCRIBE) and access.can(Capability.MEDICATIONS_PRESCRIBE)):
        raise PermissionDenied("Only prescribers revise medication plans.")
    plan = selectors.plan_get(access, plan_id)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError({"kind": "This plan is stopped; make a new plan instead."})
    if plan.kind not in REVISABLE[kind]:
        raise ValidationError({"kind": f"A {plan.get_kind_display().lower()} cannot be "
                                       f"{PlanRevisionKind(kind).label.lower()}; stop it and plan again."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the plan changes (e.g. withdrawal symptoms after the last step)."})
    today = clinic_today(plan.clinic)
    effective_date = effective_date or today
    if effective_date < today:
        raise ValidationError({"effective_date": "A revision cannot change days already lived; choose today or later."})
    from_day = max((effective_date - plan.start_date).days, 0)
    steps = selectors.plan_steps(plan.schedules)
    try:
        revised = revise(steps, from_day)
    except ClinicalInputError as exc:
        raise ValidationError({"__all__": f"{str(exc)[0].upper()}{str(exc)[1:]}."}) from None
    schedules = {drug: [step.to_dict() for step in drug_steps] for drug, drug_steps in revised.items()}
    findings = _schedule_safety(access.patient, plan.medication_id, revised, from_day)
    kb_version = load_kb().version
    with transaction.atomic():
        changes = {"schedules": schedules, "kb_version": kb_version}
        if plan_data:
            # The pace in force, so that a later slow-down is checked against it, not the first plan's.
            changes["plan"] = {**plan.plan, **plan_data}
        if kind == PlanRevisionKind.STOP:
            changes["status"] = PlanStatus.STOPPED
        updated = MedicationPlan.objects.filter(pk=plan.pk, version=expected_version).update(
            version=F("version") + 1, **changes)
        if updated == 0:
            raise EditConflict(PLAN_CONFLICT_MESSAGE)
        revision = MedicationPlanRevision.objects.create(
            clinic_id=plan.clinic_id, patient_id=plan.patient_id, plan=plan, kind=kind, effective_date=effective_date,
            parameters=parameters, reason=reason.strip()[:500], previous_version=expected_version,
            previous_schedules=plan.schedules, schedules=schedules, findings=findings, kb_version=kb_version,
            created_by=actor)
        plan.refresh_from_db()
        cancelled = _follow_ups_cancel(plan=plan, from_day=from_day,
                                       reason=f"plan {PlanRevisionKind(kind).label.lower()} from {effective_date:%Y-%m-%d}")
        created = [] if kind == PlanRevisionKind.STOP else _follow_ups_generate(
            plan=plan, from_day=from_day, context=selectors.safety_context(access.patient))
        audit_record(action=f"medication_plan.{kind}", actor=actor, patient=access.patient, obj=plan, detail={
            "revision": revision.pk, "version": plan.version, "effective_date": f"{effective_date:%Y-%m-%d}",
            "parameters": parameters, "findings": [f["rule_id"] for f in findings], "kb_version": kb_version,
            "follow_ups_cancelled": cancelled, "follow_ups_created": len(created)})
    return plan


def plan_pause(*, actor, access: PatientAccess, plan_id: int, expected_version: int, days: int, reason: str,
               effective_date: date | None = None) -> MedicationPlan:
    """Hold the dose in force on `effective_date` (today by default) for `days` more days; later steps move back."""
    if not isinstance(days, int) or not 1 <= days <= MAX_PAUSE_DAYS:
        raise ValidationError({"days": f"Pause for 1 to {MAX_PAUSE_DAYS} days."})
    return _plan_revise(actor=actor, access=access, plan_id=plan_id, expected_version=expected_version,
                        kind=PlanRevisionKind.PAUSE, effective_date=effective_date, reason=reason,
                        parameters={"days": days}, revise=lambda steps, day: pause_schedules(steps, day, days))


def plan_slow(*, actor, access: PatientAccess, plan_id: int, expected_version: int, reason: str,
              effective_date: date | None = None, interval_days: int | None = None,
              step_size: Decimal | None = None) -> MedicationPlan:
    """Slow the rest of a plan: longer intervals (titration, taper) and/or smaller reductions (taper).

    For a taper, `step_size` is occupancy points (hyperbolic) or percent of the current dose
    (percentage), checked against the ranges of the knowledge base.
    """
    plan = selectors.plan_get(access, plan_id)
    if interval_days is None and step_size is None:
        raise ValidationError({"interval_days": "Give longer days between steps or a smaller reduction."})
    if plan.kind == PlanKind.TITRATION:
        if step_size is not None:
            raise ValidationError({"step_size": "A titration's doses come from its label template; slow it down with "
                                                "more days between steps."})

        def revise(steps, day):
            return {**steps, plan.drug: slow_titration(steps[plan.drug], day, interval_days)}
    else:
        model = plan.plan.get("model", "")
        to_mg = float(plan.plan.get("to_mg", 0))
        old_size = plan.plan.get("step", {}).get("size")
        old_interval = plan.plan.get("interval_days")
        if step_size is not None and old_size is not None and float(step_size) > float(old_size):
            raise ValidationError({"step_size": f"A smaller reduction than the current {old_size:g} "
                                                f"{plan.plan.get('step', {}).get('unit', '')} slows the taper down."})
        if interval_days is not None and old_interval is not None and interval_days < old_interval:
            raise ValidationError({"interval_days": f"More days between steps than the current {old_interval} slow "
                                                    "the taper down."})

        def revise(steps, day):
            rest, _ = slow_taper(plan.drug, steps[plan.drug], day, to_mg=to_mg, model=model,
                                 interval_days=interval_days if interval_days is not None else old_interval,
                                 step_points=float(step_size) if step_size is not None else old_size,
                                 percent=float(step_size) if step_size is not None else old_size)
            return {**steps, plan.drug: rest}
    plan_data = None
    if plan.kind == PlanKind.TAPER:
        plan_data = {"interval_days": interval_days if interval_days is not None else plan.plan.get("interval_days"),
                     "step": {**plan.plan.get("step", {}),
                              **({"size": float(step_size)} if step_size is not None else {})}}
    return _plan_revise(actor=actor, access=access, plan_id=plan_id, expected_version=expected_version,
                        kind=PlanRevisionKind.SLOW, effective_date=effective_date, reason=reason,
                        parameters={"interval_days": interval_days,
                                    "step_size": f"{step_size.normalize():f}" if step_size is not None else None},
                        revise=revise, plan_data=plan_data)


def plan_stop(*, actor, access: PatientAccess, plan_id: int, expected_version: int, reason: str,
              effective_date: date | None = None) -> MedicationPlan:
    """Stop a plan: the dose in force on `effective_date` stays; later steps and their follow-ups are cancelled."""

    def revise(steps, day):
        out = {}
        for drug, drug_steps in steps.items():
            kept = [s for s in drug_steps if s.day < day]
            held = dose_on(drug_steps, day)
            out[drug] = (*kept, Step(day, held, f"plan stopped: stay at {held:g} mg/day"))
        return out
    return _plan_revise(actor=actor, access=access, plan_id=plan_id, expected_version=expected_version,
                        kind=PlanRevisionKind.STOP, effective_date=effective_date, reason=reason, parameters={},
                        revise=revise)


def plan_follow_up_complete(*, actor, access: PatientAccess, follow_up_id: int, note: str) -> PlanFollowUp:
    """Mark a plan follow-up done with what was found or done."""
    if not (actor.can(Capability.MEDICATIONS_RECORD) and access.can(Capability.MEDICATIONS_RECORD)):
        raise PermissionDenied("Only prescribers and nurses on the care team complete plan follow-ups.")
    if not note.strip():
        raise ValidationError({"note": "Write what the review found or what you did."})
    with transaction.atomic():
        follow_up = PlanFollowUp.objects.select_for_update().get(clinic_id=access.patient.clinic_id,
                                                                 pk=follow_up_id, patient=access.patient)
        if not follow_up.is_open:
            state = "done" if follow_up.done_at else "cancelled"
            raise ValidationError({"note": f"This follow-up is already {state}."})
        follow_up.done_at, follow_up.done_by, follow_up.done_note = timezone.now(), actor, note.strip()[:500]
        follow_up.save(update_fields=["done_at", "done_by", "done_note"])
        audit_record(action="plan_follow_up.complete", actor=actor, patient=access.patient, obj=follow_up,
                     detail={"plan": follow_up.plan_id, "due_date": f"{follow_up.due_date:%Y-%m-%d}"})
    return follow_up


def _require_problem_edit(actor, access: PatientAccess) -> None:
    if not (actor.can(Capability.CLINICAL_EDIT) and access.can(Capability.CLINICAL_EDIT)):
        raise PermissionDenied(f"{actor.get_role_display() if actor.role else 'This account'} may not change the "
                               "problem list.")


def problem_add(*, actor, access: PatientAccess, code: str, onset_date: date | None = None) -> Problem:
    """Add an ICD-10-CM coded problem to the patient's list, with the code's official description."""
    _require_problem_edit(actor, access)
    try:
        found = icd10_lookup(code)
    except InvalidIcd10Code as exc:
        raise ValidationError({"code": str(exc)}) from exc
    if onset_date is not None and onset_date > clinic_today(access.patient.clinic):
        raise ValidationError({"onset_date": "The onset date cannot be in the future."})
    patient = access.patient
    with transaction.atomic():
        if Problem.objects.filter(clinic_id=patient.clinic_id,
                                  patient=patient, code=found.code, status=ProblemStatus.ACTIVE).exists():
            raise ValidationError({"code": f"{found.code} {found.description} is already an active problem."})
        problem = Problem.objects.create(clinic_id=patient.clinic_id, patient=patient, code=found.code,
                                         description=found.description[:300], onset_date=onset_date,
                                         recorded_by=actor)
        audit_record(action="problem.add", actor=actor, patient=patient, obj=problem,
                     detail={"code": problem.code, "onset_date": str(onset_date or "")})
    return problem


def _problem_close(*, actor, access: PatientAccess, problem_id: int, status: str, note: str,
                   resolved_date: date | None = None) -> Problem:
    _require_problem_edit(actor, access)
    with transaction.atomic():
        problem = Problem.objects.select_for_update().filter(clinic_id=access.patient.clinic_id,
                                                             pk=problem_id, patient=access.patient).first()
        if problem is None:
            raise Problem.DoesNotExist("That problem is not on this chart.")
        if problem.status != ProblemStatus.ACTIVE:
            raise ValidationError({"status": f"{problem.code} is already {problem.get_status_display().lower()}."})
        problem.status = status
        problem.status_note = note.strip()[:300]
        problem.resolved_date = resolved_date
        problem.status_changed_at = timezone.now()
        problem.status_changed_by = actor
        problem.save(update_fields=["status", "status_note", "resolved_date", "status_changed_at",
                                    "status_changed_by"])
        audit_record(action=f"problem.{status}", actor=actor, patient=access.patient, obj=problem,
                     detail={"code": problem.code, "note": problem.status_note})
    return problem


def problem_resolve(*, actor, access: PatientAccess, problem_id: int, resolved_date: date | None = None,
                    note: str = "") -> Problem:
    """Mark an active problem resolved (today unless a date is given)."""
    today = clinic_today(access.patient.clinic)
    resolved_date = resolved_date or today
    if resolved_date > today:
        raise ValidationError({"resolved_date": "The resolution date cannot be in the future."})
    return _problem_close(actor=actor, access=access, problem_id=problem_id, status=ProblemStatus.RESOLVED,
                          note=note, resolved_date=resolved_date)


def problem_mark_entered_in_error(*, actor, access: PatientAccess, problem_id: int, note: str) -> Problem:
    """Mark a problem recorded by mistake; the entry stays, with the reason, and leaves the active list."""
    if not note.strip():
        raise ValidationError({"note": "Say why the problem was entered in error (e.g. wrong patient, wrong code)."})
    return _problem_close(actor=actor, access=access, problem_id=problem_id, status=ProblemStatus.ENTERED_IN_ERROR,
                          note=note)


def _prescription_sendable(actor, access: PatientAccess, medication_id: int) -> Medication:
    medication = selectors.medication_get(access, medication_id)
    if medication.source != MedicationSource.CLINIC:
        raise ValidationError(f"{medication.ingredient} was not prescribed here; only a clinic prescription can be "
                              "printed or sent.")
    _require_for_source(actor, access, medication.source)
    if medication.status != MedicationStatus.ACTIVE:
        raise ValidationError(f"{medication.ingredient} is {medication.get_status_display().lower()}; resume it "
                              "before printing or sending the prescription.")
    return medication


def _transmit(*, actor, access: PatientAccess, medication: Medication,
              transmitter: PrescriptionTransmitter) -> TransmissionResult:
    """Send through one adapter; record the attempt and its audit event in one transaction, whatever the outcome."""
    with transaction.atomic():
        result = transmitter.send(medication)
        attempt = PrescriptionTransmission.objects.create(
            clinic_id=medication.clinic_id, patient_id=medication.patient_id, medication=medication,
            channel=result.channel[:40], destination=result.destination[:60], status=result.status,
            detail=result.detail[:500], outbound_message_id=result.outbox_message_id, created_by=actor)
        audit_record(action="prescription.transmit", actor=actor, patient=access.patient, obj=medication,
                     outcome="failure" if result.status in FAILED_TRANSMISSIONS else "success",
                     detail={"channel": result.channel, "status": result.status, "destination": result.destination,
                             "transmission": attempt.pk})
    return result


def prescription_transmit(*, actor, access: PatientAccess, medication_id: int) -> TransmissionResult:
    """Send an active prescription written here through the configured transmitter, audited with the outcome."""
    medication = _prescription_sendable(actor, access, medication_id)
    return _transmit(actor=actor, access=access, medication=medication, transmitter=prescription_transmitter())


def prescription_fax(*, actor, access: PatientAccess, medication_id: int, fax_number: str) -> TransmissionResult:
    """Fax an active prescription written here to a pharmacy's fax number (North American, ten digits).

    A malformed number is refused as input (ValidationError on `fax_number`, nothing
    recorded); every attempt with a valid number is recorded, refused ones included (not
    configured, schedule II, no DEA number on file).
    """
    medication = _prescription_sendable(actor, access, medication_id)
    try:
        transmitter = FaxTransmitter(fax_number)
    except ValueError as exc:
        raise ValidationError({"fax_number": str(exc)}) from exc
    return _transmit(actor=actor, access=access, medication=medication, transmitter=transmitter)
