"""Every read and write of health information leaves an audit event, in the same transaction."""

from __future__ import annotations

from datetime import date
from unittest import mock

import pyotp
import pytest
from django.db import DatabaseError, IntegrityError
from django.urls import reverse
from tests.conftest import PASSWORD, demographics, totp_code

from dosewise.accounts import services as account_services
from dosewise.accounts.models import User
from dosewise.audit.models import AuditEvent
from dosewise.clinics.models import Clinic
from dosewise.notifications.models import OutboundMessage
from dosewise.patients import services
from dosewise.patients.models import (
    Allergy,
    BreakGlassAccess,
    CareTeamMember,
    ClinicalContextEntry,
    Consent,
    Patient,
)
from dosewise.patients.selectors import access_patient


def events(action: str, **filters):
    return list(AuditEvent.objects.filter(action=action, **filters).order_by("id"))


@pytest.fixture
def alice(prescriber_a, as_user):
    return as_user(prescriber_a)


def test_opening_a_chart_is_audited(dana, prescriber_a, alice):
    alice.get(reverse("web:patient_chart_tab", args=[dana.pk, "medications"]), REMOTE_ADDR="10.1.2.3",
              HTTP_USER_AGENT="ClinicPC/1.0")
    [event] = events("chart.open", patient=dana)
    assert event.actor == prescriber_a and event.actor_role == "prescriber" and event.clinic_id == dana.clinic_id
    assert event.detail == {"tab": "medications", "via": "care_team"}
    assert (event.ip, event.user_agent, event.outcome) == ("10.1.2.3", "ClinicPC/1.0", "success")


def test_opening_a_chart_through_the_api_is_audited(dana, prescriber_a, alice):
    alice.get(f"/api/patients/{dana.pk}")
    [event] = events("chart.open", patient=dana)
    assert event.detail == {"via": "api"}


def test_search_results_shown_are_audited_with_the_patients_shown(dana, prescriber_a, alice):
    alice.get(reverse("patients:patient_search"), {"q": "diaz"})
    alice.get("/api/patients", {"q": "1985-04-12"})
    web, api = events("patient.search", actor=prescriber_a)
    assert web.detail == {"query": "diaz", "results": [dana.pk]}
    assert api.detail == {"query": "1985-04-12", "results": [dana.pk], "via": "api"}


def test_an_empty_search_shows_nothing_and_records_nothing(prescriber_a, alice):
    alice.get(reverse("patients:patient_search"))
    assert events("patient.search") == []


def test_the_home_list_of_patients_is_audited(dana, prescriber_a, alice):
    alice.get(reverse("web:home"))
    [event] = events("patient.list", actor=prescriber_a)
    assert event.detail == {"count": 1, "list": "my_patients"}


def test_register_update_allergy_context_consent_and_care_team_are_audited(dana, prescriber_a, nurse_a):
    access = access_patient(prescriber_a, dana.pk, "clinical.edit")
    assert [e.action for e in AuditEvent.objects.filter(patient=dana).order_by("id")] == [
        "patient.register", "care_team.add", "care_team.add", "allergy.add", "consent.record"]
    services.patient_update(actor=prescriber_a, access=access, expected_version=dana.version,
                            data={"preferred_name": "Dee"})
    allergy = Allergy.objects.get(patient=dana)
    services.allergy_mark_entered_in_error(actor=prescriber_a, access=access, allergy_id=allergy.pk,
                                           reason="belongs to her sister")
    services.context_record(actor=prescriber_a, access=access, kind="egfr", value="55",
                            effective_date=date(2025, 3, 1))
    consent = Consent.objects.get(patient=dana)
    services.consent_revoke(actor=prescriber_a, access=access, consent_id=consent.pk, method="verbal")
    membership = services.care_team_add(actor=prescriber_a, access=access, member=nurse_a, team_role="nurse")
    services.care_team_end(actor=prescriber_a, access=access, membership_id=membership.pk)
    later = AuditEvent.objects.filter(patient=dana).order_by("id")[5:]
    assert [(e.action, e.object_type) for e in later] == [
        ("patient.update", "patients.patient"),
        ("allergy.entered_in_error", "patients.allergy"),
        ("clinical_context.record", "patients.clinicalcontextentry"),
        ("consent.revoke", "patients.consent"),
        ("care_team.add", "patients.careteammember"),
        ("care_team.end", "patients.careteammember"),
    ]
    assert later[0].detail == {"fields": ["preferred_name"]}
    assert all(e.actor == prescriber_a for e in later)


