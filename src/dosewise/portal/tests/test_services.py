"""Portal writes: invitation and revocation by staff, the patient's dose log and side-effect reports."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from dosewise.accounts.models import User
from dosewise.audit.models import AuditEvent
from dosewise.monitoring.models import SideEffect
from dosewise.monitoring.services import side_effect_report_from_patient
from dosewise.notifications.models import OutboundMessage
from dosewise.patients import services as patient_services
from dosewise.patients.models import Consent
from dosewise.patients.selectors import access_patient
from dosewise.portal import services
from dosewise.portal.models import DoseLog, PortalAccount, PortalStatus
from dosewise.portal.selectors import portal_access

BASE = "https://clinic.example.org/"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = BASE.rstrip("/")


def _invite(actor, patient, email="rosa@example.org"):
    return services.portal_invite(actor=actor, access=access_patient(actor, patient.pk, "consent.record"),
                                  email=email)


# ---------------------------------------------------------------------------------------
# Invitations


def test_an_invitation_creates_a_patient_account_and_mails_a_password_link_through_the_outbox(
        rosa, front_desk_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        account = _invite(front_desk_a, rosa)
    user = account.user
    assert (user.role, user.clinic_id, user.has_usable_password()) == ("patient", rosa.clinic_id, False)
    assert (account.status, account.patient, account.invited_by) == (PortalStatus.INVITED, rosa, front_desk_a)
    message = OutboundMessage.objects.get(purpose="portal.invite")
    assert message.to == "rosa@example.org" and message.subject == "Your patient portal at Northside Psychiatry"
    assert f"{BASE}accounts/password/reset/key/" in message.body and "quetiapine" not in message.body
    assert len(mail.outbox) == 1
    event = AuditEvent.objects.get(action="portal.invite")
    assert (event.actor, event.patient_id, event.detail["email"]) == (front_desk_a, rosa.pk, "rosa@example.org")


def test_it_refuses_an_invitation_without_an_active_email_consent(rosa, prescriber_a):
    consent = Consent.objects.get(patient=rosa, kind="email")
    patient_services.consent_revoke(actor=prescriber_a, access=access_patient(prescriber_a, rosa.pk),
                                    consent_id=consent.pk, method="verbal")
    with pytest.raises(ValidationError, match="no active consent to e-mail contact"):
        _invite(prescriber_a, rosa)
    assert not PortalAccount.objects.exists() and not OutboundMessage.objects.exists()


def test_it_refuses_a_second_open_account_and_an_address_of_someone_else(rosa, prescriber_a, nurse_a):
    _invite(prescriber_a, rosa)
    with pytest.raises(ValidationError, match="already has a portal invitation"):
        _invite(prescriber_a, rosa, email="other@example.org")
    services.portal_revoke(actor=prescriber_a, access=access_patient(prescriber_a, rosa.pk), reason="wrong address")
    with pytest.raises(ValidationError) as exc:
        _invite(prescriber_a, rosa, email=nurse_a.email)
    assert "already exists" in str(exc.value)
    with pytest.raises(ValidationError) as bad:
        _invite(prescriber_a, rosa, email="not an address")
    assert "valid e-mail" in str(bad.value)


def test_a_therapist_may_not_invite(rosa, therapist_a):
    access = access_patient(therapist_a, rosa.pk, "clinical.view")
    with pytest.raises(PermissionDenied):
        services.portal_invite(actor=therapist_a, access=access, email="rosa@example.org")


def test_revoking_deactivates_the_account_and_a_new_invitation_reopens_it(rosa, prescriber_a, client):
    account = _invite(prescriber_a, rosa)
    client.force_login(account.user)
    services.portal_revoke(actor=prescriber_a, access=access_patient(prescriber_a, rosa.pk),
                           reason="Patient moved to another clinic")
    account.refresh_from_db()
    assert account.status == PortalStatus.REVOKED and account.revoked_by == prescriber_a
    assert not User.objects.get(pk=account.user_id).is_active
    # The session ends on the next request.
    assert client.get("/portal/").status_code == 302
    assert AuditEvent.objects.get(action="portal.revoke").detail == {"reason": "Patient moved to another clinic",
                                                                     "authenticators_removed": 0,
                                                                     "push_devices_ended": 0, "sessions_ended": 0}
    with pytest.raises(ValidationError, match="no open portal account"):
        services.portal_revoke(actor=prescriber_a, access=access_patient(prescriber_a, rosa.pk), reason="again!")

    reopened = _invite(prescriber_a, rosa)
    assert reopened.pk == account.pk and reopened.status == PortalStatus.INVITED
    assert User.objects.get(pk=account.user_id).is_active
    assert AuditEvent.objects.filter(action="portal.invite").last().detail["reopened"] is True


def test_revocation_leaves_no_credentials_and_a_reinvited_patient_must_set_a_new_password(
        rosa, prescriber_a, django_capture_on_commit_callbacks):
    from allauth.mfa.models import Authenticator
    from django.test import Client
    from django.urls import reverse
    from tests.conftest import PASSWORD

    from dosewise.accounts.credentials import user_authenticators_create

    account = _invite(prescriber_a, rosa)
    user = account.user
    user.set_password(PASSWORD)
    user.save()
    user_authenticators_create(user, totp_secret="JBSWY3DPEHPK3PXP")
    phone = Client()
    signed_in = phone.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    mail.outbox.clear()

    services.portal_revoke(actor=prescriber_a, access=access_patient(prescriber_a, rosa.pk), reason="Lost phone")
    user.refresh_from_db()
    assert not user.has_usable_password() and not Authenticator.objects.filter(user=user).exists()
    assert AuditEvent.objects.get(action="portal.revoke").detail["authenticators_removed"] == 2
    assert AuditEvent.objects.filter(action="mfa.removed", actor=user).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        _invite(prescriber_a, rosa)
    user.refresh_from_db()
    assert user.is_active and not user.has_usable_password()
    # The old password and the old session are gone with the revocation, even after the reinvitation.
    old_password = Client().post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert old_password.status_code == 200 and b"are not correct" in old_password.content
    assert phone.get(reverse("portal:home"))["Location"].startswith(reverse("account_login"))
    # The new invitation's link sets a new password, which then signs in.
    [sent] = mail.outbox
    link = sent.body[sent.body.index(BASE.rstrip("/")) + len(BASE.rstrip("/")):].split()[0]
    browser = Client()
    form_page = browser.get(link, follow=True)
    new_password = "saffron-quarry-otter-58"
    done = browser.post(form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    assert browser.post(reverse("account_login"), {"login": user.email, "password": new_password}).status_code == 302


def test_revoking_needs_a_reason(pat, prescriber_a, dana):
    with pytest.raises(ValidationError):
        services.portal_revoke(actor=prescriber_a, access=access_patient(prescriber_a, dana.pk), reason="  ")
    assert PortalAccount.objects.get(patient=dana).status == PortalStatus.ACTIVE


def test_the_first_sign_in_activates_an_invited_account(rosa, prescriber_a):
    account = _invite(prescriber_a, rosa)
    assert services.portal_activate(user=account.user).status == PortalStatus.ACTIVE
    assert services.portal_activate(user=account.user) is None
    assert AuditEvent.objects.filter(action="portal.activate", actor=account.user).count() == 1


# ---------------------------------------------------------------------------------------
# The dose log


def _log(pat, medicine, **kwargs):
    data = {"day": pat.today, "status": "taken"}
    data.update(kwargs)
    return services.dose_log_record(actor=pat.account.user, portal=pat, medication_id=medicine.pk, **data)


def test_a_missed_dose_needs_a_reason_and_other_needs_words(pat, dana_meds):
    sertraline = dana_meds["sertraline"]
    with pytest.raises(ValidationError) as exc:
        _log(pat, sertraline, status="missed")
    assert exc.value.message_dict == {"reason": ["Choose why the dose was missed."]}
    with pytest.raises(ValidationError) as other:
        _log(pat, sertraline, status="missed", reason="other")
    assert "note" in other.value.message_dict
    with pytest.raises(ValidationError):
        _log(pat, sertraline, status="maybe")
    assert not DoseLog.objects.exists()
    entry = _log(pat, sertraline, status="missed", reason="other", note="  was  travelling ")
    assert (entry.reason, entry.note, entry.reason_display) == ("other", "was travelling",
                                                                "Other reason: was travelling")


def test_only_today_and_yesterday_can_be_logged(pat, dana_meds):
    for days_ago in (2, -1):
        with pytest.raises(ValidationError) as exc:
            _log(pat, dana_meds["sertraline"], day=pat.today - timedelta(days=days_ago))
        assert "today and yesterday" in str(exc.value)
    assert _log(pat, dana_meds["sertraline"], day=pat.today - timedelta(days=1)).day == pat.today - timedelta(days=1)


def test_a_medicine_of_another_patient_or_a_stopped_one_is_refused(pat, rosa, dana_meds, prescriber_a):
    from dosewise.medications.models import Medication
    from dosewise.medications.services import medication_discontinue

    quetiapine = Medication.objects.get(patient=rosa)
    with pytest.raises(ValidationError) as exc:
        _log(pat, quetiapine)
    assert "not on your current list" in str(exc.value)
    lamotrigine = dana_meds["lamotrigine"]
    medication_discontinue(actor=prescriber_a, access=access_patient(prescriber_a, pat.patient.pk, "medications.prescribe"),
                           medication_id=lamotrigine.pk, expected_version=lamotrigine.version, reason="side_effects",
                           note="rash")
    with pytest.raises(ValidationError):
        _log(pat, lamotrigine)
    assert not DoseLog.objects.exists()


def test_a_second_entry_for_the_same_day_is_refused_unless_it_names_the_one_it_changes(pat, dana_meds):
    sertraline = dana_meds["sertraline"]
    first = _log(pat, sertraline)
    with pytest.raises(services.DoseLogConflict, match="already logged as taken"):
        _log(pat, sertraline, status="missed", reason="forgot")
    changed = _log(pat, sertraline, status="missed", reason="forgot", replaces_id=first.pk)
    first.refresh_from_db()
    assert (first.current, changed.current, changed.replaces) == (False, True, first)
    with pytest.raises(services.DoseLogConflict):
        _log(pat, sertraline, replaces_id=first.pk)
    assert DoseLog.objects.filter(medication=sertraline).count() == 2
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="dose_log.").order_by("id")] == [
        "dose_log.record", "dose_log.change"]
    assert AuditEvent.objects.filter(action="dose_log.change").get().actor == pat.account.user


def test_an_entry_made_on_an_earlier_day_can_no_longer_be_changed(pat, dana_meds):
    sertraline = dana_meds["sertraline"]
    yesterday = pat.today - timedelta(days=1)
    entry = _log(pat, sertraline, day=yesterday)
    DoseLog.objects.filter(pk=entry.pk).update(recorded_on=yesterday)
    with pytest.raises(services.DoseLogConflict, match="can no longer be changed"):
        _log(pat, sertraline, day=yesterday, status="missed", reason="forgot", replaces_id=entry.pk)
    assert DoseLog.objects.get().status == "taken"


# ---------------------------------------------------------------------------------------
# Side effects


def test_a_reported_side_effect_is_a_monitoring_side_effect_from_the_patient(pat, dana_meds):
    item = services.side_effect_report(actor=pat.account.user, portal=pat, code="nausea", severity="severe",
                                       burden=8, suspected=[dana_meds["sertraline"].pk], note="every morning")
    assert (item.reporter, item.recorded_by, item.effect, item.heavy) == ("patient", pat.account.user,
                                                                        "every morning", True)
    assert list(item.suspected.all()) == [dana_meds["sertraline"]]
    event = AuditEvent.objects.get(action="side_effect.record")
    assert event.actor == pat.account.user and event.detail["reporter"] == "patient"


def test_a_side_effect_report_refuses_burden_11_and_a_medicine_not_on_the_list(pat, rosa):
    from dosewise.medications.models import Medication

    user = pat.account.user
    with pytest.raises(ValidationError) as exc:
        services.side_effect_report(actor=user, portal=pat, code="nausea", severity="mild", burden=11)
    assert "burden" in exc.value.message_dict
    with pytest.raises(ValidationError) as foreign:
        services.side_effect_report(actor=user, portal=pat, code="nausea", severity="mild", burden=2,
                                    suspected=[Medication.objects.get(patient=rosa).pk])
    assert "suspected" in foreign.value.message_dict
    with pytest.raises(ValidationError) as unknown:
        services.side_effect_report(actor=user, portal=pat, code="telepathy", severity="mild", burden=2)
    assert "code" in unknown.value.message_dict
    assert not SideEffect.objects.exists()


def test_staff_cannot_use_the_patient_report_service(dana, prescriber_a):
    with pytest.raises(PermissionDenied):
        side_effect_report_from_patient(actor=prescriber_a, patient=dana, code="nausea", severity="mild", burden=1,
                                        noted_on=timezone.localdate())


def test_a_revoked_account_has_no_portal_access(pat, prescriber_a, dana):
    services.portal_revoke(actor=prescriber_a, access=access_patient(prescriber_a, dana.pk), reason="closed by request")
    user = User.objects.get(pk=pat.account.user_id)
    with pytest.raises(PermissionDenied):
        portal_access(user)
