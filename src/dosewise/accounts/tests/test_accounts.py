"""Signing in with a password and an authenticator code, lockout, idle expiry, MFA enrolment,
password reset through the outbox, and staff administration by a clinic admin."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from tests.conftest import PASSWORD, totp_code

from dosewise.accounts import services
from dosewise.accounts.middleware import LAST_SEEN_KEY
from dosewise.accounts.models import User
from dosewise.audit.models import AuditEvent
from dosewise.notifications.models import OutboundMessage

LOGIN = "/accounts/login/"


def sign_in_for_real(client, user, password=PASSWORD):
    """Post the password, then the authenticator code; return the last response."""
    first = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert first.status_code == 302 and first["Location"] == reverse("mfa_authenticate")
    return client.post(reverse("mfa_authenticate"), {"code": totp_code(user)})


def test_password_and_authenticator_code_sign_in_ends_on_the_home_page(prescriber_a, dana, client):
    response = sign_in_for_real(client, prescriber_a)
    assert response.status_code == 302 and response["Location"] == reverse("web:home")
    home = client.get(response["Location"])
    assert home.status_code == 200 and b"Your patients" in home.content and dana.mrn.encode() in home.content


def test_the_password_alone_does_not_sign_a_staff_member_in(prescriber_a, client):
    client.post(reverse("account_login"), {"login": prescriber_a.email, "password": PASSWORD})
    assert client.get(reverse("web:home"))["Location"].startswith(LOGIN)


def test_a_wrong_authenticator_code_does_not_sign_in(prescriber_a, client):
    client.post(reverse("account_login"), {"login": prescriber_a.email, "password": PASSWORD})
    code = pyotp.TOTP(prescriber_a.totp_secret)
    wrong = next(c for c in ("000000", "111111", "222222") if c not in {code.now(), code.at(time.time() - 30),
                                                                          code.at(time.time() + 30)})
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200 and b"Incorrect code" in response.content
    assert client.get(reverse("web:home"))["Location"].startswith(LOGIN)
    assert AuditEvent.objects.filter(action="mfa.failed", actor=prescriber_a, outcome="failure").exists()


def test_a_wrong_password_is_refused(prescriber_a, client):
    response = client.post(reverse("account_login"), {"login": prescriber_a.email, "password": "guess-guess-1"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_after_five_failed_logins_the_correct_password_is_refused(prescriber_a, client):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": prescriber_a.email, "password": "wrong-password-x"})
    response = client.post(reverse("account_login"), {"login": prescriber_a.email, "password": PASSWORD})
    assert response.status_code == 200
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="auth.login_failed", actor=prescriber_a).count() >= 5


def test_the_lockout_is_per_account(prescriber_a, colleague_a, client):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": prescriber_a.email, "password": "wrong-password-x"})
    response = client.post(reverse("account_login"), {"login": colleague_a.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")


def test_staff_without_an_authenticator_are_sent_to_enrolment_from_every_page(make_staff, clinic_a, dana, client):
    newcomer = make_staff("nora@northside.test", "Nora New", "nurse", clinic_a, totp=False)
    response = client.post(reverse("account_login"), {"login": newcomer.email, "password": PASSWORD})
    assert response.status_code == 302
    enrol = reverse("mfa_activate_totp")
    for path in ("/", "/patients/?q=diaz", f"/patients/{dana.pk}/", "/patients/new/", "/admin/audit/",
                 "/api/patients?q=diaz", f"/api/patients/{dana.pk}"):
        answer = client.get(path)
        assert (answer.status_code, answer.get("Location")) == (302, enrol), path
    assert client.post(f"/patients/{dana.pk}/allergies/", {"substance": "x"})["Location"] == enrol
    assert client.get("/healthz").status_code == 200
    # Account pages stay reachable, so that the person can enrol.
    for path in (enrol, reverse("mfa_index"), reverse("account_reauthenticate")):
        answer = client.get(path)
        assert answer.get("Location") != enrol, path
        assert answer.status_code in (200, 302), path
    assert not AuditEvent.objects.filter(actor=newcomer, action__in=["chart.open", "patient.search"]).exists()


def test_a_patient_account_is_not_asked_to_enrol_but_sees_no_staff_page(patient_user, as_user):
    page = as_user(patient_user).get(reverse("web:home"))
    assert page.status_code == 403 and b"This area is for clinic staff" in page.content


def test_a_staff_session_ends_after_the_idle_timeout(prescriber_a, as_user, settings):
    settings.STAFF_IDLE_TIMEOUT_MINUTES = 1
    client = as_user(prescriber_a)
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 45
    session.save()
    assert client.get(reverse("web:home")).status_code == 200

    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 61
    session.save()
    response = client.get(reverse("patients:patient_search"))
    assert response.status_code == 302 and response["Location"] == f"{LOGIN}?next=/patients/"
    assert client.get(reverse("web:home"))["Location"].startswith(LOGIN)
    assert AuditEvent.objects.filter(action="auth.logout", actor=prescriber_a).exists()


def test_password_reset_mail_goes_through_the_outbox(prescriber_a, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": prescriber_a.email})
    assert response.status_code == 302
    [message] = OutboundMessage.objects.all()
    assert (message.to, message.purpose, message.status) == (prescriber_a.email, "password_reset_key", "sent")
    [sent] = mail.outbox
    assert sent.to == [prescriber_a.email] and sent.body == message.body
    assert "/accounts/password/reset/key/" in sent.body


def test_an_outbox_message_is_not_sent_when_its_transaction_rolls_back(prescriber_a, client,
                                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("account_reset_password"), {"email": prescriber_a.email})
    assert len(callbacks) == 1 and mail.outbox == []
    assert OutboundMessage.objects.get().status == "pending"


def _invite(admin_client, django_capture_on_commit_callbacks, **overrides):
    data = {"full_name": "Ivy Invite", "email": "Ivy@Northside.test", "role": "nurse", "credentials": "RN"}
    data.update(overrides)
    with django_capture_on_commit_callbacks(execute=True):
        return admin_client.post(reverse("accounts:staff_list"), data)


def test_an_admin_invites_a_colleague_whose_link_sets_a_password(admin_a, as_user, client,
                                                                django_capture_on_commit_callbacks):
    response = _invite(as_user(admin_a), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    ivy = User.objects.get(email="ivy@northside.test")
    assert (ivy.clinic, ivy.role, ivy.has_usable_password()) == (admin_a.clinic, "nurse", False)
    [sent] = mail.outbox
    assert sent.to == ["ivy@northside.test"] and "Northside Psychiatry" in sent.subject
    found = re.search(r"(\S+)(/accounts/password/reset/key/\S+)", sent.body)
    # The link is on the configured site, whatever Host the request that caused it named.
    assert found.group(1) == django_settings.SITE_URL
    link = found.group(2)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and b"password1" in form_page.content
    new_password = "tangerine-cobalt-meadow-17"
    done = client.post(form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    ivy.refresh_from_db()
    assert ivy.check_password(new_password)
    # The link works once.
    assert b"password1" not in client.get(link, follow=True).content

    signed_in = client.post(reverse("account_login"), {"login": "ivy@northside.test", "password": new_password})
    assert signed_in.status_code == 302
    assert client.get("/")["Location"] == reverse("mfa_activate_totp")
    assert AuditEvent.objects.filter(action="staff.invite", actor=admin_a, object_id=str(ivy.pk)).exists()


def test_an_invitation_to_an_existing_address_is_refused(admin_a, colleague_a, as_user,
                                                        django_capture_on_commit_callbacks):
    response = _invite(as_user(admin_a), django_capture_on_commit_callbacks, email=colleague_a.email)
    assert response.status_code == 200 and b"already exists" in response.content
    assert mail.outbox == [] and not OutboundMessage.objects.exists()


def test_a_deactivated_colleague_is_signed_out_on_the_next_request(admin_a, colleague_a, as_user):
    bob = as_user(colleague_a)
    assert bob.get(reverse("web:home")).status_code == 200
    response = as_user(admin_a).post(reverse("accounts:staff_set_active", args=[colleague_a.pk]), {"active": "0"})
    assert response.status_code == 302
    colleague_a.refresh_from_db()
    assert not colleague_a.is_active and colleague_a.deactivated_by == admin_a
    answer = bob.get(reverse("web:home"))
    assert answer.status_code == 302 and answer["Location"].startswith(LOGIN)
    assert bob.get("/api/patients", {"q": "x"}).status_code == 401
    refused = bob.post(reverse("account_login"), {"login": colleague_a.email, "password": PASSWORD})
    assert refused.status_code == 302 and refused["Location"] == reverse("account_inactive")
    assert bob.get(reverse("web:home"))["Location"].startswith(LOGIN)
    assert AuditEvent.objects.filter(action="staff.deactivate", actor=admin_a, object_id=str(colleague_a.pk)).exists()

    services.staff_set_active(actor=admin_a, user_id=colleague_a.pk, active=True)
    colleague_a.refresh_from_db()
    assert colleague_a.is_active and colleague_a.deactivated_at is None


def test_an_admin_cannot_deactivate_themselves_nor_another_clinics_staff(admin_a, clinician_b):
    with pytest.raises(ValidationError):
        services.staff_set_active(actor=admin_a, user_id=admin_a.pk, active=False)
    with pytest.raises(User.DoesNotExist):
        services.staff_set_active(actor=admin_a, user_id=clinician_b.pk, active=False)
    clinician_b.refresh_from_db()
    assert clinician_b.is_active


def test_only_a_clinic_admin_manages_staff(prescriber_a):
    with pytest.raises(PermissionDenied):
        services.staff_invite(actor=prescriber_a, email="x@northside.test", full_name="X", role="nurse")


def test_an_invitation_checks_its_input(admin_a):
    with pytest.raises(ValidationError) as exc:
        services.staff_invite(actor=admin_a, email="not-an-address", full_name=" ", role="patient")
    assert set(exc.value.error_dict) == {"email", "full_name", "role"}
    assert not OutboundMessage.objects.exists()


def test_the_demo_totp_command_prints_the_code_an_authenticator_app_shows(capsys):
    from django.core.management import call_command

    from dosewise.demo import DEMO_USERS, demo_totp_secret
    from dosewise.web.management.commands.demo_totp import totp_now

    email = DEMO_USERS[0][0]
    secret = demo_totp_secret(email)
    for moment in (0, 59, 1_800_000_000, time.time()):
        assert totp_now(secret, at=moment) == pyotp.TOTP(secret).at(moment)
    before = pyotp.TOTP(secret).now()
    call_command("demo_totp", email)
    assert capsys.readouterr().out.strip() in {before, pyotp.TOTP(secret).now()}


def test_the_demo_totp_command_refuses_an_account_outside_the_demo_clinic(prescriber_a):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_totp", prescriber_a.email)
