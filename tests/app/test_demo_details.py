"""The demo's details: real preferred names, a prescriber whose prescriptions print, no patient on the
staff list, and a morning load that puts nothing in the future."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dosewise.accounts.models import User
from dosewise.demo import DEMO_PATIENT_EMAIL, DEMO_USERS, GIVEN_FEMALE, GIVEN_MALE, demo_load
from dosewise.lib.identifiers import dea_validate, npi_is_valid
from dosewise.patients.models import Patient

pytestmark = pytest.mark.django_db


def test_preferred_names_are_names_people_go_by_not_the_given_name_cut_to_three_letters():
    demo_load(patients=60)
    preferred = list(Patient.objects.exclude(preferred_name="").values_list("legal_given_name", "preferred_name"))
    assert preferred
    assert all(name != given[:3] for given, name in preferred), preferred


def test_the_demo_prescriber_has_a_fictitious_dea_number_and_npi_that_pass_the_checks():
    demo_load(patients=6)
    prescriber = User.objects.get(email=DEMO_USERS[0][0])
    assert not dea_validate(prescriber.dea_number, last_name="Okafor").warnings
    assert npi_is_valid(prescriber.npi)
    assert prescriber.clinic.address and prescriber.clinic.phone


def test_the_portal_patient_is_not_on_the_staff_list(client):
    demo_load(patients=6)
    admin = User.objects.get(email="admin@demo.dosewise.test")
    from tests.conftest import sign_in

    page = sign_in(client, admin).get(reverse("accounts:staff_list")).content.decode()
    assert "Priya Natarajan" in page and DEMO_PATIENT_EMAIL not in page and "Jamie Rivera" not in page


def test_the_names_table_covers_long_given_names():
    from dosewise.demo import NICKNAMES

    assert all(given in NICKNAMES for given in GIVEN_FEMALE + GIVEN_MALE if len(given) > 4)
