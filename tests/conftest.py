"""The named test people of Dosewise, used by every test directory.

Two clinics. In clinic A (Northside): Alice (prescriber, on Dana's care team), Bob
(prescriber, not on it), Nina (nurse, not on it), Theo (therapist, on it), Fran (front
desk) and Ada (clinic admin). In clinic B (Southside): Carol (prescriber) and her patient
Evan. Pat has a patient account and no staff access. Anonymous is nobody at all.

Every staff person has a TOTP authenticator; `as_user(person)` gives a test client that
is signed in and past the MFA gate. Tests that are about signing in use the real flow.

The root `conftest.py` loads this module as a plugin so the per-app tests under
`src/dosewise/*/tests/` see the same people.

Test-wide settings (the `_test_settings` fixture): a fast password hasher, and the
immediate task backend so an outbox message is delivered when its transaction commits.
The database cache of the settings is kept: Django creates its table with the test
database, and each test's rollback clears the login rate-limit counters.
"""

from __future__ import annotations

from datetime import date

import pyotp
import pytest
from django.test import Client

from dosewise.lib.permission_matrix import ORDER as PERMISSION_MATRIX_ORDER

PASSWORD = "violet-harbour-lantern-93"

PEOPLE = ("anonymous", "patient_user", "prescriber_a", "colleague_a", "nurse_a", "therapist_a", "front_desk_a",
          "admin_a", "clinician_b")
assert set(PEOPLE) == set(PERMISSION_MATRIX_ORDER), "the apps' permission matrices must try every named person"


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Audit checkpoints: a fixed test key, and no file outside the test database (a test that is
    # about the file points AUDIT_CHECKPOINT_FILE at its own temporary one).
    settings.AUDIT_KEY = "test-audit-key-not-for-production"
    settings.AUDIT_CHECKPOINT_FILE = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def make_staff(db):
    """Return a factory of users; staff get a TOTP authenticator unless `totp=False`."""
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator

    from dosewise.accounts.models import User

    def make(email: str, full_name: str, role: str, clinic, *, credentials: str = "", totp: bool = True):
        user = User.objects.create_user(email=email, password=PASSWORD, full_name=full_name, role=role,
                                        clinic=clinic, credentials=credentials)
        user.totp_secret = ""
        if totp:
            user.totp_secret = pyotp.random_base32()
            Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP,
                                         data={"secret": get_adapter().encrypt(user.totp_secret)})
        return user

    return make


def _clinic(name: str, slug: str, prefix: str):
    from dosewise.clinics.models import Clinic
    from dosewise.demo import consent_texts_create

    clinic = Clinic.objects.create(name=name, slug=slug, mrn_prefix=prefix, timezone="America/Chicago")
    consent_texts_create(clinic)
    return clinic


@pytest.fixture
def clinic_a(db):
    return _clinic("Northside Psychiatry", "northside", "NA")


@pytest.fixture
def clinic_b(db):
    return _clinic("Southside Behavioral Health", "southside", "SB")


@pytest.fixture
def prescriber_a(make_staff, clinic_a):
    return make_staff("alice@northside.test", "Alice Adams", "prescriber", clinic_a, credentials="MD")


@pytest.fixture
def colleague_a(make_staff, clinic_a):
    return make_staff("bob@northside.test", "Bob Brown", "prescriber", clinic_a, credentials="DO")


@pytest.fixture
def nurse_a(make_staff, clinic_a):
    return make_staff("nina@northside.test", "Nina Nash", "nurse", clinic_a, credentials="RN")


@pytest.fixture
def therapist_a(make_staff, clinic_a):
    return make_staff("theo@northside.test", "Theo Tran", "therapist", clinic_a, credentials="LCSW")


@pytest.fixture
def front_desk_a(make_staff, clinic_a):
    return make_staff("fran@northside.test", "Fran Fox", "front_desk", clinic_a)


@pytest.fixture
def admin_a(make_staff, clinic_a):
    return make_staff("ada@northside.test", "Ada Admin", "clinic_admin", clinic_a)


@pytest.fixture
def clinician_b(make_staff, clinic_b):
    return make_staff("carol@southside.test", "Carol Clark", "prescriber", clinic_b, credentials="MD")


