from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dosewise.audit.models import AuditEvent
from dosewise.monitoring import services
from dosewise.monitoring.models import Observation, ReviewPriority
from dosewise.monitoring.tests.conftest import hours_ago
from dosewise.patients.selectors import access_patient

pytestmark = pytest.mark.django_db


def record(actor, access, test="lithium-level", value="0.8", unit="mmol/L", hours=2):
    return services.observation_record(actor=actor, access=access, test=test, value=value, unit=unit,
                                       effective_at=hours_ago(hours))


def test_a_lithium_level_of_1_8_is_flagged_urgent_with_its_action(prescriber_a, dana_access):
    result = record(prescriber_a, dana_access, value="1.8")
    assert (result.flag, result.band, result.review_priority) == ("high", "toxic", ReviewPriority.URGENT)
    assert result.action.startswith("urgent")
    assert (result.code, result.unit_canonical, result.status, result.source) == ("14334-7", "mmol/L", "final",
                                                                                  "manual")
    event = AuditEvent.objects.get(action="observation.record")
    assert event.patient_id == dana_access.patient.pk and event.detail["flag"] == "high"


def test_a_normal_result_needs_no_review(prescriber_a, dana_access):
    result = record(prescriber_a, dana_access, value="0.8")
    assert (result.flag, result.review_priority) == ("normal", None)


def test_a_critical_result_comes_first(prescriber_a, dana_access):
    result = record(prescriber_a, dana_access, value="2.4")
    assert (result.flag, result.review_priority) == ("critical", ReviewPriority.CRITICAL)


@pytest.mark.parametrize(("test", "value", "unit", "canonical", "flag"), [
    ("valproate-level", "700", "umol/L", Decimal("101.01"), "high"),
    ("anc", "1.2", "10*9/L", Decimal(1200), "low"),
    ("anc", "0.4", "10^9/L", Decimal(400), "critical"),
    ("qtc", "0.52", "s", Decimal(520), "critical"),
    ("lithium-level", "1.1", "mEq/L", Decimal("1.1"), "normal"),
    ("clozapine-level", "1500", "nmol/L", Decimal("490.2"), "normal"),
])
def test_units_are_converted_to_the_reference_unit(prescriber_a, dana_access, test, value, unit, canonical, flag):
    result = record(prescriber_a, dana_access, test=test, value=value, unit=unit)
    assert result.value_canonical == canonical.quantize(Decimal("0.0001"))
    assert result.flag == flag
    assert result.unit in services.result_tests()[test].units  # aliases are stored as UCUM


@pytest.mark.parametrize(("value", "unit", "field", "words"), [
    ("45", "mmol/L", "value", "not a possible lithium level"),
    ("-1", "mmol/L", "value", "cannot be negative"),
    ("abc", "mmol/L", "value", "as a number"),
    ("NaN", "mmol/L", "value", "as a number"),
    ("0.8", "mg/dL", "unit", "not a unit for lithium"),
    ("0.8", "", "unit", "No unit"),
])
def test_impossible_values_and_wrong_units_are_refused(prescriber_a, dana_access, value, unit, field, words):
    with pytest.raises(ValidationError) as caught:
        record(prescriber_a, dana_access, value=value, unit=unit)
    assert words in " ".join(caught.value.message_dict[field])
    assert not Observation.objects.exists()
    assert not AuditEvent.objects.filter(action="observation.record").exists()


def test_a_sodium_of_20_is_refused_as_impossible(prescriber_a, dana_access):
    with pytest.raises(ValidationError, match="between 90 and 200"):
        record(prescriber_a, dana_access, test="sodium", value="20")


def test_future_results_and_unknown_tests_are_refused(prescriber_a, dana_access):
    with pytest.raises(ValidationError, match="future"):
        record(prescriber_a, dana_access, hours=-2)
    with pytest.raises(ValidationError, match="Unknown test"):
        record(prescriber_a, dana_access, test="unicorn-level")


def test_the_same_result_twice_is_refused(prescriber_a, dana_access):
    first = record(prescriber_a, dana_access, value="0.9")
    with pytest.raises(services.DuplicateObservation, match="already on the chart"):
        services.observation_record(actor=prescriber_a, access=dana_access, test="lithium-level", value="0.90",
                                    unit="mmol/L", effective_at=first.effective_at)


def test_a_therapist_may_not_record_results(therapist_a, dana):
    access = access_patient(therapist_a, dana.pk, "clinical.view")
    with pytest.raises(PermissionDenied):
        record(therapist_a, access)


def test_entered_in_error_keeps_the_result_and_clears_the_review(prescriber_a, dana_access):
    result = record(prescriber_a, dana_access, value="1.8")
    with pytest.raises(ValidationError, match="Say why"):
        services.observation_mark_entered_in_error(actor=prescriber_a, access=dana_access,
                                                   observation_id=result.pk, reason="")
    withdrawn = services.observation_mark_entered_in_error(actor=prescriber_a, access=dana_access,
                                                           observation_id=result.pk, reason="wrong patient")
    assert (withdrawn.status, withdrawn.review_priority, withdrawn.entered_in_error_by) == (
        "entered-in-error", None, prescriber_a)
    assert AuditEvent.objects.filter(action="observation.entered_in_error", object_id=str(result.pk)).exists()
    # Withdrawn, the same value may be entered again correctly.
    record(prescriber_a, dana_access, value="1.8", hours=1)


def test_acknowledging_a_result_takes_it_off_review_once(prescriber_a, dana_access):
    result = record(prescriber_a, dana_access, value="1.8")
    with pytest.raises(ValidationError, match="at least 5"):
        services.observation_acknowledge(actor=prescriber_a, access=dana_access, observation_id=result.pk, note="ok")
    services.observation_acknowledge(actor=prescriber_a, access=dana_access, observation_id=result.pk,
                                     note="Phoned, lithium withheld, repeat level tomorrow")
    result.refresh_from_db()
    assert result.review_priority is None and result.acknowledged_by == prescriber_a
    with pytest.raises(ValidationError, match="Already acknowledged"):
        services.observation_acknowledge(actor=prescriber_a, access=dana_access, observation_id=result.pk,
                                         note="second time round")
    assert AuditEvent.objects.filter(action="observation.acknowledge").count() == 1
