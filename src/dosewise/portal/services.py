"""Writes of the patient portal: invitations and revocation by staff; the patient's dose log
and side-effect reports. Each is atomic and audited in the same transaction, with the
patient's own account as the actor for what the patient does."""

from __future__ import annotations

import base64
import binascii
from datetime import date, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dosewise.accounts.credentials import user_authenticators_remove
from dosewise.accounts.models import User
from dosewise.accounts.services import sessions_end_all_for
from dosewise.audit.services import audit_record
from dosewise.clinics.clock import clinic_today
from dosewise.clinics.roles import Capability, Role
from dosewise.lib.site_url import password_set_link
from dosewise.medications.models import Medication, MedicationStatus
from dosewise.monitoring.models import SideEffect
from dosewise.monitoring.services import side_effect_report_from_patient
from dosewise.notifications import consent as ledger
from dosewise.notifications.models import Channel, ConsentSource, ContactConsentEvent
from dosewise.notifications.services import outbox_enqueue_email
from dosewise.notifications.sms import SmsError, e164
from dosewise.outreach.services import disclosure_ensure
from dosewise.patients.models import ADULT_AGE, ConsentKind
from dosewise.patients.selectors import PatientAccess, active_consent, contact_address
from dosewise.portal import selectors
from dosewise.portal.models import (
    DoseLog,
    DoseStatus,
    MissedReason,
    PortalAccount,
    PortalStatus,
    ProxyAccess,
    ProxyConsentBy,
    ProxyRelationship,
    ProxyScope,
    PushKind,
    PushMessage,
    PushSubscription,
)
from dosewise.portal.selectors import PortalAccess, loggable_days


class DoseLogConflict(ValidationError):
    """The dose was logged (or changed) since the form was shown; nothing was overwritten."""


def _require(access: PatientAccess, capability: str) -> None:
    if not access.can(capability):
        raise PermissionDenied("Your role may not manage patient-portal access.")


def portal_invite(*, actor, access: PatientAccess, email: str) -> PortalAccount:
    """Create (or reopen) the patient's portal account and e-mail a link to set a password.

    Refused without an active e-mail consent (the invitation is an e-mail), while an
    invitation or an account is already open, or when the address belongs to someone else.
    """
    _require(access, Capability.CONSENT_RECORD)
    patient = access.patient
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": "Enter a valid e-mail address."}) from None
    if active_consent(patient, ConsentKind.EMAIL) is None:
        raise ValidationError("The patient has no active consent to e-mail contact. Record their e-mail consent "
                              "on the chart first: the invitation and every portal message go by e-mail.")
    with transaction.atomic():
        if PortalAccount.objects.filter(clinic_id=patient.clinic_id,
                                        patient=patient).exclude(status=PortalStatus.REVOKED).exists():
            raise ValidationError("This patient already has a portal invitation or account. Revoke it first to "
                                  "invite a different address.")
        user = User.objects.filter(email=email).first()
        reopened = user is not None
        if user is None:
            user = User.objects.create_user(email=email, full_name=patient.display_name, role=Role.PATIENT,
                                            clinic=patient.clinic)
            account = PortalAccount.objects.create(clinic_id=patient.clinic_id, patient=patient, user=user,
                                                   invited_at=timezone.now(), invited_by=actor)
        elif (user.role == Role.PATIENT and not PortalAccount.objects.filter(user=user).exists()
              and ProxyAccess.objects.filter(user=user).exclude(patient=patient).exists()):
            # Someone who signs in as a relative's proxy becomes a patient too: one sign-in, two records.
            reopened = False
            account = PortalAccount.objects.create(clinic_id=patient.clinic_id, patient=patient, user=user,
                                                   invited_at=timezone.now(), invited_by=actor)
            if not user.is_active:
                user.is_active = True
                user.save(update_fields=["is_active"])
        else:
            account = PortalAccount.objects.filter(clinic_id=patient.clinic_id,
                                                   user=user, patient=patient).first()
            if account is None:
                raise ValidationError({"email": "An account with this e-mail address already exists. Use the "
                                                "patient's own address."})
            # The same person invited again after a revocation: reopen their account. Revocation left
            # it without a password; the invitation link is the only way to set a new one.
            user.is_active = True
            user.set_unusable_password()
            user.save(update_fields=["is_active", "password"])
            account.status, account.invited_at, account.invited_by = PortalStatus.INVITED, timezone.now(), actor
            account.activated_at = account.revoked_at = account.revoked_by = None
            account.revoked_reason = ""
            account.save()
        context = {"patient": patient, "clinic": patient.clinic, "link": password_set_link(user),
                   "idle_minutes": settings.PATIENT_IDLE_TIMEOUT_MINUTES}
        # The subject names the clinic only: a lock screen must not reveal more.
        outbox_enqueue_email(to=email, subject=f"Your patient portal at {patient.clinic.name}",
                             body=render_to_string("portal/email/invite.txt", context), purpose="portal.invite",
                             clinic=patient.clinic)
        audit_record(action="portal.invite", actor=actor, patient=patient, obj=account,
                     detail={"email": email, "reopened": reopened})
    return account


