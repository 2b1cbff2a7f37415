"""Writes of patient data: each one atomic, validated, and audited in the same transaction."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from dosewise.audit.services import audit_record
from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.pgx import phenotype
from dosewise.clinics.clock import clinic_today
from dosewise.clinics.models import Clinic
from dosewise.clinics.roles import CLINICAL_ROLES, Capability
from dosewise.lib.text import name_words
from dosewise.patients.models import (
    ADULT_AGE,
    CONTEXT_CODES,
    CONTEXT_NUMERIC,
    Allergy,
    BreakGlassAccess,
    CareTeamMember,
    CareTeamRole,
    ClinicalContextEntry,
    Consent,
    ConsentText,
    Patient,
    PatientNameToken,
    PharmacogenomicResult,
    age_in_years,
)
from dosewise.patients.selectors import PatientAccess

DEMOGRAPHIC_FIELDS = (
    "legal_given_name", "legal_family_name", "preferred_name", "pronouns", "date_of_birth", "sex_at_birth",
    "gender_identity", "email", "phone", "address", "preferred_language", "emergency_contact_name",
    "emergency_contact_relationship", "emergency_contact_phone", "guardian_name", "guardian_relationship",
    "guardian_phone", "guardian_email", "insurance_payer", "insurance_member_id", "insurance_group_number",
    "insurance_subscriber",
)
OLDEST_BIRTH_DATE = date(1900, 1, 1)
BREAK_GLASS_HOURS = 4


class EditConflict(Exception):
    """Another user saved the record after this editor loaded it."""


def _require(actor, capability: str) -> None:
    if not actor.can(capability):
        raise PermissionDenied(f"{actor.get_role_display() if actor.role else 'this account'} may not {capability}")


def _require_on_chart(actor, access: PatientAccess, capability: str) -> None:
    _require(actor, capability)
    if not access.can(capability):
        raise PermissionDenied(f"{actor.get_role_display() if actor.role else 'this account'} may not {capability} "
                               "on this chart")


def _validate_demographics(data: dict, today: date, current: Patient | None = None) -> None:
    errors: dict[str, str] = {}

    def value(field):
        # An update may carry only the fields it changes; the rest are the record's.
        return data[field] if field in data else getattr(current, field, "")

    born = value("date_of_birth")
    if isinstance(born, date):
        if born > today:
            errors["date_of_birth"] = "Date of birth is in the future; check the year."
        elif born < OLDEST_BIRTH_DATE:
            errors["date_of_birth"] = "Date of birth is before 1900; check the year."
        elif age_in_years(born, today) < ADULT_AGE:
            # A minor's care needs a parent or guardian who can consent and be reached.
            for field, label in (("guardian_name", "name"), ("guardian_phone", "phone number")):
                if not str(value(field) or "").strip():
                    errors[field] = (f"The patient is under {ADULT_AGE}: enter the parent's or guardian's "
                                     f"{label}.")
    for field in ("legal_given_name", "legal_family_name"):
        if field in data and not str(data[field]).strip():
            errors[field] = "This name is required."
    if errors:
        raise ValidationError(errors)


def patient_name_tokens(patient: Patient) -> list[PatientNameToken]:
    """Return the search words of a patient's names, unsaved (see PatientNameToken)."""
    words = name_words(patient.legal_given_name, patient.legal_family_name, patient.preferred_name)
    return [PatientNameToken(clinic_id=patient.clinic_id,
                             patient=patient, token=word[:100]) for word in words]


def _next_mrn(clinic_id: int) -> str:
    # The update takes the clinic row's write lock first, so two registrations never get one number.
    Clinic.objects.filter(pk=clinic_id).update(mrn_next=F("mrn_next") + 1)
    clinic = Clinic.objects.get(pk=clinic_id)
    return f"{clinic.mrn_prefix}{clinic.mrn_next - 1:06d}"


