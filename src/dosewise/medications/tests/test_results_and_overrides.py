"""The order check reads the chart's results and dose history; overrides need a structured reason,
a real justification and, far above the maximum, a second confirmation; they stay visible until
resolved and clinic admins review them."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dosewise.audit.models import AuditEvent
from dosewise.clinics.clock import clinic_today
from dosewise.medications import selectors, services
from dosewise.medications.models import DoseChange, Medication, PrescriptionOverride
from dosewise.monitoring import services as monitoring
from dosewise.patients import services as patient_services
from dosewise.patients.selectors import chart_header

JUSTIFIED = {"override_reason_code": "monitoring_in_place",
             "override_reason": "level repeated tomorrow, patient seen weekly and told the signs of toxicity"}


def _result(actor, access, test, value, unit, days_ago=0, hours=0):
    return monitoring.observation_record(actor=actor, access=access, test=test, value=Decimal(str(value)), unit=unit,
                                         effective_at=timezone.now() - timedelta(days=days_ago, hours=hours))


def _backdate_changes(medication, days: int) -> None:
    """Move a medicine's history back in time, as if it had been entered `days` ago."""
    DoseChange.objects.filter(medication=medication).update(changed_at=timezone.now() - timedelta(days=days))
    Medication.objects.filter(pk=medication.pk).update(start_date=timezone.localdate() - timedelta(days=days))


@pytest.fixture
def on_lithium(prescriber_a, dana_meds):
    """Dana on lithium 1,200 mg/day for two months, a level of 1.8 mmol/L yesterday."""
    lithium = services.medication_start(actor=prescriber_a, access=dana_meds, drug="lithium",
                                        dose_mg_per_day=Decimal(1200), frequency="twice daily")
    _backdate_changes(lithium, 60)
    _result(prescriber_a, dana_meds, "lithium-level", "1.8", "mmol/L", days_ago=1)
    lithium.refresh_from_db()
    return lithium


# -- results in the check --------------------------------------------------------------------------


def test_raising_lithium_on_a_toxic_level_is_contraindicated_and_the_panel_names_the_level(prescriber_a, dana_meds,
                                                                                        on_lithium):
    check = selectors.order_check(dana_meds.patient, drug="lithium", dose_mg_per_day=Decimal(1500),
                                  exclude_medication_id=on_lithium.pk)
    toxic = next(f for f in check.findings if f.rule_id == "result-lithium-level-toxic")
    assert toxic.severity == "contraindicated" and toxic in check.blocking
    assert "from 1200 to 1500 mg/day" in toxic.summary and toxic.action.startswith("hold the increase")
    assert [(r.name, r.display_value) for r in check.results_used] == [("lithium level", "1.8 mmol/L")]
    assert check.previous_dose_mg == 1200


def test_the_dose_page_shows_the_results_it_used(as_user, prescriber_a, dana, on_lithium):
    client = as_user(prescriber_a)
    html = client.post(reverse("medications:order_check", args=[dana.pk]),
                       {"drug": "lithium", "medication": on_lithium.pk, "dose_mg_per_day": "1500"}).content.decode()
    assert "Results used: lithium level 1.8 mmol/L" in html and "Dose before this order: 1200 mg/day" in html
    assert "hold the increase" in html


def test_a_level_drawn_the_day_of_a_dose_change_is_not_at_steady_state(prescriber_a, dana_meds):
    lithium = services.medication_start(actor=prescriber_a, access=dana_meds, drug="lithium",
                                        dose_mg_per_day=Decimal(900), frequency="twice daily")
    _backdate_changes(lithium, 2)
    _result(prescriber_a, dana_meds, "lithium-level", "0.6", "mmol/L", hours=1)
    found = {f.rule_id for f in selectors.regimen_recheck(dana_meds.patient)}
    assert "result-steady-state-lithium-level" in found


def test_the_recheck_of_the_stored_regimen_judges_the_clozapine_anc_and_benign_ethnic_neutropenia(
        prescriber_a, dana_meds):
    services.medication_start(actor=prescriber_a, access=dana_meds, drug="clozapine", dose_mg_per_day=Decimal(200),
                              frequency="at bedtime")
    _result(prescriber_a, dana_meds, "anc", 800, "/uL", hours=2)
    assert "result-clozapine-anc-moderate" in {f.rule_id for f in selectors.regimen_recheck(dana_meds.patient)}
    patient_services.context_record(actor=prescriber_a, access=dana_meds, kind="neutropenia", value="ben",
                                    effective_date=timezone.localdate())
    found = {f.rule_id: f.severity for f in selectors.regimen_recheck(dana_meds.patient)}
    assert found.get("result-clozapine-anc-ben") == "major" and "result-clozapine-anc-moderate" not in found


