"""Registering someone who may already have a record warns and shows the match before a second one is made."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dosewise.audit.models import AuditEvent
from dosewise.patients.models import Patient

pytestmark = pytest.mark.django_db


def _form(**overrides) -> dict:
    data = {"legal_given_name": "Dana", "legal_family_name": "Diaz", "date_of_birth": "1985-04-12",
            "sex_at_birth": "female", "preferred_language": "English", "email": "", "phone": ""}
    data.update(overrides)
    return data


def test_the_same_name_and_birth_date_warns_shows_the_match_and_saves_nothing(dana, front_desk_a, as_user):
    response = as_user(front_desk_a).post(reverse("patients:patient_register"),
                                          _form(legal_given_name="dana", legal_family_name="DIAZ"))
    page = response.content.decode()
    assert response.status_code == 409
    assert "This may be a patient already registered" in page and dana.mrn in page
    assert reverse("web:patient_chart", args=[dana.pk]) in page
    # What was typed stays in the form.
    assert 'value="DIAZ"' in page
    assert Patient.objects.count() == 1
    assert AuditEvent.objects.filter(action="patient.duplicate_check").exists()


@pytest.mark.parametrize("overrides", [
    {"legal_given_name": "Danielle", "email": "DANA@example.org"},
    {"legal_given_name": "Danielle", "date_of_birth": "1990-01-01", "phone": "(312) 555-0142"},
])
def test_the_same_email_or_phone_is_a_possible_duplicate_too(dana, front_desk_a, as_user, overrides):
    dana.phone = "+1 312-555-0142"
    dana.save(update_fields=["phone"])
    response = as_user(front_desk_a).post(reverse("patients:patient_register"), _form(**overrides))
    assert response.status_code == 409 and dana.mrn in response.content.decode()


def test_confirming_a_different_person_registers_a_second_record(dana, front_desk_a, as_user):
    response = as_user(front_desk_a).post(reverse("patients:patient_register"), _form(not_a_duplicate="1"))
    assert response.status_code == 302
    assert Patient.objects.filter(legal_family_name="Diaz").count() == 2


def test_a_patient_of_another_clinic_is_never_shown_as_a_match(dana, clinician_b, as_user):
    response = as_user(clinician_b).post(reverse("patients:patient_register"), _form())
    assert response.status_code == 302
    assert dana.mrn not in response.content.decode()


def test_a_new_person_is_registered_without_a_warning(dana, front_desk_a, as_user):
    response = as_user(front_desk_a).post(reverse("patients:patient_register"),
                                          _form(legal_given_name="Erin", date_of_birth="1992-03-03"))
    assert response.status_code == 302
