"""Psychotropic starts, dose changes and stops appear on the score trajectory's time axis."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dosewise.assessments import selectors as assessment_selectors
from dosewise.assessments import services as assessments
from dosewise.assessments.models import ResponseSource
from dosewise.clinics.clock import clinic_today
from dosewise.medications import services
from dosewise.medications.markers import medication_markers

pytestmark = pytest.mark.django_db


def _phq9(prescriber, access, total, day):
    answers = [min(3, max(0, total - 3 * i)) for i in range(9)]
    assessments.response_submit(patient=access.patient, questionnaire="phq9", answers=answers,
                                source=ResponseSource.CLINIC, actor=prescriber, access=access,
                                authored=min(timezone.make_aware(datetime.combine(day, time(9))), timezone.now()))


def test_the_trajectory_marks_a_start_and_a_dose_change_but_not_a_statin(prescriber_a, dana_meds):
    today = clinic_today(dana_meds.patient.clinic)
    sertraline = services.medication_start(actor=prescriber_a, access=dana_meds, drug="sertraline",
                                           dose_mg_per_day=Decimal(50), frequency="once daily",
                                           start_date=today - timedelta(days=70))
    services.medication_start(actor=prescriber_a, access=dana_meds, drug="simvastatin",
                              dose_mg_per_day=Decimal(20), frequency="once daily",
                              start_date=today - timedelta(days=65))
    services.medication_change_dose(actor=prescriber_a, access=dana_meds, medication_id=sertraline.pk,
                                    expected_version=sertraline.version, dose_mg_per_day=Decimal(100),
                                    frequency="once daily", reason="partial response")
    for days_ago, total in ((56, 18), (28, 14), (0, 9)):
        _phq9(prescriber_a, dana_meds, total, today - timedelta(days=days_ago))

    markers = medication_markers(dana_meds.patient)
    assert [(m.day, m.kind) for m in markers] == [(today - timedelta(days=70), "start"), (today, "change")]
    assert markers[0].label == "sertraline 50 mg/day started"
    assert markers[1].label == "sertraline 50 mg/day → 100 mg/day"

    chart = assessment_selectors.chart_tab(dana_meds, "phq9").chart
    assert [m.kind for m in chart.markers] == ["start", "change"]
    assert "2 medication events marked" in chart.description
    # The start lies before the first score, so the axis begins with it.
    assert chart.markers[0].x < chart.points[0].x


def test_events_long_before_the_scores_stay_off_the_axis(prescriber_a, dana_meds):
    today = clinic_today(dana_meds.patient.clinic)
    services.medication_start(actor=prescriber_a, access=dana_meds, drug="lithium", dose_mg_per_day=Decimal(600),
                              frequency="twice daily", start_date=today - timedelta(days=900))
    _phq9(prescriber_a, dana_meds, 12, today - timedelta(days=10))
    assert len(medication_markers(dana_meds.patient)) == 1
    assert assessment_selectors.chart_tab(dana_meds, "phq9").chart.markers == ()
