"""The sign-in backend reads the user of a request together with their clinic."""

from __future__ import annotations

import pytest

from dosewise.accounts.backends import ClinicAuthenticationBackend

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_their_clinic_in_one_query(prescriber_a, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = ClinicAuthenticationBackend().get_user(prescriber_a.pk)
        assert user.clinic.timezone == prescriber_a.clinic.timezone


def test_a_deactivated_or_unknown_user_is_not_signed_in(prescriber_a):
    backend = ClinicAuthenticationBackend()
    assert backend.get_user(987654) is None
    prescriber_a.is_active = False
    prescriber_a.save(update_fields=["is_active"])
    assert backend.get_user(prescriber_a.pk) is None


def test_a_signed_in_page_reads_the_clinic_with_the_user(prescriber_a, as_user, django_assert_num_queries):
    client = as_user(prescriber_a)
    client.get("/")
    response = client.get("/patients/")
    assert response.wsgi_request.user.clinic_id == prescriber_a.clinic_id
    # The base template's clinic time zone is read from the user's clinic without a query of its own.
    with django_assert_num_queries(0):
        assert response.wsgi_request.user.clinic.timezone
