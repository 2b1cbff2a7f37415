"""Session rules: idle expiry for staff and patients, mandatory MFA enrolment for staff."""

from __future__ import annotations

import time

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from dosewise.clinics.roles import STAFF_ROLES, Role

LAST_SEEN_KEY = "dosewise_last_seen"
MFA_OK_KEY = "dosewise_mfa_enrolled"
# Paths a signed-in user may reach before enrolling in MFA.
_MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/favicon")


def idle_timeout_minutes(role: str) -> int | None:
    """Return the idle timeout of a role's sessions (None: no idle timeout)."""
    if role in STAFF_ROLES:
        return settings.STAFF_IDLE_TIMEOUT_MINUTES
    if role == Role.PATIENT:
        # Patients read on shared or family phones too; longer than staff, still bounded.
        return settings.PATIENT_IDLE_TIMEOUT_MINUTES
    return None


class IdleTimeoutMiddleware:
    """Sign staff out after STAFF_IDLE_TIMEOUT_MINUTES, patients after PATIENT_IDLE_TIMEOUT_MINUTES,
    without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        minutes = idle_timeout_minutes(user.role) if user.is_authenticated else None
        if minutes is not None:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN_KEY)
            timeout = minutes * 60
            if last_seen is not None and now - last_seen > timeout:
                logout(request)
                messages.info(request, f"You were signed out after {minutes} minutes without activity.")
                return redirect(f"{reverse('account_login')}?next={request.path}")
            # Write the session at most every 30 s: a busy page should not write on every request.
            if last_seen is None or now - last_seen >= 30:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class StaffMfaRequiredMiddleware:
    """Send staff without a TOTP authenticator to enrolment before any other page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (user.is_authenticated and user.role in STAFF_ROLES
                and not request.path.startswith(_MFA_EXEMPT_PREFIXES)
                and not request.session.get(MFA_OK_KEY)):
            if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                request.session[MFA_OK_KEY] = True
            else:
                messages.warning(request, "Set up two-factor authentication before you continue: "
                                 "every staff account needs it to see health information.")
                return redirect("mfa_activate_totp")
        return self.get_response(request)
