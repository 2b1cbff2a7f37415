"""Genotypes and QTc in the chart, used by the order check as the prescriber types and by plan checks."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dosewise.audit.models import AuditEvent
from dosewise.medications import selectors, services
from dosewise.monitoring import services as monitoring_services
from dosewise.patients import services as patient_services
from dosewise.patients.models import ClinicalContextEntry, PharmacogenomicResult
from dosewise.patients.selectors import access_patient

pytestmark = pytest.mark.django_db


def _check(client, patient, drug, dose="10"):
    response = client.post(reverse("medications:order_check", kwargs={"patient_id": patient.pk}),
                           {"drug": drug, "dose_mg_per_day": dose, "source": "clinic"})
    assert response.status_code == 200
    return response.content.decode()


def _genotype_url(patient):
    return reverse("medications:genotype_add", kwargs={"patient_id": patient.pk})


@pytest.mark.parametrize("drug", ["escitalopram", "citalopram"])
def test_a_cyp2c19_poor_metabolizer_gets_the_cpic_finding_while_the_prescriber_types(prescriber_a, dana, as_user,
                                                                                       drug):
    client = as_user(prescriber_a)
    before = _check(client, dana, drug)
    assert "CYP2C19 Poor Metabolizer" not in before and "no pharmacogenomic results in the chart" in before
    saved = client.post(_genotype_url(dana), {"gene": "cyp2c19", "diplotype": "*2/*2", "lab": "Example Genomics",
                                              "result_date": "2025-03-04"})
    assert saved.status_code == 302
    result = PharmacogenomicResult.objects.get(patient=dana)
    assert (result.gene, result.diplotype, result.phenotype, result.recorded_by) == (
        "CYP2C19", "*2/*2", "Poor Metabolizer", prescriber_a)
    assert AuditEvent.objects.filter(action="pgx_result.record", object_id=str(result.pk)).exists()
    after = _check(client, dana, drug)
    assert f"{drug}: CYP2C19 Poor Metabolizer" in after and "CPIC" in after
    assert "CYP2C19 *2/*2 (Poor Metabolizer)" in after and "no pharmacogenomic results" not in after
    tab = client.get(reverse("web:patient_chart_tab", kwargs={"patient_id": dana.pk, "tab": "medications"}))
    assert "Poor Metabolizer" in tab.content.decode()


def test_a_result_entered_in_error_leaves_the_check_but_stays_on_the_chart(prescriber_a, dana, dana_meds, as_user):
    result = patient_services.genotype_record(actor=prescriber_a, access=dana_meds, gene="CYP2C19",
                                              diplotype="*2/*2", lab="Example Genomics", result_date=date(2025, 3, 4))
    client = as_user(prescriber_a)
    url = reverse("medications:genotype_entered_in_error", kwargs={"patient_id": dana.pk, "result_id": result.pk})
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "report of another patient"}).status_code == 302
    assert "CYP2C19 Poor Metabolizer" not in _check(client, dana, "escitalopram")
    result.refresh_from_db()
    assert result.entered_in_error_by == prescriber_a and result.entered_in_error_reason == "report of another patient"
    tab = client.get(reverse("web:patient_chart_tab", kwargs={"patient_id": dana.pk, "tab": "medications"}))
    assert "entered in error: report of another patient" in tab.content.decode()


def test_a_qtc_of_510_ms_shows_the_qt_finding(prescriber_a, dana, dana_meds, as_user):
    client = as_user(prescriber_a)
    assert "no QTc in the chart" in _check(client, dana, "citalopram", "20")
    patient_services.context_record(actor=prescriber_a, access=dana_meds, kind="qtc", value="510",
                                    effective_date=timezone.localdate())
    body = _check(client, dana, "citalopram", "20")
    assert "QT-prolonging citalopram with a QTc of 510 ms" in body
    assert "Checked with QTc 510 ms (clinical context" in body and "no QTc in the chart" not in body


def test_a_newer_ecg_result_of_the_monitoring_tab_is_the_qtc_checked(prescriber_a, dana, dana_meds, as_user):
    patient_services.context_record(actor=prescriber_a, access=dana_meds, kind="qtc", value="430",
                                    effective_date=timezone.localdate() - timedelta(days=30))
    monitoring_access = access_patient(prescriber_a, dana.pk, "monitoring.view")
    monitoring_services.observation_record(actor=prescriber_a, access=monitoring_access, test="qtc", value="0.52",
                                           unit="s", effective_at=timezone.now() - timedelta(hours=2))
    body = _check(as_user(prescriber_a), dana, "citalopram", "20")
    assert "QTc of 520 ms" in body and "Checked with QTc 520 ms (ECG result" in body


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"gene": "CYP9Z9", "diplotype": "*1/*1"}, "gene", "Unknown gene"),
    ({"gene": "CYP2C19", "diplotype": "*2*2"}, "diplotype", "Malformed CYP2C19 diplotype"),
    ({"gene": "CYP2C19", "diplotype": "*99/*1"}, "diplotype", "*99"),
])
def test_a_bad_genotype_is_refused_with_the_reason_and_nothing_is_stored(prescriber_a, dana, as_user, data, field,
                                                                          message):
    response = as_user(prescriber_a).post(_genotype_url(dana), {**data, "lab": "Example Genomics",
                                                                "result_date": "2025-03-04"})
    assert response.status_code == 400 and message in response.content.decode()
    assert response.context["form"].errors[field]
    assert not PharmacogenomicResult.objects.exists()


def test_a_qtc_outside_250_to_800_ms_is_refused(prescriber_a, dana_meds):
    with pytest.raises(ValidationError, match="outside the possible range 250-800 ms"):
        patient_services.context_record(actor=prescriber_a, access=dana_meds, kind="qtc", value="2000",
                                        effective_date=timezone.localdate())
    assert not ClinicalContextEntry.objects.filter(kind="qtc").exists()


def test_plan_safety_checks_use_the_genotype(prescriber_a, dana_meds):
    patient_services.genotype_record(actor=prescriber_a, access=dana_meds, gene="CYP2C19", diplotype="*2/*2",
                                     lab="Example Genomics", result_date=date(2025, 3, 4))
    plan = services.plan_create(actor=prescriber_a, access=dana_meds, kind="titration", drug="escitalopram")
    assert "pgx-cyp2c19-escitalopram" in {f["rule_id"] for f in plan.plan["schedule_safety"]}
    med = services.medication_start(actor=prescriber_a, access=dana_meds, drug="sertraline",
                                    dose_mg_per_day=Decimal(50), frequency="once daily")
    switch = services.plan_create(actor=prescriber_a, access=dana_meds, kind="switch", medication_id=med.pk,
                                  drug="citalopram")
    assert any(f["kind"] == "pgx" for f in switch.plan["safety"]["findings"])
    assert selectors.safety_context(dana_meds.patient).genotypes == {"CYP2C19": "*2/*2"}
