"""Results whose reference range differs by sex are banded from the patient's recorded sex."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dosewise.clinical.monitoring import EITHER_SEX
from dosewise.monitoring import services
from dosewise.monitoring.tests.conftest import hours_ago
from dosewise.patients.models import Patient

pytestmark = pytest.mark.django_db


def _with_sex(access, sex: str):
    Patient.objects.filter(pk=access.patient.pk).update(sex_at_birth=sex)
    access.patient.refresh_from_db()


@pytest.mark.parametrize(("sex", "flag", "reference"), [
    ("male", "low", "male reference range"),             # WHO: anaemia below 13 g/dL in men
    ("female", "normal", "female reference range"),      # WHO: below 12 g/dL in non-pregnant women
    ("intersex", "low", EITHER_SEX),                     # sex not recorded: the stricter (male) limit
    ("unknown", "low", EITHER_SEX),
])
def test_haemoglobin_is_banded_by_sex_and_says_which_range(prescriber_a, dana, dana_access, sex, flag, reference):
    _with_sex(dana_access, sex)
    result = services.observation_record(actor=prescriber_a, access=dana_access, test="haemoglobin", value="125",
                                         unit="g/L", effective_at=hours_ago(1))
    assert (result.flag, result.reference_range) == (flag, reference)
    assert result.value_canonical == 12.5


@pytest.mark.parametrize(("test", "value", "unit", "male", "female"), [
    ("creatinine", "1.2", "mg/dL", "normal", "high"),
    ("prolactin-level", "20", "ng/mL", "high", "normal"),
    ("hdl", "45", "mg/dL", "normal", "low"),
    ("qtc", "460", "ms", "high", "normal"),
    ("alt", "30", "U/L", "normal", "high"),
])
def test_the_same_value_is_judged_against_each_sexs_range(prescriber_a, dana, dana_access, test, value, unit, male,
                                                          female):
    flags = {}
    for sex, hour in (("male", 1), ("female", 2)):
        _with_sex(dana_access, sex)
        flags[sex] = services.observation_record(actor=prescriber_a, access=dana_access, test=test, value=value,
                                                 unit=unit, effective_at=hours_ago(hour)).flag
    assert flags == {"male": male, "female": female}


def test_a_test_with_one_range_for_everyone_names_no_band_set(prescriber_a, dana_access):
    result = services.observation_record(actor=prescriber_a, access=dana_access, test="anc", value="1200",
                                         unit="/uL", effective_at=hours_ago(1))
    assert result.reference_range == "" and result.flag == "low"


def test_the_chart_says_which_band_set_was_used(prescriber_a, dana, dana_access, as_user):
    _with_sex(dana_access, "unknown")
    services.observation_record(actor=prescriber_a, access=dana_access, test="hdl", value="45", unit="mg/dL",
                                effective_at=hours_ago(1))
    page = as_user(prescriber_a).get(reverse("web:patient_chart_tab", args=[dana.pk, "monitoring"]))
    assert f"Band chosen from the {EITHER_SEX}" in page.content.decode()
