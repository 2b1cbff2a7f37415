"""Password-setting links in e-mails are built on DOSEWISE_SITE_URL, never on a forged Host header."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

SITE = "https://dosewise.northside.example"
FORGED = "attacker.example"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    # A wildcard host list (refused in production, possible elsewhere) lets the forged Host through.
    settings.ALLOWED_HOSTS = ["*"]


def _links(body: str) -> list[str]:
    return [word for word in body.split() if "/accounts/password/reset/key/" in word]


def test_a_password_reset_link_is_on_the_site_url_whatever_host_the_request_names(
        prescriber_a, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": prescriber_a.email}, HTTP_HOST=FORGED)
    assert response.status_code == 302
    [sent] = mail.outbox
    [link] = _links(sent.body)
    assert link.startswith(SITE + "/accounts/password/reset/key/")
    assert FORGED not in sent.body and FORGED not in sent.subject


def test_a_staff_invitation_link_is_on_the_site_url_whatever_host_the_request_names(
        admin_a, as_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(admin_a).post(reverse("accounts:staff_list"), {
            "full_name": "Ivy Invite", "email": "ivy@northside.test", "role": "nurse", "credentials": "RN"},
            HTTP_HOST=FORGED)
    assert response.status_code == 302
    [sent] = mail.outbox
    [link] = _links(sent.body)
    assert link.startswith(SITE + "/accounts/password/reset/key/") and FORGED not in sent.body
