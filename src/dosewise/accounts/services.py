"""Staff administration by clinic admins: invite, deactivate, reactivate."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from dosewise.accounts.models import User
from dosewise.accounts.roles import STAFF_ROLES, Capability
from dosewise.audit.services import audit_record
from dosewise.notifications.services import outbox_enqueue_email


def staff_invite(*, actor: User, email: str, full_name: str, role: str, credentials: str = "",
                 base_url: str) -> User:
    """Create a staff account in the actor's clinic and e-mail a link to set a password."""
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
        path = reverse("account_reset_password_from_key",
                       kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)})
        context = {"user": user, "inviter": actor, "clinic": actor.clinic, "link": base_url.rstrip("/") + path,
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
