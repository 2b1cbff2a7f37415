"""Row-level security by clinic on PostgreSQL (clinics/row_security.py, docs/decisions/0060).

Under an application role the policies bind (the suite itself runs as the owner, whom they do
not): with the clinic set to Northside (clinic A), a raw query for Evan of clinic B returns
nothing and an update of his row changes nothing; unset, nothing at all is visible; `all` (the
worker's, the clock's) sees both. A signed-in person's request is narrowed to their clinic, and
the everyday pages still work under that role.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from dosewise.clinics import row_security
from dosewise.patients.models import Patient

PROBE = "dosewise_row_security_probe"
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="row-level security is PostgreSQL's")


def test_every_clinic_table_is_covered_and_sqlite_has_nothing_to_install(db):
    tables = row_security.covered_tables()
    for expected in ("patients_patient", "medications_medication", "monitoring_observation", "audit_auditevent",
                     "messaging_message", "portal_proxyaccess", "scheduling_appointment"):
        assert expected in tables
    assert "accounts_user" not in tables
    installed = row_security.policies_install()
    assert installed == (len(tables) if connection.vendor == "postgresql" else 0)


def _probe_role(cursor) -> None:
    cursor.execute(f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{PROBE}') THEN
          CREATE ROLE {PROBE} NOLOGIN NOSUPERUSER NOBYPASSRLS;
        END IF; END $$""")
    cursor.execute(f"GRANT USAGE ON SCHEMA public TO {PROBE}")
    cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {PROBE}")
    cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {PROBE}")


def _as_probe(clinic: str | None):
    cursor = connection.cursor()
    _probe_role(cursor)
    cursor.execute(f"SET ROLE {PROBE}")
    cursor.execute("SELECT set_config(%s, %s, false)", [row_security.SETTING, clinic or ""])
    return cursor


@on_postgresql
def test_a_raw_cross_clinic_query_under_the_application_role_returns_nothing(dana, evan):
    try:
        cursor = _as_probe(str(dana.clinic_id))
        cursor.execute("SELECT count(*) FROM patients_patient WHERE clinic_id = %s", [evan.clinic_id])
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT DISTINCT clinic_id FROM patients_patient")
        assert [row[0] for row in cursor.fetchall()] == [dana.clinic_id]
        cursor.execute("UPDATE patients_patient SET preferred_name = 'x' WHERE id = %s", [evan.pk])
        assert cursor.rowcount == 0
        row_security.clinic_set("")
        cursor.execute("SELECT count(*) FROM patients_patient")
        assert cursor.fetchone()[0] == 0  # never told its clinic: fails closed
        row_security.clinic_set(row_security.ALL)
        cursor.execute("SELECT count(*) FROM patients_patient WHERE id IN (%s, %s)", [dana.pk, evan.pk])
        assert cursor.fetchone()[0] == 2
    finally:
        connection.cursor().execute("RESET ROLE")


@on_postgresql
def test_a_signed_in_request_is_narrowed_to_the_clinic_and_widened_after(dana, evan, prescriber_a):
    seen = {}

    def view(request):
        # A query that forgot its clinic filter, as a buggy selector would write it.
        seen["clinics"] = set(Patient.objects.values_list("clinic_id", flat=True))
        return "response"

    request = RequestFactory().get("/")
    request.user = prescriber_a
    try:
        _as_probe(row_security.ALL)
        connection.dosewise_row_security = True
        assert row_security.ClinicRowSecurityMiddleware(view)(request) == "response"
        assert seen["clinics"] == {dana.clinic_id}
        assert set(Patient.objects.values_list("clinic_id", flat=True)) == {dana.clinic_id, evan.clinic_id}
    finally:
        connection.dosewise_row_security = False
        connection.cursor().execute("RESET ROLE")


@on_postgresql
def test_the_everyday_pages_work_under_the_application_role(dana, evan, prescriber_a, as_user):
    client = as_user(prescriber_a)
    pages = [reverse("web:home"), reverse("web:patient_chart", args=[dana.pk]), reverse("patients:patient_search"),
             reverse("assessments:caseload"), reverse("monitoring:worklist")]
    try:
        _as_probe(row_security.ALL)
        connection.dosewise_row_security = True
        for page in pages:
            assert client.get(page).status_code == 200, page
        assert client.get(reverse("web:patient_chart", args=[evan.pk])).status_code == 404
        client.post(reverse("patients:allergy_add", args=[dana.pk]), {
            "substance": "latex", "category": "allergy", "reaction": "rash", "severity": "mild"})
        assert dana.allergies.filter(substance="latex").exists()
    finally:
        connection.dosewise_row_security = False
        connection.cursor().execute("RESET ROLE")
