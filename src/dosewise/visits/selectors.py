"""Reads of the visits app, permission-checked by construction: every function takes the patient
access `access_patient` gave and the viewer, and hides what the viewer may not read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied

from dosewise.clinical.adequacy import Adequacy, TrdStatus, TrialFacts, trd_status, trial_adequacy
from dosewise.clinical.kb import load_kb
from dosewise.clinics.clock import clinic_today
from dosewise.medications.models import DoseChange, Medication
from dosewise.patients.models import CareTeamMember
from dosewise.patients.selectors import PatientAccess
from dosewise.visits import policy
from dosewise.visits.models import (
    LetterDispatch,
    NoteAddendum,
    NoteCosignature,
    NoteKind,
    NoteStatus,
    NoteTemplate,
    TreatmentTrial,
    VisitNote,
)
from dosewise.visits.services import templates_available

NOTE_LIMIT = 100


@dataclass(frozen=True)
class NoteRow:
    note: VisitNote
    readable: bool  # False: a sensitive note this viewer sees only as "restricted"


@dataclass(frozen=True)
class TrialRow:
    trial: TreatmentTrial
    adequacy: Adequacy


@dataclass(frozen=True)
class TrialProposal:
    """A trial proposed from the clinic's medication history, for the clinician to confirm."""

    medication_id: int
    drug: str
    max_dose_mg_per_day: Decimal | None
    weeks: int
    started_on: date
    stop_reason: str
    current: bool


@dataclass(frozen=True)
class VisitsTab:
    notes: list[NoteRow]
    drafts: list[VisitNote]
    to_cosign: list[VisitNote]
    templates: list[NoteTemplate]
    recipients: list[CareTeamMember]
    trials: list[TrialRow]
    withdrawn_trials: list[TreatmentTrial]
    trd: TrdStatus
    not_improving_prompt: str
    proposals: list[TrialProposal]
    can_write: bool
    can_edit_history: bool
    today: date
    decisions: list = ()


def _facts(trial: TreatmentTrial) -> TrialFacts:
    return TrialFacts(drug=trial.drug, max_dose_mg_per_day=None if trial.max_dose_mg_per_day is None
                      else float(trial.max_dose_mg_per_day), weeks=trial.weeks, adherence=trial.adherence,
                      response=trial.response, current_episode=trial.current_episode,
                      weeks_at_max_dose=trial.weeks_at_max_dose)


def treatment_history(patient) -> tuple[list[TrialRow], list[TreatmentTrial], TrdStatus]:
    """Return the trials with their adequacy, the withdrawn ones, and the TRD status (one query)."""
    kb = load_kb()
    rows = list(TreatmentTrial.objects.filter(clinic_id=patient.clinic_id,
                                              patient=patient).select_related("entered_in_error_by")
                .order_by("started_on", "recorded_at", "pk"))
    current = [t for t in rows if t.entered_in_error_at is None]
    trials = [TrialRow(t, trial_adequacy(_facts(t), kb)) for t in current]
    return trials, [t for t in rows if t.entered_in_error_at is not None], trd_status([_facts(t) for t in current], kb)