def test_a_newer_egfr_result_feeds_the_kidney_rules(prescriber_a, dana_meds):
    services.medication_start(actor=prescriber_a, access=dana_meds, drug="lithium", dose_mg_per_day=Decimal(900),
                              frequency="twice daily")
    _result(prescriber_a, dana_meds, "egfr", 25, "mL/min/{1.73_m2}", hours=3)
    facts = selectors.safety_facts(dana_meds.patient)
    assert facts.context.egfr == 25
    assert any(f.kind == "renal" for f in selectors.regimen_recheck(dana_meds.patient))


def test_the_safety_facts_cost_the_same_with_two_and_forty_results(prescriber_a, dana_meds, on_lithium):
    counts = []
    for extra in (1, 39):
        for n in range(extra):
            _result(prescriber_a, dana_meds, "lithium-level", "0.7", "mmol/L", days_ago=2 + len(counts) * 50 + n)
        with CaptureQueriesContext(connection) as queries:
            selectors.safety_facts(dana_meds.patient)
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 6


# -- overrides ---------------------------------------------------------------------------------------


def test_an_override_needs_a_structured_reason_and_a_real_justification(prescriber_a, dana_meds, on_lithium):
    change = {"actor": prescriber_a, "access": dana_meds, "medication_id": on_lithium.pk,
              "expected_version": on_lithium.version, "dose_mg_per_day": Decimal(1500), "frequency": "",
              "reason": "still hypomanic"}
    with pytest.raises(ValidationError) as refused:
        services.medication_change_dose(**change, override_reason="ok")
    errors = refused.value.message_dict
    assert "Choose why you override it" in errors["override_reason_code"][0] and "1.8" in errors[
        "override_reason_code"][0]
    assert "own words" in errors["override_reason"][0]
    with pytest.raises(ValidationError, match="own words"):
        services.medication_change_dose(**change, override_reason_code="tolerated_before",
                                        override_reason="ok ok ok ok ok ok ok ok")
    on_lithium.refresh_from_db()
    assert on_lithium.dose_mg_per_day == Decimal(1200)
    services.medication_change_dose(**change, **JUSTIFIED)
    row = PrescriptionOverride.objects.get(rule_id="result-lithium-level-toxic")
    assert row.reason_code == "monitoring_in_place" and row.is_active and not row.confirmed_high_dose


def test_an_impossible_dose_is_refused_whatever_the_reason(prescriber_a, dana_meds):
    with pytest.raises(ValidationError) as refused:
        services.medication_start(actor=prescriber_a, access=dana_meds, drug="lithium",
                                  dose_mg_per_day=Decimal(100000), frequency="twice daily", confirm_high_dose=True,
                                  override_reason_code="tolerated_before", override_reason="ok")
    message = refused.value.message_dict["dose_mg_per_day"][0]
    assert "100000 mg/day of lithium" in message and "not a possible dose" in message and "1800" in message
    assert not Medication.objects.filter(ingredient="lithium").exists()


def test_a_dose_above_twice_the_maximum_needs_an_explicit_confirmation(prescriber_a, dana_meds):
    order = {"actor": prescriber_a, "access": dana_meds, "drug": "sertraline", "dose_mg_per_day": Decimal(500),
             "frequency": "once daily", **JUSTIFIED}
    with pytest.raises(ValidationError) as refused:
        services.medication_start(**order)
    assert "more than twice the labelled maximum of 200" in refused.value.message_dict["confirm_high_dose"][0]
    medication = services.medication_start(**order, confirm_high_dose=True)
    row = PrescriptionOverride.objects.get(medication=medication)
    assert row.confirmed_high_dose and row.kind == "dose-range"
    # Above the maximum but below twice it: the override alone is enough.
    services.medication_change_dose(actor=prescriber_a, access=dana_meds, medication_id=medication.pk,
                                    expected_version=medication.version, dose_mg_per_day=Decimal(300),
                                    frequency="", reason="tolerating it", **JUSTIFIED)


def test_the_live_check_says_an_impossible_dose_cannot_be_saved(as_user, prescriber_a, dana, dana_meds):
    html = as_user(prescriber_a).post(reverse("medications:order_check", args=[dana.pk]),
                                      {"drug": "lithium", "dose_mg_per_day": "100000"}).content.decode()
    assert "not a possible dose" in html and "It cannot be saved." in html


