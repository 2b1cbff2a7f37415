"""A taper under way in a real Chromium: the prescriber sees today's step and the team's
follow-ups, pauses the taper with a reason, finds the revision in the history and the overdue
review on the worklist; a CYP2C19 result on the chart shows in the live order check."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from tests.browser.test_assessments_journey import PRESCRIBER, staff_sign_in

from dosewise.accounts.models import User
from dosewise.demo import demo_load
from dosewise.medications import services
from dosewise.medications.models import MedicationPlan
from dosewise.patients import services as patient_services
from dosewise.patients.models import Patient
from dosewise.patients.selectors import access_patient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_prescriber_pauses_a_taper_and_the_review_reaches_the_worklist(journey):
    demo_load(patients=12)
    prescriber = User.objects.get(email=PRESCRIBER)
    # A patient without a demo story: no medicines yet.
    patient = Patient.objects.filter(care_team__member=prescriber, medications__isnull=True).order_by("pk").first()
    access = access_patient(prescriber, patient.pk, "medications.prescribe")
    med = services.medication_start(actor=prescriber, access=access, drug="venlafaxine", dose_mg_per_day=Decimal(150),
                                    frequency="once daily", indication="depression, in remission")
    plan = services.plan_create(actor=prescriber, access=access, kind="taper", medication_id=med.pk,
                                start_date=timezone.localdate() - timedelta(days=40))
    patient_services.genotype_record(actor=prescriber, access=access, gene="CYP2C19", diplotype="*2/*2",
                                     lab="Example Genomics", result_date=date(2025, 3, 4))

    j = journey("plans")
    page = j.page
    staff_sign_in(j, PRESCRIBER)
    j.goto(f"/medications/patients/{patient.pk}/plans/{plan.pk}/")
    expect(page.get_by_role("region", name="Today")).to_contain_text("Day 40")
    expect(page.get_by_role("region", name="Follow-ups for the team")).to_contain_text("overdue")
    j.snap("plan under way")

    page.get_by_label("Change").select_option("pause")
    page.get_by_label("Pause for (days)").fill("14")
    page.get_by_label("Why").fill("Dizziness and irritability since the last step")
    page.get_by_role("button", name="Save the change").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("region", name="Revision history")).to_contain_text("Version 2: Paused")
    j.snap("plan paused")
    assert MedicationPlan.objects.get(pk=plan.pk).version == 2

    j.goto("/monitoring/worklist/")
    item = page.locator(".worklist-item", has_text="Plan review overdue").filter(has_text=patient.display_name)
    expect(item).to_contain_text("venlafaxine")
    j.snap("worklist with a plan review")
    item.get_by_label("What the review found or what you did").fill("Phoned: dizziness settling on the pause")
    item.get_by_role("button", name="Done").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(".worklist-item", has_text="Plan review overdue").filter(has_text=patient.display_name)).to_have_count(0)

    j.goto(f"/patients/{patient.pk}/tab/medications/")
    expect(page.get_by_role("region", name="Pharmacogenomic results")).to_contain_text("Poor Metabolizer")
    j.snap("chart with genotype and follow-ups")
    j.goto(f"/medications/patients/{patient.pk}/new/")
    page.get_by_label("Drug").press_sequentially("escitalopram", delay=30)
    expect(page.locator("#safety-check")).to_contain_text("CYP2C19 Poor Metabolizer")
    j.snap("order check with the genotype")
