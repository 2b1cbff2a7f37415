"""Documenting a visit in a real Chromium: an intake evaluation (autosaved, every section marked
reviewed), its diagnosis onto the problem list, the decision aid and the recorded choice, a signed
follow-up note, and a letter to the therapist downloaded as PDF."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from tests.browser.test_assessments_journey import PRESCRIBER, staff_sign_in

from dosewise.accounts.models import User
from dosewise.demo import demo_load
from dosewise.medications.models import Problem
from dosewise.patients import services as patient_services
from dosewise.patients.models import Patient
from dosewise.patients.selectors import access_patient
from dosewise.visits.models import NoteKind, SharedDecision, VisitNote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THERAPIST = "therapist@demo.dosewise.test"


def _start(page, j, patient, kind: str, recipient: str = "") -> None:
    j.goto(f"/patients/{patient.pk}/tab/visits/")
    page.get_by_label("Kind of note").select_option(label=kind)
    if recipient:
        page.get_by_label("Letter to (care-team member)").select_option(label=recipient)
    page.get_by_role("button", name="Start note").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("heading", level=1)).to_contain_text(kind.split(" (")[0])


def _sign(page) -> None:
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved")
    page.get_by_role("button", name="Sign and lock").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("status").first).to_contain_text("locked")


def test_intake_diagnosis_decision_signed_note_and_letter_pdf(journey):
    demo_load(patients=12)
    prescriber = User.objects.get(email=PRESCRIBER)
    patient = Patient.objects.filter(care_team__member=prescriber, medications__isnull=True).order_by("pk").first()
    therapist = User.objects.get(email=THERAPIST)
    patient_services.care_team_add(actor=prescriber, access=access_patient(prescriber, patient.pk, "care_team.manage"),
                                   member=therapist, team_role="therapist")
    j = journey("visits")
    page = j.page
    staff_sign_in(j, PRESCRIBER)

    _start(page, j, patient, "Initial psychiatric evaluation")
    page.get_by_label("Reason for referral and history of present illness", exact=True).fill(
        "Low mood for four months after a bereavement; poor sleep and appetite.")
    expect(page.locator("#autosave-status")).to_contain_text("Draft saved")
    j.snap("evaluation autosaved")
    page.get_by_role("button", name="Sign and lock").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("alert").first).to_contain_text("not yet reviewed")
    expect(page.get_by_label("Reason for referral and history of present illness", exact=True)).to_have_value(
        re.compile("bereavement"))
    for box in page.locator("input[name^=reviewed_]").all():
        box.check()
    page.get_by_label("ICD-10-CM code").fill("F32.1")
    page.get_by_role("button", name="Add to the problem list").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("status").first).to_contain_text("F32.1")
    assert Problem.objects.filter(patient=patient, code="F32.1").exists()
    for box in page.locator("input[name^=reviewed_]").all():
        box.check()
    page.get_by_label("Formulation", exact=True).fill("First episode, clear trigger, good supports.")
    _sign(page)
    evaluation = VisitNote.objects.get(patient=patient, kind=NoteKind.INITIAL_EVALUATION)
    assert evaluation.is_signed and evaluation.content_hash
    j.snap("evaluation signed")

    j.goto(f"/patients/{patient.pk}/tab/visits/")
    page.get_by_role("link", name="Compare medicines with the patient").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Medicine 1").fill("sertraline")
    page.get_by_label("Medicine 2").fill("Wellbutrin")
    page.get_by_label("Sexual side effects").check()
    page.get_by_label("How well it works").check()
    page.get_by_role("button", name="Compare").click()
    page.wait_for_load_state("networkidle")
    table = page.get_by_role("table")
    expect(table).to_contain_text("bupropion")
    expect(table).to_contain_text("Cipriani")
    j.snap("decision aid")
    page.get_by_label("bupropion").check()
    page.get_by_label("The patient's preferences and concerns, in their words").fill(
        "Sexual side effects would end my relationship.")
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("status").first).to_contain_text("Decision recorded: bupropion")
    assert SharedDecision.objects.get(patient=patient).chosen == "bupropion"

    _start(page, j, patient, "Medication-management follow-up")
    expect(page.get_by_role("heading", name=re.compile("Since the last visit"))).to_be_visible()
    page.get_by_label("Interval history", exact=True).fill("Chose bupropion with me after comparing the options.")
    _sign(page)
    j.snap("follow-up signed")

    _start(page, j, patient, "Summary or referral letter", recipient=f"{therapist.display_name} (Therapist)")
    page.get_by_label("Reason for writing", exact=True).fill("Summary after the intake evaluation, for our joint care.")
    _sign(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.value.suggested_filename.startswith("letter-")
    j.snap("letter signed")
