"""The medication pages: the order form and its live safety check, dose and status changes,
the chart tab, and what each role is offered."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dosewise.medications import services
from dosewise.medications.models import Medication, PrescriptionOverride
from dosewise.patients import services as patient_services
from dosewise.patients.selectors import access_patient

pytestmark = pytest.mark.django_db


def _order_url(patient):
    return reverse("medications:order", kwargs={"patient_id": patient.pk})


def _check(client, patient, **data):
    return client.post(reverse("medications:order_check", kwargs={"patient_id": patient.pk}), data,
                       HTTP_HX_REQUEST="true")


def test_the_order_form_checks_as_the_prescriber_types_without_inline_script(as_user, prescriber_a, dana):
    body = as_user(prescriber_a).get(_order_url(dana)).content.decode()
    assert 'hx-trigger="input changed delay:300ms"' in body
    assert f'hx-post="{reverse("medications:order_check", kwargs={"patient_id": dana.pk})}"' in body
    assert '<datalist id="formulary-names">' in body and '<option value="Zoloft">' in body
    assert "<script>" not in body and "onclick" not in body


def test_the_check_shows_the_contraindication_with_the_regimen(as_user, prescriber_a, dana, on_phenelzine):
    body = _check(as_user(prescriber_a), dana, drug="zoloft", dose_mg_per_day="50", source="clinic").content.decode()
    assert "<strong>sertraline</strong>" in body
    assert "Contraindicated" in body and "MAO inhibitor phenelzine with serotonergic sertraline" in body
    assert "needs an override reason" in body


def test_the_check_suggests_formulary_names_for_a_partial_name(as_user, prescriber_a, dana):
    body = _check(as_user(prescriber_a), dana, drug="sertr").content.decode()
    assert "unknown drug" in body.lower() and "<strong>sertraline</strong>" in body


def test_the_check_shows_the_schedule_and_refuses_schedule_ii_refills(as_user, prescriber_a, dana):
    body = _check(as_user(prescriber_a), dana, drug="Concerta", dose_mg_per_day="36", refills="2",
                  source="clinic").content.decode()
    assert "Schedule II" in body and "cannot be refilled" in body and "prescription monitoring program" in body


def test_saving_a_contraindicated_order_needs_a_reason_then_stores_the_override(as_user, prescriber_a, dana,
                                                                                on_phenelzine):
    client = as_user(prescriber_a)
    order = {"source": "clinic", "drug": "sertraline", "dose_mg_per_day": "50", "frequency": "once daily",
             "refills": "0", "quantity": "30", "days_supply": "30"}
    refused = client.post(_order_url(dana), order)
    assert refused.status_code == 400
    assert "Choose why you override it" in refused.content.decode()
    assert not Medication.objects.filter(ingredient="sertraline").exists()
    thin = client.post(_order_url(dana), {**order, "override_reason_code": "planned_overlap", "override_reason": "ok"})
    assert thin.status_code == 400 and "own words" in thin.content.decode()
    saved = client.post(_order_url(dana), {**order, "override_reason_code": "planned_overlap",
                                           "override_reason": "Planned supervised switch after washout"})
    assert saved.status_code == 302
    assert PrescriptionOverride.objects.get().reason == "Planned supervised switch after washout"
    tab = client.get(saved["Location"]).content.decode()
    assert "sertraline" in tab and "added to the list" in tab


def test_a_stale_dose_form_gets_a_conflict_and_keeps_what_was_typed(as_user, prescriber_a, dana, dana_meds):
    med = services.medication_start(actor=prescriber_a, access=dana_meds, drug="sertraline",
                                    dose_mg_per_day=Decimal(50), frequency="once daily")
    services.medication_change_dose(actor=prescriber_a, access=dana_meds, medication_id=med.pk, expected_version=1,
                                    dose_mg_per_day=Decimal(100), frequency="", reason="colleague's change")
    url = reverse("medications:dose_change", kwargs={"patient_id": dana.pk, "medication_id": med.pk})
    response = as_user(prescriber_a).post(url, {"version": "1", "dose_mg_per_day": "75", "frequency": "",
                                                "reason": "my change"})
    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this medication" in body
    assert 'value="75"' in body and 'value="my change"' in body and 'name="version" value="2"' in body
    assert Medication.objects.get(pk=med.pk).dose_mg_per_day == Decimal(100)


def test_a_stale_status_form_gets_a_conflict(as_user, prescriber_a, dana, dana_meds):
    med = services.medication_start(actor=prescriber_a, access=dana_meds, drug="sertraline",
                                    dose_mg_per_day=Decimal(50), frequency="once daily")
    services.medication_hold(actor=prescriber_a, access=dana_meds, medication_id=med.pk, expected_version=1,
                             note="colleague held it")
    url = reverse("medications:status_change", kwargs={"patient_id": dana.pk, "medication_id": med.pk})
    response = as_user(prescriber_a).post(url, {"version": "1", "action": "discontinue", "reason": "cost"})
    assert response.status_code == 409 and "Someone else changed this medication" in response.content.decode()
    assert Medication.objects.get(pk=med.pk).status == "on_hold"


def _tab(client, patient):
    return client.get(reverse("web:patient_chart_tab", kwargs={"patient_id": patient.pk, "tab": "medications"}))


def test_the_chart_tab_lists_current_and_past_medicines_with_their_history(as_user, prescriber_a, dana, dana_meds):
    med = services.medication_start(actor=prescriber_a, access=dana_meds, drug="sertraline",
                                    dose_mg_per_day=Decimal(50), frequency="once daily")
    services.medication_change_dose(actor=prescriber_a, access=dana_meds, medication_id=med.pk, expected_version=1,
                                    dose_mg_per_day=Decimal(100), frequency="", reason="partial response")
    old = services.medication_start(actor=prescriber_a, access=dana_meds, drug="bupropion",
                                    dose_mg_per_day=Decimal(150), frequency="once daily")
    services.medication_discontinue(actor=prescriber_a, access=dana_meds, medication_id=old.pk, expected_version=1,
                                    reason="ineffective")
    body = _tab(as_user(prescriber_a), dana).content.decode()
    current, past = body.split('id="meds-past-h"')
    assert "sertraline" in current and "bupropion" not in current
    assert "bupropion" in past and "Ineffective" in past
    assert "50 → 100 mg/day" in current and "partial response" in current
    assert "Change dose" in current and "Prescribe" in body


def test_the_chart_tab_costs_the_same_queries_whatever_the_list_length(as_user, prescriber_a, dana, dana_meds):
    client = as_user(prescriber_a)
    services.medication_start(actor=prescriber_a, access=dana_meds, drug="sertraline",
                              dose_mg_per_day=Decimal(50), frequency="once daily")
    _tab(client, dana)  # the first request of a session loads it; count the steady state
    with CaptureQueriesContext(connection) as one:
        _tab(client, dana)
    for drug in ("bupropion", "lamotrigine", "quetiapine"):
        med = services.medication_start(actor=prescriber_a, access=dana_meds, drug=drug,
                                        dose_mg_per_day=Decimal(25), frequency="once daily",
                                        override_reason_code="monitoring_in_place",
                                        override_reason="test regimen with weekly review")
        services.medication_change_dose(actor=prescriber_a, access=dana_meds, medication_id=med.pk,
                                        expected_version=1, dose_mg_per_day=Decimal(50), frequency="",
                                        reason="step", override_reason_code="monitoring_in_place",
                                        override_reason="test regimen with weekly review")
    with CaptureQueriesContext(connection) as four:
        _tab(client, dana)
    assert len(four) == len(one)


def test_a_therapist_reads_the_tab_without_any_write_button(as_user, therapist_a, prescriber_a, dana, dana_meds):
    services.medication_start(actor=prescriber_a, access=dana_meds, drug="sertraline",
                              dose_mg_per_day=Decimal(50), frequency="once daily")
    body = _tab(as_user(therapist_a), dana).content.decode()
    assert "sertraline" in body
    assert "Change dose" not in body and ">Prescribe<" not in body and "Record an outside" not in body


def test_a_nurse_on_the_care_team_records_outside_medicines_only(as_user, nurse_a, prescriber_a, dana, dana_meds):
    patient_services.care_team_add(actor=prescriber_a, access=dana_meds, member=nurse_a, team_role="nurse")
    services.medication_start(actor=prescriber_a, access=dana_meds, drug="sertraline",
                              dose_mg_per_day=Decimal(50), frequency="once daily")
    client = as_user(nurse_a)
    tab = _tab(client, dana).content.decode()
    assert "Record an outside medicine" in tab and ">Prescribe<" not in tab and "Change dose" not in tab
    form = client.get(_order_url(dana)).content.decode()
    assert 'value="clinic"' not in form and 'value="otc"' in form
    assert client.post(_order_url(dana), {"source": "clinic", "drug": "bupropion", "dose_mg_per_day": "150",
                                          "frequency": "daily"}).status_code == 400
    saved = client.post(_order_url(dana), {"source": "otc", "drug": "diphenhydramine", "dose_mg_per_day": "25",
                                           "frequency": "at night as needed"})
    assert saved.status_code == 302
    assert access_patient(nurse_a, dana.pk, "medications.record").patient.medications.filter(source="otc").exists()


def test_a_saved_plan_shows_its_calendar_and_is_listed_on_the_chart(as_user, prescriber_a, dana, dana_meds):
    med = services.medication_start(actor=prescriber_a, access=dana_meds, drug="citalopram",
                                    dose_mg_per_day=Decimal(20), frequency="once daily")
    client = as_user(prescriber_a)
    response = client.post(reverse("medications:plan_new", kwargs={"patient_id": dana.pk}),
                           {"kind": "taper", "medication": str(med.pk), "method": "cross-taper",
                            "start_date": "2026-02-02", "save": "1"})
    assert response.status_code == 302
    body = client.get(response["Location"]).content.decode()
    assert "Taper citalopram from 20 to 0 mg/day" in body and "Day-by-day calendar" in body
    assert "Mon 2026-02-02" in body and "<th scope=\"col\">citalopram (mg/day)</th>" in body
    assert "Taper citalopram" in _tab(client, dana).content.decode()
    refused = client.post(reverse("medications:plan_new", kwargs={"patient_id": dana.pk}),
                          {"kind": "titration", "drug": "notadrug", "method": "cross-taper"})
    assert refused.status_code == 400 and "Unknown drug" in refused.content.decode()
