"""A refused result comes back with the error next to its field and what was typed kept; the unit list
follows the chosen test."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from dosewise.monitoring.models import Observation

pytestmark = pytest.mark.django_db


def _post(client, dana, **fields):
    data = {"test": "lithium-level", "value": "0.8", "unit": "mmol/L",
            "effective_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}
    data.update(fields)
    return client.post(reverse("monitoring:result_create", args=[dana.pk]), data)


def test_a_mistyped_value_shows_the_error_next_to_the_field_and_keeps_what_was_typed(dana, prescriber_a, as_user):
    response = _post(as_user(prescriber_a), dana, value="0,8x")
    page = response.content.decode()
    assert response.status_code == 400
    field = page[page.index('id="id_value"') - 300:page.index('id="id_value"') + 600]
    assert 'value="0,8x"' in field and "field-error" in field and "autofocus" in field
    assert not Observation.objects.exists()


def test_a_unit_that_does_not_belong_to_the_test_is_refused_next_to_the_unit(dana, prescriber_a, as_user):
    response = _post(as_user(prescriber_a), dana, unit="mg/dL")
    page = response.content.decode()
    assert response.status_code == 400
    unit = page[page.index('id="id_unit"'):]
    assert "is not a unit for lithium level" in unit[:unit.index("</div>", unit.index("field-error")) + 6]


def test_the_unit_list_is_marked_to_follow_the_test(dana, prescriber_a, as_user):
    page = as_user(prescriber_a).get(reverse("web:patient_chart_tab", args=[dana.pk, "monitoring"])).content.decode()
    assert 'data-units-follow="test"' in page and '<optgroup label="Lithium level' in page


def test_units_are_shown_as_a_lab_report_prints_them():
    from dosewise.lib.units import ucum_display

    assert ucum_display("meq/L") == "mEq/L" and ucum_display("10*3/uL") == "×10³/µL"
