"""Sign-in limits that lock an account, never a whole clinic.

Behind a reverse proxy, or a clinic's one shared Internet address, many people sign in
from one address. So a per-address limit must never refuse the correct password of an
account that is not itself locked. The limits are:

- per account: LOGIN_FAILED_RATE_LIMIT (allauth's per-key limit, five failures in
  15 minutes) refuses even the right password of that one account until the window ends;
- per address: after LOGIN_UNKNOWN_ACCOUNT_ADDRESS_LIMIT failed sign-ins for addresses
  that have no account, further attempts for unknown accounts from that address are refused
  (answered exactly like a wrong password, so the refusal tells nobody which addresses have
  accounts); sign-ins to real accounts go on, each under its own limit;
- request floods are the reverse proxy's job (`limit_req`, docs/deployment.md), where the
  client's real address is known.

Every refused attempt is audited as `auth.login_rate_limited` with the limit that refused it.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from dosewise.audit.models import AuditOutcome
from dosewise.audit.services import audit_record
from dosewise.lib.client_address import client_ip
from dosewise.lib.throttle import AddressThrottle

LOGIN_WINDOW_SECONDS = 15 * 60
UNKNOWN_ACCOUNT_FAILURES = AddressThrottle("login-unknown-account", window_seconds=LOGIN_WINDOW_SECONDS)


def login_email(credentials: dict) -> str:
    """Return the address a sign-in attempt names, as stored (lower case)."""
    return str(credentials.get("email") or credentials.get("username") or "").strip()[:254].lower()


def login_account(email: str):
    """Return the account with that e-mail address (active or not), or None."""
    if not email:
        return None
    return get_user_model().objects.filter(email__iexact=email).select_related("clinic").first()


def unknown_account_limit_reached(request) -> bool:
    """Return whether the caller's address has used up its failed sign-ins for unknown accounts."""
    return UNKNOWN_ACCOUNT_FAILURES.exceeded(client_ip(request), settings.LOGIN_UNKNOWN_ACCOUNT_ADDRESS_LIMIT)


def unknown_account_failure_count(request) -> int:
    """Count a failed sign-in for an address without an account against the caller's address."""
    return UNKNOWN_ACCOUNT_FAILURES.hit(client_ip(request))


def login_rate_limited_record(*, email: str, account, limit: str) -> None:
    """Audit a sign-in attempt refused by a limit ("account" or "address") before its password was checked."""
    detail = {"limit": limit}
    if account is None:
        detail["unknown_account"] = True
    with transaction.atomic():
        audit_record(action="auth.login_rate_limited", actor=account, actor_email=email,
                     outcome=AuditOutcome.DENIED, detail=detail)