def trial_proposals(patient, recorded: list[TreatmentTrial], today: date) -> list[TrialProposal]:
    """Return the psychotropic medicines of the medication history not yet in the treatment history,
    with the highest dose and weeks taken as the record shows them (two queries)."""
    kb = load_kb()
    taken = {t.medication_id for t in recorded if t.medication_id}
    meds = [m for m in Medication.objects.filter(clinic_id=patient.clinic_id,
                                                 patient=patient).order_by("start_date", "pk")
            if m.pk not in taken and (entry := kb.ingredients.get(m.ingredient)) is not None and entry.psychotropic]
    highest: dict[int, Decimal] = {}
    for medication_id, dose in (DoseChange.objects.filter(medication__in=meds, new_dose_mg_per_day__isnull=False)
                                .values_list("medication_id", "new_dose_mg_per_day")):
        highest[medication_id] = max(highest.get(medication_id, dose), dose)
    proposals = []
    for m in meds:
        doses = [d for d in (m.dose_mg_per_day, highest.get(m.pk)) if d is not None]
        end = m.stop_date or today
        proposals.append(TrialProposal(medication_id=m.pk, drug=m.ingredient, max_dose_mg_per_day=max(doses)
                                       if doses else None, weeks=max((end - m.start_date).days // 7, 0),
                                       started_on=m.start_date, stop_reason=m.get_status_reason_display()
                                       if m.status_reason else "", current=m.stop_date is None))
    return proposals


def not_improving_prompt(patient, trials: list[TrialRow]) -> str:
    """Return the prompt for a current adequate trial without response, or "" (ScoreSummary flags it)."""
    from dosewise.assessments.models import ScoreSummary

    flagged = ScoreSummary.objects.filter(clinic_id=patient.clinic_id,
                                          patient=patient, not_improving=True).exists()
    current = [row for row in trials if row.trial.medication_id and row.adequacy.adequate is True
               and row.trial.response in ("none", "partial")]
    if not flagged and not current:
        return ""
    names = ", ".join(sorted({row.trial.drug for row in current}))
    if current:
        return (f"Not improving on an adequate trial ({names}): consider optimising the dose, switching or "
                "augmenting, and review adherence and the diagnosis.")
    return ("Scores are not improving: check whether the current trial is adequate in dose, duration and adherence "
            "before judging it (treatment history below).")


def chart_tab(access: PatientAccess, user) -> VisitsTab:
    """Return what the Visits tab shows this viewer, in a constant number of queries."""
    patient = access.patient
    today = clinic_today(patient.clinic)
    notes = list(VisitNote.objects.filter(clinic_id=patient.clinic_id,
                                          patient=patient).exclude(status=NoteStatus.DISCARDED)
                 .select_related("author", "signed_by", "supervisor", "cosignature")
                 .order_by("-visit_date", "-created_at")[:NOTE_LIMIT])
    rows = [NoteRow(n, policy.can_read_content(user, access, n)) for n in notes if n.is_signed
            or n.author_id == user.pk]
    trials, withdrawn, trd = treatment_history(patient)
    recipients = list(CareTeamMember.objects.filter(clinic_id=patient.clinic_id,
                                                    patient=patient, since__lte=today, until__isnull=True)
                      .select_related("member").order_by("team_role", "member__full_name"))
    can_history = policy.can_edit_history(user, access)
    return VisitsTab(
        notes=rows,
        drafts=[n for n in notes if n.status == NoteStatus.DRAFT and n.author_id == user.pk],
        to_cosign=[n for n in notes if n.is_signed and n.supervisor_id == user.pk
                   and _uncosigned(n)],
        templates=templates_available(patient.clinic) if policy.can_write_notes(user, access) else [],
        recipients=recipients,
        trials=trials,
        withdrawn_trials=withdrawn,
        trd=trd,
        not_improving_prompt=not_improving_prompt(patient, trials),
        proposals=trial_proposals(patient, [r.trial for r in trials] + withdrawn, today) if can_history else [],
        can_write=policy.can_write_notes(user, access),
        can_edit_history=can_history,
        today=today,
        decisions=_decisions(patient) if access.can("medications.view") else [],
    )


def _decisions(patient) -> list:
    from dosewise.visits.models import SharedDecision

    return list(SharedDecision.objects.filter(clinic_id=patient.clinic_id,
                                              patient=patient).select_related("created_by", "medication")
                .order_by("-created_at")[:10])


def _uncosigned(note: VisitNote) -> bool:
    try:
        return note.cosignature is None
    except NoteCosignature.DoesNotExist:
        return True


@dataclass(frozen=True)
class NotePage:
    note: VisitNote
    sections: list[dict]
    addenda: list[NoteAddendum]
    cosignature: NoteCosignature | None
    dispatches: list[LetterDispatch]
    is_author: bool
    can_cosign: bool
    can_add: bool
    can_send: bool


def note_get(access: PatientAccess, user, note_id: int) -> VisitNote:
    """Return one note of this patient the viewer may read (VisitNote.DoesNotExist, or PermissionDenied
    for a restricted note)."""
    if not policy.can_read_notes(user, access):
        raise PermissionDenied("Visit notes are for the patient's clinicians.")
    note = (VisitNote.objects.select_related("template", "author", "signed_by", "supervisor", "recipient__member",
                                             "patient__clinic")
            .get(clinic_id=access.patient.clinic_id, pk=note_id, patient=access.patient))
    if note.status != NoteStatus.SIGNED and note.author_id != user.pk:
        raise VisitNote.DoesNotExist("a draft is its author's until signed")
    if not policy.can_read_content(user, access, note):
        raise PermissionDenied("This is a sensitive note, restricted to the clinicians who need it "
                               "(45 CFR 164.501).")
    return note


def note_page(access: PatientAccess, user, note: VisitNote) -> NotePage:
    """Return the note with its addenda, co-signature and letter dispatches."""
    cosignature = NoteCosignature.objects.filter(note=note).select_related("cosigner").first()
    return NotePage(
        note=note, sections=note.section_list(),
        addenda=list(NoteAddendum.objects.filter(note=note).select_related("author").order_by("created_at", "pk")),
        cosignature=cosignature,
        dispatches=list(LetterDispatch.objects.filter(note=note).select_related("outbound_message", "created_by")
                        .order_by("-created_at")),
        is_author=note.author_id == user.pk,
        can_cosign=note.is_signed and cosignature is None and note.supervisor_id == user.pk
        and user.role in policy.COSIGNERS,
        can_add=note.is_signed and policy.can_write_notes(user, access),
        can_send=note.is_signed and note.kind == NoteKind.LETTER and not note.sensitive
        and access.can("clinical.edit"),
    )


def supervisors(user) -> list:
    """Return the prescribers of the user's clinic who may be asked to co-sign."""
    from dosewise.accounts.models import User

    return list(User.objects.filter(clinic_id=user.clinic_id, role="prescriber", is_active=True)
                .exclude(pk=user.pk).order_by("full_name"))


@dataclass(frozen=True)
class CandidateView:
    candidate: object  # clinical.decision_aid.Candidate
    findings: list  # safety findings of adding it to the current regimen (genotype included)
    past_trials: list[TreatmentTrial]


@dataclass(frozen=True)
class DecisionAid:
    candidates: list[CandidateView]
    priorities: list[tuple[str, str, str]]  # key, clinician label, patient question
    genotypes: list
    decisions: list


def decision_aid(access: PatientAccess, drugs: list[str], priorities: list[str]) -> DecisionAid:
    """Return the side-by-side comparison for this patient: the cited statements, the safety check
    of each candidate against the current regimen, genotypes and the patient's past trials."""
    from dosewise.clinical.decision_aid import PRIORITIES, compare_candidates
    from dosewise.medications.selectors import order_check
    from dosewise.patients.selectors import pgx_results
    from dosewise.visits.models import SharedDecision

    patient = access.patient
    trials = list(TreatmentTrial.objects.filter(clinic_id=patient.clinic_id,
                                                patient=patient, entered_in_error_at__isnull=True)
                  .order_by("started_on", "pk"))
    views = [CandidateView(candidate=c, findings=order_check(patient, drug=c.drug).findings if c.known else [],
                           past_trials=[t for t in trials if t.drug == c.drug])
             for c in compare_candidates(drugs, priorities)] if drugs else []
    return DecisionAid(candidates=views,
                       priorities=[(key, *PRIORITIES[key]) for key in priorities if key in PRIORITIES],
                       genotypes=pgx_results(patient),
                       decisions=list(SharedDecision.objects.filter(clinic_id=patient.clinic_id,
                                                                    patient=patient).select_related("created_by")
                                      .order_by("-created_at")[:20]))


def appointment_note(viewer, access: PatientAccess, appointment_id: int) -> VisitNote | None:
    """Return the note documenting the appointment that the viewer may open (their draft or a signed one)."""
    if not policy.can_read_notes(viewer, access):
        return None
    linked = (VisitNote.objects.filter(clinic_id=access.patient.clinic_id,
                                       patient=access.patient, appointment_ref=appointment_id)
              .exclude(status=NoteStatus.DISCARDED).order_by("-pk"))
    return next((n for n in linked if n.status == NoteStatus.SIGNED or n.author_id == viewer.pk), None)
