"""Staff administration by clinic admins (invite, deactivate, reactivate) and prescribers' DEA number and NPI."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from dosewise.accounts import selectors
from dosewise.accounts.models import User
from dosewise.audit.services import audit_record
from dosewise.clinics.roles import STAFF_ROLES, Capability
from dosewise.lib.identifiers import dea_validate, npi_validate
from dosewise.lib.site_url import password_set_link
from dosewise.notifications.services import outbox_enqueue_email


def staff_invite(*, actor: User, email: str, full_name: str, role: str, credentials: str = "") -> User:
    """Create a staff account in the actor's clinic and e-mail a link (on DOSEWISE_SITE_URL) to set a password."""
    if not actor.can(Capability.STAFF_MANAGE):
        raise PermissionDenied
    email = email.strip().lower()
    errors = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = "Enter a valid e-mail address."
    if role not in STAFF_ROLES:
        errors["role"] = "Choose a staff role."
    if not full_name.strip():
        errors["full_name"] = "Enter the person's name."
    if not errors.get("email") and User.objects.filter(email=email).exists():
        errors["email"] = "An account with this e-mail address already exists."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = User.objects.create_user(email=email, full_name=full_name.strip(), role=role,
                                        credentials=credentials.strip(), clinic=actor.clinic)
        context = {"user": user, "inviter": actor, "clinic": actor.clinic, "link": password_set_link(user),
                   "idle_minutes": settings.STAFF_IDLE_TIMEOUT_MINUTES}
        outbox_enqueue_email(
            to=email, subject=f"You are invited to {actor.clinic.name} on Dosewise",
            body=render_to_string("accounts/email/invite.txt", context), purpose="staff.invite",
            clinic=actor.clinic)
        audit_record(action="staff.invite", actor=actor, obj=user, detail={"email": email, "role": role})
    return user


def staff_set_active(*, actor: User, user_id: int, active: bool) -> User:
    """Deactivate (access ends on the next request) or reactivate a colleague."""
    if not actor.can(Capability.STAFF_MANAGE):
        raise PermissionDenied
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id, clinic_id=actor.clinic_id)
        if user.pk == actor.pk and not active:
            raise ValidationError("You cannot deactivate your own account; ask another clinic admin.")
        user.is_active = active
        user.deactivated_at = None if active else timezone.now()
        user.deactivated_by = None if active else actor
        user.save(update_fields=["is_active", "deactivated_at", "deactivated_by"])
        audit_record(action="staff.reactivate" if active else "staff.deactivate", actor=actor, obj=user,
                     detail={"email": user.email})
    return user


def _masked(number: str) -> str:
    return f"…{number[-4:]}" if number else ""


def prescriber_numbers_set(*, actor: User, user_id: int, dea_number: str, npi: str) -> tuple[User, list[str]]:
    """Save a prescriber's DEA registration number and NPI; return the prescriber and any warnings.

    Either may be left blank (a prescriber without a DEA registration writes no controlled
    substances). A malformed number or a wrong check digit is refused with the reason; a DEA
    number whose second letter is not the last-name initial is saved with a warning.
    """
    user = selectors.prescriber_for_numbers(actor, user_id)
    errors, warnings = {}, []
    dea = npi_clean = ""
    if dea_number.strip():
        try:
            check = dea_validate(dea_number, last_name=user.full_name.split()[-1] if user.full_name.split() else "")
        except ValueError as exc:
            errors["dea_number"] = str(exc)
        else:
            dea, warnings = check.number, list(check.warnings)
    if npi.strip():
        try:
            npi_clean = npi_validate(npi)
        except ValueError as exc:
            errors["npi"] = str(exc)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        changed = [name for name, value in (("dea_number", dea), ("npi", npi_clean)) if getattr(user, name) != value]
        if not changed:
            return user, warnings
        before = {name: _masked(getattr(user, name)) for name in changed}
        user.dea_number, user.npi = dea, npi_clean
        user.save(update_fields=changed)
        # The numbers are public registrations, but the trail keeps only their last digits.
        audit_record(action="prescriber.numbers_change", actor=actor, obj=user, detail={
            "changed": changed, "before": before, "after": {name: _masked(getattr(user, name)) for name in changed},
            "warnings": len(warnings)})
    return user, warnings


def sessions_end(*, actor: User, current_session_key: str | None, keep_current: bool) -> int:
    """Sign the account out of its other browsers (and of this one unless `keep_current`); return how many.

    Each signed-in browser is an allauth `UserSession`; ending it deletes its Django session,
    so the next request from that browser is anonymous.
    """
    from allauth.usersessions.models import UserSession

    with transaction.atomic():
        ended = 0
        for user_session in UserSession.objects.filter(user=actor):
            if keep_current and user_session.session_key == current_session_key:
                continue
            user_session.end()
            ended += 1
        audit_record(action="account.sessions.end", actor=actor, detail={"ended": ended,
                                                                         "kept_current": keep_current})
    return ended


def sessions_end_all_for(*, user: User) -> int:
    """End every signed-in browser of an account whose access was revoked (the caller audits)."""
    from allauth.usersessions.models import UserSession

    ended = 0
    for user_session in UserSession.objects.filter(user=user):
        user_session.end()
        ended += 1
    return ended
