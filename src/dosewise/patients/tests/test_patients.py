"""Registration, search, demographics editing, consents, allergies and clinical context."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demographics

from dosewise.audit.models import AuditEvent
from dosewise.clinics.models import Clinic
from dosewise.patients import services
from dosewise.patients.models import Allergy, ClinicalContextEntry, Consent, ConsentText, Patient
from dosewise.patients.selectors import (
    BreakGlassRequired,
    access_patient,
    chart_header,
    clinical_context_current,
    patient_allergies,
    patient_search,
)


def register(actor, **data):
    return services.patient_register(actor=actor, data=demographics(**data))


def form_data(**overrides) -> dict:
    data = {**demographics(), "date_of_birth": "1985-04-12", "email": "", "phone": "", "address": ""}
    data.update(overrides)
    return data


# Registration and MRNs

def test_registration_numbers_mrns_per_clinic(prescriber_a, front_desk_a, clinician_b):
    a1, a2 = register(prescriber_a, legal_given_name="Ann"), register(front_desk_a, legal_given_name="Ben")
    b1 = register(clinician_b, legal_given_name="Cas")
    assert (a1.mrn, a2.mrn, b1.mrn) == ("NA000001", "NA000002", "SB000001")
    assert Clinic.objects.get(pk=a1.clinic_id).mrn_next == 3


def test_two_clinics_with_the_same_prefix_may_use_the_same_number(make_staff):
    one = Clinic.objects.create(name="One", slug="one")
    two = Clinic.objects.create(name="Two", slug="two")
    p1 = register(make_staff("x@one.test", "X", "front_desk", one))
    p2 = register(make_staff("y@two.test", "Y", "front_desk", two))
    assert p1.mrn == p2.mrn == "DW000001"


def test_mrns_never_repeat_within_a_clinic(prescriber_a):
    mrns = [register(prescriber_a, legal_given_name=f"P{n}").mrn for n in range(12)]
    assert len(set(mrns)) == 12 and mrns == sorted(mrns)


def test_a_clinician_who_registers_joins_the_care_team_with_the_chosen_prescriber(nurse_a, prescriber_a):
    patient = services.patient_register(actor=nurse_a, data=demographics(), prescriber=prescriber_a)
    assert {(m.member, m.team_role) for m in patient.care_team.all()} == {(nurse_a, "nurse"),
                                                                         (prescriber_a, "prescriber")}


def test_front_desk_registration_does_not_join_the_care_team(front_desk_a):
    assert not register(front_desk_a).care_team.exists()


def test_a_prescriber_of_another_clinic_cannot_be_chosen(front_desk_a, clinician_b):
    with pytest.raises(ValidationError):
        services.patient_register(actor=front_desk_a, data=demographics(), prescriber=clinician_b)
    assert not Patient.objects.exists()


def test_a_therapist_cannot_register(therapist_a):
    with pytest.raises(PermissionDenied):
        register(therapist_a)


# Search

@pytest.fixture
def roster(prescriber_a, clinician_b):
    return {
        "jose": register(prescriber_a, legal_given_name="José", legal_family_name="García-López",
                         date_of_birth=date(1984, 3, 2)),
        "zoe": register(prescriber_a, legal_given_name="Zoë", legal_family_name="Müller",
                        date_of_birth=date(1990, 7, 15)),
        "maria": register(prescriber_a, legal_given_name="María", legal_family_name="Garner",
                          preferred_name="Mia", date_of_birth=date(1984, 3, 2)),
        "other_clinic": register(clinician_b, legal_given_name="Josef", legal_family_name="García",
                                 date_of_birth=date(1984, 3, 2)),
    }


def names(results) -> set[str]:
    return {p.legal_given_name for p in results}


@pytest.mark.parametrize("query, expected", [
    ("jose", {"José"}),
    ("JOSÉ", {"José"}),
    ("garc", {"José"}),
    ("garcía-lópez", {"José"}),
    ("lopez", {"José"}),
    ("jose garc", {"José"}),
    ("garc jose", {"José"}),
    ("jose garner", set()),
    ("gar", {"José", "María"}),
    ("mia", {"María"}),
    ("muller", {"Zoë"}),
    ("  zoe   MÜLL ", {"Zoë"}),
    ("1984-03-02", {"José", "María"}),
    ("03/02/1984", {"José", "María"}),
    ("3/2/1984", {"José", "María"}),
    ("NA000002", {"Zoë"}),
    ("na000002", {"Zoë"}),
    ("1984-02-30", set()),
    ("ose", set()),
    ("", set()),
])
def test_search_finds_by_name_prefix_birth_date_or_mrn(roster, prescriber_a, query, expected):
    assert names(patient_search(prescriber_a, query)) == expected


def test_search_never_returns_another_clinics_patients(roster, clinician_b, prescriber_a):
    assert names(patient_search(clinician_b, "garc")) == {"Josef"}
    assert names(patient_search(clinician_b, "1984-03-02")) == {"Josef"}
    assert patient_search(clinician_b, roster["jose"].mrn) == []
    assert patient_search(prescriber_a, roster["other_clinic"].mrn) == []


def test_search_answers_nothing_to_a_patient_account_or_an_inactive_user(roster, patient_user, prescriber_a):
    assert patient_search(patient_user, "garc") == []
    prescriber_a.is_active = False
    prescriber_a.save()
    assert patient_search(prescriber_a, "garc") == []


def test_search_marks_patients_on_my_care_team(roster, prescriber_a, colleague_a):
    assert all(p.on_my_care_team for p in patient_search(prescriber_a, "gar"))
    assert not any(p.on_my_care_team for p in patient_search(colleague_a, "gar"))


def test_search_stops_at_the_limit(prescriber_a, settings):
    settings.PATIENT_SEARCH_LIMIT = 3
    for n in range(5):
        register(prescriber_a, legal_given_name=f"Kim{n}", legal_family_name="Lee")
    assert len(patient_search(prescriber_a, "lee")) == 3


def test_the_search_page_lists_matches(roster, prescriber_a, as_user):
    page = as_user(prescriber_a).get(reverse("patients:patient_search"), {"q": "garc"}).content.decode()
    assert "José García-López" in page and "Josef" not in page


def test_an_edit_updates_the_search_words(dana, prescriber_a):
    access = access_patient(prescriber_a, dana.pk, "demographics.edit")
    services.patient_update(actor=prescriber_a, access=access, expected_version=dana.version,
                            data={"legal_family_name": "Núñez"})
    assert names(patient_search(prescriber_a, "nunez")) == {"Dana"}
    assert patient_search(prescriber_a, "diaz") == []


# Bad input through the registration page

@pytest.mark.parametrize("field, value, message", [
    ("date_of_birth", (timezone.localdate() + timedelta(days=1)).isoformat(), "Date of birth is in the future"),
    ("date_of_birth", "1899-12-31", "Date of birth is before 1900"),
    ("date_of_birth", "1985-02-30", "Enter a valid date"),
    ("legal_family_name", "x" * 101, "Ensure this value has at most 100 characters (it has 101)"),
    ("legal_given_name", "y" * 500, "Ensure this value has at most 100 characters (it has 500)"),
    ("legal_given_name", "   ", "This field is required"),
    ("email", "dana@@example", "Enter a valid email address"),
    ("sex_at_birth", "robot", "Select a valid choice"),
])
def test_registration_refuses_bad_input_with_a_message_and_saves_nothing(prescriber_a, as_user, field, value,
                                                                         message):
    response = as_user(prescriber_a).post(reverse("patients:patient_register"), form_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Patient.objects.exists()
    assert not AuditEvent.objects.filter(action="patient.register").exists()


def test_the_service_refuses_impossible_birth_dates_too(front_desk_a):
    for born in (timezone.localdate() + timedelta(days=1), date(1899, 12, 31)):
        with pytest.raises(ValidationError) as exc:
            register(front_desk_a, date_of_birth=born)
        assert "date_of_birth" in exc.value.error_dict
    assert not Patient.objects.exists()


def test_a_script_in_a_name_is_stored_as_typed_and_shown_escaped(prescriber_a, as_user):
    alice = as_user(prescriber_a)
    response = alice.post(reverse("patients:patient_register"),
                          form_data(legal_family_name="<script>alert(1)</script>"))
    patient = Patient.objects.get()
    assert response.status_code == 302 and patient.legal_family_name == "<script>alert(1)</script>"
    for page in (alice.get(reverse("web:patient_chart", args=[patient.pk])),
                 alice.get(reverse("patients:patient_search"), {"q": "dana"}),
                 alice.get(reverse("web:home"))):
        html = page.content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "<script>alert" not in html


def test_registration_through_the_page_saves_and_opens_the_chart(prescriber_a, as_user):
    response = as_user(prescriber_a).post(reverse("patients:patient_register"),
                                          {**form_data(), "prescriber": prescriber_a.pk})
    patient = Patient.objects.get()
    assert response["Location"] == reverse("web:patient_chart", args=[patient.pk])
    assert sorted(patient.name_tokens.values_list("token", flat=True)) == ["dana", "diaz"]
    assert patient.created_by == prescriber_a


# Concurrent edits

def _edit_form(patient, **overrides):
    return form_data(legal_given_name=patient.legal_given_name, legal_family_name=patient.legal_family_name,
                     email=patient.email, version=patient.version, **overrides)


def test_the_second_of_two_concurrent_editors_gets_a_conflict_and_saves_nothing(dana, prescriber_a, front_desk_a,
                                                                               as_user):
    alice, fran = as_user(prescriber_a), as_user(front_desk_a)
    for client in (alice, fran):
        page = client.get(reverse("patients:patient_edit", args=[dana.pk]))
        assert f'name="version" value="{dana.version}"' in page.content.decode()
    first = alice.post(reverse("patients:patient_edit", args=[dana.pk]), _edit_form(dana, preferred_name="Dee"))
    assert first.status_code == 302
    second = fran.post(reverse("patients:patient_edit", args=[dana.pk]), _edit_form(dana, phone="+1-555-0199"))
    assert second.status_code == 409
    assert "Someone else changed this patient" in second.content.decode()
    saved = Patient.objects.get(pk=dana.pk)
    assert (saved.preferred_name, saved.phone, saved.version) == ("Dee", "", dana.version + 1)
    assert [e.actor for e in AuditEvent.objects.filter(action="patient.update")] == [prescriber_a]


def test_an_edit_without_a_version_is_a_conflict(dana, front_desk_a, as_user):
    data = _edit_form(dana, preferred_name="Dee")
    del data["version"]
    assert as_user(front_desk_a).post(reverse("patients:patient_edit", args=[dana.pk]), data).status_code == 409
    assert Patient.objects.get(pk=dana.pk).preferred_name == ""


def test_an_edit_with_a_bad_birth_date_is_refused(dana, front_desk_a, as_user):
    response = as_user(front_desk_a).post(reverse("patients:patient_edit", args=[dana.pk]),
                                          _edit_form(dana, date_of_birth="1850-01-01"))
    assert response.status_code == 200 and "before 1900" in response.content.decode()
    assert Patient.objects.get(pk=dana.pk).version == dana.version


# Consents

def test_a_revoked_consent_keeps_the_text_version_it_was_given_under(dana, front_desk_a, clinic_a):
    access = access_patient(front_desk_a, dana.pk)
    consent = services.consent_record(actor=front_desk_a, access=access, kind="sms", method="paper")
    assert consent.text_version.version == "1.0"
    ConsentText.objects.create(clinic=clinic_a, kind="sms", version="2.0", text="New wording, reply STOP to stop.",
                               effective_from=timezone.localdate())
    revoked = services.consent_revoke(actor=front_desk_a, access=access, consent_id=consent.pk, method="sms_reply")
    revoked.refresh_from_db()
    assert revoked.text_version.version == "1.0" and revoked.revoked_by == front_desk_a
    assert revoked.revoked_method == "sms_reply" and revoked.revoked_at is not None
    again = services.consent_record(actor=front_desk_a, access=access, kind="sms", method="verbal")
    assert again.text_version.version == "2.0"
    assert Consent.objects.filter(patient=dana, kind="sms").count() == 2
    with pytest.raises(ValidationError):
        services.consent_revoke(actor=front_desk_a, access=access, consent_id=consent.pk, method="paper")


def test_a_consent_cannot_use_another_clinics_text_nor_be_given_in_the_future(dana, front_desk_a, clinic_b):
    access = access_patient(front_desk_a, dana.pk)
    foreign = ConsentText.objects.get(clinic=clinic_b, kind="email")
    with pytest.raises(ValidationError):
        services.consent_record(actor=front_desk_a, access=access, kind="email", method="paper", text_version=foreign)
    with pytest.raises(ValidationError):
        services.consent_record(actor=front_desk_a, access=access, kind="email", method="paper",
                                given_at=timezone.now() + timedelta(days=1))
    assert not Consent.objects.filter(kind="email").exists()


# Allergies

def test_an_allergy_entered_in_error_keeps_its_row(dana, prescriber_a, as_user):
    allergy = Allergy.objects.get(patient=dana)
    alice = as_user(prescriber_a)
    alice.post(reverse("patients:allergy_entered_in_error", args=[dana.pk, allergy.pk]), {"reason": "her sister's"})
    allergy.refresh_from_db()
    assert allergy.entered_in_error_at is not None and allergy.entered_in_error_by == prescriber_a
    assert allergy.entered_in_error_reason == "her sister's" and allergy.substance == "penicillin"
    access = access_patient(prescriber_a, dana.pk, "clinical.view")
    assert chart_header(access).allergies == [] and patient_allergies(dana) == []
    assert patient_allergies(dana, include_entered_in_error=True) == [allergy]
    assert "penicillin" not in alice.get(reverse("web:patient_chart", args=[dana.pk])).content.decode()
    with pytest.raises(Allergy.DoesNotExist):
        services.allergy_mark_entered_in_error(actor=prescriber_a, access=access, allergy_id=allergy.pk,
                                               reason="again")


def test_an_allergy_needs_a_reason_to_be_entered_in_error(dana, prescriber_a):
    access = access_patient(prescriber_a, dana.pk, "clinical.edit")
    with pytest.raises(ValidationError):
        services.allergy_mark_entered_in_error(actor=prescriber_a, access=access,
                                               allergy_id=Allergy.objects.get().pk, reason="  ")


def test_an_allergy_with_an_unknown_severity_is_refused(dana, prescriber_a):
    access = access_patient(prescriber_a, dana.pk, "clinical.edit")
    with pytest.raises(ValidationError):
        services.allergy_add(actor=prescriber_a, access=access, substance="latex", category="allergy",
                             reaction="", severity="deadly", verified=False)
    assert Allergy.objects.count() == 1


# Clinical context

@pytest.mark.parametrize("kind, value", [
    ("egfr", "500"), ("egfr", "0"), ("weight", "0"), ("weight", "-3"), ("height", "tall"), ("height", "NaN"), ("weight", "Infinity"), ("egfr", "sNaN"),
    ("pregnancy", "maybe"), ("child_pugh", "D"), ("smoking", "sometimes"), ("mood", "low"),
])
def test_clinical_context_refuses_impossible_values(dana, prescriber_a, kind, value):
    access = access_patient(prescriber_a, dana.pk, "clinical.edit")
    with pytest.raises(ValidationError):
        services.context_record(actor=prescriber_a, access=access, kind=kind, value=value,
                                effective_date=date(2025, 1, 1))
    assert not ClinicalContextEntry.objects.exists()


def test_clinical_context_refuses_a_future_date(dana, prescriber_a):
    access = access_patient(prescriber_a, dana.pk, "clinical.edit")
    with pytest.raises(ValidationError):
        services.context_record(actor=prescriber_a, access=access, kind="weight", value="70",
                                effective_date=timezone.localdate() + timedelta(days=1))


def test_the_newest_context_entry_of_each_kind_is_current(dana, prescriber_a):
    access = access_patient(prescriber_a, dana.pk, "clinical.edit")
    services.context_record(actor=prescriber_a, access=access, kind="egfr", value="58", effective_date=date(2025, 5, 1))
    services.context_record(actor=prescriber_a, access=access, kind="egfr", value="44.5",
                            effective_date=date(2025, 9, 1))
    services.context_record(actor=prescriber_a, access=access, kind="egfr", value="90", effective_date=date(2024, 1, 1))
    services.context_record(actor=prescriber_a, access=access, kind="pregnancy", value="pregnant",
                            effective_date=date(2025, 9, 1))
    current = clinical_context_current(dana)
    assert current["egfr"].value_number == Decimal("44.50") and current["egfr"].unit == "mL/min/{1.73_m2}"
    assert current["egfr"].display_value == "44.5 mL/min/1.73 m²"
    assert current["pregnancy"].display_value == "pregnant"


def test_the_context_page_reports_an_impossible_value(dana, prescriber_a, as_user):
    response = as_user(prescriber_a).post(reverse("patients:context_add", args=[dana.pk]),
                                          {"kind": "egfr", "value": "500", "effective_date": "2025-01-01"},
                                          follow=True)
    assert "outside the possible range" in response.content.decode()
    assert not ClinicalContextEntry.objects.exists()


def test_my_patients_drops_a_patient_whose_care_team_the_user_has_left(prescriber_a, therapist_a, dana):
    """Theo's membership ended today; Alice's stays open. The same membership row must be the
    user's, started and not ended: another member's open membership does not keep Dana on
    Theo's list."""
    from dosewise.patients.models import CareTeamMember
    from dosewise.patients.selectors import access_patient, my_patients

    assert dana in my_patients(therapist_a)
    theo = CareTeamMember.objects.get(patient=dana, member=therapist_a, until__isnull=True)
    services.care_team_end(actor=prescriber_a, access=access_patient(prescriber_a, dana.pk, "clinical.edit"),
                           membership_id=theo.pk)
    assert dana not in my_patients(therapist_a)
    assert dana in my_patients(prescriber_a)


