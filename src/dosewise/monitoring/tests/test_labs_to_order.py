"""The nurse-facing list of labs to order, from the due-monitoring table."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from dosewise.audit.models import AuditEvent
from dosewise.clinics.clock import clinic_today
from dosewise.monitoring import selectors
from dosewise.monitoring.models import MonitoringDue

pytestmark = pytest.mark.django_db


def due(patient, test, days_from_today, **extra):
    return MonitoringDue.objects.create(clinic=patient.clinic, patient=patient, test=test,
                                        due_date=clinic_today(patient.clinic) + timedelta(days=days_from_today),
                                        reason=f"{test} on lithium", **extra)


def test_it_lists_overdue_and_soon_due_tests_earliest_first(prescriber_a, dana):
    due(dana, "tsh", 3)
    due(dana, "lithium-level", -5)
    due(dana, "calcium", selectors.LABS_HORIZON_DAYS + 1)
    rows = selectors.labs_to_order(prescriber_a, scope="mine")
    assert [(r.due.test, r.overdue) for r in rows] == [("lithium-level", True), ("tsh", False)]
    assert rows[0].loinc == "14334-7" and rows[1].test_name == "thyroid function (TSH)"


def test_an_item_acknowledged_as_ordered_leaves_the_list(prescriber_a, dana):
    from django.utils import timezone

    due(dana, "tsh", -1, acknowledged_at=timezone.now(), acknowledged_by=prescriber_a,
        acknowledgement_note="TSH ordered today")
    assert selectors.labs_to_order(prescriber_a, scope="mine") == []


def test_a_nurse_sees_the_clinic_list_but_not_patients_outside_her_care_teams_on_mine(nurse_a, dana):
    due(dana, "tsh", -1)
    assert [r.due.patient for r in selectors.labs_to_order(nurse_a, scope="clinic")] == [dana]
    assert selectors.labs_to_order(nurse_a, scope="mine") == []


def test_the_page_and_the_csv_show_the_tests_and_are_audited(nurse_a, dana, as_user):
    due(dana, "lithium-level", -2)
    client = as_user(nurse_a)
    page = client.get(reverse("monitoring:labs_to_order"), {"scope": "clinic"}).content.decode()
    assert dana.mrn in page and "lithium level" in page and "overdue" in page
    response = client.get(reverse("monitoring:labs_to_order_export"), {"scope": "clinic"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.splitlines()[0] == "mrn,patient,test,loinc,due_date,status,reason"
    assert f"{dana.mrn}," in body and ",14334-7," in body and ",overdue," in body
    assert AuditEvent.objects.filter(action="labs_to_order.view").exists()
    export = AuditEvent.objects.get(action="labs_to_order.export")
    assert export.detail["patients"] == [dana.pk] and export.detail["count"] == 1
