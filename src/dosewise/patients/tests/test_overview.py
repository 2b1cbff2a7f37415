"""The chart's Overview leads with what matters in a med check, at a cost that does not grow with history."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dosewise.assessments.services import response_submit
from dosewise.clinics.clock import clinic_today
from dosewise.medications import services as medications
from dosewise.monitoring import services as monitoring
from dosewise.patients.selectors import access_patient

# Header, tab bar, the patients app's own sections and the cards of the apps above (see
# web/tests/test_query_budgets.py); the point of the test is that it does not grow.
OVERVIEW_BUDGET = 31
OVERRIDE = {"override_reason_code": "monitoring_in_place",
            "override_reason": "Level repeated in five days and kidney function checked with it."}
PHQ9_MODERATE = [2, 2, 2, 1, 1, 1, 1, 1, 0]
PHQ9_MILD = [1, 1, 1, 1, 1, 0, 0, 0, 0]


@pytest.fixture
def lithium_chart(dana, prescriber_a):
    """Dana takes lithium 900 mg/day since 120 days; her level was 0.8, then 1.8 mmol/L yesterday."""
    access = access_patient(prescriber_a, dana.pk, "medications.prescribe")
    today = clinic_today(dana.clinic)
    medications.problem_add(actor=prescriber_a, access=access, code="F31.81", onset_date=today - timedelta(days=900))
    lithium = medications.medication_start(
        actor=prescriber_a, access=access, drug="lithium carbonate", dose_mg_per_day=Decimal(900),
        frequency="twice daily", strength_mg=Decimal(300), indication="bipolar II disorder",
        start_date=today - timedelta(days=120))
    monitoring.observation_record(actor=prescriber_a, access=access, test="lithium-level", value=Decimal("0.8"),
                                  unit="mmol/L", effective_at=timezone.now() - timedelta(days=60))
    monitoring.observation_record(actor=prescriber_a, access=access, test="lithium-level", value=Decimal("1.8"),
                                  unit="mmol/L", effective_at=timezone.now() - timedelta(days=1))
    return lithium


def overview(client, patient) -> str:
    response = client.get(reverse("web:patient_chart", args=[patient.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_toxic_lithium_level_is_on_the_overview_without_opening_a_tab(lithium_chart, dana, prescriber_a, as_user):
    page = overview(as_user(prescriber_a), dana)
    results = page[page.index('id="overview-results"'):]
    results = results[:results.index("</section>")]
    assert "Lithium level (12-hour trough) 1.8 mmol/L" in results
    assert "toxic" in results and "withhold lithium" in results
    # The older, normal level of the same test is superseded by the newer one.
    assert "0.8" not in results


def test_the_overview_lists_current_medicines_with_dose_since_and_problems(lithium_chart, dana, prescriber_a,
                                                                          as_user):
    page = overview(as_user(prescriber_a), dana)
    medicines = page[page.index('id="overview-medicines"'):]
    assert "lithium" in medicines and "900 mg/day twice daily" in medicines
    started = clinic_today(dana.clinic) - timedelta(days=120)
    assert f"started {started:%Y-%m-%d}" in medicines
    assert "F31.81" in medicines
    # The overview leads: medicines come before the demographics.
    assert page.index('id="overview-medicines"') < page.index('id="demo"')


def test_the_overview_shows_a_dose_change_from_the_day_it_took_effect(lithium_chart, dana, prescriber_a, as_user):
    access = access_patient(prescriber_a, dana.pk, "medications.prescribe")
    effective = clinic_today(dana.clinic) - timedelta(days=10)
    medications.medication_change_dose(actor=prescriber_a, access=access, medication_id=lithium_chart.pk,
                                       expected_version=lithium_chart.version, dose_mg_per_day=Decimal(600),
                                       frequency="twice daily", reason="level too high",
                                       effective_date=effective, **OVERRIDE)
    page = overview(as_user(prescriber_a), dana)
    assert f"dose changed {effective:%Y-%m-%d}" in page


def test_an_open_risk_task_and_the_latest_score_with_its_trend_are_on_the_overview(dana, prescriber_a, as_user):
    access = access_patient(prescriber_a, dana.pk, "assessments.administer")
    now = timezone.now()
    response_submit(patient=dana, questionnaire="phq9", answers=PHQ9_MODERATE, source="clinic", actor=prescriber_a,
                    access=access, authored=now - timedelta(days=30))
    response_submit(patient=dana, questionnaire="phq9", answers=[*PHQ9_MILD[:8], 2], source="clinic",
                    actor=prescriber_a, access=access, authored=now - timedelta(days=1))
    page = overview(as_user(prescriber_a), dana)
    risk = page[page.index('id="overview-risk"'):]
    risk = risk[:risk.index("</section>")]
    assert "Urgent: risk answer" in risk
    assert "PHQ-9 7" in risk and "better since 11" in risk


def test_an_overridden_finding_still_in_force_is_on_the_overview(on_lithium_with_override, dana, prescriber_a,
                                                                 as_user):
    page = overview(as_user(prescriber_a), dana)
    medicines = page[page.index('id="overview-medicines"'):]
    medicines = medicines[:medicines.index("</section>")]
    assert "Overridden" in medicines and "in force since" in medicines


@pytest.fixture
def on_lithium_with_override(lithium_chart, dana, prescriber_a):
    """Lithium raised to 1,200 mg/day on the toxic level, the contraindicated finding overridden."""
    access = access_patient(prescriber_a, dana.pk, "medications.prescribe")
    return medications.medication_change_dose(
        actor=prescriber_a, access=access, medication_id=lithium_chart.pk, expected_version=lithium_chart.version,
        dose_mg_per_day=Decimal(1200), frequency="twice daily", reason="breakthrough mania",
        override_reason_code="benefit_outweighs_risk",
        override_reason="Mania with psychosis; level repeated tomorrow and the dose held if it stays high.")


def test_the_front_desk_sees_no_clinical_cards(lithium_chart, dana, front_desk_a, as_user):
    page = overview(as_user(front_desk_a), dana)
    assert 'id="overview-results"' not in page and 'id="overview-medicines"' not in page
    assert "1.8" not in page


def test_the_therapist_sees_medicines_and_scores_but_not_results(lithium_chart, dana, therapist_a, as_user):
    page = overview(as_user(therapist_a), dana)
    assert 'id="overview-medicines"' in page and 'id="overview-risk"' in page
    assert 'id="overview-results"' not in page


def _grow_history(dana, prescriber_a, medication, size: int) -> None:
    access = access_patient(prescriber_a, dana.pk, "medications.prescribe")
    now = timezone.now()
    for n in range(size):
        medication.refresh_from_db()
        medications.medication_change_dose(actor=prescriber_a, access=access, medication_id=medication.pk,
                                           expected_version=medication.version,
                                           dose_mg_per_day=Decimal(600 + 300 * (n % 2)), frequency="twice daily",
                                           reason=f"adjustment {n}", **OVERRIDE)
        monitoring.observation_record(actor=prescriber_a, access=access, test="creatinine",
                                      value=Decimal("1.0") + Decimal(n) / 100, unit="mg/dL",
                                      effective_at=now - timedelta(days=200 - n))
        response_submit(patient=dana, questionnaire="phq9", answers=PHQ9_MILD, source="clinic", actor=prescriber_a,
                        access=access_patient(prescriber_a, dana.pk, "assessments.administer"),
                        authored=now - timedelta(days=200 - n))


def test_the_overview_costs_the_same_with_a_short_and_a_long_history(lithium_chart, dana, prescriber_a, as_user):
    alice = as_user(prescriber_a)
    url = reverse("web:patient_chart", args=[dana.pk])
    counts = []
    for grow in (2, 20):
        _grow_history(dana, prescriber_a, lithium_chart, grow)
        alice.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert alice.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= OVERVIEW_BUDGET