def _sign_in_still_used(user) -> bool:
    """True while the sign-in opens a record: its own open portal account, or an open proxy access."""
    return (PortalAccount.objects.filter(user=user).exclude(status=PortalStatus.REVOKED).exists()
            or ProxyAccess.objects.filter(user=user).exclude(status=PortalStatus.REVOKED).exists())


def _sign_in_close(user) -> dict:
    """Invalidate every credential of a sign-in that opens nothing any more; return what ended.

    The account is deactivated and its password made unusable (which also invalidates every
    session, whose hash derives from the password, and every unused invitation or reset link),
    its authenticators removed and its sessions ended, so that a later invitation or grant starts
    from nothing.
    """
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["is_active", "password"])
    return {"authenticators_removed": user_authenticators_remove(user), "sessions_ended": sessions_end_all_for(user=user)}


def portal_revoke(*, actor, access: PatientAccess, reason: str) -> PortalAccount:
    """End the patient's portal access and invalidate its credentials.

    The account is deactivated, its password made unusable (which also invalidates every
    session, whose hash derives from the password, and every unused invitation or reset link)
    and its authenticators removed, so that a later invitation starts from nothing.
    """
    _require(access, Capability.CONSENT_RECORD)
    reason = " ".join(reason.split())
    if len(reason) < 5:
        raise ValidationError({"reason": "Say why portal access ends (at least 5 characters)."})
    with transaction.atomic():
        account = (PortalAccount.objects.select_for_update().filter(clinic_id=access.patient.clinic_id,
                                                                    patient=access.patient)
                   .exclude(status=PortalStatus.REVOKED).first())
        if account is None:
            raise ValidationError("This patient has no open portal account to revoke.")
        account.status, account.revoked_at, account.revoked_by = PortalStatus.REVOKED, timezone.now(), actor
        account.revoked_reason = reason[:300]
        account.save(update_fields=["status", "revoked_at", "revoked_by", "revoked_reason"])
        user = User.objects.select_for_update().get(pk=account.user_id)
        devices = PushSubscription.objects.filter(user=user, ended_at__isnull=True).update(
            ended_at=timezone.now(), ended_reason="portal access revoked")
        detail = {"reason": account.revoked_reason, "push_devices_ended": devices}
        if _sign_in_still_used(user):
            # The same person still speaks for someone else (a parent who is also a patient): their
            # sign-in stays for that record; their own record is simply no longer one of theirs.
            detail["sign_in_kept_for_proxy_access"] = True
        else:
            detail.update(_sign_in_close(user))
        audit_record(action="portal.revoke", actor=actor, patient=access.patient, obj=account, detail=detail)
    return account


def portal_activate(*, user) -> PortalAccount | None:
    """Mark an invited account, and any proxy access granted to the user, active at the first
    sign-in after the grant (called by the login signal)."""
    with transaction.atomic():
        now = timezone.now()
        for proxy in (ProxyAccess.objects.select_for_update(of=("self",)).select_related("patient")
                      .filter(user=user, status=PortalStatus.INVITED)):
            proxy.status, proxy.activated_at = PortalStatus.ACTIVE, now
            proxy.save(update_fields=["status", "activated_at"])
            audit_record(action="portal.proxy.activate", actor=user, patient=proxy.patient, obj=proxy)
        account = (PortalAccount.objects.select_for_update(of=("self",)).select_related("patient")
                   .filter(user=user, status=PortalStatus.INVITED).first())
        if account is None:
            return None
        account.status, account.activated_at = PortalStatus.ACTIVE, now
        account.save(update_fields=["status", "activated_at"])
        audit_record(action="portal.activate", actor=user, patient=account.patient, obj=account)
    return account


# ---------------------------------------------------------------------------------------
# Family and helpers: proxy access (docs/decisions/0058)

# The longest a grant runs before the clinic asks again; a minor's ends before they come of age.
PROXY_MAX_DAYS = 3 * 365


def _birthday(born: date, years: int) -> date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # born on 29 February
        return born.replace(year=born.year + years, day=28)


