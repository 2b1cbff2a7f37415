"""Audit sign-ins, failed sign-ins and MFA changes."""

from __future__ import annotations

from allauth.account import signals as account_signals
from allauth.account.internal.flows.login import record_authentication
from allauth.account.models import EmailAddress
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from dosewise.accounts.middleware import MFA_OK_KEY
from dosewise.audit.models import AuditOutcome
from dosewise.audit.services import audit_record
from dosewise.clinics.roles import STAFF_ROLES


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs) -> None:
    audit_record(action="auth.login", actor=user)
    if request is not None and user.role in STAFF_ROLES and not Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP).exists():
        # Staff without an authenticator are sent straight to enrolment; the password they
        # typed a moment ago is the recent confirmation allauth would otherwise ask for again.
        record_authentication(request, user, method="password", reauthenticated=True)


@receiver(user_logged_out)
def _audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(action="auth.logout", actor=user)


@receiver(user_login_failed)
def _audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    email = str(credentials.get("email") or credentials.get("username") or "")[:254].lower()
    known = get_user_model().objects.filter(email=email).select_related("clinic").first() if email else None
    with transaction.atomic():
        audit_record(action="auth.login_failed", actor=known, actor_email=email, outcome=AuditOutcome.FAILURE,
                     detail={} if known else {"unknown_account": True})


# Added and removed are audited from the model signals, which run inside the transaction
# that saves or deletes the authenticator; allauth's own signals fire only after commit.
@receiver(post_save, sender=Authenticator)
def _audit_mfa_added(sender, instance, created, **kwargs) -> None:
    if created:
        audit_record(action="mfa.added", actor=instance.user, obj=instance, detail={"type": instance.type})


@receiver(post_delete, sender=Authenticator)
def _audit_mfa_removed(sender, instance, **kwargs) -> None:
    audit_record(action="mfa.removed", actor=instance.user, obj=instance, detail={"type": instance.type})


@receiver(mfa_signals.authenticator_removed)
def _forget_mfa_enrolment(sender, request, user, authenticator, **kwargs) -> None:
    request.session.pop(MFA_OK_KEY, None)


@receiver(mfa_signals.authenticator_reset)
def _audit_mfa_reset(sender, request, user, authenticator, **kwargs) -> None:
    audit_record(action="mfa.reset", actor=user, obj=authenticator, detail={"type": authenticator.type})


@receiver(mfa_signals.authentication_failed)
def _audit_mfa_failed(sender, request, user, authenticator, **kwargs) -> None:
    audit_record(action="mfa.failed", actor=user, obj=authenticator, outcome=AuditOutcome.FAILURE)


@receiver(account_signals.password_reset)
def _verify_email_on_password_reset(sender, request, user, **kwargs) -> None:
    # The reset (or invitation) key reached this address, which proves it; allauth refuses
    # two-factor enrolment while the address is unverified.
    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(verified=True)
