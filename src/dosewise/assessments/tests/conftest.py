"""Helpers for the measurement-based-care tests; the named people come from tests/conftest.py."""

from __future__ import annotations

import pytest

from dosewise.patients.selectors import access_patient


def phq9(total_without_item9: int = 9, item9: int = 0) -> list[int]:
    """Return PHQ-9 answers (items 1-8 summing to `total_without_item9`, then item 9)."""
    answers = [0] * 8
    remaining = total_without_item9
    for index in range(8):
        answers[index] = min(3, remaining)
        remaining -= answers[index]
    assert remaining == 0, "items 1-8 hold at most 24"
    return answers + [item9]


def as_post(answers: list[int | None]) -> dict[str, str]:
    """Return answers as the form posts them (item_1 ... item_n)."""
    return {f"item_{n}": str(v) for n, v in enumerate(answers, start=1) if v is not None}


@pytest.fixture
def dana_access(dana, prescriber_a):
    return access_patient(prescriber_a, dana.pk, "assessments.administer")


@pytest.fixture
def email_consent(dana, prescriber_a):
    from dosewise.patients import services

    access = access_patient(prescriber_a, dana.pk, "consent.record")
    return services.consent_record(actor=prescriber_a, access=access, kind="email", method="paper")