def patient_register(*, actor, data: dict, prescriber=None) -> Patient:
    """Register a patient in the actor's clinic with a new MRN and return it.

    A clinician who registers a patient joins the care team; `prescriber`, when given,
    joins as the patient's prescriber.
    """
    _require(actor, Capability.PATIENT_REGISTER)
    _validate_demographics(data, clinic_today(actor.clinic))
    if prescriber is not None and (prescriber.clinic_id != actor.clinic_id or not prescriber.is_active):
        raise ValidationError({"prescriber": "Choose an active prescriber of this clinic."})
    with transaction.atomic():
        patient = Patient(clinic_id=actor.clinic_id, created_by=actor,
                          **{k: v for k, v in data.items() if k in DEMOGRAPHIC_FIELDS})
        patient.mrn = _next_mrn(actor.clinic_id)
        patient.full_clean()
        patient.save()
        PatientNameToken.objects.bulk_create(patient_name_tokens(patient))
        audit_record(action="patient.register", actor=actor, patient=patient, obj=patient,
                     detail={"mrn": patient.mrn})
        today = clinic_today(actor.clinic)
        if actor.role in CLINICAL_ROLES:
            _care_team_add(actor=actor, patient=patient, member=actor, team_role=actor.role, since=today)
        if prescriber is not None and prescriber != actor:
            _care_team_add(actor=actor, patient=patient, member=prescriber, team_role=CareTeamRole.PRESCRIBER,
                           since=today)
    return patient


def patient_update(*, actor, access: PatientAccess, expected_version: int, data: dict) -> Patient:
    """Save demographic changes unless someone else saved the record since `expected_version`."""
    _require(actor, Capability.DEMOGRAPHICS_EDIT)
    patient = access.patient
    _validate_demographics(data, clinic_today(actor.clinic), current=patient)
    changes = {k: v for k, v in data.items() if k in DEMOGRAPHIC_FIELDS and getattr(patient, k) != v}
    with transaction.atomic():
        candidate = Patient.objects.get(pk=patient.pk)
        for field, value in changes.items():
            setattr(candidate, field, value)
        candidate.full_clean(exclude=["mrn"])
        # The version check and the write are one statement: of two editors, only one wins.
        updated = Patient.objects.filter(pk=patient.pk, version=expected_version).update(
            version=F("version") + 1, updated_at=timezone.now(), **changes,
        )
        if updated == 0:
            raise EditConflict("Someone else changed this patient's record while you were editing. "
                               "Your changes were not saved; review the current record and edit again.")
        if changes.keys() & {"legal_given_name", "legal_family_name", "preferred_name"}:
            PatientNameToken.objects.filter(clinic_id=patient.clinic_id, patient=patient).delete()
            PatientNameToken.objects.bulk_create(patient_name_tokens(candidate))
        audit_record(action="patient.update", actor=actor, patient=patient, obj=patient,
                     detail={"fields": sorted(changes)})
    patient.refresh_from_db()
    return patient


def _care_team_add(*, actor, patient: Patient, member, team_role: str, since: date,
                   because: str = "") -> CareTeamMember:
    membership = CareTeamMember.objects.create(clinic_id=patient.clinic_id, patient=patient, member=member,
                                               team_role=team_role, since=since, added_by=actor)
    detail = {"member": member.email, "team_role": team_role}
    if because:
        detail["because"] = because
    audit_record(action="care_team.add", actor=actor, patient=patient, obj=membership, detail=detail)
    return membership


def care_team_join_for_booking(*, actor, patient: Patient, member) -> CareTeamMember | None:
    """Add the clinician a patient is booked with to the care team when no one holds that role on it.

    A patient registered at the front door (a consultation request) has no care team, so the
    prescriber booked for the intake could not open the chart without emergency access. A
    booking with a clinician of a role the team already has changes nothing: the team decides
    who covers. Returns the new membership, or None. The caller (the schedule) has checked that
    the actor may book with `member`.
    """
    if member.role not in CLINICAL_ROLES or member.clinic_id != patient.clinic_id or not member.is_active:
        return None
    today = clinic_today(patient.clinic)
    active = CareTeamMember.objects.filter(clinic_id=patient.clinic_id,
                                           patient=patient, since__lte=today).filter(
        Q(until__isnull=True) | Q(until__gt=today))
    if active.filter(Q(member=member) | Q(team_role=member.role)).exists():
        return None
    if CareTeamMember.objects.filter(clinic_id=patient.clinic_id,
                                     patient=patient, member=member, until__isnull=True).exists():
        return None  # a membership that begins later already names them
    return _care_team_add(actor=actor, patient=patient, member=member, team_role=member.role, since=today,
                          because="booked with them")


