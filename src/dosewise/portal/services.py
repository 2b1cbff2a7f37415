"""Writes of the patient portal: invitations and revocation by staff; the patient's dose log
and side-effect reports. Each is atomic and audited in the same transaction, with the
patient's own account as the actor for what the patient does."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from dosewise.accounts.credentials import user_authenticators_remove
from dosewise.accounts.models import User
from dosewise.audit.services import audit_record
from dosewise.clinics.roles import Capability, Role
from dosewise.lib.site_url import password_set_link
from dosewise.medications.models import Medication, MedicationStatus
from dosewise.monitoring.models import SideEffect
from dosewise.monitoring.services import side_effect_report_from_patient
from dosewise.notifications.services import outbox_enqueue_email
from dosewise.patients.models import ConsentKind
from dosewise.patients.selectors import PatientAccess, active_consent
from dosewise.portal.models import DoseLog, DoseStatus, MissedReason, PortalAccount, PortalStatus
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
        if PortalAccount.objects.filter(patient=patient).exclude(status=PortalStatus.REVOKED).exists():
            raise ValidationError("This patient already has a portal invitation or account. Revoke it first to "
                                  "invite a different address.")
        user = User.objects.filter(email=email).first()
        reopened = user is not None
        if user is not None:
            account = PortalAccount.objects.filter(user=user, patient=patient).first()
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
        else:
            user = User.objects.create_user(email=email, full_name=patient.display_name, role=Role.PATIENT,
                                            clinic=patient.clinic)
            account = PortalAccount.objects.create(clinic_id=patient.clinic_id, patient=patient, user=user,
                                                   invited_at=timezone.now(), invited_by=actor)
        context = {"patient": patient, "clinic": patient.clinic, "link": password_set_link(user),
                   "idle_minutes": settings.PATIENT_IDLE_TIMEOUT_MINUTES}
        # The subject names the clinic only: a lock screen must not reveal more.
        outbox_enqueue_email(to=email, subject=f"Your patient portal at {patient.clinic.name}",
                             body=render_to_string("portal/email/invite.txt", context), purpose="portal.invite",
                             clinic=patient.clinic)
        audit_record(action="portal.invite", actor=actor, patient=patient, obj=account,
                     detail={"email": email, "reopened": reopened})
    return account


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
        account = (PortalAccount.objects.select_for_update().filter(patient=access.patient)
                   .exclude(status=PortalStatus.REVOKED).first())
        if account is None:
            raise ValidationError("This patient has no open portal account to revoke.")
        account.status, account.revoked_at, account.revoked_by = PortalStatus.REVOKED, timezone.now(), actor
        account.revoked_reason = reason[:300]
        account.save(update_fields=["status", "revoked_at", "revoked_by", "revoked_reason"])
        user = User.objects.select_for_update().get(pk=account.user_id)
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
        authenticators = user_authenticators_remove(user)
        audit_record(action="portal.revoke", actor=actor, patient=access.patient, obj=account,
                     detail={"reason": account.revoked_reason, "authenticators_removed": authenticators})
    return account


def portal_activate(*, user) -> PortalAccount | None:
    """Mark an invited account active at its first sign-in (called by the login signal)."""
    with transaction.atomic():
        account = (PortalAccount.objects.select_for_update().select_related("patient")
                   .filter(user=user, status=PortalStatus.INVITED).first())
        if account is None:
            return None
        account.status, account.activated_at = PortalStatus.ACTIVE, timezone.now()
        account.save(update_fields=["status", "activated_at"])
        audit_record(action="portal.activate", actor=user, patient=account.patient, obj=account)
    return account


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
        errors["day"] = "You can log doses for today and yesterday only."
    if status not in DoseStatus.values:
        errors["status"] = "Choose Taken or Missed."
    note = " ".join(note.split())[:300]
    if status == DoseStatus.MISSED:
        if reason not in MissedReason.values:
            errors["reason"] = "Choose why the dose was missed."
        elif reason == MissedReason.OTHER and not note:
            errors["note"] = "Say in a few words why the dose was missed."
    else:
        reason, note = "", ""
    medicine = Medication.objects.filter(pk=medication_id, patient=patient, status=MedicationStatus.ACTIVE).first()
    if medicine is None:
        errors["medication"] = "That medicine is not on your current list."
    elif not errors.get("day") and medicine.start_date > day:
        errors["day"] = f"{medicine.ingredient} starts on {medicine.start_date:%B %-d}."
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            current = DoseLog.objects.select_for_update().filter(medication=medicine, day=day, current=True).first()
            if current is not None:
                if replaces_id != current.pk:
                    raise DoseLogConflict(
                        f"{medicine.ingredient} for {day:%A} was already logged as {current.get_status_display().lower()} "
                        f"at {timezone.localtime(current.recorded_at, ZoneInfo(patient.clinic.timezone)):%H:%M}. "
                        "Nothing was changed; check it below.")
                if current.recorded_on != today:
                    raise DoseLogConflict(f"The entry for {medicine.ingredient} on {day:%A} was made on an earlier "
                                          "day and can no longer be changed. Tell your care team at your next visit.")
                DoseLog.objects.filter(pk=current.pk).update(current=False)
            elif replaces_id is not None:
                raise DoseLogConflict("That entry was changed meanwhile. Nothing was saved; check it below.")
            entry = DoseLog.objects.create(
                clinic_id=patient.clinic_id, patient=patient, medication=medicine, day=day, status=status,
                reason=reason, note=note, recorded_by=actor, recorded_on=today, replaces=current)
            audit_record(action="dose_log.change" if current else "dose_log.record", actor=actor, patient=patient,
                         obj=entry, detail={"medication": medicine.pk, "day": day.isoformat(), "status": status,
                                            "reason": reason, "replaces": current.pk if current else None})
    except IntegrityError:
        # Two submissions of the same form at once: the first one won.
        raise DoseLogConflict("This dose was just logged from another window. Nothing was changed.") from None
    return entry


def side_effect_report(*, actor, portal: PortalAccess, code: str, severity: str, burden: int,
                       suspected=(), note: str = "") -> SideEffect:
    """Report a side effect from the portal, suspecting only medicines on the patient's current list."""
    wanted = {int(i) for i in suspected}
    active = set(Medication.objects.filter(patient=portal.patient, status=MedicationStatus.ACTIVE, pk__in=wanted)
                 .values_list("pk", flat=True))
    if wanted - active:
        raise ValidationError({"suspected": "Choose medicines from your current list."})
    return side_effect_report_from_patient(actor=actor, patient=portal.patient, code=code, effect=note,
                                           suspected=sorted(wanted), severity=severity, burden=burden,
                                           noted_on=portal.today)
