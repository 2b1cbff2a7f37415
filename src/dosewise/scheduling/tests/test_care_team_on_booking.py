"""Booking a patient with a clinician puts that clinician on the care team when no one holds
their role on it (a patient registered at the front door has no care team): the prescriber
booked for the intake opens the chart without emergency access. A team that already has the
role is left as it is."""

from __future__ import annotations

import pytest
from tests.conftest import demographics

from dosewise.audit.models import AuditEvent
from dosewise.clinics.clock import clinic_today
from dosewise.clinics.roles import Capability
from dosewise.patients.models import CareTeamMember
from dosewise.patients.selectors import BreakGlassRequired, access_patient
from dosewise.patients.services import patient_register
from dosewise.scheduling import services
from dosewise.scheduling.tests.conftest import at, next_weekday


@pytest.fixture
def marisol(front_desk_a):
    """A patient the front desk registered (as from a consultation request): no care team."""
    return patient_register(actor=front_desk_a, data=demographics(legal_given_name="Marisol",
                                                                  legal_family_name="Quintero"))


def book(actor, patient, provider, kind, hour=10):
    return services.appointment_book(actor=actor, access=access_patient(actor, patient.pk), provider=provider,
                                     kind=kind, starts_at=at(next_weekday(2), hour))


def test_the_prescriber_booked_for_a_patient_without_a_care_team_joins_it_and_opens_the_chart(
        marisol, front_desk_a, prescriber_a, kinds, hours):
    with pytest.raises(BreakGlassRequired):
        access_patient(prescriber_a, marisol.pk, Capability.CLINICAL_VIEW)
    book(front_desk_a, marisol, prescriber_a, kinds["intake"])
    [member] = CareTeamMember.objects.filter(patient=marisol)
    assert (member.member, member.team_role, member.added_by, member.until) == (
        prescriber_a, "prescriber", front_desk_a, None)
    assert access_patient(prescriber_a, marisol.pk, Capability.CLINICAL_VIEW).via == "care_team"
    event = AuditEvent.objects.get(action="care_team.add", patient=marisol)
    assert event.actor == front_desk_a and event.detail["because"] == "booked with them"
    book(front_desk_a, marisol, prescriber_a, kinds["follow_up"], hour=14)  # a second booking adds nothing
    assert CareTeamMember.objects.filter(patient=marisol).count() == 1


def test_a_care_team_that_has_a_prescriber_is_left_alone(dana, front_desk_a, colleague_a, kinds, hours):
    before = set(CareTeamMember.objects.filter(patient=dana).values_list("member_id", flat=True))
    book(front_desk_a, dana, colleague_a, kinds["follow_up"])
    assert set(CareTeamMember.objects.filter(patient=dana).values_list("member_id", flat=True)) == before
    with pytest.raises(BreakGlassRequired):
        access_patient(colleague_a, dana.pk, Capability.CLINICAL_VIEW)


def test_an_ended_membership_of_the_role_does_not_count(marisol, front_desk_a, prescriber_a, colleague_a,
                                                         kinds, hours):
    book(front_desk_a, marisol, colleague_a, kinds["follow_up"], hour=9)
    CareTeamMember.objects.filter(patient=marisol, member=colleague_a).update(until=clinic_today(marisol.clinic))
    book(front_desk_a, marisol, prescriber_a, kinds["intake"])
    assert CareTeamMember.objects.get(patient=marisol, until__isnull=True).member == prescriber_a
