"""Helpers of the outreach tests; the named people come from tests/conftest.py."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dosewise.notifications.tests.conftest import daytime  # noqa: F401  (a fixture, used by name)
from dosewise.outreach import services

FORM = {"given_name": "Robin", "family_name": "Reyes", "phone": "312 555 0188", "email": "robin@example.org",
        "preferred_channel": "email", "reason": "Trouble sleeping and low mood since the spring.",
        "preferred_times": "weekday mornings", "state": "IL", "email_consent": "on", "website": ""}


def form_data(**overrides) -> dict:
    data = dict(FORM)
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def submit(client, clinic_a, django_capture_on_commit_callbacks):
    """Return a function posting the public form (confirmations are delivered on commit)."""

    def post(ip="203.0.113.7", **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("outreach:consultation_request"), form_data(**overrides), REMOTE_ADDR=ip,
                               HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) test")

    return post


@pytest.fixture
def robin(clinic_a):
    """Return a consultation request from Robin Reyes, who agreed to e-mail."""
    return services.consultation_request_submit(
        clinic=clinic_a, data={k: v for k, v in FORM.items() if k not in ("email_consent", "website")},
        sms_consent=False, email_consent=True, ip="203.0.113.7", user_agent="test")