def care_team_add(*, actor, access: PatientAccess, member, team_role: str, since: date | None = None) -> CareTeamMember:
    """Add a clinic colleague to the patient's care team."""
    _require(actor, Capability.CARE_TEAM_MANAGE)
    patient = access.patient
    if member.clinic_id != patient.clinic_id or not member.is_active or not member.is_clinic_staff:
        raise ValidationError({"member": "Choose an active colleague of this clinic."})
    if team_role not in CareTeamRole.values:
        raise ValidationError({"team_role": "Choose a care-team role."})
    with transaction.atomic():
        if CareTeamMember.objects.filter(clinic_id=patient.clinic_id,
                                         patient=patient, member=member, until__isnull=True).exists():
            raise ValidationError({"member": f"{member.full_name} is already on the care team."})
        return _care_team_add(actor=actor, patient=patient, member=member, team_role=team_role,
                              since=since or clinic_today(patient.clinic))


def care_team_end(*, actor, access: PatientAccess, membership_id: int) -> CareTeamMember:
    """End a care-team membership today (kept as history, never deleted)."""
    _require(actor, Capability.CARE_TEAM_MANAGE)
    with transaction.atomic():
        membership = CareTeamMember.objects.select_for_update().get(clinic_id=access.patient.clinic_id,
            pk=membership_id, patient=access.patient, until__isnull=True)
        membership.until = clinic_today(access.patient.clinic)
        membership.save(update_fields=["until"])
        audit_record(action="care_team.end", actor=actor, patient=access.patient, obj=membership,
                     detail={"member": membership.member.email})
    return membership


def consent_text_current(clinic, kind: str) -> ConsentText:
    text = (ConsentText.objects.filter(clinic=clinic, kind=kind, effective_from__lte=clinic_today(clinic))
            .order_by("-effective_from", "-pk").first())
    if text is None:
        raise ValidationError({"kind": "This clinic has no consent text of that kind yet."})
    return text


def consent_record(*, actor, access: PatientAccess, kind: str, method: str, given_at=None,
                   text_version: ConsentText | None = None) -> Consent:
    """Record a consent with the exact text version the patient was shown."""
    _require(actor, Capability.CONSENT_RECORD)
    patient = access.patient
    text_version = text_version or consent_text_current(patient.clinic, kind)
    if text_version.clinic_id != patient.clinic_id or text_version.kind != kind:
        raise ValidationError({"text_version": "That consent text belongs to another clinic or kind."})
    given_at = given_at or timezone.now()
    if given_at > timezone.now() + timedelta(minutes=5):
        raise ValidationError({"given_at": "A consent cannot be given in the future."})
    with transaction.atomic():
        consent = Consent(clinic_id=patient.clinic_id, patient=patient, kind=kind, text_version=text_version,
                          given_at=given_at, method=method, recorded_by=actor)
        consent.full_clean()
        consent.save()
        audit_record(action="consent.record", actor=actor, patient=patient, obj=consent,
                     detail={"kind": kind, "text_version": text_version.version, "method": method})
    return consent


def consent_revoke(*, actor, access: PatientAccess, consent_id: int, method: str) -> Consent:
    """Revoke a consent; the record stays, with who revoked it, when and how."""
    _require(actor, Capability.CONSENT_RECORD)
    with transaction.atomic():
        consent = Consent.objects.select_for_update().get(clinic_id=access.patient.clinic_id,
                                                          pk=consent_id, patient=access.patient)
        if consent.revoked_at is not None:
            raise ValidationError("This consent was already revoked.")
        consent.revoked_at, consent.revoked_by, consent.revoked_method = timezone.now(), actor, method
        consent.full_clean()
        consent.save(update_fields=["revoked_at", "revoked_by", "revoked_method"])
        audit_record(action="consent.revoke", actor=actor, patient=access.patient, obj=consent,
                     detail={"kind": consent.kind, "method": method})
    return consent


