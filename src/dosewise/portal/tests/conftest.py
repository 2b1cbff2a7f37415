"""Portal fixtures; the named people come from tests/conftest.py.

Pat (`patient_user`) is linked to Dana by an active portal account. Dana takes sertraline
and lamotrigine (Alice prescribed them ten days ago) and has a lamotrigine titration that
started ten days ago. Rosa, another patient of clinic A with the same care team, takes
quetiapine and has no portal account. Gina (`gina`) is Dana's sister and chosen helper: her
own sign-in opens Dana's appointments and messages, nothing else, until a year from today.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from tests.conftest import demographics

from dosewise.clinics.clock import clinic_today
from dosewise.medications import services as medication_services
from dosewise.patients import services as patient_services
from dosewise.patients.selectors import access_patient
from dosewise.portal.models import PortalAccount, PortalStatus, ProxyAccess
from dosewise.portal.selectors import portal_access


def link_portal(user, patient, invited_by) -> PortalAccount:
    """Link a patient-role user to a patient with an active portal account."""
    return PortalAccount.objects.create(clinic=patient.clinic, patient=patient, user=user, status=PortalStatus.ACTIVE,
                                        invited_at=timezone.now(), invited_by=invited_by, activated_at=timezone.now())


def email_consent(patient, actor) -> None:
    patient_services.consent_record(actor=actor, access=access_patient(actor, patient.pk), kind="email",
                                    method="paper")


@pytest.fixture
def dana_meds(dana, prescriber_a):
    access = access_patient(prescriber_a, dana.pk, "medications.prescribe")
    started = clinic_today(dana.clinic) - timedelta(days=10)
    sertraline = medication_services.medication_start(
        actor=prescriber_a, access=access, drug="sertraline", dose_mg_per_day=Decimal(50), frequency="once daily",
        instructions="Take it in the morning.", start_date=started)
    plan = medication_services.plan_create(actor=prescriber_a, access=access, kind="titration", drug="lamotrigine",
                                           start_date=started)
    lamotrigine = medication_services.medication_start(
        actor=prescriber_a, access=access, drug="lamotrigine", dose_mg_per_day=Decimal(25), frequency="once daily",
        start_date=started)
    return {"sertraline": sertraline, "lamotrigine": lamotrigine, "plan": plan}


@pytest.fixture
def pat(patient_user, dana, dana_meds, prescriber_a):
    """Return Pat's portal access to Dana (with her medicines and plan)."""
    email_consent(dana, prescriber_a)
    link_portal(patient_user, dana, prescriber_a)
    return portal_access(patient_user)


@pytest.fixture
def rosa(prescriber_a, therapist_a):
    """Return Rosa Reyes of clinic A, on quetiapine, with an e-mail consent and no portal account."""
    patient = patient_services.patient_register(actor=prescriber_a, data=demographics(
        legal_given_name="Rosa", legal_family_name="Reyes", email="rosa@example.org"))
    access = access_patient(prescriber_a, patient.pk, "medications.prescribe")
    patient_services.care_team_add(actor=prescriber_a, access=access, member=therapist_a, team_role="therapist")
    email_consent(patient, prescriber_a)
    medication_services.medication_start(actor=prescriber_a, access=access, drug="quetiapine",
                                         dose_mg_per_day=Decimal(100), frequency="at bedtime")
    return patient


def grant_proxy(patient, actor, *, email: str, name: str, scopes, relationship: str = "helper",
                consent_by: str = "patient", days: int = 365) -> ProxyAccess:
    """Give `email` proxy access to the patient through the staff service (the sign-in is created)."""
    from dosewise.portal import services as portal_services

    return portal_services.proxy_grant(
        actor=actor, access=access_patient(actor, patient.pk, "consent.record"), name=name, email=email,
        relationship=relationship, scopes=list(scopes), consent_by=consent_by,
        expires_on=clinic_today(patient.clinic) + timedelta(days=days),
        consent_words="Said at today's visit: my sister may help with appointments and messages.")


@pytest.fixture
def gina(pat, dana, prescriber_a):
    """Return Gina's proxy access to Dana (appointments and messages), her sign-in usable and active."""
    proxy = grant_proxy(dana, prescriber_a, email="gina@example.org", name="Gina Diaz",
                        scopes=["appointments", "messages"])
    proxy.user.set_password("gina-pass-2026")
    proxy.user.save(update_fields=["password"])
    ProxyAccess.objects.filter(pk=proxy.pk).update(status=PortalStatus.ACTIVE, activated_at=timezone.now())
    proxy.refresh_from_db()
    return proxy
