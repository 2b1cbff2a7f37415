"""A lithium level of 1.8 mmol/L in a real Chromium: the prescriber enters it on the chart,
sees it flagged with the urgent action, finds it at the top of the worklist and
acknowledges it with a note; a result entered by mistake is withdrawn with a reason."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.test_assessments_journey import PRESCRIBER, staff_sign_in

from dosewise.accounts.models import User
from dosewise.demo import demo_load
from dosewise.monitoring.models import Observation
from dosewise.patients.models import Patient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _monitoring_tab_of_a_patient_without_results(journey, name):
    """Sign the demo prescriber in and open the Monitoring tab of a patient with no demo story."""
    demo_load(patients=12)
    prescriber = User.objects.get(email=PRESCRIBER)
    # A patient without a demo story: no medicines, no results yet.
    patient = Patient.objects.filter(care_team__member=prescriber, medications__isnull=True).order_by("pk").first()
    j = journey(name)
    staff_sign_in(j, PRESCRIBER)
    j.goto(f"/patients/{patient.pk}/tab/monitoring/")
    return j, prescriber, patient


def _enter_result(page, test, value, unit):
    page.get_by_label("Test", exact=True).select_option(test)
    page.get_by_label("Result", exact=True).fill(value)
    page.get_by_label("Unit", exact=True).select_option(unit)
    page.get_by_role("button", name="Save result").click()
    page.wait_for_load_state("networkidle")


def test_a_lithium_level_of_1_8_goes_to_the_top_of_the_worklist_with_the_other_urgent_items(journey):
    j, prescriber, patient = _monitoring_tab_of_a_patient_without_results(journey, "monitoring")
    page = j.page
    expect(page.get_by_role("heading", name="Enter a result")).to_be_visible()
    j.snap("monitoring tab")
    _enter_result(page, "lithium-level", "1.8", "mmol/L")
    expect(page.get_by_role("status")).to_contain_text("1.8 mmol/L saved (toxic): urgent")
    expect(page.locator("#results tbody tr").first).to_contain_text("high: toxic")
    j.snap("lithium 1.8 flagged")
    result = Observation.objects.get(patient=patient)
    assert (result.flag, result.canonical_display, result.recorded_by) == ("high", "1.8", prescriber)

    page.get_by_role("link", name="Worklist").click()
    page.wait_for_load_state("networkidle")
    # Among the urgent items at the top (the demo also has an urgent side-effect task and
    # another toxic level, each urgent): no less urgent item comes before it.
    items = page.locator(".worklist > li")
    first = items.filter(has_text=patient.display_name).first
    expect(first).to_contain_text("lithium level")
    position = items.all_inner_texts().index(first.inner_text())
    assert all(("critical" in text.lower() or "high priority" in text.lower()) for text in items.all_inner_texts()[:position + 1])
    expect(first).to_contain_text("1.8 mmol/L")
    expect(first).to_contain_text("urgent")
    j.snap("worklist")
    first.get_by_label("What you did").fill("Phoned the patient: lithium withheld, level repeated tomorrow")
    first.get_by_role("button", name="Acknowledge").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("status")).to_contain_text("Acknowledged")
    j.snap("acknowledged")
    result.refresh_from_db()
    assert result.acknowledged_by == prescriber and result.review_priority is None


def test_a_csv_of_lab_results_is_imported_with_a_report_of_skipped_rows(journey, tmp_path):
    demo_load(patients=3)
    patient = Patient.objects.order_by("pk").first()
    csv_file = tmp_path / "labs.csv"
    csv_file.write_text("mrn,test,value,unit,date\n"
                        f"{patient.mrn},lithium-level,0.8,mmol/L,2025-03-01 08:00\n"
                        f"{patient.mrn},lithium-level,0.8,mg/dL,2025-03-02 08:00\n"
                        f"{patient.mrn},14334-7,0.8,mmol/L,2025-03-01 08:00\n", encoding="utf-8")
    j = journey("monitoring-import")
    staff_sign_in(j, PRESCRIBER)
    j.goto("/monitoring/worklist/")
    j.page.get_by_role("link", name="Import lab results").click()
    j.page.wait_for_load_state("networkidle")
    j.snap("import page")
    j.page.get_by_label(re.compile("File of results")).set_input_files(str(csv_file))
    j.page.get_by_role("button", name="Import").click()
    j.page.wait_for_load_state("networkidle")
    expect(j.page.get_by_role("heading", name="Finished")).to_be_visible()
    expect(j.page.get_by_role("status")).to_contain_text("1 imported")
    expect(j.page.get_by_role("status")).to_contain_text("2 skipped")
    j.snap("import report")
    report = j.page.locator("#import-progress table")
    expect(report).to_contain_text("mg/dL is not a unit for lithium")
    expect(report).to_contain_text("duplicate of line 2")
    assert Observation.objects.filter(patient=patient, source="csv").count() == 1


def test_a_result_entered_by_mistake_is_withdrawn_from_its_own_page(journey):
    j, _, patient = _monitoring_tab_of_a_patient_without_results(journey, "withdraw-result")
    page = j.page
    _enter_result(page, "lithium-level", "0.6", "mmol/L")
    page.locator("#results tbody tr").first.get_by_role("link", name="Entered in error?").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="Was this result entered in error?")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("0.6 mmol/L")
    j.snap("withdraw page")
    # Too short a reason is refused beside the field; what was typed stays.
    page.get_by_label("Why is this result wrong?").fill("typo")
    page.get_by_role("button", name="Withdraw").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".field-error")).to_contain_text("at least 5 characters")
    expect(page.get_by_label("Why is this result wrong?")).to_have_value("typo")
    page.get_by_label("Why is this result wrong?").fill("Entered for the wrong patient")
    page.get_by_role("button", name="Withdraw").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("status")).to_contain_text("Result marked as entered in error")
    expect(page.locator("#results tbody tr").first).to_contain_text("entered in error")
    j.snap("withdrawn")
    result = Observation.objects.get(patient=patient)
    assert (result.status, result.entered_in_error_reason) == ("entered-in-error", "Entered for the wrong patient")
