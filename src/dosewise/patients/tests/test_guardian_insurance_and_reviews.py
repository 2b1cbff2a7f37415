"""A minor has a parent or guardian on the record, insurance can be recorded, and an emergency
access is reviewed with a note; the audit pages say which time zone they show."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demographics

from dosewise.audit.models import AuditEvent
from dosewise.audit.services import audit_record
from dosewise.audit.wording import audit_detail_sentence
from dosewise.patients import services
from dosewise.patients.models import BreakGlassAccess, Patient
from dosewise.patients.selectors import access_patient

pytestmark = pytest.mark.django_db


def _sixteen_today() -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - 16)


def test_registering_a_minor_without_a_guardian_is_refused_with_the_fields_named(front_desk_a):
    with pytest.raises(ValidationError) as refused:
        services.patient_register(actor=front_desk_a, data=demographics(date_of_birth=_sixteen_today()))
    assert set(refused.value.message_dict) == {"guardian_name", "guardian_phone"}
    assert "under 18" in refused.value.message_dict["guardian_name"][0]
    assert Patient.objects.count() == 0


def test_a_minor_with_a_guardian_registers_and_an_adult_needs_none(front_desk_a):
    minor = services.patient_register(actor=front_desk_a, data=demographics(
        legal_given_name="Robin", date_of_birth=_sixteen_today(), guardian_name="Sam Diaz",
        guardian_relationship="mother", guardian_phone="+1 312 555 0100"))
    assert minor.guardian_name == "Sam Diaz" and minor.is_minor
    # The day before the 18th birthday the person is still a minor; on it, an adult.
    today = timezone.localdate()
    eighteen_tomorrow = (today + timedelta(days=1)).replace(year=today.year - 18)
    with pytest.raises(ValidationError):
        services.patient_register(actor=front_desk_a, data=demographics(legal_given_name="Kim",
                                                                        date_of_birth=eighteen_tomorrow))
    adult = services.patient_register(actor=front_desk_a, data=demographics(
        legal_given_name="Lee", date_of_birth=today.replace(year=today.year - 18)))
    assert not adult.is_minor and adult.guardian_name == ""


def test_removing_a_minors_guardian_in_an_edit_is_refused_and_keeps_the_record(front_desk_a, prescriber_a):
    minor = services.patient_register(actor=prescriber_a, data=demographics(
        date_of_birth=_sixteen_today(), guardian_name="Sam Diaz", guardian_phone="+1 312 555 0100"))
    access = access_patient(prescriber_a, minor.pk, "demographics.edit")
    with pytest.raises(ValidationError) as refused:
        services.patient_update(actor=prescriber_a, access=access, expected_version=minor.version,
                                data={"guardian_phone": ""})
    assert "guardian_phone" in refused.value.message_dict
    minor.refresh_from_db()
    assert minor.guardian_phone == "+1 312 555 0100"


def test_the_registration_page_groups_guardian_and_insurance_and_keeps_what_was_typed(front_desk_a, as_user):
    client = as_user(front_desk_a)
    form = client.get(reverse("patients:patient_register")).content.decode()
    assert "<legend>Parent or guardian</legend>" in form and "<legend>Insurance</legend>" in form
    response = client.post(reverse("patients:patient_register"), {
        "legal_given_name": "Robin", "legal_family_name": "Quinn", "date_of_birth": _sixteen_today().isoformat(),
        "sex_at_birth": "female", "preferred_language": "English", "insurance_payer": "Blue Prairie PPO"})
    page = response.content.decode()
    assert response.status_code == 200 and not Patient.objects.exists()
    assert "enter the parent&#x27;s or guardian&#x27;s name" in page
    assert 'value="Blue Prairie PPO"' in page and 'value="Quinn"' in page


def test_the_chart_shows_insurance_and_flags_a_minor_without_a_guardian(dana, prescriber_a, as_user):
    Patient.objects.filter(pk=dana.pk).update(insurance_payer="Blue Prairie PPO", insurance_member_id="BPX123")
    page = as_user(prescriber_a).get(reverse("web:patient_chart", args=[dana.pk])).content.decode()
    assert "Blue Prairie PPO" in page and "member ID BPX123" in page
    assert "missing: the patient is under 18" not in page
    # A record that predates the rule (or was imported) is flagged rather than hidden.
    Patient.objects.filter(pk=dana.pk).update(date_of_birth=_sixteen_today())
    page = as_user(prescriber_a).get(reverse("web:patient_chart", args=[dana.pk])).content.decode()
    assert "missing: the patient is under 18" in page


def _grant(dana, colleague_a) -> BreakGlassAccess:
    return services.break_glass_grant(actor=colleague_a, patient=dana, reason="Called by the ED about an overdose")


def test_reviewing_an_emergency_access_needs_a_note_which_is_kept_and_audited(dana, colleague_a, admin_a):
    grant = _grant(dana, colleague_a)
    with pytest.raises(ValidationError):
        services.break_glass_review(actor=admin_a, grant_id=grant.pk, note="  ok ")
    grant.refresh_from_db()
    assert grant.reviewed_at is None
    services.break_glass_review(actor=admin_a, grant_id=grant.pk, note="Justified: covering on call")
    grant.refresh_from_db()
    assert grant.reviewed_by == admin_a and grant.review_note == "Justified: covering on call"
    assert AuditEvent.objects.get(action="break_glass.review").detail == {"note": "Justified: covering on call"}
    with pytest.raises(ValidationError, match="already reviewed"):
        services.break_glass_review(actor=admin_a, grant_id=grant.pk, note="Second look")


def test_a_review_without_a_note_on_the_page_shows_the_error_beside_the_field(dana, colleague_a, admin_a, as_user):
    grant = _grant(dana, colleague_a)
    client = as_user(admin_a)
    response = client.post(reverse("patients:break_glass_report"), {"grant": grant.pk, "note": "ok"})
    page = response.content.decode()
    assert response.status_code == 400
    assert f'id="note-{grant.pk}-error"' in page and "Write what the review found" in page
    assert ">ok</textarea>" in page
    response = client.post(reverse("patients:break_glass_report"), {"grant": grant.pk, "note": "Justified, ED call"})
    assert response.status_code == 302
    page = client.get(reverse("patients:break_glass_report")).content.decode()
    assert "Justified, ED call" in page and "Reviewed by" in page


def test_the_emergency_access_report_shows_times_in_the_clinics_zone(dana, colleague_a, admin_a, as_user):
    admin_a.clinic.timezone = "America/New_York"
    admin_a.clinic.save(update_fields=["timezone"])
    grant = _grant(dana, colleague_a)
    local = grant.created_at.astimezone(ZoneInfo("America/New_York"))
    page = as_user(admin_a).get(reverse("patients:break_glass_report")).content.decode()
    assert "(UTC)" not in page and "America/New_York" in page
    assert local.strftime("%Y-%m-%d %H:%M") in page


def test_the_audit_report_shows_the_clinics_zone_and_details_in_words(dana, admin_a, prescriber_a, as_user):
    admin_a.clinic.timezone = "America/Los_Angeles"
    admin_a.clinic.save(update_fields=["timezone"])
    audit_record(action="chart.open", actor=prescriber_a, patient=dana,
                 detail={"tab": "overview", "via": "care_team", "by_patient": False})
    event = AuditEvent.objects.get(action="chart.open")
    page = as_user(admin_a).get(reverse("audit:audit_report")).content.decode()
    assert "Time (UTC)" not in page and "America/Los_Angeles" in page
    assert event.created_at.astimezone(ZoneInfo("America/Los_Angeles")).strftime("%Y-%m-%d %H:%M:%S") in page
    assert "Tab: overview. Via: care team. By the patient: no." in page
    assert "{&#x27;tab&#x27;" not in page


@pytest.mark.parametrize(("detail", "words"), [
    ({}, ""),
    ({"reason": "Called by the ED."}, "Reason: Called by the ED."),
    ({"matches": ["A000001", "A000002"], "n": 2}, "Matches: A000001, A000002. Count: 2."),
    ({"fields": []}, "Fields: none."),
    ({"filters": {"date_from": "2026-01-01"}}, "Filters: date from 2026-01-01."),
])
def test_audit_details_read_as_sentences(detail, words):
    assert audit_detail_sentence(detail) == words
