"""Roles and what each may do: the one place the access rules are written down.

The vocabulary every app checks access against, so it lives at the bottom of the house with
the clinic (the tenant whose members hold the roles) rather than in `accounts`, which itself
writes audit events and e-mails and so sits above them.

Clinical roles work on patients whose care team they belong to; front desk and clinic
admins see demographics and consents of every patient of their clinic but no clinical
record. Anyone may use break-glass access, which is logged and reported.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    PRESCRIBER = "prescriber", "Prescriber"
    NURSE = "nurse", "Nurse"
    THERAPIST = "therapist", "Therapist"
    FRONT_DESK = "front_desk", "Front desk"
    CLINIC_ADMIN = "clinic_admin", "Clinic admin"
    PATIENT = "patient", "Patient"


STAFF_ROLES = frozenset({Role.PRESCRIBER, Role.NURSE, Role.THERAPIST, Role.FRONT_DESK, Role.CLINIC_ADMIN})
CLINICAL_ROLES = frozenset({Role.PRESCRIBER, Role.NURSE, Role.THERAPIST})


class Capability(models.TextChoices):
    PATIENT_REGISTER = "patient.register"
    PATIENT_SEARCH = "patient.search"
    DEMOGRAPHICS_VIEW = "demographics.view"
    DEMOGRAPHICS_EDIT = "demographics.edit"
    CONSENT_RECORD = "consent.record"
    CLINICAL_VIEW = "clinical.view"
    CLINICAL_EDIT = "clinical.edit"
    MEDICATIONS_VIEW = "medications.view"
    MONITORING_VIEW = "monitoring.view"
    CARE_TEAM_MANAGE = "care_team.manage"
    STAFF_MANAGE = "staff.manage"
    AUDIT_VIEW = "audit.view"
    PATIENT_MERGE = "patient.merge"
    ASSESSMENTS_ADMINISTER = "assessments.administer"
    # The clinic-wide measurement registry (collaborative care): see docs/decisions/0005.
    CASELOAD_CLINIC = "caseload.clinic"
    # Prescribe and change clinic orders; record medicines from elsewhere; read the override report.
    MEDICATIONS_PRESCRIBE = "medications.prescribe"
    MEDICATIONS_RECORD = "medications.record"
    MEDICATIONS_OVERRIDE_REPORT = "medications.override_report"


_ALL_PATIENT = {Capability.PATIENT_SEARCH, Capability.DEMOGRAPHICS_VIEW}

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.PRESCRIBER: frozenset(_ALL_PATIENT | {
        Capability.PATIENT_REGISTER, Capability.DEMOGRAPHICS_EDIT, Capability.CONSENT_RECORD,
        Capability.CLINICAL_VIEW, Capability.CLINICAL_EDIT, Capability.MEDICATIONS_VIEW,
        Capability.MONITORING_VIEW, Capability.CARE_TEAM_MANAGE, Capability.ASSESSMENTS_ADMINISTER,
        Capability.CASELOAD_CLINIC, Capability.MEDICATIONS_PRESCRIBE, Capability.MEDICATIONS_RECORD,
        Capability.MEDICATIONS_OVERRIDE_REPORT,
    }),
    Role.NURSE: frozenset(_ALL_PATIENT | {
        Capability.PATIENT_REGISTER, Capability.DEMOGRAPHICS_EDIT, Capability.CONSENT_RECORD,
        Capability.CLINICAL_VIEW, Capability.CLINICAL_EDIT, Capability.MEDICATIONS_VIEW,
        Capability.MONITORING_VIEW, Capability.ASSESSMENTS_ADMINISTER, Capability.CASELOAD_CLINIC,
        Capability.MEDICATIONS_RECORD,
    }),
    # A therapist sees the plan and the trajectory, not labs or the editing tools.
    Role.THERAPIST: frozenset(_ALL_PATIENT | {Capability.CLINICAL_VIEW, Capability.MEDICATIONS_VIEW,
                                              Capability.ASSESSMENTS_ADMINISTER}),
    Role.FRONT_DESK: frozenset(_ALL_PATIENT | {
        Capability.PATIENT_REGISTER, Capability.DEMOGRAPHICS_EDIT, Capability.CONSENT_RECORD,
    }),
    Role.CLINIC_ADMIN: frozenset(_ALL_PATIENT | {
        Capability.PATIENT_REGISTER, Capability.DEMOGRAPHICS_EDIT, Capability.CONSENT_RECORD,
        Capability.CARE_TEAM_MANAGE, Capability.STAFF_MANAGE, Capability.AUDIT_VIEW,
        Capability.MEDICATIONS_OVERRIDE_REPORT, Capability.PATIENT_MERGE,
    }),
    Role.PATIENT: frozenset(),
}

# Capabilities that touch the clinical record need care-team membership (or break-glass).
CARE_TEAM_CAPABILITIES = frozenset({
    Capability.CLINICAL_VIEW, Capability.CLINICAL_EDIT, Capability.MEDICATIONS_VIEW, Capability.MONITORING_VIEW,
    Capability.ASSESSMENTS_ADMINISTER, Capability.MEDICATIONS_PRESCRIBE, Capability.MEDICATIONS_RECORD,
})


def role_can(role: str, capability: str) -> bool:
    """Return whether the role carries the capability at all (before care-team rules)."""
    return capability in ROLE_CAPABILITIES.get(role, frozenset())
