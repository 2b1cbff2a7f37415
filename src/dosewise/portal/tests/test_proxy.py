"""Family and helpers: granting proxy access, what a proxy sees, and ending it.

Dana (an adult) has Pat's portal account. Gina (`gina`) is her sister and helper with
appointments and messages. Leo Lopez is a minor (16 today) whose mother Maria asks for access;
Rosa is another adult patient of the clinic.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from tests.conftest import demographics

from dosewise.audit.models import AuditEvent
from dosewise.clinics.clock import clinic_today
from dosewise.messaging import services as messaging_services
from dosewise.messaging.models import Message
from dosewise.notifications.models import OutboundMessage
from dosewise.patients import services as patient_services
from dosewise.patients.selectors import access_patient
from dosewise.portal import selectors, services
from dosewise.portal.models import PortalAccount, PortalStatus, ProxyAccess
from dosewise.portal.tests.conftest import email_consent, grant_proxy


def _access(user, patient):
    return access_patient(user, patient.pk, "consent.record")


def _grant(actor, patient, **overrides):
    data = {"name": "Maria Lopez", "email": "maria@example.org", "relationship": "parent", "relationship_detail":
            "mother", "scopes": ["appointments", "messages"], "consent_by": "guardian",
            "expires_on": clinic_today(patient.clinic) + timedelta(days=200),
            "consent_words": "Mother signed the proxy form for Leo today."}
    data.update(overrides)
    return services.proxy_grant(actor=actor, access=_access(actor, patient), **data)


@pytest.fixture
def leo(prescriber_a):
    today = clinic_today(prescriber_a.clinic)
    born = date(today.year - 16, today.month, min(today.day, 28))
    return patient_services.patient_register(actor=prescriber_a, data=demographics(
        legal_given_name="Leo", legal_family_name="Lopez", date_of_birth=born, email="leo@example.org",
        guardian_name="Maria Lopez", guardian_phone="+13125550142"))


def test_a_parent_of_a_minor_gets_a_sign_in_e_mail_that_names_the_clinic_not_the_patient(leo, prescriber_a):
    proxy = _grant(prescriber_a, leo)
    assert proxy.status == PortalStatus.INVITED and proxy.user.role == "patient"
    assert not proxy.user.has_usable_password()
    message = OutboundMessage.objects.get(purpose="portal.proxy_invite")
    assert message.to == "maria@example.org" and "/accounts/password/reset/key/" in message.body
    assert "Leo" not in message.body and "Leo" not in message.subject
    event = AuditEvent.objects.get(action="portal.proxy.grant")
    assert event.patient_id == leo.pk and event.detail["scopes"] == ["appointments", "messages"]


def test_a_minors_access_ends_before_the_18th_birthday(leo, prescriber_a):
    last = services.proxy_last_day_for_minor(leo)
    assert last == leo.date_of_birth.replace(year=leo.date_of_birth.year + 18) - timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        _grant(prescriber_a, leo, expires_on=last + timedelta(days=1))
    assert "18th birthday" in str(refused.value.message_dict["expires_on"])
    assert _grant(prescriber_a, leo, expires_on=last).expires_on == last


@pytest.mark.parametrize(("overrides", "field"), [
    ({"relationship": "guardian"}, "relationship"),  # a minor's parent is "parent", not an adult's guardian
    ({"consent_by": "patient"}, "consent_by"),  # a minor does not consent alone here
    ({"scopes": []}, "scopes"),
    ({"scopes": ["questionnaires"]}, "scopes"),  # questionnaires are in no scope
    ({"email": "leo@example.org"}, "email"),  # the patient's own address
    ({"email": "not-an-address"}, "email"),
    ({"consent_words": "ok"}, "consent_words"),
    ({"expires_on": None}, "expires_on"),
    ({"name": " "}, "name"),
])
def test_a_grant_that_breaks_a_rule_is_refused_with_the_field_and_saves_nothing(leo, prescriber_a, overrides,
                                                                               field):
    with pytest.raises(ValidationError) as refused:
        _grant(prescriber_a, leo, **overrides)
    assert field in refused.value.message_dict
    assert not ProxyAccess.objects.exists() and not OutboundMessage.objects.exists()


def test_an_adult_chooses_a_helper_a_parent_is_not_one_by_right(dana, prescriber_a):
    with pytest.raises(ValidationError) as refused:
        _grant(prescriber_a, dana, name="Dora Diaz", email="dora@example.org")
    assert "adult" in str(refused.value.message_dict["relationship"])
    with pytest.raises(ValidationError) as refused:
        _grant(prescriber_a, dana, name="Dora Diaz", email="dora@example.org", relationship="helper")
    assert "patient's own consent" in str(refused.value.message_dict["consent_by"])
    helper = _grant(prescriber_a, dana, name="Dora Diaz", email="dora@example.org", relationship="helper",
                    consent_by="patient", expires_on=clinic_today(dana.clinic) + timedelta(days=3 * 365))
    assert helper.relationship == "helper"


def test_a_staff_address_or_a_second_open_access_is_refused(dana, prescriber_a, nurse_a, gina):
    with pytest.raises(ValidationError, match="staff account"):
        grant_proxy(dana, prescriber_a, email=nurse_a.email, name="Nina", scopes=["messages"])
    with pytest.raises(ValidationError, match="already has access"):
        grant_proxy(dana, prescriber_a, email="gina@example.org", name="Gina Diaz", scopes=["messages"])


def test_an_address_that_signs_in_at_another_clinic_is_refused(dana, prescriber_a, make_staff, clinic_b):
    make_staff("erin@example.org", "Erin Ellis", "patient", clinic_b, totp=False)
    with pytest.raises(ValidationError, match="another clinic"):
        grant_proxy(dana, prescriber_a, email="erin@example.org", name="Erin Ellis", scopes=["messages"])


def test_only_staff_who_record_consent_grant_access(dana, therapist_a):
    with pytest.raises(PermissionDenied):
        services.proxy_grant(actor=therapist_a, access=access_patient(therapist_a, dana.pk), name="Xavier",
                             email="x@example.org", relationship="helper", scopes=["messages"],
                             expires_on=clinic_today(dana.clinic) + timedelta(days=9), consent_by="patient",
                             consent_words="Said so at the visit today.")


def test_the_first_sign_in_activates_the_access(dana, prescriber_a, client):
    proxy = grant_proxy(dana, prescriber_a, email="gina@example.org", name="Gina Diaz", scopes=["messages"])
    proxy.user.set_password("gina-pass-2026")
    proxy.user.save()
    response = client.post(reverse("account_login"), {"login": "gina@example.org", "password": "gina-pass-2026"})
    assert response.status_code == 302
    proxy.refresh_from_db()
    assert proxy.status == PortalStatus.ACTIVE and proxy.activated_at is not None
    assert AuditEvent.objects.filter(action="portal.proxy.activate", patient=dana).exists()


def test_a_proxy_sees_the_patients_name_and_only_the_sections_of_their_scope(gina, as_user, dana_meds):
    page = as_user(gina.user).get(reverse("portal:home")).content.decode()
    assert "Dana" in page and "opened by Gina Diaz" in page
    assert "sertraline" not in page.lower() and reverse("portal:medicines") not in page
    assert reverse("messaging:portal_inbox") in page and reverse("scheduling:portal_appointments") in page
    assert reverse("portal:settings") not in page  # reminders and consent are Dana's own
    event = AuditEvent.objects.filter(action="portal.today.view").latest("pk")
    assert event.actor_id == gina.user_id and event.detail["proxy"] == gina.pk


def test_a_message_a_proxy_writes_is_marked_as_theirs_for_staff_and_the_patient(gina, pat, as_user, prescriber_a,
                                                                               patient_user):
    dana = pat.patient
    message = messaging_services.thread_start_by_patient(actor=gina.user, patient=dana, subject="Next visit",
                                                         body="Can Dana come an hour later?", by_proxy=True)
    assert Message.objects.get(pk=message.pk).by_proxy
    staff_page = as_user(prescriber_a).get(reverse("messaging:thread", args=[dana.pk, message.thread_id]))
    assert "Gina Diaz for Dana Diaz (proxy)" in staff_page.content.decode()
    own_page = as_user(patient_user).get(reverse("messaging:portal_thread", args=[message.thread_id])).content
    assert "Gina Diaz" in own_page.decode()
    sent = as_user(gina.user).post(reverse("messaging:portal_thread", args=[message.thread_id]),
                                   {"body": "Thank you"})
    assert sent.status_code == 302
    assert Message.objects.get(body="Thank you").by_proxy


def test_an_expired_access_says_so(gina, as_user):
    ProxyAccess.objects.filter(pk=gina.pk).update(expires_on=clinic_today(gina.clinic) - timedelta(days=1))
    response = as_user(gina.user).get(reverse("portal:home"))
    assert response.status_code == 403 and "has ended" in response.content.decode()


def test_the_patient_ends_a_helpers_access_and_the_helper_is_signed_out_with_nothing_left(gina, as_user,
                                                                                          patient_user):
    helper = as_user(gina.user)
    assert helper.get(reverse("portal:home")).status_code == 200
    page = as_user(patient_user).get(reverse("portal:family")).content.decode()
    assert "Gina Diaz" in page and "Appointments, Messages with the care team" in page
    response = as_user(patient_user).post(reverse("portal:family"), {"proxy": gina.pk})
    assert response.status_code == 302
    gina.refresh_from_db()
    gina.user.refresh_from_db()
    assert gina.status == PortalStatus.REVOKED and not gina.user.is_active
    assert not gina.user.has_usable_password()
    assert helper.get(reverse("portal:home"))["Location"].startswith(reverse("account_login"))
    event = AuditEvent.objects.get(action="portal.proxy.revoke")
    assert event.detail["by"] == "patient" and event.detail["account_closed"] is True


def test_a_helper_ends_their_own_access_but_no_one_elses(gina, dana, prescriber_a, as_user):
    other = grant_proxy(dana, prescriber_a, email="otto@example.org", name="Otto Diaz", scopes=["messages"])
    helper = as_user(gina.user)
    assert helper.post(reverse("portal:family"), {"proxy": other.pk}).status_code == 403
    assert ProxyAccess.objects.get(pk=other.pk).status == PortalStatus.INVITED
    response = helper.post(reverse("portal:family"), {"proxy": gina.pk})
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    assert ProxyAccess.objects.get(pk=gina.pk).status == PortalStatus.REVOKED


def test_staff_grant_from_the_chart_page_and_a_bad_form_keeps_what_was_typed(rosa, prescriber_a, as_user):
    client = as_user(prescriber_a)
    url = reverse("portal:staff_proxy_grant", args=[rosa.pk])
    bad = client.post(url, {"name": "Ramon Reyes", "email": "ramon@example.org", "relationship": "parent",
                            "scopes": ["messages"], "expires_on": "2099-01-01", "consent_by": "patient",
                            "consent_words": "Rosa signed the form today."})
    page = bad.content.decode()
    assert bad.status_code == 400 and "Ramon Reyes" in page and "is an adult" in page
    assert not ProxyAccess.objects.exists()
    expires = clinic_today(rosa.clinic) + timedelta(days=90)
    good = client.post(url, {"name": "Ramon Reyes", "email": "ramon@example.org", "relationship": "helper",
                             "scopes": ["messages"], "expires_on": expires.isoformat(), "consent_by": "patient",
                             "consent_words": "Rosa signed the form today."})
    assert good.status_code == 302
    proxy = ProxyAccess.objects.get(patient=rosa)
    assert proxy.expires_on == expires and proxy.recorded_by == prescriber_a
    page = client.get(reverse("portal:staff_access", args=[rosa.pk])).content.decode()
    assert "Ramon Reyes" in page and "Rosa signed the form today." in page
    revoke = client.post(reverse("portal:staff_proxy_revoke", args=[rosa.pk]), {"proxy": proxy.pk, "reason": "x"})
    assert revoke.status_code == 302 and ProxyAccess.objects.get(pk=proxy.pk).status == PortalStatus.INVITED
    client.post(reverse("portal:staff_proxy_revoke", args=[rosa.pk]), {"proxy": proxy.pk, "reason": "Rosa asked"})
    assert ProxyAccess.objects.get(pk=proxy.pk).status == PortalStatus.REVOKED


def test_a_patient_who_also_helps_a_relative_chooses_whose_record_to_open(pat, rosa, prescriber_a, as_user,
                                                                          patient_user):
    grant_proxy(rosa, prescriber_a, email=patient_user.email, name="Pat Diaz", scopes=["messages"])
    assert OutboundMessage.objects.filter(purpose="portal.proxy_invite", to=patient_user.email).exists()
    client = as_user(patient_user)
    response = client.get(reverse("portal:medicines"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:choose"))
    choose = client.get(response["Location"]).content.decode()
    assert "My own record" in choose and "Open Rosa Reyes's record" in choose
    client.post(reverse("portal:choose"), {"patient": rosa.pk, "next": reverse("portal:medicines")})
    assert client.get(reverse("portal:medicines")).status_code == 403  # Rosa's access has no medicines
    home = client.get(reverse("portal:home")).content.decode()
    assert "Rosa Reyes's record, opened by Pat Diaz" in home and "Switch record" in home
    client.post(reverse("portal:choose"), {"patient": pat.patient.pk})
    assert client.get(reverse("portal:medicines")).status_code == 200


def test_revoking_a_patients_own_account_keeps_the_sign_in_they_use_for_a_relative(pat, rosa, prescriber_a,
                                                                                    patient_user, as_user):
    grant_proxy(rosa, prescriber_a, email=patient_user.email, name="Pat Diaz", scopes=["messages"])
    services.portal_revoke(actor=prescriber_a, access=_access(prescriber_a, pat.patient), reason="Moved away")
    patient_user.refresh_from_db()
    assert patient_user.is_active and patient_user.has_usable_password()
    records = selectors.portal_records(patient_user)
    assert [r.patient.pk for r in records] == [rosa.pk] and records[0].is_proxy


def test_a_proxy_becomes_a_patient_with_the_same_sign_in(gina, prescriber_a):
    gloria = patient_services.patient_register(actor=prescriber_a, data=demographics(
        legal_given_name="Gina", legal_family_name="Diaz", email="gina@example.org"))
    email_consent(gloria, prescriber_a)
    account = services.portal_invite(actor=prescriber_a, access=_access(prescriber_a, gloria),
                                     email="gina@example.org")
    assert account.user_id == gina.user_id
    assert {r.patient.pk for r in selectors.portal_records(gina.user)} == {gloria.pk, gina.patient_id}


def test_a_proxys_language_is_their_own(gina, pat, as_user):
    as_user(gina.user).post(reverse("portal:language"), {"language": "es"})
    assert ProxyAccess.objects.get(pk=gina.pk).language == "es"
    assert PortalAccount.objects.get(pk=pat.account.pk).language != "es"
    assert "Citas" in as_user(gina.user).get(reverse("portal:home")).content.decode()