def test_a_write_through_a_page_is_audited_with_its_patient(dana, prescriber_a, alice):
    alice.post(reverse("patients:allergy_add", args=[dana.pk]),
               {"substance": "carbamazepine", "category": "allergy", "reaction": "SJS", "severity": "severe"})
    [event] = [e for e in events("allergy.add", patient=dana) if e.detail["substance"] == "carbamazepine"]
    assert event.object_id == str(Allergy.objects.get(substance="carbamazepine").pk)


def test_sign_in_and_a_failed_sign_in_are_audited(prescriber_a, client):
    client.post(reverse("account_login"), {"login": prescriber_a.email, "password": "not-the-password"})
    [failed] = events("auth.login_failed")
    assert failed.actor == prescriber_a and failed.outcome == "failure"
    client.post(reverse("account_login"), {"login": prescriber_a.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_code(prescriber_a)})
    [login] = events("auth.login")
    assert login.actor == prescriber_a and login.outcome == "success"


def test_a_failed_sign_in_for_an_unknown_address_is_audited_on_chain_zero(db, client):
    client.post(reverse("account_login"), {"login": "ghost@example.org", "password": "whatever-it-is"})
    [failed] = events("auth.login_failed")
    assert failed.actor is None and failed.actor_email == "ghost@example.org" and failed.chain == 0
    assert failed.detail == {"unknown_account": True}


