"""Merging a true duplicate keeps every record and every audit link, on the record kept."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from tests.conftest import demographics

from dosewise.assessments.models import QuestionnaireResponse, ScoreSummary
from dosewise.assessments.services import response_submit
from dosewise.audit.models import AuditEvent
from dosewise.audit.selectors import audit_events
from dosewise.medications import services as medication_services
from dosewise.medications.models import Medication
from dosewise.monitoring.models import MonitoringDue
from dosewise.patients import merging, selectors, services
from dosewise.patients.models import Allergy, CareTeamMember, Patient

pytestmark = pytest.mark.django_db

REASON = "Same person: registered twice at intake"


@pytest.fixture
def duplicate(dana, prescriber_a, front_desk_a):
    """A second record of Dana (typed at the front desk) holding a PHQ-9, lithium and an allergy."""
    other = services.patient_register(actor=front_desk_a, data=demographics(email="dana.diaz@example.org"))
    services.care_team_add(actor=prescriber_a, access=selectors.access_patient(front_desk_a, other.pk),
                           member=prescriber_a, team_role="prescriber")
    access = selectors.access_patient(prescriber_a, other.pk, "clinical.edit")
    services.allergy_add(actor=prescriber_a, access=access, substance="sulfa", category="allergy", reaction="rash",
                         severity="mild", verified=False)
    response_submit(patient=other, questionnaire="phq9", answers=[1] * 9, source="clinic", actor=prescriber_a,
                    access=selectors.access_patient(prescriber_a, other.pk, "assessments.administer"))
    medication_services.medication_start(actor=prescriber_a, access=selectors.access_patient(
        prescriber_a, other.pk, "medications.prescribe"), drug="lithium", dose_mg_per_day=Decimal("600"),
        frequency="BID", strength_mg=Decimal("300"))
    return other


def test_a_merge_moves_every_record_and_keeps_the_audit_trail_findable(dana, duplicate, admin_a, prescriber_a):
    events_before = AuditEvent.objects.filter(patient=duplicate).count()
    assert events_before > 0
    moved = merging.patient_merge(actor=admin_a, keep=dana, other=duplicate, reason=REASON)

    assert moved["patients.Allergy"] == 1 and moved["medications.Medication"] == 1
    assert set(Allergy.objects.filter(patient=dana).values_list("substance", flat=True)) == {"penicillin", "sulfa"}
    assert Medication.objects.filter(patient=dana, ingredient="lithium").exists()
    assert QuestionnaireResponse.objects.filter(patient=dana).count() == 1
    # Derived rows are rebuilt on the kept record, none are left on the duplicate.
    assert ScoreSummary.objects.get(patient=dana, questionnaire="phq9").latest_total == 9
    assert MonitoringDue.objects.filter(patient=dana).exists()
    assert not MonitoringDue.objects.filter(patient=duplicate).exists()
    for model, field in merging.patient_references():
        assert not model._base_manager.filter(**{field: duplicate}).exists(), model._meta.label
    # Alice was on both care teams: one active membership remains, the duplicate's ended.
    assert CareTeamMember.objects.filter(patient=dana, member=prescriber_a, until__isnull=True).count() == 1

    duplicate.refresh_from_db()
    assert duplicate.merged_into == dana and duplicate.merged_by == admin_a
    # The sealed audit events stay on the duplicate's row and are found under the kept MRN.
    assert AuditEvent.objects.filter(patient=duplicate).count() == events_before + 1
    found = audit_events(admin_a, patient_mrn=dana.mrn)
    assert found.filter(patient=duplicate).count() == events_before + 1
    merge_event = AuditEvent.objects.get(action="patient.merge")
    assert merge_event.patient == dana and merge_event.detail["merged"] == duplicate.mrn


def test_a_merged_record_is_not_found_and_its_links_lead_to_the_kept_chart(dana, duplicate, admin_a, prescriber_a,
                                                                          as_user):
    merging.patient_merge(actor=admin_a, keep=dana, other=duplicate, reason=REASON)
    assert [p.pk for p in selectors.patient_search(prescriber_a, duplicate.mrn)] == []
    client = as_user(prescriber_a)
    response = client.get(reverse("web:patient_chart", args=[duplicate.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("web:patient_chart", args=[dana.pk])
    # A write aimed at the merged record is not replayed on the other one.
    response = client.post(reverse("patients:allergy_add", args=[duplicate.pk]),
                           {"substance": "latex", "category": "allergy", "severity": "mild"})
    assert response.status_code == 302
    assert not Allergy.objects.filter(substance="latex").exists()


@pytest.mark.parametrize("person", ["prescriber_a", "front_desk_a"])
def test_only_a_clinic_admin_may_merge(dana, duplicate, people, person):
    with pytest.raises(PermissionDenied):
        merging.patient_merge(actor=people[person], keep=dana, other=duplicate, reason=REASON)
    assert Patient.objects.filter(merged_into__isnull=False).count() == 0


def test_a_merge_needs_a_reason_and_two_unmerged_records_of_the_clinic(dana, duplicate, admin_a, evan):
    with pytest.raises(ValidationError, match="Say why"):
        merging.patient_merge(actor=admin_a, keep=dana, other=duplicate, reason="dup")
    with pytest.raises(ValidationError, match="cannot be merged into itself"):
        merging.patient_merge(actor=admin_a, keep=dana, other=dana, reason=REASON)
    with pytest.raises(PermissionDenied):
        merging.patient_merge(actor=admin_a, keep=dana, other=evan, reason=REASON)
    merging.patient_merge(actor=admin_a, keep=dana, other=duplicate, reason=REASON)
    with pytest.raises(ValidationError, match="already merged"):
        merging.patient_merge(actor=admin_a, keep=dana, other=duplicate, reason=REASON)


def test_the_merge_page_compares_both_records_lists_what_moves_and_merges_on_confirm(dana, duplicate, admin_a,
                                                                                    as_user):
    client = as_user(admin_a)
    url = reverse("patients:patient_merge", args=[dana.pk])
    assert "Merge a duplicate record" in client.get(reverse("web:patient_chart", args=[dana.pk])).content.decode()
    refused = client.get(url, {"other_mrn": "NOPE1"})
    assert refused.status_code == 400 and "No other record of this clinic has that MRN" in refused.content.decode()
    page = client.get(url, {"other_mrn": duplicate.mrn.lower()}).content.decode()
    assert f"Duplicate: MRN {duplicate.mrn}" in page and "dana.diaz@example.org" in page
    assert "Medications: 1" in page and "Allergies: 1" in page
    kept_typing = client.post(url, {"other_mrn": duplicate.mrn, "reason": "dup"})
    assert kept_typing.status_code == 400 and "dup</textarea>" in kept_typing.content.decode()
    assert not Patient.objects.filter(merged_into=dana).exists()
    done = client.post(url, {"other_mrn": duplicate.mrn, "reason": REASON})
    assert done.status_code == 302
    assert Patient.objects.get(pk=duplicate.pk).merged_into_id == dana.pk