@pytest.fixture
def patient_user(make_staff, clinic_a):
    return make_staff("pat@example.org", "Pat Person", "patient", clinic_a, totp=False)


@pytest.fixture
def anonymous():
    return None


def demographics(**overrides) -> dict:
    """Return valid demographics for patient_register (a new person unless overridden)."""
    data = {"legal_given_name": "Dana", "legal_family_name": "Diaz", "date_of_birth": date(1985, 4, 12),
            "sex_at_birth": "female", "pronouns": "she/her", "email": "dana@example.org",
            "preferred_language": "English"}
    data.update(overrides)
    return data


@pytest.fixture
def dana(prescriber_a, therapist_a):
    """Return Dana Diaz of clinic A: Alice and Theo on her care team, one allergy, one consent."""
    from dosewise.patients import services
    from dosewise.patients.selectors import access_patient

    patient = services.patient_register(actor=prescriber_a, data=demographics())
    access = access_patient(prescriber_a, patient.pk, "clinical.edit")
    services.care_team_add(actor=prescriber_a, access=access, member=therapist_a, team_role="therapist")
    services.allergy_add(actor=prescriber_a, access=access, substance="penicillin", category="allergy",
                         reaction="hives", severity="moderate", verified=True)
    services.consent_record(actor=prescriber_a, access=access, kind="treatment", method="paper")
    patient.refresh_from_db()
    return patient


@pytest.fixture
def evan(clinician_b):
    """Return Evan Ellis of clinic B, on Carol's care team."""
    from dosewise.patients import services

    return services.patient_register(actor=clinician_b, data=demographics(
        legal_given_name="Evan", legal_family_name="Ellis", date_of_birth=date(1979, 9, 30), sex_at_birth="male",
        pronouns="he/him", email="evan@example.org"))


def sign_in(client: Client, user) -> Client:
    """Sign the client in as `user`, past the MFA gate (the user has a TOTP authenticator)."""
    from dosewise.accounts.middleware import MFA_OK_KEY

    client.force_login(user)
    session = client.session
    session[MFA_OK_KEY] = True
    session.save()
    return client


@pytest.fixture
def as_user(db):
    """Return a factory: `as_user(person)` is a client signed in as that person (None: anonymous)."""

    def make(user) -> Client:
        client = Client()
        return client if user is None else sign_in(client, user)

    return make


@pytest.fixture
def people(request):
    """Return every named person (builds them all), by fixture name."""
    return {name: request.getfixturevalue(name) for name in PEOPLE}


def totp_code(user) -> str:
    return pyotp.TOTP(user.totp_secret).now()


@pytest.fixture
def audit_rows_cleared(transactional_db):
    """Empty the append-only audit table (and the locked visit notes) after a transactional test
    (a live server, a backup restore), so the database flush can run.

    The audit table refuses DELETE through triggers (on SQLite, Django flushes with DELETE;
    PostgreSQL's TRUNCATE does not fire them). Lift the triggers, delete the rows, put the
    triggers back: the next test, browser or not, runs against the real rules again.
    """
    yield
    from django.db import connection

    from dosewise.audit.services import APPEND_ONLY, audit_triggers_sql

    # Seals and checkpoints first: seals refer to their events.
    for prefix in ("audit_checkpoint", "audit_seal", "audit_event"):
        create, drop = audit_triggers_sql(connection.vendor, prefix)
        with connection.cursor() as cursor:
            for statement in drop:
                cursor.execute(statement)
            cursor.execute(f"DELETE FROM {APPEND_ONLY[prefix]}")
            for statement in create:
                cursor.execute(statement)
    _signed_notes_cleared(connection)


def _signed_notes_cleared(connection) -> None:
    """Signed visit notes and their addenda refuse DELETE in the same way (the demo writes some)."""
    from django.apps import apps

    if not apps.is_installed("dosewise.visits"):
        return
    from dosewise.visits.services import note_triggers_sql

    create, drop = note_triggers_sql(connection.vendor)
    tables = [apps.get_model("visits", name)._meta.db_table
              for name in ("LetterDispatch", "NoteCosignature", "NoteAddendum", "SharedDecision", "VisitNote")]
    with connection.cursor() as cursor:
        for statement in drop:
            cursor.execute(statement)
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")
        for statement in create:
            cursor.execute(statement)