def test_access_reads_the_patient_and_the_membership_in_one_query(prescriber_a, colleague_a, dana,
                                                                  django_assert_num_queries):
    from dosewise.accounts.models import User

    alice = User.objects.select_related("clinic").get(pk=prescriber_a.pk)  # as the sign-in backend reads her
    with django_assert_num_queries(1):
        access = access_patient(alice, dana.pk)
    assert access.via == "care_team" and access.patient.clinic.pk == dana.clinic_id
    carl = User.objects.select_related("clinic").get(pk=colleague_a.pk)  # on no care team of Dana's
    with pytest.raises(BreakGlassRequired):
        access_patient(carl, dana.pk, "clinical.view")


def test_a_membership_that_starts_tomorrow_in_the_clinics_new_zone_is_judged_on_that_zone(prescriber_a, dana):
    """A user object read before the clinic moved to another time zone: the membership is asked
    again on the patient's clinic day, not on the zone the user object remembers."""
    from dosewise.accounts.models import User

    alice = User.objects.select_related("clinic").get(pk=prescriber_a.pk)
    now = timezone.now()
    ahead, behind = "Pacific/Kiritimati", "Pacific/Pago_Pago"  # UTC+14 and UTC-11: always a day apart
    Clinic.objects.filter(pk=dana.clinic_id).update(timezone=ahead)
    alice.clinic.timezone = behind
    day_ahead = timezone.localtime(now, ZoneInfo(ahead)).date()
    dana.care_team.filter(member=prescriber_a).update(since=day_ahead)
    assert access_patient(alice, dana.pk).via == "care_team"  # started today on the clinic's day
    dana.care_team.filter(member=prescriber_a).update(since=day_ahead + timedelta(days=1))
    with pytest.raises(BreakGlassRequired):
        access_patient(alice, dana.pk, "clinical.view")
