"""How a patient signs in: password, optional TOTP, a passkey or an e-mailed one-time code; the
signed-in devices, signing out everywhere; revocation leaves no way back in."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.test import Client
from django.urls import reverse
from tests.conftest import PASSWORD

from dosewise.accounts.credentials import user_authenticators_create
from dosewise.audit.models import AuditEvent
from dosewise.patients.selectors import access_patient
from dosewise.portal import services


def password_sign_in(user, **headers) -> Client:
    client = Client(**headers)
    answer = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert answer.status_code == 302, answer.content
    return client


def test_the_patient_sees_each_signed_in_device_and_signs_the_others_out(pat, patient_user):
    phone = password_sign_in(patient_user, HTTP_USER_AGENT="Phone browser")
    laptop = password_sign_in(patient_user, HTTP_USER_AGENT="Laptop browser")
    page = phone.get(reverse("portal:security")).content.decode()
    assert "Phone browser" in page and "Laptop browser" in page and "(this device)" in page
    answer = phone.post(reverse("portal:security"), {"scope": "others"}, follow=True)
    assert "Signed out of 1 other device." in answer.content.decode()
    assert laptop.get(reverse("portal:home")).status_code == 302  # the laptop is signed out
    assert phone.get(reverse("portal:home")).status_code == 200
    assert AuditEvent.objects.filter(action="account.sessions.end", actor=patient_user).exists()


def test_sign_out_everywhere_ends_this_device_too(pat, patient_user):
    phone = password_sign_in(patient_user)
    laptop = password_sign_in(patient_user)
    answer = phone.post(reverse("portal:security"), {"scope": "everywhere"})
    assert answer.status_code == 302 and answer["Location"] == reverse("account_login")
    assert phone.get(reverse("portal:home")).status_code == 302
    assert laptop.get(reverse("portal:home")).status_code == 302


def sign_in_code(client, email, django_capture_on_commit_callbacks) -> str | None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("account_request_login_code"), {"email": email})
    assert answer.status_code == 302
    if not mail.outbox:
        return None
    [sent] = mail.outbox
    # An unknown or inactive account gets a mail too (nobody learns which addresses exist), without a code.
    found = re.search(r"^\s*([A-Z0-9]{4}-?[A-Z0-9]{4})\s*$", sent.body, re.M)
    return found.group(1) if found else None


def test_a_one_time_code_by_e_mail_signs_the_patient_in(pat, patient_user, client, django_capture_on_commit_callbacks):
    login_page = client.get(reverse("account_login")).content.decode()
    assert reverse("account_request_login_code") in login_page
    code = sign_in_code(client, patient_user.email, django_capture_on_commit_callbacks)
    assert code
    answer = client.post(reverse("account_confirm_login_code"), {"code": code})
    assert answer.status_code == 302 and answer["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200


def test_a_wrong_code_does_not_sign_in(pat, patient_user, client, django_capture_on_commit_callbacks):
    assert sign_in_code(client, patient_user.email, django_capture_on_commit_callbacks)
    answer = client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})
    assert answer.status_code == 200 and "code" in answer.content.decode().lower()
    assert client.get(reverse("portal:home")).status_code == 302


def test_a_revoked_patient_gets_no_code_and_no_session(pat, patient_user, dana, prescriber_a, client,
                                                      django_capture_on_commit_callbacks):
    phone = password_sign_in(patient_user)
    Authenticator.objects.create(user=patient_user, type=Authenticator.Type.WEBAUTHN, data={"credential": {}})
    services.portal_revoke(actor=prescriber_a, access=access_patient(prescriber_a, dana.pk, "consent.record"),
                           reason="Patient asked to close the account")
    assert phone.get(reverse("portal:home")).status_code == 302
    assert not Authenticator.objects.filter(user=patient_user).exists()  # the passkey is gone too
    assert sign_in_code(client, patient_user.email, django_capture_on_commit_callbacks) is None
    client.post(reverse("account_login"), {"login": patient_user.email, "password": PASSWORD})
    assert client.get(reverse("portal:home")).status_code == 302  # the old password opens nothing
    assert AuditEvent.objects.get(action="portal.revoke").detail["sessions_ended"] == 1


def test_totp_is_optional_for_patients_and_asked_once_turned_on(pat, patient_user):
    assert password_sign_in(patient_user).get(reverse("portal:home")).status_code == 200
    user_authenticators_create(patient_user, totp_secret="JBSWY3DPEHPK3PXP")
    client = Client()
    answer = client.post(reverse("account_login"), {"login": patient_user.email, "password": PASSWORD})
    assert answer["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("portal:home")).status_code == 302


@pytest.mark.parametrize("route", ["mfa_add_webauthn", "mfa_activate_totp"])
def test_the_patient_reaches_passkey_and_totp_set_up(pat, patient_user, route):
    # Adding a credential may first ask for the password again (allauth's reauthentication).
    page = password_sign_in(patient_user).get(reverse(route), follow=True)
    assert page.status_code == 200 and page.request["PATH_INFO"] in (reverse(route), reverse("account_reauthenticate"))


def test_the_sign_in_page_offers_a_passkey(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert 'id="passkey_login"' in html and "mfa/js/webauthn.js" in html and 'id="mfa_login"' in html