def allergy_add(*, actor, access: PatientAccess, substance: str, category: str, reaction: str, severity: str,
                verified: bool) -> Allergy:
    _require(actor, Capability.CLINICAL_EDIT)
    with transaction.atomic():
        allergy = Allergy(clinic_id=access.patient.clinic_id,
                          patient=access.patient, substance=substance.strip(),
                          category=category, reaction=reaction.strip(), severity=severity, verified=verified,
                          recorded_by=actor)
        allergy.full_clean()
        allergy.save()
        audit_record(action="allergy.add", actor=actor, patient=access.patient, obj=allergy,
                     detail={"substance": allergy.substance, "severity": severity})
    return allergy


def allergy_mark_entered_in_error(*, actor, access: PatientAccess, allergy_id: int, reason: str) -> Allergy:
    _require(actor, Capability.CLINICAL_EDIT)
    if not reason.strip():
        raise ValidationError({"reason": "Say why this allergy was entered in error."})
    with transaction.atomic():
        allergy = Allergy.objects.select_for_update().get(clinic_id=access.patient.clinic_id,
                                                          pk=allergy_id, patient=access.patient,
                                                         entered_in_error_at__isnull=True)
        allergy.entered_in_error_at, allergy.entered_in_error_by = timezone.now(), actor
        allergy.entered_in_error_reason = reason.strip()[:200]
        allergy.save(update_fields=["entered_in_error_at", "entered_in_error_by", "entered_in_error_reason"])
        audit_record(action="allergy.entered_in_error", actor=actor, patient=access.patient, obj=allergy,
                     detail={"reason": allergy.entered_in_error_reason})
    return allergy


def context_record(*, actor, access: PatientAccess, kind: str, value: str, effective_date: date,
                   note: str = "") -> ClinicalContextEntry:
    """Record one dated clinical-context fact after checking its value and unit."""
    _require(actor, Capability.CLINICAL_EDIT)
    if effective_date > clinic_today(access.patient.clinic):
        raise ValidationError({"effective_date": "The date is in the future."})
    entry = ClinicalContextEntry(clinic_id=access.patient.clinic_id, patient=access.patient, kind=kind,
                                 effective_date=effective_date, note=note.strip(), recorded_by=actor)
    value = value.strip()
    if kind in CONTEXT_CODES:
        if value not in CONTEXT_CODES[kind]:
            raise ValidationError({"value": f"Choose one of: {', '.join(CONTEXT_CODES[kind])}."})
        entry.value_code = value
    elif kind in CONTEXT_NUMERIC:
        unit, low, high = CONTEXT_NUMERIC[kind]
        try:
            number = Decimal(value)
            if not number.is_finite():  # "NaN" and "Infinity" parse, but are no measurement
                raise InvalidOperation
        except InvalidOperation:
            raise ValidationError({"value": f"Enter a number in {unit}."}) from None
        if not (low <= number <= high):
            raise ValidationError({"value": f"{number} {unit} is outside the possible range {low}-{high} {unit}."})
        entry.value_number, entry.unit = number.quantize(Decimal("0.01")), unit
    else:
        raise ValidationError({"kind": "Unknown kind of clinical context."})
    with transaction.atomic():
        entry.full_clean()
        entry.save()
        audit_record(action="clinical_context.record", actor=actor, patient=access.patient, obj=entry,
                     detail={"kind": kind})
    return entry


def break_glass_grant(*, actor, patient: Patient, reason: str) -> BreakGlassAccess:
    """Grant the actor temporary access to a patient outside their care team, with a typed reason."""
    reason = " ".join(reason.split())
    if len(reason) < 10:
        raise ValidationError({"reason": "Type the reason for emergency access (at least 10 characters)."})
    if patient.clinic_id != actor.clinic_id or not actor.is_clinic_staff:
        raise PermissionDenied
    with transaction.atomic():
        grant = BreakGlassAccess.objects.create(
            clinic_id=patient.clinic_id, patient=patient, user=actor, reason=reason[:500],
            expires_at=timezone.now() + timedelta(hours=BREAK_GLASS_HOURS))
        audit_record(action="break_glass.grant", actor=actor, patient=patient, obj=grant, detail={"reason": reason})
    return grant


