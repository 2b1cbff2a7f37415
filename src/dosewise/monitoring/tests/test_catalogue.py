"""The recordable tests come from the knowledge base: units, possible ranges and reference bands."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from dosewise.clinical.monitoring import interpret_result
from dosewise.monitoring import catalogue, services
from dosewise.monitoring.tests.conftest import hours_ago

pytestmark = pytest.mark.django_db

MONITORED = ("weight", "bmi", "waist", "systolic-bp", "diastolic-bp", "heart-rate", "height", "fasting-glucose",
             "hba1c", "cholesterol", "ldl", "hdl", "triglycerides", "prolactin-level", "tsh-level", "creatinine",
             "egfr", "calcium-level", "alt", "ast", "platelets", "wbc")


def test_every_monitored_test_is_recordable_with_a_loinc_code_and_a_scheduled_test():
    tests = catalogue.result_tests()
    for key in MONITORED:
        assert tests[key].loinc, key
        assert tests[key].counts_as in {"weight", "waist", "blood-pressure", "heart-rate", "height", "glucose",
                                        "lipids", "prolactin", "tsh", "kidney-function", "calcium", "liver-tests",
                                        "cbc"}, key
    assert catalogue.test_by_code()["13457-7"] == "ldl" and tests["qtc"].counts_as == "ecg"


@pytest.mark.parametrize(("test", "value", "unit", "flag", "canonical"), [
    ("ldl", 4.0, "mmol/L", "high", 154.68),                 # NCEP ATP III: 130-159 mg/dL borderline high
    ("fasting-glucose", 7.0, "mmol/L", "high", 126.112),    # ADA: 126 mg/dL or more, diabetes range
    ("hba1c", 5.9, "%", "high", 5.9),                       # ADA: 5.7-6.4% prediabetes
    ("systolic-bp", 182, "mmHg", "critical", 182),          # ACC/AHA 2017: 180 or more, severe
    ("egfr", 50, "mL/min/1.73m2", "low", 50),               # KDIGO G3a
    ("platelets", 120000, "/uL", "low", 120),               # below 150 x10^9/L
    ("weight", 176.37, "[lb_av]", "normal", 80.0),          # no reference range: recorded
])
def test_results_are_converted_and_banded(test, value, unit, flag, canonical):
    result = interpret_result(test, value, unit)
    assert result.flag == flag and result.value == pytest.approx(canonical, abs=0.01)


def test_an_impossible_blood_pressure_is_refused(prescriber_a, dana_access):
    with pytest.raises(ValidationError, match="not a possible systolic blood pressure"):
        services.observation_record(actor=prescriber_a, access=dana_access, test="systolic-bp", value="1200",
                                    unit="mm[Hg]", effective_at=hours_ago(1))


def test_a_waist_is_banded_by_the_patients_recorded_sex(prescriber_a, dana_access):
    result = services.observation_record(actor=prescriber_a, access=dana_access, test="waist", value="95",
                                         unit="cm", effective_at=hours_ago(1))
    assert (result.flag, result.band, result.reference_range) == ("high", "abdominal obesity",
                                                                  "female reference range")
