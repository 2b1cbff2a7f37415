"""The medication services: history kept, conflicts detected, controlled-substance rules,
overrides required and stored, every write audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import pairwise

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dosewise.audit.models import AuditEvent
from dosewise.medications import selectors, services
from dosewise.medications.models import DoseChange, Medication, PrescriptionOverride
from dosewise.patients import services as patient_services
from dosewise.patients.selectors import access_patient
from dosewise.patients.services import EditConflict

pytestmark = pytest.mark.django_db


def _start(actor, access, drug="sertraline", dose="50", **kwargs):
    kwargs.setdefault("frequency", "once daily")
    return services.medication_start(actor=actor, access=access, drug=drug, dose_mg_per_day=Decimal(dose), **kwargs)


def test_it_starts_a_medicine_from_a_brand_name_with_a_start_row_and_an_audit_event(prescriber_a, dana_meds):
    med = _start(prescriber_a, dana_meds, drug="Zoloft", indication="depression", indication_icd10="f32.1")
    assert (med.ingredient, med.rxcui, med.route, med.prescriber, med.status) == (
        "sertraline", "36437", "oral", prescriber_a, "active")
    assert med.indication_icd10 == "F32.1"
    assert list(med.history.values_list("kind", "new_dose_mg_per_day")) == [("start", Decimal(50))]
    assert AuditEvent.objects.filter(action="medication.start", object_id=str(med.pk), patient_id=med.patient_id).exists()


def test_a_dose_change_keeps_the_old_dose_in_the_history(prescriber_a, dana_meds):
    med = _start(prescriber_a, dana_meds)
    med = services.medication_change_dose(actor=prescriber_a, access=dana_meds, medication_id=med.pk,
                                          expected_version=med.version, dose_mg_per_day=Decimal(100),
                                          frequency="", reason="partial response at 4 weeks")
    assert (med.dose_mg_per_day, med.frequency, med.version) == (Decimal(100), "once daily", 2)
    change = DoseChange.objects.get(medication=med, kind="dose")
    assert (change.old_dose_mg_per_day, change.new_dose_mg_per_day, change.changed_by) == (
        Decimal(50), Decimal(100), prescriber_a)
    assert change.reason == "partial response at 4 weeks"
    assert AuditEvent.objects.filter(action="medication.dose_change", object_id=str(med.pk)).count() == 1


def test_the_second_of_two_concurrent_editors_gets_a_conflict_and_nothing_is_lost(prescriber_a, dana_meds):
    med = _start(prescriber_a, dana_meds)
    loaded_version = med.version
    services.medication_change_dose(actor=prescriber_a, access=dana_meds, medication_id=med.pk,
                                    expected_version=loaded_version, dose_mg_per_day=Decimal(100), frequency="",
                                    reason="first editor")
    with pytest.raises(EditConflict, match="Someone else changed this medication"):
        services.medication_change_dose(actor=prescriber_a, access=dana_meds, medication_id=med.pk,
                                        expected_version=loaded_version, dose_mg_per_day=Decimal(75),
                                        frequency="", reason="second editor")
    med.refresh_from_db()
    assert med.dose_mg_per_day == Decimal(100)
    assert list(med.history.values_list("reason", flat=True)) == ["", "first editor"]


def test_it_requires_a_reason_to_override_a_contraindication_and_stores_the_override(prescriber_a, dana_meds,
                                                                                     on_phenelzine):
    with pytest.raises(ValidationError) as refused:
        _start(prescriber_a, dana_meds)
    assert "Contraindicated" in refused.value.message_dict["override_reason_code"][0]
    assert "Choose why you override it" in refused.value.message_dict["override_reason_code"][0]
    assert "own words" in refused.value.message_dict["override_reason"][0]
    assert not Medication.objects.filter(ingredient="sertraline").exists()

    med = _start(prescriber_a, dana_meds, override_reason_code="planned_overlap",
                 override_reason="Supervised cross-over on the inpatient unit")
    override = PrescriptionOverride.objects.get(medication=med)
    assert (override.severity, override.rule_id, override.created_by) == (
        "contraindicated", "derived-maoi-serotonergic", prescriber_a)
    assert override.kb_version and override.finding["drugs"] == ["phenelzine", "sertraline"]
    assert override.reason == "Supervised cross-over on the inpatient unit"
    assert override.reason_code == "planned_overlap" and override.is_active
    assert AuditEvent.objects.filter(action="medication.override", object_id=str(override.pk)).exists()
    assert selectors.override_report(prescriber_a) == [override]


def test_a_dose_change_above_the_maximum_needs_an_override(prescriber_a, dana_meds):
    med = _start(prescriber_a, dana_meds)
    check = selectors.order_check(dana_meds.patient, drug="sertraline", dose_mg_per_day=900,
                                  exclude_medication_id=med.pk)
    assert [f.kind for f in check.blocking] == ["dose-range"]
    with pytest.raises(ValidationError, match="override"):
        services.medication_change_dose(actor=prescriber_a, access=dana_meds, medication_id=med.pk,
                                        expected_version=med.version, dose_mg_per_day=Decimal(900),
                                        frequency="", reason="typo")


def test_schedule_ii_refuses_refills_and_needs_the_pdmp_attestation(prescriber_a, dana_meds):
    with pytest.raises(ValidationError) as refused:
        _start(prescriber_a, dana_meds, drug="Ritalin", dose="20", refills=1, pdmp_attested=True)
    assert "Schedule II medicines cannot be refilled" in refused.value.message_dict["refills"][0]
    with pytest.raises(ValidationError) as refused:
        _start(prescriber_a, dana_meds, drug="Ritalin", dose="20")
    assert "prescription monitoring program" in refused.value.message_dict["pdmp_attested"][0]
    med = _start(prescriber_a, dana_meds, drug="Ritalin", dose="20", pdmp_attested=True, quantity=60,
                 days_supply=30)
    assert (med.ingredient, med.controlled_schedule, med.refills) == ("methylphenidate", "II", 0)
    assert med.pdmp_checked_at is not None


def test_schedule_iv_allows_up_to_five_refills(prescriber_a, dana_meds):
    with pytest.raises(ValidationError, match="at most 5 refills"):
        _start(prescriber_a, dana_meds, drug="lorazepam", dose="1", refills=6, pdmp_attested=True)
    assert _start(prescriber_a, dana_meds, drug="lorazepam", dose="1", refills=5, pdmp_attested=True).refills == 5


def test_hold_resume_and_discontinue_are_history_rows_and_the_row_stays(prescriber_a, dana_meds):
    med = _start(prescriber_a, dana_meds)
    med = services.medication_hold(actor=prescriber_a, access=dana_meds, medication_id=med.pk,
                                   expected_version=med.version, note="surgery on Monday")
    assert med.status == "on_hold"
    med = services.medication_resume(actor=prescriber_a, access=dana_meds, medication_id=med.pk,
                                     expected_version=med.version)
    with pytest.raises(ValidationError, match="Describe the reason"):
        services.medication_discontinue(actor=prescriber_a, access=dana_meds, medication_id=med.pk,
                                        expected_version=med.version, reason="other")
    med = services.medication_discontinue(actor=prescriber_a, access=dana_meds, medication_id=med.pk,
                                          expected_version=med.version, reason="side_effects", note="nausea")
    assert (med.status, med.status_reason, med.stop_date is not None) == ("discontinued", "side_effects", True)
    assert list(med.history.values_list("kind", flat=True)) == ["start", "hold", "resume", "discontinue"]
    assert set(AuditEvent.objects.filter(object_id=str(med.pk), object_type="medications.medication")
               .values_list("action", flat=True)) == {"medication.start", "medication.hold", "medication.resume",
                                                      "medication.discontinue"}
    with pytest.raises(ValidationError, match="cannot be"):
        services.medication_hold(actor=prescriber_a, access=dana_meds, medication_id=med.pk,
                                 expected_version=med.version, note="again")


def test_it_refuses_to_start_a_drug_already_on_the_list(prescriber_a, dana_meds):
    _start(prescriber_a, dana_meds)
    with pytest.raises(ValidationError, match="already on the list"):
        _start(prescriber_a, dana_meds, drug="Zoloft", dose="100")


def test_a_nurse_records_an_outside_medicine_but_may_not_prescribe(prescriber_a, nurse_a, dana, dana_meds):
    patient_services.care_team_add(actor=prescriber_a, access=dana_meds, member=nurse_a, team_role="nurse")
    prescribed = _start(prescriber_a, dana_meds, drug="bupropion", dose="150")
    access = access_patient(nurse_a, dana.pk, "medications.record")
    with pytest.raises(PermissionDenied):
        _start(nurse_a, access)
    st_johns = services.medication_start(actor=nurse_a, access=access, drug="Herbal sleep tea blend",
                                         source="supplement")
    assert (st_johns.in_formulary, st_johns.prescriber, st_johns.rxcui) == (False, None, "")
    outside = _start(nurse_a, access, drug="tramadol", dose="100", source="other_prescriber",
                     external_prescriber="Dr Lee, Eastside Pain Clinic", refills=3)
    assert (outside.source, outside.refills, outside.external_prescriber) == (
        "other_prescriber", 0, "Dr Lee, Eastside Pain Clinic")
    # The outside medicine now takes part in every safety check.
    check = selectors.order_check(dana, drug="sertraline", dose_mg_per_day=50)
    assert any("tramadol" in f.drugs and "sertraline" in f.drugs for f in check.findings)
    with pytest.raises(PermissionDenied):
        services.medication_change_dose(actor=nurse_a, access=access, medication_id=prescribed.pk, expected_version=1,
            dose_mg_per_day=Decimal(300), frequency="", reason="x")


def test_a_therapist_may_not_write(therapist_a, dana, dana_meds, prescriber_a):
    med = _start(prescriber_a, dana_meds)
    access = access_patient(therapist_a, dana.pk, "medications.view")
    with pytest.raises(PermissionDenied):
        services.medication_hold(actor=therapist_a, access=access, medication_id=med.pk, expected_version=1,
                                 note="x")


def test_the_safety_context_comes_from_the_chart(prescriber_a, dana, dana_meds):
    access = access_patient(prescriber_a, dana.pk, "clinical.edit")
    for kind, value in (("pregnancy", "pregnant"), ("egfr", "25"), ("child_pugh", "B"), ("smoking", "current")):
        patient_services.context_record(actor=prescriber_a, access=access, kind=kind, value=value,
                                        effective_date=date.today())
    context = selectors.safety_context(dana)
    assert (context.sex, context.pregnant, context.egfr, context.child_pugh, context.smoker) == (
        "female", True, 25.0, "B", True)
    assert context.allergies == ("penicillin",) and context.qtc_ms is None
    assert context.age == dana.age_on(date.today())


def test_icd10_codes_and_outside_prescribers_are_validated(prescriber_a, dana_meds):
    with pytest.raises(ValidationError, match="not an ICD-10-CM code"):
        _start(prescriber_a, dana_meds, indication_icd10="depression")
    with pytest.raises(ValidationError, match="who prescribed it"):
        _start(prescriber_a, dana_meds, source="other_prescriber")


def test_a_lamotrigine_titration_is_halved_with_valproate_on_the_list(prescriber_a, dana_meds):
    _start(prescriber_a, dana_meds, drug="valproate", dose="1000", override_reason_code="tolerated_before",
           override_reason="stable for years on this dose, contraception in place")
    plan = services.plan_create(actor=prescriber_a, access=dana_meds, kind="titration", drug="Lamictal",
                                start_date=date(2026, 1, 5))
    assert plan.drug == "lamotrigine" and plan.plan["with"] == ["valproate"] and plan.plan["modifiers"]
    days = selectors.plan_calendar(plan)
    assert days[0].date == date(2026, 1, 5) and days[0].doses_mg["lamotrigine"] == 12.5
    assert AuditEvent.objects.filter(action="medication_plan.create", object_id=str(plan.pk)).exists()


def test_a_taper_starts_from_the_current_dose_and_never_rises(prescriber_a, dana_meds):
    med = _start(prescriber_a, dana_meds, drug="citalopram", dose="20")
    plan = services.plan_create(actor=prescriber_a, access=dana_meds, kind="taper", medication_id=med.pk)
    doses = [day.doses_mg["citalopram"] for day in selectors.plan_calendar(plan)]
    assert doses[0] == 20 and doses[-1] == 0
    assert all(later <= earlier for earlier, later in pairwise(doses))


def test_a_switch_from_an_maoi_keeps_the_washout_and_checks_every_day(prescriber_a, dana_meds, on_phenelzine):
    plan = services.plan_create(actor=prescriber_a, access=dana_meds, kind="switch", medication_id=on_phenelzine.pk,
                                drug="sertraline", method="direct")
    assert plan.plan["washout"] is not None and plan.plan["safety"]["days_checked"] > 0
    calendar = selectors.plan_calendar(plan)
    assert not any(day.doses_mg["phenelzine"] and day.doses_mg["sertraline"] for day in calendar)


def test_plans_refuse_bad_input_with_the_engine_message(prescriber_a, dana_meds, therapist_a, dana):
    with pytest.raises(ValidationError, match="Unknown drug 'notadrug'"):
        services.plan_create(actor=prescriber_a, access=dana_meds, kind="titration", drug="notadrug")
    with pytest.raises(ValidationError, match="Choose the medicine to taper"):
        services.plan_create(actor=prescriber_a, access=dana_meds, kind="taper")
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=therapist_a, access=access_patient(therapist_a, dana.pk, "medications.view"),
                             kind="titration", drug="sertraline")
