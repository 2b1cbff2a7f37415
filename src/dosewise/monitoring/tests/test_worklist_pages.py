"""The worklist in pages: the same order as the whole list, counts by kind from aggregates,
and a cost that does not grow with what waits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dosewise.assessments.models import ScoreSummary
from dosewise.lib.urls import url_for
from dosewise.monitoring import selectors
from dosewise.monitoring.models import MonitoringDue, Observation, SideEffect
from dosewise.patients.models import CareTeamMember

pytestmark = pytest.mark.django_db


def _waiting(clinic, patient, prescriber, n: int, start: int = 0) -> None:
    """Add n results to review (every fifth critical), n/5 overdue tests, side effects and stalled scores."""
    now = timezone.now()
    Observation.objects.bulk_create([
        Observation(clinic=clinic, patient=patient, test="lithium-level", code="14334-7",
                    value="1.8" if k % 5 else "2.6", unit="mmol/L", value_canonical="1.8", unit_canonical="mmol/L",
                    effective_at=now - timedelta(hours=k + 1), flag="high" if k % 5 else "critical", band="toxic",
                    action="Urgent: lithium toxicity is likely", kb_version="t", review_priority=1 if k % 5 else 0,
                    recorded_by=prescriber) for k in range(start, start + n)])
    MonitoringDue.objects.bulk_create([
        MonitoringDue(clinic=clinic, patient=patient, test=f"check-{k}", due_date=timezone.localdate() - timedelta(days=k + 1),
                      reason="lithium: thyroid every 6 months") for k in range(start, start + n // 5)])
    SideEffect.objects.bulk_create([
        SideEffect(clinic=clinic, patient=patient, code="nausea", severity="severe", burden=8, heavy=True,
                   noted_on=timezone.localdate() - timedelta(days=k), recorded_by=prescriber)
        for k in range(start, start + n // 5)])


def test_pages_follow_the_order_of_the_whole_worklist_and_count_every_kind(prescriber_a, dana):
    _waiting(dana.clinic, dana, prescriber_a, 40)
    ScoreSummary.objects.create(clinic=dana.clinic, patient=dana, questionnaire="phq9", count=3, baseline_total=18,
                                latest_total=17, latest_at=timezone.now(), not_improving=True)
    whole = selectors.worklist(prescriber_a, scope="mine")
    first = selectors.worklist_page(prescriber_a, scope="mine", page=1, per_page=10)
    paged = [item for number in range(1, first.pages + 1)
             for item in selectors.worklist_page(prescriber_a, scope="mine", page=number, per_page=10).items]
    assert [(i.kind, i.object_id) for i in paged] == [(i.kind, i.object_id) for i in whole]
    assert first.counts == {"result": 40, "risk": 0, "overdue": 8, "plan-follow-up": 0, "side-effect": 8,
                            "low-adherence": 0, "not-improving": 1}
    assert first.total == len(whole) == 57 and first.pages == 6 and first.urgent == 40
    assert [i.priority for i in first.items[:8]] == [0] * 8  # the critical results first


def test_a_page_past_the_end_shows_the_last_page(prescriber_a, dana):
    _waiting(dana.clinic, dana, prescriber_a, 12)
    page = selectors.worklist_page(prescriber_a, scope="mine", page=99, per_page=10)
    assert page.counts["overdue"] == 2
    assert page.number == 2 and page.first_shown == 11 and page.last_shown == len(page.items) + 10


def test_a_page_costs_the_same_queries_with_14_or_480_items_waiting(prescriber_a, dana):
    _waiting(dana.clinic, dana, prescriber_a, 10)
    with CaptureQueriesContext(connection) as few:
        small = selectors.worklist_page(prescriber_a, scope="mine")
    assert len(small.items) == 14
    _waiting(dana.clinic, dana, prescriber_a, 390, start=10)
    with CaptureQueriesContext(connection) as many:
        large = selectors.worklist_page(prescriber_a, scope="mine")
    assert len(few) == len(many)
    assert len(large.items) == selectors.WORKLIST_PAGE_SIZE and large.total == 400 + 2 * 80


def test_the_page_renders_one_page_of_forms_and_links_to_the_next(prescriber_a, dana, as_user):
    _waiting(dana.clinic, dana, prescriber_a, 60)
    body = as_user(prescriber_a).get(reverse("monitoring:worklist")).content.decode()
    assert body.count('name="note"') == selectors.WORKLIST_PAGE_SIZE
    assert "84 items wait, 60 urgent: 60 results to review, 12 overdue monitoring, 12 heavy side effects." in body
    assert 'href="?scope=mine&amp;page=2" rel="next"' in body and "Page 1 of 4" in body
    assert f'href="{reverse("web:patient_chart_tab", args=[dana.pk, "monitoring"])}"' in body
    second = as_user(prescriber_a).get(reverse("monitoring:worklist"), {"page": "2"}).content.decode()
    assert 'rel="prev"' in second and '<input type="hidden" name="page" value="2">' in second


def test_acknowledging_returns_to_the_same_page(prescriber_a, dana, as_user):
    _waiting(dana.clinic, dana, prescriber_a, 60)
    item = selectors.worklist_page(prescriber_a, scope="mine", page=2).items[0]
    response = as_user(prescriber_a).post(reverse("monitoring:worklist_acknowledge"), {
        "kind": item.kind, "object_id": item.object_id, "patient_id": dana.pk, "note": "Repeat level tomorrow",
        "scope": "mine", "page": "2"})
    assert response["Location"] == reverse("monitoring:worklist") + "?scope=mine&page=2"


def test_a_colleague_sees_nothing_of_patients_off_their_care_teams_in_the_counts(prescriber_a, nurse_a, dana):
    CareTeamMember.objects.filter(member=nurse_a).delete()
    _waiting(dana.clinic, dana, prescriber_a, 10)
    page = selectors.worklist_page(nurse_a, scope="mine")
    assert page.total == 0 and page.items == []


def test_url_for_builds_what_reverse_builds():
    assert url_for("web:patient_chart_tab", 42, "monitoring") == reverse("web:patient_chart_tab", args=[42, "monitoring"])
    assert url_for("medications:follow_up_complete", 7, 9) == reverse("medications:follow_up_complete", args=[7, 9])


def test_the_summary_says_one_item_in_the_singular(prescriber_a, dana, as_user):
    _waiting(dana.clinic, dana, prescriber_a, 5)
    body = as_user(prescriber_a).get(reverse("monitoring:worklist")).content.decode()
    assert "7 items wait, 5 urgent: 5 results to review, 1 overdue monitoring, 1 heavy side effect." in body
