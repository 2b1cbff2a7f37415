"""Side effects and pharmacy fills: recorded through services, shown on the chart, raised on the worklist."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dosewise.audit.models import AuditEvent
from dosewise.clinics.clock import clinic_today
from dosewise.monitoring import selectors, services
from dosewise.monitoring.models import PharmacyFill, SideEffect

pytestmark = pytest.mark.django_db


@pytest.fixture
def lithium(dana, prescriber_a):
    from dosewise.medications.models import Medication

    return Medication.objects.create(clinic=dana.clinic, patient=dana, ingredient="lithium",
                                     start_date=timezone.localdate() - timedelta(days=200), created_by=prescriber_a)


@pytest.fixture
def days_ago(dana):
    """Return a day counted back from today in the clinic's time zone (the services' today)."""
    today = clinic_today(dana.clinic)
    return lambda n: today - timedelta(days=n)


def test_a_severe_side_effect_is_attributed_audited_and_on_the_worklist(prescriber_a, dana_access, lithium, days_ago):
    item = services.side_effect_record(actor=prescriber_a, access=dana_access, code="tremor", severity="severe",
                                       burden=4, action="dose-reduced", noted_on=days_ago(1), suspected=[lithium.pk])
    assert item.heavy and list(item.suspected.all()) == [lithium]
    assert AuditEvent.objects.get(action="side_effect.record").detail["suspected"] == [lithium.pk]
    items = [i for i in selectors.worklist(prescriber_a, scope="mine") if i.kind == "side-effect"]
    assert [i.object_id for i in items] == [item.pk]
    services.side_effect_acknowledge(actor=prescriber_a, access=dana_access, side_effect_id=item.pk,
                                     note="Dose reduced, review next week")
    assert not [i for i in selectors.worklist(prescriber_a, scope="mine") if i.kind == "side-effect"]


def test_a_burden_of_seven_is_heavy_and_a_mild_one_is_not(prescriber_a, dana_access, days_ago):
    heavy = services.side_effect_record(actor=prescriber_a, access=dana_access, code="sedation", severity="moderate",
                                        burden=7, noted_on=days_ago(0))
    light = services.side_effect_record(actor=prescriber_a, access=dana_access, code="sedation", severity="mild",
                                        burden=6, noted_on=days_ago(0))
    assert heavy.heavy and not light.heavy


def test_it_refuses_other_without_words_a_burden_out_of_range_and_a_medicine_of_another_patient(
        prescriber_a, dana_access, lithium, days_ago):
    with pytest.raises(ValidationError, match="Describe the side effect"):
        services.side_effect_record(actor=prescriber_a, access=dana_access, code="other", severity="mild", burden=1,
                                    noted_on=days_ago(0))
    with pytest.raises(ValidationError, match="0 \\(none\\) to 10"):
        services.side_effect_record(actor=prescriber_a, access=dana_access, code="nausea", severity="mild",
                                    burden=11, noted_on=days_ago(0))
    with pytest.raises(ValidationError, match="this patient's medication list"):
        services.side_effect_record(actor=prescriber_a, access=dana_access, code="nausea", severity="mild",
                                    burden=1, noted_on=days_ago(0), suspected=[lithium.pk + 1000])
    assert not SideEffect.objects.exists()


def test_the_chart_shows_side_effects_with_their_burden_trend(prescriber_a, dana, dana_access, lithium, as_user, days_ago):
    for day, burden in ((20, 3), (10, 5), (1, 8)):
        services.side_effect_record(actor=prescriber_a, access=dana_access, code="tremor", severity="moderate",
                                    burden=burden, noted_on=days_ago(day), suspected=[lithium.pk])
    body = as_user(prescriber_a).get(reverse("web:patient_chart_tab", kwargs={
        "patient_id": dana.pk, "tab": "monitoring"})).content.decode()
    assert "<strong>Tremor</strong>: 3 → 5 → 8" in body and "(worse)" in body
    assert "Record a pharmacy fill" in body


def test_fills_give_the_proportion_of_days_covered_and_low_adherence_reaches_the_worklist(
        prescriber_a, dana, dana_access, lithium, as_user, days_ago):
    services.pharmacy_fill_record(actor=prescriber_a, access=dana_access, medication_id=lithium.pk,
                                  filled_on=days_ago(89), days_supply=30)
    assert AuditEvent.objects.filter(action="pharmacy_fill.record").count() == 1
    (row,) = selectors.adherence(dana, [lithium], clinic_today(dana.clinic))
    assert dict(row.pdc)[90] == pytest.approx(30 / 90) and row.low
    (item,) = [i for i in selectors.worklist(prescriber_a, scope="mine") if i.kind == "low-adherence"]
    assert item.object_id == lithium.pk and "33% of days covered" in item.title
    response = as_user(prescriber_a).post(reverse("monitoring:worklist_acknowledge"), {
        "kind": "low-adherence", "object_id": lithium.pk, "patient_id": dana.pk, "note": "Discussed missed doses"})
    assert response.status_code == 302
    assert not [i for i in selectors.worklist(prescriber_a, scope="mine") if i.kind == "low-adherence"]
    # A new fill brings the medicine back if it is still below 80%.
    services.pharmacy_fill_record(actor=prescriber_a, access=dana_access, medication_id=lithium.pk,
                                  filled_on=days_ago(40), days_supply=10)
    assert [i for i in selectors.worklist(prescriber_a, scope="mine") if i.kind == "low-adherence"]


def test_it_refuses_a_duplicate_fill_and_a_future_one(prescriber_a, dana_access, lithium, days_ago):
    services.pharmacy_fill_record(actor=prescriber_a, access=dana_access, medication_id=lithium.pk,
                                  filled_on=days_ago(3), days_supply=30)
    with pytest.raises(ValidationError, match="already recorded"):
        services.pharmacy_fill_record(actor=prescriber_a, access=dana_access, medication_id=lithium.pk,
                                      filled_on=days_ago(3), days_supply=30)
    with pytest.raises(ValidationError, match="in the future"):
        services.pharmacy_fill_record(actor=prescriber_a, access=dana_access, medication_id=lithium.pk,
                                      filled_on=days_ago(-2), days_supply=30)
    assert PharmacyFill.objects.count() == 1