def test_an_active_override_shows_on_the_chart_header_and_the_medication_list(as_user, prescriber_a, dana,
                                                                               dana_meds, on_lithium):
    services.medication_change_dose(actor=prescriber_a, access=dana_meds, medication_id=on_lithium.pk,
                                    expected_version=on_lithium.version, dose_mg_per_day=Decimal(1500),
                                    frequency="", reason="still hypomanic", **JUSTIFIED)
    client = as_user(prescriber_a)
    overview = client.get(reverse("web:patient_chart", args=[dana.pk])).content.decode()
    assert "Active safety overrides" in overview and "lithium level 1.8 mmol/L" in overview
    tab = client.get(reverse("web:patient_chart_tab", args=[dana.pk, "medications"])).content.decode()
    assert "Overridden contraindicated" in tab and "Extra monitoring arranged" in tab and "Mark resolved" in tab


def test_an_override_is_resolved_when_the_finding_no_longer_fires(prescriber_a, dana_meds, on_lithium):
    services.medication_change_dose(actor=prescriber_a, access=dana_meds, medication_id=on_lithium.pk,
                                    expected_version=on_lithium.version, dose_mg_per_day=Decimal(1500),
                                    frequency="", reason="still hypomanic", **JUSTIFIED)
    row = PrescriptionOverride.objects.get(rule_id="result-lithium-level-toxic")
    # A new level in range: the toxic-level finding no longer fires on re-check.
    _result(prescriber_a, dana_meds, "lithium-level", "0.9", "mmol/L", hours=1)
    row.refresh_from_db()
    assert row.resolution == "no_longer_fires" and row.resolved_at is not None and row.resolved_by is None
    assert AuditEvent.objects.filter(action="medication.override_resolve", object_id=str(row.pk)).exists()
    assert chart_header(dana_meds).overrides == []


def test_an_override_is_resolved_when_the_medicine_is_stopped(prescriber_a, dana_meds, on_lithium):
    services.medication_change_dose(actor=prescriber_a, access=dana_meds, medication_id=on_lithium.pk,
                                    expected_version=on_lithium.version, dose_mg_per_day=Decimal(1500),
                                    frequency="", reason="still hypomanic", **JUSTIFIED)
    on_lithium.refresh_from_db()
    services.medication_discontinue(actor=prescriber_a, access=dana_meds, medication_id=on_lithium.pk,
                                    expected_version=on_lithium.version, reason="side_effects", note="toxicity")
    row = PrescriptionOverride.objects.get(rule_id="result-lithium-level-toxic")
    assert row.resolution == "stopped"


def test_a_clinician_resolves_an_override_with_a_note_and_an_admin_reviews_it(prescriber_a, admin_a, therapist_a,
                                                                               dana_meds, on_lithium, as_user):
    services.medication_change_dose(actor=prescriber_a, access=dana_meds, medication_id=on_lithium.pk,
                                    expected_version=on_lithium.version, dose_mg_per_day=Decimal(1500),
                                    frequency="", reason="still hypomanic", **JUSTIFIED)
    row = PrescriptionOverride.objects.get(rule_id="result-lithium-level-toxic")
    with pytest.raises(ValidationError, match="at least 10 characters"):
        services.override_resolve(actor=prescriber_a, access=dana_meds, override_id=row.pk, note="done")
    services.override_resolve(actor=prescriber_a, access=dana_meds, override_id=row.pk,
                              note="level rechecked at the lab, 1.1 mmol/L, reviewed with the patient")
    row.refresh_from_db()
    assert row.resolution == "clinician" and row.resolved_by == prescriber_a

    queue = as_user(admin_a).get(reverse("medications:override_report")).content.decode()
    assert "Mark reviewed" in queue and "lithium level 1.8" in queue
    assert selectors.override_report(admin_a, show="to-review") == [row]
    with pytest.raises(PermissionDenied):
        services.override_review(actor=prescriber_a, override_id=row.pk, note="looks fine to me, colleague")
    services.override_review(actor=admin_a, override_id=row.pk, note="justified: monitoring plan documented")
    row.refresh_from_db()
    assert row.reviewed_by == admin_a and selectors.override_report(admin_a, show="to-review") == []
    assert AuditEvent.objects.filter(action="medication.override_review", object_id=str(row.pk)).exists()
    with pytest.raises(ValidationError, match="already reviewed"):
        services.override_review(actor=admin_a, override_id=row.pk, note="second look at the same override")


