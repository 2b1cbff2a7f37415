"""Fran at the front desk sees the intake a consultation request asked for on Today, opens the
booking form from it, and booking the intake marks the request scheduled."""

from __future__ import annotations

import pytest
from django.urls import reverse
from tests.conftest import demographics

from dosewise.outreach import services as outreach
from dosewise.outreach.models import ConsultationRequest, IntakeRequest
from dosewise.patients.selectors import access_patient
from dosewise.scheduling import services
from dosewise.scheduling.tests.conftest import at, next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def lena_intake(clinic_a, front_desk_a):
    asked = ConsultationRequest.objects.create(clinic=clinic_a, given_name="Lena", family_name="Lund",
                                               phone="+13125550142", preferred_channel="phone",
                                               reason="Medication review", preferred_times="mornings")
    return outreach.request_convert(actor=front_desk_a, request=asked, demographics=demographics(
        legal_given_name="Lena", legal_family_name="Lund"))


def test_the_desk_books_the_intake_from_today_and_the_request_is_scheduled(lena_intake, hours, kinds, front_desk_a,
                                                                             prescriber_a, as_user):
    today = as_user(front_desk_a).get(reverse("web:home")).content.decode()
    assert "Intakes to book" in today and "Lena Lund" in today and "prefers mornings" in today
    assert f"?patient={lena_intake.patient.pk}&amp;kind={kinds['intake'].pk}" in today
    services.appointment_book(actor=front_desk_a, access=access_patient(front_desk_a, lena_intake.patient.pk),
                              provider=prescriber_a, kind=kinds["intake"], starts_at=at(next_weekday(1), 9))
    assert IntakeRequest.objects.get(pk=lena_intake.pk).status == "scheduled"
    assert "Intakes to book" not in as_user(front_desk_a).get(reverse("web:home")).content.decode()


def test_a_follow_up_does_not_close_the_intake_and_clinicians_do_not_get_the_desk_section(
        lena_intake, hours, kinds, front_desk_a, prescriber_a, as_user):
    services.appointment_book(actor=front_desk_a, access=access_patient(front_desk_a, lena_intake.patient.pk),
                              provider=prescriber_a, kind=kinds["follow_up"], starts_at=at(next_weekday(2), 9))
    assert IntakeRequest.objects.get(pk=lena_intake.pk).status == "requested"
    assert "Intakes to book" not in as_user(prescriber_a).get(reverse("web:home")).content.decode()
