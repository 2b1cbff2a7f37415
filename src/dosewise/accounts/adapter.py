"""How django-allauth fits Dosewise: no public sign-up, e-mail through the outbox."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from dosewise.clinics.roles import Role
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

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        ctx = {"email": email, "request": context.get("request")}
        ctx.update(context)
        message = self.render_mail(template_prefix, email, ctx)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html":
                html = content
        outbox_enqueue_email(to=email, subject=message.subject, body=message.body, html_body=html,
                             purpose=template_prefix.rsplit("/", 1)[-1])
