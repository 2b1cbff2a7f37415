"""Side-effect burden is drawn under the score trajectory, on the same dates, for those who may see it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from dosewise.assessments import selectors
from dosewise.assessments.charts import burden_chart, trajectory_chart
from dosewise.clinical.instruments import load_instruments
from dosewise.clinics.clock import clinic_today
from dosewise.monitoring import services as monitoring
from dosewise.patients.selectors import access_patient


def _phq9():
    return load_instruments()["phq9"]


def test_burden_points_share_the_trajectory_axis_and_out_of_range_reports_are_left_off():
    scores = [(date(2026, 1, 1), 18.0, "moderately severe"), (date(2026, 3, 1), 9.0, "mild")]
    chart = trajectory_chart(_phq9(), scores)
    burden = burden_chart(chart, {"Nausea": [(date(2026, 1, 1), 7), (date(2026, 3, 1), 2), (date(2025, 6, 1), 9)],
                                  "Tremor": [(date(2024, 1, 1), 5)]})
    assert [s.name for s in burden.series] == ["Nausea"]
    nausea = burden.series[0]
    assert [p.x for p in nausea.points] == [p.x for p in chart.points]
    assert nausea.points[0].y < nausea.points[1].y  # a heavier burden is drawn higher
    assert nausea.latest == 2 and "2026-01-01 7" in burden.description
    assert burden_chart(chart, {"Tremor": [(date(2024, 1, 1), 5)]}) is None


@pytest.mark.django_db
def test_the_assessments_tab_shows_burden_to_the_prescriber_but_not_to_the_therapist(
        prescriber_a, therapist_a, dana, as_user):
    from dosewise.assessments import services as assessments
    from dosewise.assessments.models import ResponseSource

    access = access_patient(prescriber_a, dana.pk, "monitoring.view")
    today = clinic_today(dana.clinic)
    for days_ago, total in ((30, 15), (0, 8)):
        answers = [min(3, max(0, total - 3 * i)) for i in range(9)]
        assessments.response_submit(patient=dana, questionnaire="phq9", answers=answers,
                                    source=ResponseSource.CLINIC, actor=prescriber_a,
                                    access=access_patient(prescriber_a, dana.pk, "assessments.administer"),
                                    authored=timezone.now() - timedelta(days=days_ago))
    monitoring.side_effect_record(actor=prescriber_a, access=access, code="nausea", severity="moderate", burden=6,
                                  noted_on=today - timedelta(days=20))
    assert selectors.chart_tab(access_patient(prescriber_a, dana.pk), "phq9").burden.series[0].name == "Nausea"
    assert selectors.chart_tab(access_patient(therapist_a, dana.pk), "phq9").burden is None

    page = as_user(prescriber_a).get(f"/patients/{dana.pk}/tab/assessments/")
    assert b"Side-effect burden on daily life" in page.content and b"Nausea: latest 6/10" in page.content
    page = as_user(therapist_a).get(f"/patients/{dana.pk}/tab/assessments/")
    assert page.status_code == 200 and b"Side-effect burden" not in page.content
