"""Side effects and adherence in a real Chromium: the prescriber records a tremor twice and sees its
burden rising on the trend, enters a pharmacy fill and sees adherence flagged below 80%, then
imports the pharmacy's file of fills and reads the report of the row it skipped."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from tests.browser.test_assessments_journey import PRESCRIBER, staff_sign_in

from dosewise.accounts.models import User
from dosewise.demo import demo_load
from dosewise.medications.models import Medication
from dosewise.monitoring.models import PharmacyFill, SideEffect
from dosewise.patients.models import Patient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _record_tremor(page, *, burden: int, day) -> None:
    page.get_by_text("Record a side effect").click()
    page.get_by_label("Side effect", exact=True).select_option("tremor")
    page.get_by_label("Severity").select_option("moderate")
    page.get_by_label(re.compile("Burden on daily life")).fill(str(burden))
    page.locator("#se-date").fill(day.isoformat())
    page.get_by_role("button", name="Save side effect").click()
    page.wait_for_load_state("networkidle")


def test_side_effect_burden_is_trended_and_low_adherence_is_flagged(journey, tmp_path):
    demo_load(patients=12)
    prescriber = User.objects.get(email=PRESCRIBER)
    # A patient without a demo story: no medicines yet.
    patient = Patient.objects.filter(care_team__member=prescriber, medications__isnull=True).order_by("pk").first()
    today = timezone.localdate()
    medicine = Medication.objects.create(clinic=patient.clinic, patient=patient, ingredient="sertraline",
                                         start_date=today - timedelta(days=200), created_by=prescriber)

    j = journey("adherence")
    staff_sign_in(j, PRESCRIBER)
    j.goto(f"/patients/{patient.pk}/tab/monitoring/#side-effects")
    page = j.page
    expect(page.get_by_role("heading", name="Side effects")).to_be_visible()
    _record_tremor(page, burden=4, day=today - timedelta(days=14))
    expect(page.get_by_role("status")).to_contain_text("Side effect saved: Tremor")
    _record_tremor(page, burden=8, day=today)
    expect(page.get_by_role("status")).to_contain_text("It is on the worklist for review")
    trend = page.locator(".side-effect-trends li").filter(has_text="Tremor")
    expect(trend).to_contain_text("4 → 8")
    expect(trend).to_contain_text("(worse)")
    trend.scroll_into_view_if_needed()
    j.snap("side effect trend")
    assert list(SideEffect.objects.filter(patient=patient).order_by("noted_on").values_list("burden", flat=True)) \
        == [4, 8]

    page.get_by_text("Record a pharmacy fill").click()
    page.get_by_label("Medicine").select_option(label="sertraline")
    page.get_by_label("Fill date").fill((today - timedelta(days=80)).isoformat())
    page.get_by_label("Days' supply").fill("30")
    page.get_by_role("button", name="Save fill").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("status")).to_contain_text("(30 days) saved")
    row = page.locator("#adherence tbody tr").filter(has_text="sertraline")
    expect(row).to_contain_text("low adherence")
    expect(row).to_contain_text((today - timedelta(days=80)).isoformat())
    row.scroll_into_view_if_needed()
    j.snap("adherence flagged low")

    fills = tmp_path / "fills.csv"
    fills.write_text("mrn,drug,fill_date,days_supply,quantity,pharmacy\n"
                     f"{patient.mrn},Zoloft 50 mg,{(today - timedelta(days=50)).isoformat()},30,30,Main Street\n"
                     f"{patient.mrn},sertraline,{(today - timedelta(days=20)).isoformat()},0,30,Main Street\n",
                     encoding="utf-8")
    page.get_by_role("link", name="Import fills from a pharmacy file").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="Import pharmacy fills")).to_be_visible()
    j.snap("fill import page")
    page.get_by_label(re.compile("File of pharmacy fills")).set_input_files(str(fills))
    page.get_by_role("button", name="Import").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", name="Finished")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("1 imported")
    expect(page.get_by_role("status")).to_contain_text("1 skipped")
    expect(page.locator("#import-progress tbody")).to_contain_text("days' supply must be 1 to 365, got 0")
    j.snap("fill import report")
    assert sorted(PharmacyFill.objects.filter(medication=medicine).values_list("source", flat=True)) == [
        "entered", "imported"]

    j.goto(f"/patients/{patient.pk}/tab/monitoring/#adherence")
    row = page.locator("#adherence tbody tr").filter(has_text="sertraline")
    # Fills 80 and 50 days ago cover 60 of the 81 days since the first (74%), still below 80%.
    expect(row).to_contain_text("low adherence")
    expect(row).to_contain_text((today - timedelta(days=50)).isoformat())
    row.scroll_into_view_if_needed()
    j.snap("adherence after import")