def test_of_two_levels_on_one_day_the_later_one_is_judged(prescriber_a, dana_meds):
    lithium = services.medication_start(actor=prescriber_a, access=dana_meds, drug="lithium",
                                        dose_mg_per_day=Decimal(1200), frequency="twice daily")
    _backdate_changes(lithium, 60)
    yesterday = clinic_today(dana_meds.patient.clinic) - timedelta(days=1)
    zone = ZoneInfo(dana_meds.patient.clinic.timezone)
    for hour, value in ((8, "1.8"), (11, "0.9")):  # a toxic level, then the repeat that shows it was a bad draw
        monitoring.observation_record(actor=prescriber_a, access=dana_meds, test="lithium-level",
                                      value=Decimal(value), unit="mmol/L",
                                      effective_at=datetime.combine(yesterday, time(hour), tzinfo=zone))
    assert "result-lithium-level-toxic" not in {f.rule_id for f in selectors.regimen_recheck(dana_meds.patient)}
    monitoring.observation_record(actor=prescriber_a, access=dana_meds, test="lithium-level", value=Decimal("1.7"),
                                  unit="mmol/L", effective_at=datetime.combine(yesterday, time(13), tzinfo=zone))
    assert "result-lithium-level-toxic" in {f.rule_id for f in selectors.regimen_recheck(dana_meds.patient)}


# -- the re-check after an order reuses the order's read of the chart ------------------------------


def _findings(found) -> list[str]:
    import json
    return sorted(json.dumps(f.to_dict(), sort_keys=True, default=str) for f in found)


def test_the_recheck_after_a_dose_change_equals_a_fresh_read_of_the_stored_regimen(prescriber_a, dana_meds,
                                                                                 on_lithium):
    services.medication_start(actor=prescriber_a, access=dana_meds, drug="quetiapine",
                              dose_mg_per_day=Decimal(300), frequency="at night")
    check = selectors.order_check(dana_meds.patient, drug="lithium", dose_mg_per_day=Decimal(1500),
                                  exclude_medication_id=on_lithium.pk)
    day = clinic_today(dana_meds.patient.clinic) - timedelta(days=1)
    services.medication_change_dose(actor=prescriber_a, access=dana_meds, medication_id=on_lithium.pk,
                                    expected_version=on_lithium.version, dose_mg_per_day=Decimal(1500),
                                    frequency="twice daily", reason="partial response", effective_date=day,
                                    **JUSTIFIED)
    reused = selectors.order_recheck(check, effective_date=day)
    fresh = selectors.regimen_recheck(dana_meds.patient)
    assert "result-lithium-level-toxic" in {f.rule_id for f in fresh}
    assert _findings(reused) == _findings(fresh)


def test_the_recheck_after_a_start_equals_a_fresh_read_of_the_stored_regimen(prescriber_a, dana_meds, on_lithium):
    # Started three days ago with a level today: the dose history of the new medicine decides
    # whether the level is read at steady state, so the reused history must hold its start.
    _result(prescriber_a, dana_meds, "valproate-level", "40", "ug/mL", hours=1)
    started = clinic_today(dana_meds.patient.clinic) - timedelta(days=3)
    check = selectors.order_check(dana_meds.patient, drug="valproate", dose_mg_per_day=Decimal(1000))
    services.medication_start(actor=prescriber_a, access=dana_meds, drug="valproate", dose_mg_per_day=Decimal(1000),
                              frequency="twice daily", start_date=started)
    reused = selectors.order_recheck(check, effective_date=started)
    fresh = selectors.regimen_recheck(dana_meds.patient)
    assert {"result-lithium-level-toxic", "result-steady-state-valproate-level"} <= {f.rule_id for f in fresh}
    assert _findings(reused) == _findings(fresh)


def test_starting_a_medicine_reads_the_chart_once(prescriber_a, dana_meds, on_lithium):
    """The override re-check reuses the order check's facts: a start costs no second chart read."""
    with CaptureQueriesContext(connection) as captured:
        services.medication_start(actor=prescriber_a, access=dana_meds, drug="quetiapine",
                                  dose_mg_per_day=Decimal(300), frequency="at night")
    reads = [q["sql"] for q in captured.captured_queries if 'FROM "patients_allergy"' in q["sql"]]
    assert len(reads) == 1