def proxy_last_day_for_minor(patient) -> date:
    """The last day a parent's access to a minor's record may run: the day before the 18th birthday."""
    return _birthday(patient.date_of_birth, ADULT_AGE) - timedelta(days=1)


def proxy_grant(*, actor, access: PatientAccess, name: str, email: str, relationship: str,
                relationship_detail: str = "", scopes: list[str], expires_on: date | None, consent_by: str,
                consent_words: str) -> ProxyAccess:
    """Give a parent, guardian or helper their own sign-in to part of the patient's portal.

    Staff record who consented and in whose words. For a minor the parent or guardian consents
    and the access ends before the 18th birthday at the latest (the adult patient decides
    anew); for an adult, a helper needs the patient's own consent and a legal guardian the
    guardian's. A new address gets an account with a link to set a password; an address that
    already signs in to the portal (a parent of two children, a patient who helps a relative)
    gets the new record added to the same sign-in. The e-mail names the clinic, never the patient.
    """
    _require(access, Capability.CONSENT_RECORD)
    patient = access.patient
    today = clinic_today(patient.clinic)
    minor = patient.age_on(today) < ADULT_AGE
    name = " ".join(name.split())
    email = email.strip().lower()
    relationship_detail = " ".join(relationship_detail.split())[:60]
    consent_words = " ".join(consent_words.split())
    scopes = [s for s in ProxyScope.values if s in set(scopes)]
    errors: dict[str, str] = {}
    if len(name) < 2:
        errors["name"] = "Enter the proxy's name as they would sign a form."
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "Enter a valid e-mail address."
    if relationship not in ProxyRelationship.values:
        errors["relationship"] = "Choose how the proxy is related to the patient."
    elif relationship == ProxyRelationship.PARENT and not minor:
        errors["relationship"] = (f"{patient.display_name} is an adult: a parent has access only as a helper the "
                                  "patient chose, or as a legal guardian.")
    elif relationship == ProxyRelationship.GUARDIAN and minor:
        errors["relationship"] = f"{patient.display_name} is a minor: choose \"Parent or guardian of a minor\"."
    if not scopes:
        errors["scopes"] = "Choose at least one part of the portal the proxy may use."
    if consent_by not in ProxyConsentBy.values:
        errors["consent_by"] = "Say who gave consent."
    elif minor and consent_by != ProxyConsentBy.GUARDIAN:
        errors["consent_by"] = "For a minor, the parent or legal guardian gives consent."
    elif relationship == ProxyRelationship.HELPER and consent_by != ProxyConsentBy.PATIENT:
        errors["consent_by"] = "A helper needs the patient's own consent."
    elif relationship == ProxyRelationship.GUARDIAN and consent_by != ProxyConsentBy.GUARDIAN:
        errors["consent_by"] = "A legal guardian's access rests on the guardian's consent (and the court order)."
    if len(consent_words) < 10:
        errors["consent_words"] = "Record what was said or signed (at least 10 characters)."
    latest = today + timedelta(days=PROXY_MAX_DAYS)
    if minor:
        latest = min(latest, proxy_last_day_for_minor(patient))
    if expires_on is None:
        errors["expires_on"] = "Choose the last day the access works."
    elif expires_on <= today:
        errors["expires_on"] = "The last day must be after today."
    elif expires_on > latest:
        errors["expires_on"] = (f"The last day can be {date_format(latest, 'F j, Y')} at the latest"
                                + (" (the day before the 18th birthday)." if minor and latest < today +
                                   timedelta(days=PROXY_MAX_DAYS) else " (three years from today)."))
    if patient.email and email == patient.email.strip().lower():
        errors.setdefault("email", "That is the patient's own address. A proxy signs in with their own.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(email=email).first()
        if user is not None and user.role != Role.PATIENT:
            raise ValidationError({"email": "That address belongs to a staff account. A proxy needs an address of "
                                            "their own."})
        if user is not None and user.clinic_id not in (None, patient.clinic_id):
            # One sign-in belongs to one clinic (the row-level wall narrows it there, decision 0060).
            raise ValidationError({"email": "That address signs in to another clinic's portal. The proxy needs "
                                            "another address for this clinic."})
        if user is not None and PortalAccount.objects.filter(clinic_id=patient.clinic_id,
                                                             user=user, patient=patient).exists():
            raise ValidationError({"email": "That address is the patient's own portal account."})
        if user is not None and ProxyAccess.objects.filter(clinic_id=patient.clinic_id,
                                                           user=user, patient=patient).exclude(
                status=PortalStatus.REVOKED).exists():
            raise ValidationError({"email": "This person already has access to the record. End it first to change "
                                            "what it covers."})
        new_user = user is None
        if new_user:
            user = User.objects.create_user(email=email, full_name=name, role=Role.PATIENT, clinic=patient.clinic)
        elif not user.is_active:
            # Their earlier access ended (credentials invalidated): start again from a new password.
            user.is_active = True
            user.set_unusable_password()
            user.save(update_fields=["is_active", "password"])
        proxy = ProxyAccess.objects.create(
            clinic_id=patient.clinic_id, patient=patient, user=user, name=name, relationship=relationship,
            relationship_detail=relationship_detail, scopes=scopes, expires_on=expires_on, consent_by=consent_by,
            consent_words=consent_words[:500], consented_at=timezone.now(), recorded_by=actor)
        needs_password = not user.has_usable_password()
        context = {"name": name, "clinic": patient.clinic, "needs_password": needs_password,
                   "link": password_set_link(user) if needs_password else "",
                   "idle_minutes": settings.PATIENT_IDLE_TIMEOUT_MINUTES}
        outbox_enqueue_email(to=email, subject=f"Your access to a patient portal at {patient.clinic.name}",
                             body=render_to_string("portal/email/proxy_invite.txt", context),
                             purpose="portal.proxy_invite", clinic=patient.clinic)
        audit_record(action="portal.proxy.grant", actor=actor, patient=patient, obj=proxy, detail={
            "email": email, "relationship": relationship, "scopes": scopes, "expires_on": expires_on.isoformat(),
            "consent_by": consent_by, "new_account": new_user})
    return proxy


def _proxy_end(*, actor, proxy: ProxyAccess, reason: str, by: str) -> ProxyAccess:
    """Revoke one proxy access; the person loses every credential when nothing else is left to them."""
    proxy.status, proxy.revoked_at, proxy.revoked_by = PortalStatus.REVOKED, timezone.now(), actor
    proxy.revoked_reason = reason[:300]
    proxy.save(update_fields=["status", "revoked_at", "revoked_by", "revoked_reason"])
    user = User.objects.select_for_update().get(pk=proxy.user_id)
    still = _sign_in_still_used(user)
    detail = {"reason": proxy.revoked_reason, "by": by, "account_closed": not still}
    if not still:
        detail.update(_sign_in_close(user))
    audit_record(action="portal.proxy.revoke", actor=actor, patient=proxy.patient, obj=proxy, detail=detail)
    return proxy


def _reason(reason: str, minimum: int = 5) -> str:
    reason = " ".join(reason.split())
    if len(reason) < minimum:
        raise ValidationError({"reason": _("Say why the access ends (at least %(n)d characters).") % {"n": minimum}})
    return reason


def proxy_revoke(*, actor, access: PatientAccess, proxy_id: int, reason: str) -> ProxyAccess:
    """Staff end a proxy's access to the patient's record."""
    _require(access, Capability.CONSENT_RECORD)
    reason = _reason(reason)
    with transaction.atomic():
        proxy = (ProxyAccess.objects.select_for_update().select_related("patient")
                 .filter(clinic_id=access.patient.clinic_id,
                         pk=proxy_id, patient=access.patient).exclude(status=PortalStatus.REVOKED).first())
        if proxy is None:
            raise ValidationError("That access has already ended.")
        return _proxy_end(actor=actor, proxy=proxy, reason=reason, by="staff")


def proxy_revoke_in_portal(*, actor, portal: PortalAccess, proxy_id: int) -> ProxyAccess:
    """End a proxy's access from the portal: the patient ends anyone's, a proxy their own; a parent or
    legal guardian also ends a helper's (they speak for the patient)."""
    with transaction.atomic():
        proxy = (ProxyAccess.objects.select_for_update().select_related("patient")
                 .filter(clinic_id=portal.patient.clinic_id,
                         pk=proxy_id, patient=portal.patient).exclude(status=PortalStatus.REVOKED).first())
        if proxy is None:
            raise ValidationError(_("That access has already ended."))
        own = portal.proxy is not None and portal.proxy.pk == proxy.pk
        speaks_for_patient = portal.proxy is not None and portal.proxy.relationship != ProxyRelationship.HELPER
        if portal.proxy is not None and not own and not (speaks_for_patient
                                                         and proxy.relationship == ProxyRelationship.HELPER):
            raise PermissionDenied(_("Only %(name)s or the clinic can end this access.")
                                   % {"name": portal.patient.display_name})
        by = "patient" if portal.proxy is None else ("proxy_self" if own else "guardian")
        reason = {"patient": "Ended by the patient in the portal.", "proxy_self": "Ended by the proxy in the portal.",
                  "guardian": "Ended in the portal by the patient's parent or guardian."}[by]
        return _proxy_end(actor=actor, proxy=proxy, reason=reason, by=by)


def dose_log_record(*, actor, portal: PortalAccess, medication_id: int, day: date, status: str, reason: str = "",
                    note: str = "", replaces_id: int | None = None) -> DoseLog:
    """Log one medicine as taken or missed (with the reason) today or yesterday.

    One current entry per medicine and day. A change is a new entry replacing the current
    one, allowed on the day the entry was made and only when `replaces_id` names the entry
    the patient saw: otherwise DoseLogConflict, and nothing is overwritten.
    """
    patient = portal.patient
    today, yesterday = loggable_days(portal.today)
    errors = {}
    if day not in (today, yesterday):
        errors["day"] = _("You can log doses for today and yesterday only.")
    if status not in DoseStatus.values:
        errors["status"] = _("Choose Taken or Missed.")
    note = " ".join(note.split())[:300]
    if status == DoseStatus.MISSED:
        if reason not in MissedReason.values:
            errors["reason"] = _("Choose why the dose was missed.")
        elif reason == MissedReason.OTHER and not note:
            errors["note"] = _("Say in a few words why the dose was missed.")
    else:
        reason, note = "", ""
    medicine = Medication.objects.filter(clinic_id=patient.clinic_id,
                                         pk=medication_id, patient=patient, status=MedicationStatus.ACTIVE).first()
    if medicine is None:
        errors["medication"] = _("That medicine is not on your current list.")
    elif not errors.get("day") and medicine.start_date > day:
        errors["day"] = _("%(drug)s starts on %(day)s.") % {"drug": medicine.ingredient,
                                                                 "day": date_format(medicine.start_date, "F j")}
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            current = DoseLog.objects.select_for_update().filter(medication=medicine, day=day, current=True).first()
            if current is not None:
                if replaces_id != current.pk:
                    raise DoseLogConflict(_(
                        "%(drug)s for %(day)s was already logged as %(status)s at %(time)s. Nothing was changed; "
                        "check it below.") % {
                        "drug": medicine.ingredient, "day": date_format(day, "l"),
                        "status": current.get_status_display().lower(),
                        "time": timezone.localtime(current.recorded_at, ZoneInfo(patient.clinic.timezone)
                                                   ).strftime("%H:%M")})
                if current.recorded_on != today:
                    raise DoseLogConflict(_(
                        "The entry for %(drug)s on %(day)s was made on an earlier day and can no longer be changed. "
                        "Tell your care team at your next visit.") % {"drug": medicine.ingredient,
                                                                      "day": date_format(day, "l")})
                DoseLog.objects.filter(pk=current.pk).update(current=False)
            elif replaces_id is not None:
                raise DoseLogConflict(_("That entry was changed meanwhile. Nothing was saved; check it below."))
            entry = DoseLog.objects.create(
                clinic_id=patient.clinic_id, patient=patient, medication=medicine, day=day, status=status,
                reason=reason, note=note, recorded_by=actor, recorded_on=today, replaces=current)
            audit_record(action="dose_log.change" if current else "dose_log.record", actor=actor, patient=patient,
                         obj=entry, detail={"medication": medicine.pk, "day": day.isoformat(), "status": status,
                                            "reason": reason, "replaces": current.pk if current else None})
    except IntegrityError:
        # Two submissions of the same form at once: the first one won.
        raise DoseLogConflict(_("This dose was just logged from another window. Nothing was changed.")) from None
    return entry


def side_effect_report(*, actor, portal: PortalAccess, code: str, severity: str, burden: int,
                       suspected=(), note: str = "") -> SideEffect:
    """Report a side effect from the portal, suspecting only medicines on the patient's current list."""
    wanted = {int(i) for i in suspected}
    active = set(Medication.objects.filter(clinic_id=portal.patient.clinic_id,
                                           patient=portal.patient, status=MedicationStatus.ACTIVE, pk__in=wanted)
                 .values_list("pk", flat=True))
    if wanted - active:
        raise ValidationError({"suspected": _("Choose medicines from your current list.")})
    return side_effect_report_from_patient(actor=actor, patient=portal.patient, code=code, effect=note,
                                           suspected=sorted(wanted), severity=severity, burden=burden,
                                           noted_on=portal.today)


def language_save(*, actor, portal: PortalAccess, language: str) -> PortalAccount | ProxyAccess:
    """Remember the language the patient reads the portal in."""
    if language not in {code for code, _name in settings.LANGUAGES}:
        raise ValidationError({"language": _("Choose English or Spanish.")})
    # A proxy's choice is their own: the patient may read the portal in another language.
    record = portal.proxy if portal.proxy is not None else portal.account
    with transaction.atomic():
        type(record).objects.filter(pk=record.pk).update(language=language)
        audit_record(action="portal.language.save", actor=actor, patient=portal.patient, obj=record,
                     detail={"language": language})
    record.language = language
    return record


# ---------------------------------------------------------------------------------------
# Reminders and push notifications (docs/decisions/0053)

# The only texts a notification carries: they show on a locked phone, so they name no
# medicine, condition or clinic (a clinic's name can say what it treats).
PUSH_TEXTS = {
    PushKind.DOSE_REMINDER: (gettext_lazy("Reminder"), gettext_lazy("You have a reminder from your clinic."),
                             "portal:dose_log"),
    PushKind.MESSAGE: (gettext_lazy("New message"), gettext_lazy("You have a new message from your clinic."),
                       "portal:home"),
    PushKind.TEST: (gettext_lazy("Notifications are on"),
                    gettext_lazy("This is how reminders from your clinic will look."), "portal:settings"),
}
PUSH_MAX_ATTEMPTS = 5
PUSH_CLAIM_MINUTES = 10
# A subscription the push service keeps refusing (not "gone", just failing) is ended after this many.
PUSH_MAX_FAILURES = 10


def _b64_bytes(value: str) -> bytes | None:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (ValueError, binascii.Error):
        return None


def push_subscribe(*, actor, portal: PortalAccess, endpoint: str, p256dh: str, auth: str,
                   device: str = "") -> PushSubscription:
    """Keep this browser's push subscription for the signed-in patient (a known endpoint moves to them)."""
    errors = {}
    parts = urlsplit(endpoint or "")
    secure = parts.scheme == "https" or (parts.scheme == "http" and not settings.PRODUCTION)
    if not (secure and parts.netloc) or len(endpoint) > 1000:
        errors["endpoint"] = _("The browser gave no usable push address. Try again, or use another browser.")
    key = _b64_bytes(p256dh or "")
    if key is None or len(key) != 65 or key[0] != 4:
        errors["p256dh"] = _("The browser's push key is not valid.")
    secret = _b64_bytes(auth or "")
    if secret is None or len(secret) != 16:
        errors["auth"] = _("The browser's push secret is not valid.")
    if errors:
        raise ValidationError(errors)
    device = " ".join((device or "").split())[:120]
    with transaction.atomic():
        subscription = PushSubscription.objects.select_for_update().filter(endpoint=endpoint).first()
        if subscription is None:
            subscription = PushSubscription(endpoint=endpoint)
        subscription.clinic_id, subscription.patient, subscription.user = (portal.patient.clinic_id, portal.patient,
                                                                           actor)
        subscription.p256dh, subscription.auth, subscription.device = p256dh, auth, device
        subscription.ended_at, subscription.ended_reason, subscription.failures = None, "", 0
        subscription.save()
        audit_record(action="portal.push.subscribe", actor=actor, patient=portal.patient, obj=subscription,
                     detail={"device": device, "push_service": parts.netloc})
    return subscription


def push_unsubscribe(*, actor, portal: PortalAccess, subscription_id: int | None = None,
                     endpoint: str = "") -> PushSubscription:
    """Stop notifications to one of the patient's browsers (by its id in the list, or its endpoint)."""
    mine = PushSubscription.objects.select_for_update().filter(user=actor, ended_at__isnull=True)
    with transaction.atomic():
        subscription = (mine.filter(pk=subscription_id) if subscription_id else mine.filter(endpoint=endpoint)).first()
        if subscription is None:
            raise ValidationError(_("That device no longer receives notifications."))
        subscription.ended_at, subscription.ended_reason = timezone.now(), "turned off by the patient"
        subscription.save(update_fields=["ended_at", "ended_reason"])
        audit_record(action="portal.push.unsubscribe", actor=actor, patient=portal.patient, obj=subscription)
    return subscription


def reminders_save(*, actor, portal: PortalAccess, dose_reminder_time, message_alerts: bool) -> PortalAccount:
    """Save the patient's choice of a daily dose reminder (a local time, or None) and message alerts."""
    with transaction.atomic():
        account = PortalAccount.objects.select_for_update().get(pk=portal.account.pk)
        if account.dose_reminder_time != dose_reminder_time:
            # A reminder time later today still fires today.
            account.dose_reminder_sent_on = None
        account.dose_reminder_time, account.message_alerts = dose_reminder_time, bool(message_alerts)
        account.save(update_fields=["dose_reminder_time", "dose_reminder_sent_on", "message_alerts"])
        audit_record(action="portal.reminders.save", actor=actor, patient=portal.patient, obj=account,
                     detail={"dose_reminder_time": dose_reminder_time.strftime("%H:%M") if dose_reminder_time else None,
                             "message_alerts": account.message_alerts})
    portal.account.dose_reminder_time = account.dose_reminder_time
    portal.account.message_alerts = account.message_alerts
    return account


def push_enqueue(*, user, kind: str) -> int:
    """Queue one notification of `kind` to each of the user's subscribed browsers; return how many."""
    account = PortalAccount.objects.filter(user=user).only("language").first()
    title, body, route = PUSH_TEXTS[kind]
    with translation.override((account.language if account else "") or settings.LANGUAGE_CODE):
        title, body = str(title), str(body)
    url = reverse(route)
    subscriptions = list(PushSubscription.objects.filter(user=user, ended_at__isnull=True).values_list("pk", flat=True))
    PushMessage.objects.bulk_create([PushMessage(subscription_id=pk, kind=kind, title=title, body=body, url=url)
                                     for pk in subscriptions])
    return len(subscriptions)


def push_test(*, actor, portal: PortalAccess) -> int:
    """Send a test notification to the patient's browsers at once (the outbox delivers it)."""
    with transaction.atomic():
        queued = push_enqueue(user=actor, kind=PushKind.TEST)
        audit_record(action="portal.push.test", actor=actor, patient=portal.patient, detail={"devices": queued})
    push_deliver(limit=queued)
    return queued


def patient_alert_message(*, patient) -> int:
    """Queue a message alert for the patient when they asked for one (the messaging hook)."""
    account = (PortalAccount.objects.filter(clinic_id=patient.clinic_id,
                                            patient=patient, status=PortalStatus.ACTIVE, message_alerts=True)
               .select_related("user").first())
    if account is None:
        return 0
    return push_enqueue(user=account.user, kind=PushKind.MESSAGE)


def dose_reminders_queue(*, now=None) -> int:
    """Queue today's dose reminder for every patient whose reminder time has come; return how many patients.

    Each account is claimed by a conditional update of `dose_reminder_sent_on`, so two clocks
    running at once remind once. A patient with no current medicine gets no reminder.
    """
    now = now or timezone.now()
    reminded = 0
    devices = PushSubscription.objects.filter(user_id=OuterRef("user_id"), ended_at__isnull=True)
    accounts = (PortalAccount.objects.filter(Exists(devices), status=PortalStatus.ACTIVE,
                                             dose_reminder_time__isnull=False)
                .select_related("patient__clinic", "user").order_by("pk"))
    for account in accounts.iterator(chunk_size=500):
        clinic = account.patient.clinic
        local = timezone.localtime(now, ZoneInfo(clinic.timezone))
        today = local.date()
        if local.time() < account.dose_reminder_time or account.dose_reminder_sent_on == today:
            continue
        if not Medication.objects.filter(clinic_id=account.patient.clinic_id,
                                         patient=account.patient, status=MedicationStatus.ACTIVE).exists():
            continue
        with transaction.atomic():
            claimed = PortalAccount.objects.filter(pk=account.pk, dose_reminder_sent_on=account.dose_reminder_sent_on
                                                   ).update(dose_reminder_sent_on=today)
            if not claimed:
                continue
            push_enqueue(user=account.user, kind=PushKind.DOSE_REMINDER)
            audit_record(action="portal.reminder.queue", actor=None, patient=account.patient, obj=account,
                         detail={"day": today.isoformat()})
        reminded += 1
    return reminded


def push_deliver(*, now=None, limit: int = 500) -> int:
    """Send the queued notifications, each claimed by a conditional update; return how many were sent.

    A failure is retried by the next run up to PUSH_MAX_ATTEMPTS; a subscription the push
    service says is gone (404, 410) is ended and its queue dropped.
    """
    from dosewise.portal import push

    now = now or timezone.now()
    stale = now - timedelta(minutes=PUSH_CLAIM_MINUTES)
    pending = list(PushMessage.objects.filter(sent_at__isnull=True, given_up_at__isnull=True,
                                              subscription__ended_at__isnull=True)
                   .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
                   .select_related("subscription").order_by("pk")[:limit])
    sent = 0
    for message in pending:
        claimed = PushMessage.objects.filter(pk=message.pk, sent_at__isnull=True, claimed_at=message.claimed_at
                                             ).update(claimed_at=now)
        if not claimed:
            continue
        subscription = message.subscription
        result = push.push_send(endpoint=subscription.endpoint, p256dh=subscription.p256dh, auth=subscription.auth,
                                title=message.title, body=message.body, url=message.url)
        attempts = message.attempts + 1
        if result.ok:
            PushMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now(), attempts=attempts, last_error="")
            PushSubscription.objects.filter(pk=subscription.pk).update(last_sent_at=timezone.now(), failures=0)
            sent += 1
            continue
        give_up = result.gone or attempts >= PUSH_MAX_ATTEMPTS
        PushMessage.objects.filter(pk=message.pk).update(
            attempts=attempts, last_error=result.error, claimed_at=None, given_up_at=timezone.now() if give_up else None)
        failures = subscription.failures + 1
        if result.gone or failures >= PUSH_MAX_FAILURES:
            PushSubscription.objects.filter(pk=subscription.pk).update(
                ended_at=timezone.now(), failures=failures,
                ended_reason="the push service no longer knows this device" if result.gone else "kept failing")
        else:
            PushSubscription.objects.filter(pk=subscription.pk).update(failures=failures)
    return sent


