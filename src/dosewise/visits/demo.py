"""The demo clinic's documentation: an evaluation, a treatment history, a signed follow-up note with
an addendum and a letter, written through the same services a clinician uses."""

from __future__ import annotations

from datetime import timedelta

from dosewise.clinics.clock import clinic_today
from dosewise.clinics.roles import Capability
from dosewise.patients import services as patient_services
from dosewise.patients.models import CareTeamMember
from dosewise.patients.selectors import access_patient
from dosewise.visits import services
from dosewise.visits.models import NoteTemplate

EVALUATION_TEXT = {
    "referral_hpi": "Referred by her primary-care physician for low mood for five months after a job loss: poor "
                    "sleep, loss of interest, guilt, poor concentration. Two antidepressants tried this episode.",
    "family": "Mother treated for depression. No suicide in the family.",
    "social": "Lives with her partner; works part time. Walks most days. Supportive sister nearby. English speaking.",
    "mental_status": "Well groomed, cooperative. Speech normal. Mood 'flat', affect constricted. Thought process "
                     "linear; no psychotic features. Alert and oriented; insight and judgement good.",
    "safety_warning_signs": "Not sleeping for several nights; pulling away from her sister.",
    "safety_coping": "Walk the dog; music; a warm shower.",
    "safety_contacts": "Coffee with her sister; the park near home.",
    "safety_help": "Partner; sister.",
    "safety_professionals": "This clinic in office hours; 988 Suicide & Crisis Lifeline; 911 in an emergency.",
    "safety_means": "No firearms at home; partner keeps the medicines.",
    "formulation": "Recurrent depression with a psychosocial trigger, family loading, good supports.",
    "plan": "Start sertraline; PHQ-9 and GAD-7 every two weeks; psychotherapy referral.",
}


def _template(key: str) -> NoteTemplate:
    services.shipped_templates_ensure()
    return NoteTemplate.objects.get(clinic__isnull=True, key=key)


def _write(actor, access, note, sections: dict, *, review_all: bool = False, follow_up_weeks=None):
    reviewed = [s["key"] for s in note.template.sections] if review_all else []
    note = services.note_save(actor=actor, access=access, note_id=note.pk, expected_version=note.version,
                              changes=services.DraftChanges(sections={**note.sections, **sections}, reviewed=reviewed,
                                                            sensitive=False, supervisor_id=None,
                                                            follow_up_weeks=follow_up_weeks))
    return services.note_sign(actor=actor, access=access, note_id=note.pk, expected_version=note.version)


def visits_demo_load(patient, staff: dict) -> None:
    """Document the sertraline story: evaluation, treatment history, follow-up with addendum, letter."""
    from dosewise.clinics.roles import Role

    prescriber, therapist = staff[Role.PRESCRIBER], staff.get(Role.THERAPIST)
    today = clinic_today(patient.clinic)
    access = access_patient(prescriber, patient.pk, Capability.CLINICAL_EDIT)
    evaluation = services.note_start(actor=prescriber, access=access, template_id=_template("initial-evaluation").pk,
                                     visit_date=today - timedelta(days=13 * 14 + 7))
    _write(prescriber, access, evaluation, EVALUATION_TEXT, review_all=True)
    sertraline = patient.medications.filter(ingredient="sertraline").values_list("pk", flat=True).first()
    for drug, dose, weeks, response, reason in (
            ("fluoxetine", "40", 10, "partial", "partial response after 10 weeks"),
            ("escitalopram", "20", 8, "none", "no response"),
            ("sertraline", "100", 26, "remission", "")):
        current = drug == "sertraline"
        services.trial_record(actor=prescriber, access=access, trial=services.TrialInput(
            drug=drug, max_dose_mg_per_day=dose, weeks=weeks, adherence="good", response=response,
            stop_reason=reason, current_episode=True, side_effects="sexual side effects" if current else "",
            source="medication_history" if current else "interview", medication_id=sertraline if current else None))
    follow_up = services.note_start(actor=prescriber, access=access, template_id=_template("follow-up").pk,
                                    visit_date=today - timedelta(days=1))
    follow_up = _write(prescriber, access, follow_up, {
        "interval_history": "Feels well, back at work full time. Sexual side effects bother her.",
        "mental_status": "Euthymic, full affect, no suicidal thoughts.",
        "risk": "No suicidal ideation; protective factors strong.",
        "assessment": "Remission on sertraline 100 mg for six months; sexual side effects.",
        "plan": "Start the slow taper agreed with her next week; PHQ-9 every two weeks.",
    }, follow_up_weeks=4)
    services.addendum_add(actor=prescriber, access=access, note_id=follow_up.pk,
                          text="Phoned the next day: she has the taper calendar and knows who to call if low mood "
                               "returns.")
    if therapist is None:
        return
    member = CareTeamMember.objects.filter(clinic_id=patient.clinic_id,
                                           patient=patient, member=therapist, until__isnull=True).first()
    if member is None:
        member = patient_services.care_team_add(actor=prescriber, access=access_patient(
            prescriber, patient.pk, Capability.CARE_TEAM_MANAGE), member=therapist, team_role="therapist")
    letter = services.note_start(actor=prescriber, access=access, template_id=_template("letter").pk,
                                 recipient_id=member.pk)
    _write(prescriber, access, letter, {
        "reason": "Summary before the sertraline taper, for our joint care.",
        "request": "Please watch for early signs of relapse during the taper and tell us if they appear.",
        "plan": "Sertraline reduced in small steps every four weeks from next week; review in four weeks.",
    })
