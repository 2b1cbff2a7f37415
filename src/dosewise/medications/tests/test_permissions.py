"""Who may use each medication page: one row per route, one column per named person.

Dana (clinic A) has Alice (prescriber) and Theo (therapist) on her care team. Alice
prescribes and plans; Theo reads plans but opens no writing page (404, as for any capability
his role lacks); nurses record outside medicines but make no plans (404); Bob and Nina are clinicians of the same clinic outside the care team (403,
break-glass); front desk and the clinic admin never see the medication record (404); Carol
of clinic B cannot learn that Dana exists (404). The override report is for prescribers and
clinic admins, each seeing only their clinic. The PDF of a document follows its page; faxing
follows printing. Every POST row also checks that the change
happened exactly when access was allowed; `test_every_route_has_a_row` keeps it complete.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from dosewise.audit.models import AuditEvent
from dosewise.lib.permission_matrix import (
    FORBID,
    GO,
    GONE,
    LOGIN,
    OK,
    ORDER,
    Case,
    assert_case,
    case_id,
    route_names,
    row,
)
from dosewise.medications import services
from dosewise.medications.models import (
    Medication,
    MedicationPlan,
    PlanFollowUp,
    PrescriptionOverride,
    PrescriptionTransmission,
    Problem,
)
from dosewise.patients import services as patient_services
from dosewise.patients.models import PharmacogenomicResult
from dosewise.patients.selectors import access_patient

CARE_TEAM_WRITER = row(LOGIN, FORBID, OK, FORBID, FORBID, GONE, GONE, GONE, GONE)
CARE_TEAM_WRITE = row(LOGIN, FORBID, GO, FORBID, FORBID, GONE, GONE, GONE, GONE)
PRESCRIBERS_ON_TEAM = row(LOGIN, FORBID, OK, FORBID, GONE, GONE, GONE, GONE, GONE)
PRESCRIBERS_ON_TEAM_WRITE = row(LOGIN, FORBID, GO, FORBID, GONE, GONE, GONE, GONE, GONE)
CARE_TEAM_READ = row(LOGIN, FORBID, OK, FORBID, FORBID, OK, GONE, GONE, GONE)
CODE_SEARCHERS = row(LOGIN, FORBID, OK, OK, OK, FORBID, FORBID, FORBID, OK)
CLINICAL_STAFF = row(LOGIN, FORBID, OK, OK, OK, OK, FORBID, FORBID, OK)
REPORT_READERS = row(LOGIN, FORBID, OK, OK, FORBID, FORBID, FORBID, OK, OK)
ADMIN_REVIEW = row(LOGIN, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, GO, FORBID)


class Ctx:
    """Dana on sertraline 50 mg/day, prescribed by Alice, with a taper plan and F33.1 on her problem list."""

    def __init__(self, people, dana):
        alice = people["prescriber_a"]
        self.dana = dana
        access = access_patient(alice, dana.pk, "medications.prescribe")
        self.med = services.medication_start(actor=alice, access=access, drug="sertraline",
                                             dose_mg_per_day=Decimal(50), frequency="once daily")
        self.plan = services.plan_create(actor=alice, access=access, kind="taper", medication_id=self.med.pk)
        self.problem = services.problem_add(actor=alice, access=access, code="F33.1")
        self.follow_up = self.plan.follow_ups.order_by("due_date").first()
        self.genotype = patient_services.genotype_record(actor=alice, access=access, gene="CYP2D6", diplotype="*1/*4",
                                                         lab="Example Genomics", result_date=date(2025, 1, 10))
        # An override as the service stores it; it fires no more, so only the cases below resolve or review it.
        self.override = PrescriptionOverride.objects.create(
            clinic=dana.clinic, patient=dana, medication=self.med, rule_id="dose-above-max", severity="major",
            kind="dose-range", summary="sertraline 300 mg/day above the maximum", finding={}, kb_version="test",
            reason_code="specialist_advice", reason="on the advice of the consultant psychiatrist", created_by=alice)


def _med(c: Ctx) -> dict:
    return {"patient_id": c.dana.pk, "medication_id": c.med.pk}


CASES = [
    Case("medications:order", "get", CARE_TEAM_WRITER, kwargs=lambda c: {"patient_id": c.dana.pk}),
    Case("medications:order", "post", CARE_TEAM_WRITE, kwargs=lambda c: {"patient_id": c.dana.pk},
         data=lambda c: {"source": "clinic", "drug": "Wellbutrin", "dose_mg_per_day": "150",
                         "frequency": "once daily", "refills": "0"},
         effect=lambda c: Medication.objects.filter(ingredient="bupropion").exists(), label="post"),
    Case("medications:order_check", "post", CARE_TEAM_WRITER, kwargs=lambda c: {"patient_id": c.dana.pk},
         data=lambda c: {"drug": "phenelzine", "dose_mg_per_day": "45"},
         effect=lambda c: AuditEvent.objects.filter(action="medication.safety_check").exists()),
    Case("medications:dose_change", "get", CARE_TEAM_WRITER, kwargs=_med),
    Case("medications:dose_change", "post", CARE_TEAM_WRITE, kwargs=_med,
         data=lambda c: {"version": "1", "dose_mg_per_day": "100", "frequency": "", "reason": "partial response"},
         effect=lambda c: Medication.objects.get(pk=c.med.pk).dose_mg_per_day == Decimal(100), label="post"),
    Case("medications:status_change", "get", CARE_TEAM_WRITER, kwargs=_med),
    Case("medications:status_change", "post", CARE_TEAM_WRITE, kwargs=_med,
         data=lambda c: {"version": "1", "action": "discontinue", "reason": "side_effects", "note": "nausea"},
         effect=lambda c: Medication.objects.get(pk=c.med.pk).status == "discontinued", label="post"),
    Case("medications:plan_new", "get", PRESCRIBERS_ON_TEAM, kwargs=lambda c: {"patient_id": c.dana.pk}),
    Case("medications:plan_new", "post", PRESCRIBERS_ON_TEAM_WRITE, kwargs=lambda c: {"patient_id": c.dana.pk},
         data=lambda c: {"kind": "titration", "drug": "lamotrigine", "method": "cross-taper", "save": "1"},
         effect=lambda c: MedicationPlan.objects.filter(kind="titration").exists(), label="post"),
    Case("medications:plan_detail", "get", CARE_TEAM_READ,
         kwargs=lambda c: {"patient_id": c.dana.pk, "plan_id": c.plan.pk}),
    Case("medications:plan_revise", "post", PRESCRIBERS_ON_TEAM_WRITE,
         kwargs=lambda c: {"patient_id": c.dana.pk, "plan_id": c.plan.pk},
         data=lambda c: {"version": "1", "action": "pause", "days": "14", "reason": "withdrawal symptoms"},
         effect=lambda c: MedicationPlan.objects.get(pk=c.plan.pk).version == 2),
    Case("medications:follow_up_complete", "post", CARE_TEAM_WRITE,
         kwargs=lambda c: {"patient_id": c.dana.pk, "follow_up_id": c.follow_up.pk},
         data=lambda c: {"note": "seen, no withdrawal symptoms"},
         effect=lambda c: PlanFollowUp.objects.get(pk=c.follow_up.pk).done_at is not None),
    Case("medications:genotype_add", "get", CARE_TEAM_WRITER, kwargs=lambda c: {"patient_id": c.dana.pk}),
    Case("medications:genotype_add", "post", CARE_TEAM_WRITE, kwargs=lambda c: {"patient_id": c.dana.pk},
         data=lambda c: {"gene": "CYP2C19", "diplotype": "*2/*2", "lab": "Example Genomics",
                         "result_date": "2025-02-01"},
         effect=lambda c: PharmacogenomicResult.objects.filter(gene="CYP2C19").exists(), label="post"),
    Case("medications:genotype_entered_in_error", "get", CARE_TEAM_WRITER,
         kwargs=lambda c: {"patient_id": c.dana.pk, "result_id": c.genotype.pk}),
    Case("medications:genotype_entered_in_error", "post", CARE_TEAM_WRITE,
         kwargs=lambda c: {"patient_id": c.dana.pk, "result_id": c.genotype.pk},
         data=lambda c: {"reason": "another patient's report"},
         effect=lambda c: PharmacogenomicResult.objects.get(pk=c.genotype.pk).entered_in_error_at is not None,
         label="post"),
    Case("medications:plan_calendar_pdf", "get", CARE_TEAM_READ,
         kwargs=lambda c: {"patient_id": c.dana.pk, "plan_id": c.plan.pk}),
    Case("medications:override_report", "get", REPORT_READERS),
    Case("medications:override_review", "post", ADMIN_REVIEW, kwargs=lambda c: {"override_id": c.override.pk},
         data=lambda c: {"note": "justified, consultant letter on file"},
         effect=lambda c: PrescriptionOverride.objects.get(pk=c.override.pk).reviewed_at is not None),
    Case("medications:override_resolve", "post", PRESCRIBERS_ON_TEAM_WRITE,
         kwargs=lambda c: {"patient_id": c.dana.pk, "override_id": c.override.pk},
         data=lambda c: {"note": "dose back within the label range"},
         effect=lambda c: PrescriptionOverride.objects.get(pk=c.override.pk).resolved_at is not None),
    Case("medications:prescription", "get", PRESCRIBERS_ON_TEAM, kwargs=_med),
    Case("medications:prescription", "post", PRESCRIBERS_ON_TEAM, kwargs=_med,
         effect=lambda c: AuditEvent.objects.filter(action="prescription.transmit").exists(), label="post"),
    Case("medications:prescription_pdf", "get", PRESCRIBERS_ON_TEAM, kwargs=_med),
    Case("medications:prescription_fax", "post", PRESCRIBERS_ON_TEAM_WRITE, kwargs=_med,
         data=lambda c: {"fax_number": "312-555-0142"},
         effect=lambda c: PrescriptionTransmission.objects.filter(channel="fax", status="queued").exists()),
    Case("medications:handout", "get", CARE_TEAM_READ, kwargs=_med),
    Case("medications:handout_pdf", "get", CARE_TEAM_READ, kwargs=_med),
    Case("medications:problem_add", "get", CARE_TEAM_WRITER, kwargs=lambda c: {"patient_id": c.dana.pk}),
    Case("medications:problem_add", "post", CARE_TEAM_WRITE, kwargs=lambda c: {"patient_id": c.dana.pk},
         data=lambda c: {"code": "F41.1", "onset_date": "2024-03-01"},
         effect=lambda c: Problem.objects.filter(code="F41.1").exists(), label="post"),
    Case("medications:problem_status", "get", CARE_TEAM_WRITER,
         kwargs=lambda c: {"patient_id": c.dana.pk, "problem_id": c.problem.pk}),
    Case("medications:problem_status", "post", CARE_TEAM_WRITE,
         kwargs=lambda c: {"patient_id": c.dana.pk, "problem_id": c.problem.pk},
         data=lambda c: {"action": "resolve", "note": "in remission"},
         effect=lambda c: Problem.objects.get(pk=c.problem.pk).status == "resolved", label="post"),
    Case("medications:icd10_search", "get", CODE_SEARCHERS, data=lambda c: {"q": "generalized anx"}),
    Case("medications:equivalence", "get", CLINICAL_STAFF,
         data=lambda c: {"from_drug": "paroxetine", "dose_mg": "20", "to_drug": "sertraline"}),
]


@pytest.fixture(autouse=True)
def _fax_gateway(settings):
    settings.DOSEWISE_FAX_EMAIL_GATEWAY = "{number}@fax.example.net"


def test_every_route_has_a_row():
    assert route_names("medications") == {case.route for case in CASES}


@pytest.mark.parametrize("person", ORDER)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_matrix(case: Case, person: str, people, dana, as_user):
    assert_case(case, Ctx(people, dana), as_user(people[person]), person)


def test_the_override_report_shows_only_the_own_clinic(people, dana, as_user):
    alice = people["prescriber_a"]
    access = access_patient(alice, dana.pk, "medications.prescribe")
    services.medication_start(actor=alice, access=access, drug="phenelzine", dose_mg_per_day=Decimal(45),
                              frequency="three times daily")
    services.medication_start(actor=alice, access=access, drug="sertraline", dose_mg_per_day=Decimal(50),
                              frequency="once daily", override_reason_code="planned_overlap",
                              override_reason="Supervised switch on the inpatient unit")
    for person, sees in (("prescriber_a", True), ("admin_a", True), ("clinician_b", False)):
        body = as_user(people[person]).get(reverse("medications:override_report")).content
        assert (b"Supervised switch" in body) is sees, person
