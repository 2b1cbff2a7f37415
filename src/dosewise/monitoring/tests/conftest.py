"""Helpers for the monitoring tests; the named people come from tests/conftest.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from dosewise.patients.selectors import access_patient


@pytest.fixture
def dana_access(dana, prescriber_a):
    return access_patient(prescriber_a, dana.pk, "monitoring.view")


def hours_ago(hours: float):
    return timezone.now() - timedelta(hours=hours)