def test_adding_an_authenticator_is_audited(make_staff, clinic_a, client, django_capture_on_commit_callbacks):
    newcomer = make_staff("nora@northside.test", "Nora New", "nurse", clinic_a, totp=False)
    client.post(reverse("account_login"), {"login": newcomer.email, "password": PASSWORD})
    # The password just typed counts as the recent confirmation: enrolment opens at once.
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session["mfa.totp.secret"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    added = events("mfa.added")
    assert [(e.actor, e.detail["type"]) for e in added] == [(newcomer, "totp"), (newcomer, "recovery_codes")]


# A database error anywhere in a service removes the change and its audit event together.

def _register(p):
    services.patient_register(actor=p["prescriber_a"], data=demographics(legal_given_name="Rita"))


def _update(p):
    access = access_patient(p["prescriber_a"], p["dana"].pk, "demographics.edit")
    services.patient_update(actor=p["prescriber_a"], access=access, expected_version=p["dana"].version,
                            data={"preferred_name": "Dee"})


def _allergy(p):
    services.allergy_add(actor=p["prescriber_a"], access=access_patient(p["prescriber_a"], p["dana"].pk,
                                                                        "clinical.edit"),
                         substance="latex", category="allergy", reaction="", severity="mild", verified=False)


def _entered_in_error(p):
    services.allergy_mark_entered_in_error(
        actor=p["prescriber_a"], access=access_patient(p["prescriber_a"], p["dana"].pk, "clinical.edit"),
        allergy_id=Allergy.objects.get(patient=p["dana"]).pk, reason="wrong chart")


def _context(p):
    services.context_record(actor=p["prescriber_a"], access=access_patient(p["prescriber_a"], p["dana"].pk,
                                                                           "clinical.edit"),
                            kind="weight", value="70", effective_date=date(2025, 1, 1))


def _consent(p):
    services.consent_record(actor=p["prescriber_a"], access=access_patient(p["prescriber_a"], p["dana"].pk),
                            kind="email", method="paper")


def _revoke(p):
    services.consent_revoke(actor=p["prescriber_a"], access=access_patient(p["prescriber_a"], p["dana"].pk),
                            consent_id=Consent.objects.get(patient=p["dana"]).pk, method="paper")


def _care_team(p):
    services.care_team_add(actor=p["prescriber_a"], access=access_patient(p["prescriber_a"], p["dana"].pk),
                           member=p["nurse_a"], team_role="nurse")


def _care_team_end(p):
    membership = CareTeamMember.objects.get(patient=p["dana"], member__role="therapist")
    services.care_team_end(actor=p["prescriber_a"], access=access_patient(p["prescriber_a"], p["dana"].pk),
                           membership_id=membership.pk)


def _break_glass(p):
    services.break_glass_grant(actor=p["colleague_a"], patient=p["dana"], reason="called by the ED at night")


def _invite(p):
    account_services.staff_invite(actor=p["admin_a"], email="ivy@northside.test", full_name="Ivy Invite",
                                  role="nurse")


def _deactivate(p):
    account_services.staff_set_active(actor=p["admin_a"], user_id=p["nurse_a"].pk, active=False)


def _snapshot(p) -> tuple:
    dana = Patient.objects.get(pk=p["dana"].pk)
    return (
        Patient.objects.count(), Clinic.objects.get(pk=dana.clinic_id).mrn_next, dana.preferred_name, dana.version,
        Allergy.objects.filter(entered_in_error_at__isnull=True).count(), Allergy.objects.count(),
        ClinicalContextEntry.objects.count(), Consent.objects.filter(revoked_at__isnull=True).count(),
        Consent.objects.count(), CareTeamMember.objects.filter(until__isnull=True).count(),
        CareTeamMember.objects.count(), BreakGlassAccess.objects.count(), User.objects.count(),
        User.objects.filter(is_active=True).count(), OutboundMessage.objects.count(), AuditEvent.objects.count(),
    )


SERVICE_WRITES = [
    ("patient_register", _register, services), ("patient_update", _update, services),
    ("allergy_add", _allergy, services), ("allergy_entered_in_error", _entered_in_error, services),
    ("context_record", _context, services), ("consent_record", _consent, services),
    ("consent_revoke", _revoke, services), ("care_team_add", _care_team, services),
    ("care_team_end", _care_team_end, services), ("break_glass_grant", _break_glass, services),
    ("staff_invite", _invite, account_services), ("staff_deactivate", _deactivate, account_services),
]


@pytest.fixture
def world(people, dana):
    return {**people, "dana": dana}


@pytest.mark.parametrize("name, write, module", SERVICE_WRITES, ids=[w[0] for w in SERVICE_WRITES])
def test_the_write_works_and_adds_audit_events(name, write, module, world):
    before = AuditEvent.objects.count()
    write(world)
    assert AuditEvent.objects.count() > before


@pytest.mark.parametrize("name, write, module", SERVICE_WRITES, ids=[w[0] for w in SERVICE_WRITES])
def test_a_failing_audit_write_rolls_back_the_change(name, write, module, world):
    before = _snapshot(world)
    with (
        mock.patch.object(module, "audit_record", side_effect=DatabaseError("disk I/O error")),
        pytest.raises(DatabaseError),
    ):
        write(world)
    assert _snapshot(world) == before


@pytest.mark.parametrize("model, write", [(Allergy, _allergy), (Consent, _consent), (ClinicalContextEntry, _context)],
                         ids=["allergy", "consent", "context"])
def test_a_failing_save_leaves_no_audit_event(model, write, world):
    before = _snapshot(world)
    with (
        mock.patch.object(model, "save", side_effect=IntegrityError("constraint failed")),
        pytest.raises(IntegrityError),
    ):
        write(world)
    assert _snapshot(world) == before


def test_a_failure_after_the_audit_event_removes_it_too(world):
    # patient_register audits the registration, then adds the care team; if that fails, neither stays.
    before = _snapshot(world)
    with (
        mock.patch.object(CareTeamMember.objects, "create", side_effect=IntegrityError("care team")),
        pytest.raises(IntegrityError),
    ):
        _register(world)
    assert _snapshot(world) == before
    assert not AuditEvent.objects.filter(action="patient.register", detail__mrn="NA000002").exists()
