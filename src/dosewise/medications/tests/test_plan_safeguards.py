"""Plans that cannot contradict each other: a preview before saving, one active plan per medicine,
an impossible cross-taper refused with its reason, taper defaults shown and chosen, the steps with
their tablets and the end date up front."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from dosewise.clinical.kb import load_kb
from dosewise.clinical.plans.rounding import tablets_for, tablets_text
from dosewise.clinics.clock import clinic_today
from dosewise.medications import selectors, services
from dosewise.medications.models import MedicationPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_quetiapine(prescriber_a, dana_meds):
    return services.medication_start(actor=prescriber_a, access=dana_meds, drug="quetiapine",
                                     dose_mg_per_day=Decimal(300), strength_mg=Decimal(300), frequency="at bedtime")


@pytest.fixture
def on_sertraline(prescriber_a, dana_meds):
    return services.medication_start(actor=prescriber_a, access=dana_meds, drug="sertraline",
                                     dose_mg_per_day=Decimal(50), strength_mg=Decimal(50), frequency="once daily")


def _plan_url(patient):
    return reverse("medications:plan_new", kwargs={"patient_id": patient.pk})


def test_a_preview_saves_nothing_and_shows_the_steps_and_end_date(on_quetiapine, prescriber_a, dana, as_user):
    alice = as_user(prescriber_a)
    page = alice.post(_plan_url(dana), {"kind": "taper", "medication": on_quetiapine.pk, "method": "cross-taper",
                                        "taper_model": "percentage"}).content.decode()
    assert not MedicationPlan.objects.exists()
    assert "Preview: Taper quetiapine from 300 to 0 mg/day (percentage)" in page
    assert "10% of the current dose every 28 days" in page and "Save this plan" in page
    # The length is said before the day-by-day detail: a 300 mg quetiapine taper takes over a year.
    draft = services.plan_build(actor=prescriber_a, access=_access(prescriber_a, dana),
                                kind="taper", medication_id=on_quetiapine.pk)
    summary = selectors.plan_summary(draft.schedules, draft.start_date)
    assert summary.days > 365
    assert f"{summary.days} days (about {summary.months} months)" in page
    assert page.index("ending") < page.index("Tablets each day")


def _access(user, patient):
    from dosewise.patients.selectors import access_patient

    return access_patient(user, patient.pk, "medications.prescribe")


def test_saving_from_the_preview_stores_the_plan_with_the_chosen_step(on_quetiapine, prescriber_a, dana, as_user):
    alice = as_user(prescriber_a)
    response = alice.post(_plan_url(dana), {"kind": "taper", "medication": on_quetiapine.pk, "method": "cross-taper",
                                            "taper_model": "percentage", "percent": "25", "interval_days": "14",
                                            "save": "1"})
    assert response.status_code == 302
    plan = MedicationPlan.objects.get()
    assert plan.plan["step"]["size"] == 25 and plan.plan["interval_days"] == 14


def test_a_second_plan_for_the_same_medicine_is_refused_naming_the_first(on_quetiapine, prescriber_a, dana,
                                                                        as_user):
    first = services.plan_create(actor=prescriber_a, access=_access(prescriber_a, dana), kind="taper",
                                 medication_id=on_quetiapine.pk)
    with pytest.raises(ValidationError) as caught:
        services.plan_create(actor=prescriber_a, access=_access(prescriber_a, dana), kind="taper",
                             medication_id=on_quetiapine.pk)
    message = caught.value.message_dict["medication"][0]
    assert "quetiapine already has an active plan" in message and first.summary in message
    page = as_user(prescriber_a).post(_plan_url(dana), {"kind": "taper", "medication": on_quetiapine.pk,
                                                       "method": "cross-taper"})
    assert page.status_code == 400
    assert reverse("medications:plan_detail", args=[dana.pk, first.pk]) in page.content.decode()
    assert MedicationPlan.objects.count() == 1


def test_a_titration_of_a_drug_already_being_titrated_is_refused(prescriber_a, dana):
    services.plan_create(actor=prescriber_a, access=_access(prescriber_a, dana), kind="titration", drug="lamotrigine")
    with pytest.raises(ValidationError, match="lamotrigine already has an active plan"):
        services.plan_create(actor=prescriber_a, access=_access(prescriber_a, dana), kind="titration",
                             drug="Lamictal")


def test_a_stopped_plan_does_not_block_a_new_one(on_quetiapine, prescriber_a, dana):
    access = _access(prescriber_a, dana)
    first = services.plan_create(actor=prescriber_a, access=access, kind="taper", medication_id=on_quetiapine.pk)
    services.plan_stop(actor=prescriber_a, access=access, plan_id=first.pk, expected_version=first.version,
                       reason="patient wants to stay on the dose")
    services.plan_create(actor=prescriber_a, access=access, kind="taper", medication_id=on_quetiapine.pk)
    assert MedicationPlan.objects.filter(status="active").count() == 1


def test_an_impossible_cross_taper_is_refused_with_its_reason_not_turned_into_a_direct_switch(prescriber_a, dana):
    access = _access(prescriber_a, dana)
    phenelzine = services.medication_start(actor=prescriber_a, access=access, drug="phenelzine",
                                           dose_mg_per_day=Decimal(45), frequency="15 mg three times daily")
    with pytest.raises(ValidationError) as caught:
        services.plan_create(actor=prescriber_a, access=access, kind="switch", medication_id=phenelzine.pk,
                             drug="sertraline", method="cross-taper")
    message = caught.value.message_dict["method"][0]
    assert "A cross-taper from phenelzine to sertraline is not possible" in message
    assert "Direct switch" in message and "washout of 14 days" in message
    assert not MedicationPlan.objects.exists()
    direct = services.plan_create(actor=prescriber_a, access=access, kind="switch", medication_id=phenelzine.pk,
                                  drug="sertraline", method="direct")
    assert direct.plan["method"] == "direct"


def test_the_sertraline_taper_defaults_to_proportional_steps_not_a_first_cut_to_14_mg(on_sertraline, prescriber_a,
                                                                                      dana):
    draft = services.plan_build(actor=prescriber_a, access=_access(prescriber_a, dana), kind="taper",
                                medication_id=on_sertraline.pk)
    first_step = draft.schedules["sertraline"][1]["dose_mg"]
    assert draft.data["model"] == "percentage" and first_step >= 40
    hyperbolic = services.plan_build(actor=prescriber_a, access=_access(prescriber_a, dana), kind="taper",
                                     medication_id=on_sertraline.pk, taper_model="hyperbolic")
    assert hyperbolic.schedules["sertraline"][1]["dose_mg"] < 20


def test_a_step_outside_the_allowed_range_is_refused_next_to_the_field(on_quetiapine, prescriber_a, dana):
    with pytest.raises(ValidationError) as caught:
        services.plan_build(actor=prescriber_a, access=_access(prescriber_a, dana), kind="taper",
                            medication_id=on_quetiapine.pk, percent=Decimal(60))
    assert "outside 5-25%" in caught.value.message_dict["taper"][0]


def test_each_step_says_which_tablets_make_its_dose():
    kb = load_kb()
    assert tablets_text(tablets_for(kb, "quetiapine", 275)) == "1 x 200 mg tablet + 1 x 50 mg tablet + 1 x 25 mg tablet"
    assert tablets_text(tablets_for(kb, "quetiapine", 12.5)) == "half a 25 mg tablet"
    assert tablets_for(kb, "quetiapine", 68) is None


def test_the_saved_plan_page_shows_the_step_summary_before_the_calendar(on_quetiapine, prescriber_a, dana, as_user):
    start = clinic_today(dana.clinic) + timedelta(days=3)
    plan = services.plan_create(actor=prescriber_a, access=_access(prescriber_a, dana), kind="taper",
                                medication_id=on_quetiapine.pk, start_date=start)
    page = as_user(prescriber_a).get(reverse("medications:plan_detail", args=[dana.pk, plan.pk])).content.decode()
    assert page.index("Tablets each day") < page.index("Day-by-day calendar")
    assert "1 x 300 mg tablet" in page and f"from {start:%Y-%m-%d}" in page
