"""Medication history records the day a change took effect; due monitoring counts from that day."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dosewise.clinics.clock import clinic_today
from dosewise.medications import services
from dosewise.medications.models import DoseChange
from dosewise.monitoring.selectors import due_monitoring

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_lithium(prescriber_a, dana_meds):
    today = clinic_today(dana_meds.patient.clinic)
    return services.medication_start(actor=prescriber_a, access=dana_meds, drug="lithium", dose_mg_per_day=Decimal(600),
                                     frequency="twice daily", start_date=today - timedelta(days=200))


def _level_due(patient):
    return next(d for d in due_monitoring(patient, clinic_today(patient.clinic)) if "lithium" in d.reason.lower())


def test_a_dose_change_keeps_the_day_it_took_effect_apart_from_when_it_was_typed(on_lithium, prescriber_a, dana_meds):
    effective = clinic_today(dana_meds.patient.clinic) - timedelta(days=21)
    services.medication_change_dose(actor=prescriber_a, access=dana_meds, medication_id=on_lithium.pk,
                                    expected_version=on_lithium.version, dose_mg_per_day=Decimal(900),
                                    frequency="twice daily", reason="partial response", effective_date=effective)
    change = DoseChange.objects.get(medication=on_lithium, kind="dose")
    assert change.effective_date == effective
    assert change.changed_at.date() >= effective + timedelta(days=20)


def test_due_monitoring_counts_from_the_effective_date_not_the_typing_date(on_lithium, prescriber_a, dana_meds,
                                                                            dana):
    today = clinic_today(dana.clinic)
    services.medication_change_dose(actor=prescriber_a, access=dana_meds, medication_id=on_lithium.pk,
                                    expected_version=on_lithium.version, dose_mg_per_day=Decimal(900),
                                    frequency="twice daily", reason="partial response",
                                    effective_date=today - timedelta(days=60))
    due = _level_due(dana)
    # A level after a dose change is due within days of it: sixty days on, it is overdue.
    assert due.overdue and due.due_date < today - timedelta(days=30)


def test_an_effective_date_in_the_future_or_before_the_start_is_refused(on_lithium, prescriber_a, dana_meds):
    today = clinic_today(dana_meds.patient.clinic)
    for day, words in ((today + timedelta(days=1), "in the future"), (today - timedelta(days=365), "was started on")):
        with pytest.raises(ValidationError) as caught:
            services.medication_change_dose(actor=prescriber_a, access=dana_meds, medication_id=on_lithium.pk,
                                            expected_version=on_lithium.version, dose_mg_per_day=Decimal(900),
                                            frequency="twice daily", reason="partial response", effective_date=day)
        assert words in caught.value.message_dict["effective_date"][0]


def test_the_dose_page_takes_the_effective_date_and_the_history_shows_it(on_lithium, prescriber_a, dana, as_user):
    effective = clinic_today(dana.clinic) - timedelta(days=3)
    alice = as_user(prescriber_a)
    response = alice.post(reverse("medications:dose_change", args=[dana.pk, on_lithium.pk]), {
        "version": on_lithium.version, "dose_mg_per_day": "900", "frequency": "twice daily",
        "reason": "partial response", "effective_date": effective.isoformat()})
    assert response.status_code == 302
    page = alice.get(reverse("web:patient_chart_tab", args=[dana.pk, "medications"])).content.decode()
    assert f"{effective:%Y-%m-%d}</span> Dose changed" in page and "(recorded " in page


def test_stopping_a_medicine_on_an_earlier_day_sets_its_stop_date(on_lithium, prescriber_a, dana_meds):
    stopped = clinic_today(dana_meds.patient.clinic) - timedelta(days=5)
    medication = services.medication_discontinue(actor=prescriber_a, access=dana_meds, medication_id=on_lithium.pk,
                                                 expected_version=on_lithium.version, reason="side_effects",
                                                 note="tremor", effective_date=stopped)
    assert medication.stop_date == stopped
