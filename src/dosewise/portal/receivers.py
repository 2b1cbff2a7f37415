"""An invited patient's first sign-in makes their portal account active."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from dosewise.clinics.roles import Role


@receiver(user_logged_in, dispatch_uid="portal_activate_on_login")
def _activate_on_login(sender, request, user, **kwargs) -> None:
    if user.role == Role.PATIENT:
        from dosewise.portal.services import portal_activate

        portal_activate(user=user)
