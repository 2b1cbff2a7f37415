"""The PDF documents: a real PDF from the page's own template, a file name without the patient's
name, an audit event per download, and the prescriber's numbers and the schedule on a prescription."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from dosewise.audit.models import AuditEvent
from dosewise.medications import selectors, services
from dosewise.medications.models import PrescriptionTransmission

pytestmark = pytest.mark.django_db

ALICE_DEA, ALICE_NPI = "AA1234563", "1234567893"


def _pdf_text(response) -> str:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def _registered(prescriber, *, dea: str = ALICE_DEA):
    prescriber.dea_number, prescriber.npi = dea, ALICE_NPI
    prescriber.save(update_fields=["dea_number", "npi"])


def _lorazepam(prescriber_a, dana_meds):
    return services.medication_start(actor=prescriber_a, access=dana_meds, drug="lorazepam",
                                     dose_mg_per_day=Decimal(2), strength_mg=Decimal(1), frequency="twice daily",
                                     quantity=60, refills=1, days_supply=30, instructions="One tablet twice a day",
                                     pdmp_attested=True)


def _url(name: str, patient, **kwargs) -> str:
    return reverse(f"medications:{name}", kwargs={"patient_id": patient.pk, **kwargs})


def _filename(response) -> str:
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=")
    return disposition.split("filename=")[1].strip('"')


def test_the_prescription_pdf_carries_the_order_the_prescriber_numbers_and_the_schedule(
        as_user, prescriber_a, dana, dana_meds):
    _registered(prescriber_a)
    med = _lorazepam(prescriber_a, dana_meds)
    response = as_user(prescriber_a).get(_url("prescription_pdf", dana, medication_id=med.pk))
    text = _pdf_text(response)
    for expected in ("Northside Psychiatry", "Alice Adams, MD", f"NPI: {ALICE_NPI}", f"DEA no.: {ALICE_DEA}",
                     "schedule IV", "lorazepam 1 mg", "2 mg per day, twice daily", "60 (sixty)", "1 (one)",
                     "One tablet twice a day", dana.legal_name, "1985-04-12", "Signature"):
        assert expected in text, expected
    name = _filename(response)
    assert name == f"prescription-{med.pk}-{date.today():%Y-%m-%d}.pdf"
    assert "dana" not in name.lower() and "diaz" not in name.lower()
    event = AuditEvent.objects.get(action="prescription.view", patient=dana)
    assert event.detail == {"format": "pdf"} and event.actor_id == prescriber_a.pk


def test_a_prescription_that_is_not_controlled_shows_no_dea_number(as_user, prescriber_a, dana, dana_meds):
    _registered(prescriber_a)
    med = services.medication_start(actor=prescriber_a, access=dana_meds, drug="sertraline",
                                    dose_mg_per_day=Decimal(50), frequency="once daily", quantity=30)
    client = as_user(prescriber_a)
    text = _pdf_text(client.get(_url("prescription_pdf", dana, medication_id=med.pk)))
    assert "sertraline" in text and f"NPI: {ALICE_NPI}" in text
    assert ALICE_DEA not in text and "schedule" not in text.lower()
    page = client.get(_url("prescription", dana, medication_id=med.pk)).content.decode()
    assert ALICE_DEA not in page and ALICE_NPI in page


def test_the_page_and_the_pdf_share_one_body_template(as_user, prescriber_a, dana, dana_meds):
    _registered(prescriber_a)
    med = _lorazepam(prescriber_a, dana_meds)
    client = as_user(prescriber_a)
    page = client.get(_url("prescription", dana, medication_id=med.pk))
    pdf = client.get(_url("prescription_pdf", dana, medication_id=med.pk))
    used = {t.name for t in page.templates}, {t.name for t in pdf.templates}
    assert all("medications/_prescription_body.html" in names for names in used)
    assert "medications/pdf.css" in used[1] and "medications/pdf.css" not in used[0]


def test_a_controlled_prescription_without_a_dea_number_is_not_printed_and_says_what_to_do(
        as_user, prescriber_a, dana, dana_meds):
    med = _lorazepam(prescriber_a, dana_meds)
    client = as_user(prescriber_a)
    numbers_url = reverse("accounts:prescriber_numbers", kwargs={"user_id": prescriber_a.pk})
    for name in ("prescription", "prescription_pdf"):
        response = client.get(_url(name, dana, medication_id=med.pk))
        body = response.content.decode()
        assert response.status_code == 409 and response["Content-Type"].startswith("text/html")
        assert "schedule IV controlled substance" in body and "21 CFR 1306.05(a)" in body
        assert "none is on file for Alice Adams" in body and f'href="{numbers_url}"' in body
    result = services.prescription_transmit(actor=prescriber_a, access=dana_meds, medication_id=med.pk)
    assert result.status == "refused" and result.document == ""
    attempt = PrescriptionTransmission.objects.get(medication=med)
    assert (attempt.channel, attempt.status, attempt.created_by_id) == ("print", "refused", prescriber_a.pk)
    assert AuditEvent.objects.get(action="prescription.transmit").outcome == "failure"
    assert not AuditEvent.objects.filter(action="prescription.view").exists()


def test_the_handout_pdf_is_the_handout(as_user, prescriber_a, therapist_a, dana, dana_meds):
    med = _lorazepam(prescriber_a, dana_meds)
    response = as_user(therapist_a).get(_url("handout_pdf", dana, medication_id=med.pk))
    text = _pdf_text(response)
    assert "About your medicine: lorazepam" in text and "Your instructions: 2 mg/day twice daily" in text
    assert "schedule IV" in text and "FDA label Ativan" in text
    # The patient's copy carries no reading-level figures (they are for the clinician's screen).
    assert "Reading level" not in text and "Flesch" not in text
    assert "Where this information comes from" in text
    assert _filename(response) == "handout-lorazepam.pdf"
    event = AuditEvent.objects.get(action="medication.handout", patient=dana)
    assert event.detail == {"format": "pdf"} and event.actor_id == therapist_a.pk


def test_the_plan_calendar_groups_days_into_dose_steps_with_their_dates(as_user, prescriber_a, dana, dana_meds):
    start = date(2026, 1, 5)
    plan = services.plan_create(actor=prescriber_a, access=dana_meds, kind="titration", drug="lamotrigine",
                                start_date=start)
    steps = selectors.plan_dose_blocks(plan)
    days = selectors.plan_calendar(plan)
    assert sum(len(s.days) for s in steps) == len(days) and steps[0].start == start
    for before, after in zip(steps, steps[1:], strict=False):
        assert after.start == before.end + timedelta(days=1) and after.doses != before.doses
    response = as_user(prescriber_a).get(_url("plan_calendar_pdf", dana, plan_id=plan.pk))
    text = _pdf_text(response)
    assert "Your medicine calendar" in text and "Mon 5 Jan" in text
    for step in steps:
        mg = f"{step.taken[0].mg:g}"
        assert f"Step {step.number}: {step.start:%a} {step.start.day} {step.start:%b}" in text
        assert f"lamotrigine {mg} mg a day" in text, mg
    assert f"{steps[-1].end:%a} {steps[-1].end.day} {steps[-1].end:%b}" in text
    assert _filename(response) == f"medication-plan-{plan.pk}.pdf"
    event = AuditEvent.objects.get(action="medication_plan.view", patient=dana)
    assert event.detail == {"format": "pdf"}


def test_the_plan_page_shows_the_same_calendar_and_links_its_pdf(as_user, prescriber_a, dana, dana_meds):
    plan = services.plan_create(actor=prescriber_a, access=dana_meds, kind="titration", drug="lamotrigine",
                                start_date=date(2026, 1, 5))
    response = as_user(prescriber_a).get(_url("plan_detail", dana, plan_id=plan.pk))
    body = response.content.decode()
    assert "medications/_plan_calendar_body.html" in {t.name for t in response.templates}
    assert _url("plan_calendar_pdf", dana, plan_id=plan.pk) in body and "Step 1: Mon 5 Jan" in body
    assert body.count("<h1") == 1 and '<h3 id="step-1">' in body


def test_a_stopping_step_says_so(prescriber_a, dana_meds):
    med = services.medication_start(actor=prescriber_a, access=dana_meds, drug="sertraline",
                                    dose_mg_per_day=Decimal(50), frequency="once daily")
    plan = services.plan_create(actor=prescriber_a, access=dana_meds, kind="taper", medication_id=med.pk)
    last = selectors.plan_dose_blocks(plan)[-1]
    assert last.taken == () and all(dose.mg == 0 for dose in last.doses)


def test_the_handout_tells_the_patient_the_clinics_own_phone_number(as_user, prescriber_a, dana, dana_meds):
    med = _lorazepam(prescriber_a, dana_meds)
    dana.clinic.phone = "+1 312 555 0110"
    dana.clinic.save(update_fields=["phone"])
    text = _pdf_text(as_user(prescriber_a).get(_url("handout_pdf", dana, medication_id=med.pk)))
    assert f"Call {dana.clinic.name} at +1 312 555 0110" in " ".join(text.split())
