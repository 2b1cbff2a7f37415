"""Credentials of an account beyond its password: allauth's authenticators (TOTP, recovery
codes), created and removed through allauth's public model and adapter."""

from __future__ import annotations

import secrets

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator


def user_authenticators_create(user, *, totp_secret: str) -> None:
    """Give the user a TOTP authenticator with `totp_secret` (base32) and a set of recovery codes.

    The stored shape is the one allauth documents for importing existing authenticators
    (secret and recovery-code seed encrypted by the MFA adapter).
    """
    adapter = get_mfa_adapter()
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP,
                                 data={"secret": adapter.encrypt(totp_secret)})
    Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES,
                                 data={"seed": adapter.encrypt(secrets.token_hex(40)), "used_mask": 0})


def user_authenticators_remove(user) -> int:
    """Remove every authenticator of the user (each removal is audited by its model signal); return how many."""
    removed = 0
    for authenticator in Authenticator.objects.filter(user=user):
        authenticator.delete()
        removed += 1
    return removed
