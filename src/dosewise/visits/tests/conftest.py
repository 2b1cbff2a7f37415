"""Helpers for the visits tests; the named people come from tests/conftest.py."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from dosewise.assessments import services as assessment_services
from dosewise.assessments.tests.conftest import phq9
from dosewise.medications import services as medication_services
from dosewise.patients.selectors import access_patient
from dosewise.visits import services
from dosewise.visits.models import NoteTemplate


def access_for(user, patient, capability: str = "clinical.view"):
    return access_patient(user, patient.pk, capability)


def template(key: str) -> NoteTemplate:
    services.shipped_templates_ensure()
    return NoteTemplate.objects.get(clinic__isnull=True, key=key)


def score(patient, user, total: int, *, days_ago: int = 0, item9: int = 0):
    return assessment_services.response_submit(
        patient=patient, questionnaire="phq9", answers=phq9(total, item9=item9), source="clinic", actor=user,
        access=access_for(user, patient, "assessments.administer"),
        authored=timezone.now() - timedelta(days=days_ago))


@pytest.fixture
def dana_sertraline(dana, prescriber_a):
    return medication_services.medication_start(
        actor=prescriber_a, access=access_for(prescriber_a, dana, "medications.prescribe"), drug="sertraline",
        dose_mg_per_day=Decimal("50"), frequency="once daily", start_date=timezone.localdate() - timedelta(days=70))


def signed_follow_up(patient, user, text: str = "Sleeping better; mood lifting.", **save):
    access = access_for(user, patient)
    note = services.note_start(actor=user, access=access, template_id=template("follow-up").pk)
    changes = services.DraftChanges(sections={"interval_history": text, "plan": "Continue."}, reviewed=[],
                                    sensitive=save.get("sensitive", False), supervisor_id=save.get("supervisor_id"),
                                    follow_up_weeks=4)
    note = services.note_save(actor=user, access=access, note_id=note.pk, expected_version=note.version,
                              changes=changes)
    return services.note_sign(actor=user, access=access, note_id=note.pk, expected_version=note.version)
