"""The patients app's part of the JSON API: search and one patient's chart header.

Same selectors and audit as the pages; mounted under /api/ by `config/api.py`."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from ninja import Router, Schema

from dosewise.audit.services import audit_record
from dosewise.clinics.roles import Capability
from dosewise.lib.access import require_clinic_staff
from dosewise.patients import selectors

router = Router(tags=["patients"])


class PatientSummary(Schema):
    id: int
    mrn: str
    display_name: str
    legal_name: str
    date_of_birth: date
    on_my_care_team: bool = False


class AllergyOut(Schema):
    substance: str
    category: str
    reaction: str
    severity: str
    verified: bool


class CareTeamOut(Schema):
    member: str
    team_role: str
    since: date


class PatientDetail(Schema):
    id: int
    mrn: str
    display_name: str
    legal_name: str
    pronouns: str
    date_of_birth: date
    age: int
    sex_at_birth: str
    preferred_language: str
    allergies: list[AllergyOut] | None
    care_team: list[CareTeamOut]


@router.get("/patients", response=list[PatientSummary], summary="Search patients by name prefix, birth date or MRN")
def patients_search(request, q: str):
    require_clinic_staff(request)
    results = selectors.patient_search(request.user, q)
    audit_record(action="patient.search", actor=request.user,
                 detail={"query": q[:100], "results": [p.pk for p in results], "via": "api"})
    return [PatientSummary(id=p.pk, mrn=p.mrn, display_name=p.display_name, legal_name=p.legal_name,
                           date_of_birth=p.date_of_birth, on_my_care_team=p.on_my_care_team) for p in results]


@router.get("/patients/{patient_id}", response=PatientDetail, summary="One patient's chart header")
def patient_detail(request, patient_id: int):
    require_clinic_staff(request)
    try:
        access = selectors.access_patient(request.user, patient_id, Capability.DEMOGRAPHICS_VIEW)
    except selectors.BreakGlassRequired:
        raise PermissionDenied from None
    header = selectors.chart_header(access)
    audit_record(action="chart.open", actor=request.user, patient=access.patient, detail={"via": "api"})
    patient = access.patient
    return PatientDetail(
        id=patient.pk, mrn=patient.mrn, display_name=patient.display_name, legal_name=patient.legal_name,
        pronouns=patient.pronouns, date_of_birth=patient.date_of_birth, age=header.age,
        sex_at_birth=patient.sex_at_birth, preferred_language=patient.preferred_language,
        allergies=[AllergyOut(substance=a.substance, category=a.category, reaction=a.reaction, severity=a.severity,
                              verified=a.verified) for a in header.allergies]
        if access.can(Capability.CLINICAL_VIEW) else None,
        care_team=[CareTeamOut(member=m.member.display_name, team_role=m.team_role, since=m.since)
                   for m in header.care_team],
    )