BREAK_GLASS_REVIEW_NOTE_MIN = 5


def break_glass_review(*, actor, grant_id: int, note: str) -> BreakGlassAccess:
    """Close the review of an emergency access with the reviewer's finding (was it justified?)."""
    _require(actor, Capability.AUDIT_VIEW)
    note = " ".join((note or "").split())
    if len(note) < BREAK_GLASS_REVIEW_NOTE_MIN:
        raise ValidationError({"note": "Write what the review found, e.g. \"justified: covering the on-call "
                                       "prescriber\" (at least 5 characters)."})
    with transaction.atomic():
        grant = BreakGlassAccess.objects.select_for_update().get(pk=grant_id, clinic_id=actor.clinic_id)
        if grant.reviewed_at is not None:
            raise ValidationError({"note": f"This access was already reviewed by {grant.reviewed_by.full_name}."})
        grant.reviewed_at, grant.reviewed_by, grant.review_note = timezone.now(), actor, note[:500]
        grant.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
        audit_record(action="break_glass.review", actor=actor, patient=grant.patient, obj=grant,
                     detail={"note": note[:500]})
    return grant


def genotype_record(*, actor, access: PatientAccess, gene: str, diplotype: str, lab: str, result_date: date,
                    note: str = "") -> PharmacogenomicResult:
    """Record one gene's lab result with the CPIC phenotype the clinical core derives from it.

    An unknown gene or a diplotype the knowledge base cannot read is refused, so every stored
    result takes part in the safety check.
    """
    _require_on_chart(actor, access, Capability.CLINICAL_EDIT)
    if not lab.strip():
        raise ValidationError({"lab": "Enter the laboratory that reported the result."})
    if result_date > clinic_today(access.patient.clinic):
        raise ValidationError({"result_date": "The result date is in the future."})
    try:
        derived = phenotype(gene, diplotype)
    except ClinicalInputError as exc:
        field = "gene" if "unknown gene" in str(exc) else "diplotype"
        raise ValidationError({field: f"{str(exc)[:1].upper()}{str(exc)[1:]}."}) from None
    result = PharmacogenomicResult(
        clinic_id=access.patient.clinic_id, patient=access.patient, gene=derived.gene,
        diplotype=derived.diplotype[:60], phenotype=derived.phenotype[:80],
        activity_score=Decimal(str(derived.activity_score)) if derived.activity_score is not None else None,
        lab=lab.strip()[:150], result_date=result_date, note=note.strip()[:200], recorded_by=actor)
    with transaction.atomic():
        result.full_clean()
        result.save()
        audit_record(action="pgx_result.record", actor=actor, patient=access.patient, obj=result,
                     detail={"gene": result.gene, "phenotype": result.phenotype})
    return result


def genotype_mark_entered_in_error(*, actor, access: PatientAccess, result_id: int,
                                   reason: str) -> PharmacogenomicResult:
    """Take a result recorded by mistake out of use; the row stays, with who, when and why."""
    _require_on_chart(actor, access, Capability.CLINICAL_EDIT)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the result was entered in error (e.g. wrong patient)."})
    with transaction.atomic():
        result = PharmacogenomicResult.objects.select_for_update().get(clinic_id=access.patient.clinic_id,
                                                                       pk=result_id, patient=access.patient,
                                                                       entered_in_error_at__isnull=True)
        result.entered_in_error_at, result.entered_in_error_by = timezone.now(), actor
        result.entered_in_error_reason = reason.strip()[:200]
        result.save(update_fields=["entered_in_error_at", "entered_in_error_by", "entered_in_error_reason"])
        audit_record(action="pgx_result.entered_in_error", actor=actor, patient=access.patient, obj=result,
                     detail={"gene": result.gene, "reason": result.entered_in_error_reason})
    return result
