"""The slot search reads its busy intervals through lib.timestamps: the same aware UTC datetimes
as Django's own conversion, microseconds and empty values included, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dosewise.audit.models import AuditEvent
from dosewise.audit.services import audit_record
from dosewise.lib.timestamps import rows_with_times
from dosewise.patients.models import Patient

pytestmark = pytest.mark.django_db


def test_the_fast_reading_equals_djangos_conversion(dana, prescriber_a):
    Patient.objects.filter(pk=dana.pk).update(merged_at=datetime(2026, 3, 8, 7, 59, 59, 123456, tzinfo=UTC))
    audit_record(action="chart.open", actor=prescriber_a, patient=dana)
    for queryset, fields in ((Patient.objects.all(), ("merged_at", "created_at")),
                             (AuditEvent.objects.all(), ("created_at",))):
        expected = list(queryset.order_by("pk").values_list("pk", *fields))
        assert rows_with_times(queryset.order_by("pk"), "pk", *fields) == expected
    (row,) = rows_with_times(Patient.objects.filter(pk=dana.pk), "pk", "merged_at")
    assert row[1] == datetime(2026, 3, 8, 7, 59, 59, 123456, tzinfo=UTC) and row[1].utcoffset().total_seconds() == 0
    Patient.objects.filter(pk=dana.pk).update(merged_at=None)
    assert rows_with_times(Patient.objects.filter(pk=dana.pk), "pk", "merged_at") == [(dana.pk, None)]
