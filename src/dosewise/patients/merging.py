"""Merging a duplicate patient record into the record kept.

Every row of every app that points at the duplicate moves to the record kept, found from the
model graph rather than a hand-kept list, so a table added later is merged too. Two kinds of row
stay: the audit trail (its events are sealed in a hash chain, so their patient never changes; the
audit report finds them under the kept record through `merged_into`) and the duplicate's search
words (it must no longer be found). The duplicate's row remains, empty, pointing at the record
kept: old links and bookmarks lead there (patients.middleware).
"""

from __future__ import annotations

import functools

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from dosewise.audit.services import audit_record
from dosewise.clinics.clock import clinic_today
from dosewise.clinics.roles import Capability
from dosewise.lib.contributions import contributions
from dosewise.patients.models import CareTeamMember, Patient, PatientNameToken

# Rows that stay with the duplicate (see the module's docstring), by model label.
PATIENT_MERGE_KEEPS = frozenset({"audit.AuditEvent", "patients.PatientNameToken", "patients.Patient"})


# How the comparison page names each kind of record (model names are not always words a
# clinician uses, and Django's default plural of "allergy" is "allergys").
RECORD_KIND_WORDS = {
    "patients.Allergy": "allergies", "patients.ClinicalContextEntry": "clinical context entries",
    "patients.BreakGlassAccess": "emergency accesses", "patients.CareTeamMember": "care-team memberships",
    "monitoring.Observation": "lab results", "monitoring.MonitoringDue": "monitoring due dates",
    "assessments.ScoreSummary": "score summaries", "assessments.QuestionnaireResponse": "questionnaire answers",
    "scheduling.AppointmentSeries": "appointment series", "scheduling.WaitlistEntry": "waitlist entries",
    "visits.LetterDispatch": "letters sent", "visits.NoteAddendum": "note addenda",
    "medications.PlanFollowUp": "plan follow-ups", "messaging.Thread": "message threads",
}


def record_kind_words(model) -> str:
    """Return the plural a person reads for a model's records."""
    return RECORD_KIND_WORDS.get(model._meta.label) or str(model._meta.verbose_name_plural)


@functools.cache
def patient_references() -> tuple[tuple[type[models.Model], str], ...]:
    """Return (model, field name) of every foreign key to Patient, hidden reverse relations included
    (the model graph is fixed once the apps are loaded)."""
    found = []
    for relation in Patient._meta.get_fields(include_hidden=True):
        if relation.is_relation and relation.auto_created and not relation.concrete:
            model = relation.related_model
            if model._meta.label not in PATIENT_MERGE_KEEPS:
                found.append((model, relation.field.name))
    return tuple(sorted(found, key=lambda pair: (pair[0]._meta.label, pair[1])))


def merge_preview(keep: Patient, other: Patient) -> list[tuple[str, int]]:
    """Return what would move from `other` to `keep`: (kind of record, count), non-empty kinds only."""
    counts: dict[str, int] = {}
    for model, field in patient_references():
        n = model._base_manager.filter(**{field: other}).count()
        if n:
            label = record_kind_words(model)
            counts[label] = counts.get(label, 0) + n
    return sorted(counts.items())


def _end_duplicate_memberships(keep: Patient, other: Patient, today) -> None:
    # Someone on both care teams keeps the kept record's membership; the duplicate's ends today.
    both = CareTeamMember.objects.filter(clinic_id=keep.clinic_id,
                                         patient=keep, until__isnull=True).values("member_id")
    CareTeamMember.objects.filter(clinic_id=other.clinic_id,
                                  patient=other, until__isnull=True, member_id__in=both).update(until=today)


def patient_merge(*, actor, keep: Patient, other: Patient, reason: str) -> dict[str, int]:
    """Merge the duplicate `other` into `keep` and return how many rows of each table moved.

    Refused (nothing changes) across clinics, for a record already merged, or when two rows
    cannot be combined (e.g. both records have an open portal account): the message says which.
    """
    if not actor.can(Capability.PATIENT_MERGE):
        raise PermissionDenied("only a clinic admin may merge records")
    reason = " ".join((reason or "").split())
    if len(reason) < 10:
        raise ValidationError({"reason": "Say why these are the same person (at least 10 characters), e.g. "
                                         "\"same person: registered twice at intake\"."})
    if keep.pk == other.pk:
        raise ValidationError({"other": "Choose a different record: a record cannot be merged into itself."})
    if keep.clinic_id != actor.clinic_id or other.clinic_id != actor.clinic_id:
        raise PermissionDenied("records of another clinic")
    moved: dict[str, int] = {}
    with transaction.atomic():
        locked = {p.pk: p for p in Patient.objects.select_for_update().filter(pk__in=[keep.pk, other.pk])
                  .order_by("pk")}
        keep, other = locked[keep.pk], locked[other.pk]
        for record in (keep, other):
            if record.merged_into_id is not None:
                raise ValidationError({"other": f"Record {record.mrn} was already merged into another record."})
        steps = contributions("PATIENT_MERGE_STEPS")
        for step in steps:
            if step.before is not None:
                step.before(keep, other)
        _end_duplicate_memberships(keep, other, clinic_today(keep.clinic))
        for model, field in patient_references():
            try:
                with transaction.atomic():
                    n = model._base_manager.filter(**{field: other}).update(**{field: keep})
            except IntegrityError:
                raise ValidationError({"other": f"Both records have {record_kind_words(model)} that cannot "
                                                "be combined (for example two open portal accounts or two entries "
                                                "for one day). Resolve it on the duplicate's chart first; nothing "
                                                "was merged."}) from None
            if n:
                moved[model._meta.label] = moved.get(model._meta.label, 0) + n
        for step in steps:
            if step.after is not None:
                step.after(keep)
        PatientNameToken.objects.filter(clinic_id=other.clinic_id, patient=other).delete()
        Patient.objects.filter(pk=other.pk).update(merged_into=keep, merged_at=timezone.now(), merged_by=actor,
                                                   version=models.F("version") + 1)
        Patient.objects.filter(pk=keep.pk).update(version=models.F("version") + 1)
        audit_record(action="patient.merge", actor=actor, patient=keep, obj=keep,
                     detail={"merged": other.mrn, "reason": reason, "moved": moved})
        audit_record(action="patient.merged_into", actor=actor, patient=other, obj=other,
                     detail={"into": keep.mrn, "reason": reason})
    return moved
