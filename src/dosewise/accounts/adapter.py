"""How django-allauth fits Dosewise: no public sign-up, e-mail through the outbox, the client's
address from the trusted proxy, and sign-in limits that lock an account, never everyone."""

from __future__ import annotations

from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dosewise.accounts import lockout
from dosewise.clinics.roles import Role
from dosewise.lib.client_address import client_ip
from dosewise.lib.site_url import configured_site, site_link
from dosewise.notifications.services import outbox_enqueue_email


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Staff accounts are created by a clinic admin's invitation, never by sign-up.
        return False

    def get_login_redirect_url(self, request) -> str:
        # Patients land in the patient portal; the staff home page is not theirs.
        if getattr(request.user, "role", "") == Role.PATIENT:
            return reverse("portal:home")
        return super().get_login_redirect_url(request)

    def get_client_ip(self, request) -> str:
        # The same address as the audit trail's: X-Forwarded-For only through TRUSTED_PROXY_COUNT proxies.
        address = client_ip(request)
        if not address:
            raise PermissionDenied("The client's address is unknown.")
        return address

    def pre_authenticate(self, request, **credentials) -> None:
        email = lockout.login_email(credentials)
        account = lockout.login_account(email)
        try:
            # allauth's per-account limit (LOGIN_FAILED_RATE_LIMIT).
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            lockout.login_rate_limited_record(email=email, account=account, limit="account")
            raise
        if account is None and lockout.unknown_account_limit_reached(request):
            lockout.login_rate_limited_record(email=email, account=None, limit="address")
            # The answer a wrong password gets: the refusal must not reveal that the account does not exist.
            raise self.validation_error("email_password_mismatch")

    def authentication_failed(self, request, **credentials) -> None:
        if lockout.login_account(lockout.login_email(credentials)) is None:
            lockout.unknown_account_failure_count(request)

    def get_reset_password_from_key_url(self, key: str) -> str:
        # On DOSEWISE_SITE_URL: the Host header of the request that asked for the reset is the asker's to forge.
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return site_link(path.replace("UID-KEY", quote(key)))

    def format_email_subject(self, subject: str) -> str:
        # "[site] subject", the site named from DOSEWISE_SITE_URL rather than the request's Host header.
        return f"[{configured_site().name}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        ctx = {"email": email, "request": context.get("request")}
        ctx.update(context)
        # allauth's templates name the site from the request's Host header otherwise.
        ctx["current_site"] = configured_site()
        message = self.render_mail(template_prefix, email, ctx)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        outbox_enqueue_email(to=email, subject=message.subject, body=message.body, html_body=html,
                             purpose=template_prefix.rsplit("/", 1)[-1])
