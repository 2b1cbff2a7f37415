"""Every CSV export neutralises spreadsheet formulas and declares UTF-8 with a byte-order mark.

A value an outsider can type (a patient's name at registration, the address typed into the
sign-in form, a browser's User-Agent) reaches the exports; a spreadsheet would run it as a
formula if it began with = + - @, a tab or a carriage return (OWASP, CSV injection).
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import demographics

from dosewise.lib.csv_export import BOM, FORMULA_TRIGGERS, csv_cell, csv_lines

PAYLOADS = ["=HYPERLINK(\"http://attacker.example\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1"]


def _rows(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert raw.startswith(BOM.encode("utf-8")), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def _assert_no_formula(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_TRIGGERS) or cell.lstrip("+-").replace(".", "", 1).isdigit(), cell


def _patient_named(prescriber, given_name: str):
    from dosewise.patients import services
    from dosewise.patients.selectors import access_patient

    patient = services.patient_register(actor=prescriber, data=demographics(
        legal_given_name=given_name, legal_family_name="Mallory", email="mallory@example.org"))
    return access_patient(prescriber, patient.pk).patient


def test_the_audit_export_neutralises_what_a_visitor_and_a_staff_member_typed(prescriber_a, admin_a, as_user):
    alice = as_user(prescriber_a)
    for payload in PAYLOADS:
        # A failed sign-in naming a clinic account is on the clinic's chain with the visitor's User-Agent.
        Client().post(reverse("account_login"), {"login": prescriber_a.email, "password": "x"}, HTTP_USER_AGENT=payload)
        alice.get(reverse("patients:patient_search"), {"q": payload}, HTTP_USER_AGENT=payload)
    rows = _rows(as_user(admin_a).get(reverse("audit:audit_report"), {"format": "csv"}))
    _assert_no_formula(rows)
    header = rows[0]
    # (The sixth sign-in is refused by the account's lockout and audited as rate-limited.)
    for actions in (("auth.login_failed", "auth.login_rate_limited"), ("patient.search",)):
        agents = {row[header.index("user_agent")] for row in rows[1:] if row[header.index("action")] in actions}
        assert agents == {"'" + payload for payload in PAYLOADS}, actions


def test_the_caseload_export_neutralises_a_patient_name(prescriber_a, as_user):
    from dosewise.assessments import services
    from dosewise.patients.selectors import access_patient

    for payload in PAYLOADS:
        patient = _patient_named(prescriber_a, payload)
        services.response_submit(patient=patient, questionnaire="phq9", answers=[1] * 9, source="clinic",
                                 actor=prescriber_a, access=access_patient(prescriber_a, patient.pk, "assessments.administer"))
    rows = _rows(as_user(prescriber_a).get(reverse("assessments:caseload"), {"format": "csv"}))
    _assert_no_formula(rows)
    names = {row[1] for row in rows[1:]}
    assert {"'" + p + " Mallory" for p in PAYLOADS} <= names


def test_the_labs_to_order_export_neutralises_a_patient_name(prescriber_a, nurse_a, as_user):
    from dosewise.clinics.clock import clinic_today
    from dosewise.monitoring.models import MonitoringDue

    for payload in PAYLOADS:
        patient = _patient_named(prescriber_a, payload)
        MonitoringDue.objects.create(clinic=patient.clinic, patient=patient, test="lithium-level",
                                     due_date=clinic_today(patient.clinic) - timedelta(days=1),
                                     reason="@lithium level on lithium")
    rows = _rows(as_user(nurse_a).get(reverse("monitoring:labs_to_order_export"), {"scope": "clinic"}))
    _assert_no_formula(rows)
    assert {row[1] for row in rows[1:]} == {"'" + p + " Mallory" for p in PAYLOADS}
    assert {row[6] for row in rows[1:]} == {"'@lithium level on lithium"}


def test_plain_numbers_stay_numbers_and_other_text_is_unchanged():
    assert [csv_cell(v) for v in (-12, "-12", "+3", "-0.5", 67, None, "Dana", "a=b", "")] == [
        "-12", "-12", "+3", "-0.5", "67", "", "Dana", "a=b", ""]
    assert [csv_cell(v) for v in ("-12a", "-", "+", "=", "@", "- 3")] == ["'-12a", "'-", "'+", "'=", "'@", "'- 3"]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.text(max_size=30), min_size=1, max_size=5), min_size=1, max_size=5))
def test_any_cell_survives_the_round_trip_and_none_starts_a_formula(rows):
    text = "".join(csv_lines(["a"] * max(len(r) for r in rows), rows))
    assert text.startswith(BOM)
    parsed = list(csv.reader(io.StringIO(text[len(BOM):], newline="")))
    assert parsed[1:] == [[csv_cell(cell) for cell in row] for row in rows]
    _assert_no_formula(parsed)
