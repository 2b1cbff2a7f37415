"""Helpers for the medication tests; the named people come from tests/conftest.py."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dosewise.medications import services
from dosewise.patients.selectors import access_patient


@pytest.fixture
def dana_meds(dana, prescriber_a):
    """Return Alice's access to Dana's medications."""
    return access_patient(prescriber_a, dana.pk, "medications.prescribe")


@pytest.fixture
def on_phenelzine(dana_meds, prescriber_a):
    """Dana takes phenelzine 45 mg/day, prescribed by Alice."""
    return services.medication_start(actor=prescriber_a, access=dana_meds, drug="phenelzine",
                                     dose_mg_per_day=Decimal(45), frequency="15 mg three times daily",
                                     indication="depression", indication_icd10="F33.1")
