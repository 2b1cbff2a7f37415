"""Every table of a patient's data carries the clinic, and the documented distribution names it."""

from __future__ import annotations

import re
from pathlib import Path

from django.apps import apps

DOC = Path(__file__).resolve().parents[2] / "docs" / "multi-clinic.md"
# Audit events may have no clinic (sign-in failures, system jobs); one about a patient takes the
# patient's clinic in audit_record, tested in tests/app/test_audit_events.py.
NULLABLE_CLINIC = {"audit_auditevent"}


def _dosewise_models():
    return [m for m in apps.get_models() if m.__module__.startswith("dosewise.")]


def test_every_model_with_a_patient_also_has_a_required_clinic_key():
    missing = []
    for model in _dosewise_models():
        fields = {f.name: f for f in model._meta.get_fields() if getattr(f, "concrete", False)}
        points_at_patient = any(getattr(f, "related_model", None) is apps.get_model("patients", "Patient")
                                for f in fields.values() if f.many_to_one)
        clinic = fields.get("clinic")
        if points_at_patient and (clinic is None or clinic.null and model._meta.db_table not in NULLABLE_CLINIC):
            missing.append(model._meta.db_table)
    assert missing == []


def test_the_citus_distribution_names_every_clinic_table():
    text = DOC.read_text(encoding="utf-8")
    named = set(re.findall(r"'([a-z_]+)'", text))
    clinic_tables = {m._meta.db_table for m in _dosewise_models()
                     if any(f.name == "clinic" for f in m._meta.get_fields())}
    assert clinic_tables - named == set(), "add the table to docs/multi-clinic.md"