# ---------------------------------------------------------------------------------------
# Texts and e-mails from the clinic, per purpose, in the consent ledger (docs/decisions/0041)


def messages_consent_disclosures(clinic) -> dict:
    """Return the clinic's disclosure in force for each channel (version 1 is written if it has none)."""
    return {channel: disclosure_ensure(clinic, channel) for channel in (Channel.SMS, Channel.EMAIL)}


def messages_consent_set(*, actor, portal: PortalAccess, channel: str, purpose: str, agreed: bool,
                         disclosure_id: int | None = None, ip: str | None = None,
                         user_agent: str = "") -> ContactConsentEvent | None:
    """Turn one purpose on or off for the patient's own phone or e-mail address, in the ledger.

    The address is the one on the patient's record, never one from the request. Agreeing
    records the disclosure version the patient was shown, and is refused when it is no longer
    the one in force. Returns None when the ledger already says so (nothing is written). The
    outbox reads the ledger when it sends, so the change applies to messages already queued.
    """
    if channel not in (Channel.SMS, Channel.EMAIL):
        raise ValidationError({"channel": _("Choose text message or e-mail.")})
    if purpose not in selectors.MESSAGE_CONSENT_PURPOSES:
        raise ValidationError({"purpose": _("Choose one of the kinds of message listed.")})
    patient = portal.patient
    address = contact_address(patient, channel)
    if not address:
        raise ValidationError({"channel": _(
            "There is no mobile phone number on your record, so the clinic cannot text you. Call the clinic to "
            "add one, then turn text messages on here.") if channel == Channel.SMS else _(
            "There is no e-mail address on your record. Call the clinic to add one, then turn e-mail on here.")})
    if channel == Channel.SMS:
        try:
            e164(address)
        except SmsError:
            raise ValidationError({"channel": _(
                "The phone number on your record (%(phone)s) cannot receive text messages. Call the clinic to "
                "correct it.") % {"phone": address}}) from None
    clinic = patient.clinic
    with transaction.atomic():
        disclosure = None
        if agreed:
            disclosure = ledger.disclosure_current(clinic, channel)
            if disclosure is None or (disclosure_id is not None and disclosure.pk != disclosure_id):
                raise ValidationError({"disclosure": _(
                    "The clinic changed the wording of this agreement while the page was open. Nothing was "
                    "changed: read the new wording below and choose again.")})
        standing = ledger.consent_standings(clinic=clinic, channel=channel, address=address,
                                            purposes=[purpose])[purpose]
        if standing.recorded and standing.allowed == agreed:
            return None
        if agreed:
            event = ledger.consent_grant(clinic=clinic, channel=channel, address=address, purpose=purpose,
                                         source=ConsentSource.PORTAL, disclosure=disclosure, ip=ip,
                                         user_agent=user_agent, recorded_by=actor)
        else:
            event = ledger.consent_withdraw(clinic=clinic, channel=channel, address=address, purpose=purpose,
                                            source=ConsentSource.PORTAL, ip=ip, user_agent=user_agent,
                                            recorded_by=actor)
        audit_record(action="portal.messages_consent.grant" if agreed else "portal.messages_consent.withdraw",
                     actor=actor, patient=patient, obj=event.consent,
                     detail={"channel": channel, "purpose": purpose,
                             "disclosure": disclosure.version if disclosure else None})
    return event
