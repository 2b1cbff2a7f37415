"""Who may use each monitoring page: one row per route, one column per named person.

Dana (clinic A) has Alice (prescriber) and Theo (therapist) on her care team. Bob and Nina
are clinicians of the same clinic outside it (403, break-glass); Theo, front desk and the
clinic admin never see labs (404, as for any record they may not see); Carol of clinic B
cannot learn that Dana exists (404). Every POST row also checks that the change happened
exactly when access was allowed. `test_every_route_has_a_row` keeps the matrix complete.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dosewise.assessments import services as assessment_services
from dosewise.assessments.models import CareTask
from dosewise.assessments.tests.conftest import phq9
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
from dosewise.medications.models import Medication
from dosewise.monitoring import fill_imports, imports, services
from dosewise.monitoring.models import FillImport, Observation, PharmacyFill, ResultImport, SideEffect
from dosewise.monitoring.tests.conftest import hours_ago
from dosewise.patients.selectors import access_patient

IMPORTERS = row(LOGIN, FORBID, OK, OK, OK, FORBID, FORBID, FORBID, OK)
LAB_WRITE = row(LOGIN, FORBID, GO, FORBID, FORBID, GONE, GONE, GONE, GONE)
WORKLIST = row(LOGIN, FORBID, OK, OK, OK, FORBID, FORBID, FORBID, OK)
FILL_HEADER = "mrn,drug,fill_date,days_supply,quantity,pharmacy,ndc,rx_number\n"


class Ctx:
    """Dana with a lithium level of 1.8 mmol/L and a PHQ-9 with item 9 endorsed (an open risk task)."""

    def __init__(self, people, dana):
        alice = people["prescriber_a"]
        self.dana = dana
        self.result = services.observation_record(
            actor=alice, access=access_patient(alice, dana.pk, "monitoring.view"), test="lithium-level",
            value="1.8", unit="mmol/L", effective_at=hours_ago(3))
        self.job = imports.result_import_create(actor=alice, filename="labs.csv", data=(
            f"mrn,test,value,unit,date\n{dana.mrn},sodium,128,mmol/L,2025-01-01\n").encode())
        self.medicine = Medication.objects.create(clinic=dana.clinic, patient=dana, ingredient="lithium",
                                                  start_date=timezone.localdate(), created_by=alice)
        self.fill_job = fill_imports.fill_import_create(actor=alice, filename="fills.csv", data=(
            f"{FILL_HEADER}{dana.mrn},lithium,2025-01-01,30,60,Main,,\n").encode())
        self.side_effect = services.side_effect_record(
            actor=alice, access=access_patient(alice, dana.pk, "monitoring.view"), code="tremor", severity="severe",
            burden=8, noted_on=timezone.localdate())
        self.task = assessment_services.response_submit(
            patient=dana, questionnaire="phq9", answers=phq9(8, item9=1), source="clinic", actor=alice,
            access=access_patient(alice, dana.pk, "assessments.administer")).task


CASES = [
    Case("monitoring:result_create", "post", LAB_WRITE, kwargs=lambda c: {"patient_id": c.dana.pk},
         data=lambda c: {"test": "sodium", "value": "131", "unit": "mmol/L", "effective_at": "2025-01-02T08:30"},
         effect=lambda c: Observation.objects.filter(test="sodium").exists()),
    # The page that asks why a result is withdrawn shows the result: the care team's clinicians only.
    Case("monitoring:result_entered_in_error", "get", row(LOGIN, FORBID, OK, FORBID, FORBID, GONE, GONE, GONE, GONE),
         kwargs=lambda c: {"patient_id": c.dana.pk, "observation_id": c.result.pk}),
    Case("monitoring:result_entered_in_error", "post", LAB_WRITE,
         kwargs=lambda c: {"patient_id": c.dana.pk, "observation_id": c.result.pk},
         data=lambda c: {"reason": "Entered for the wrong patient"},
         effect=lambda c: Observation.objects.get(pk=c.result.pk).status == "entered-in-error"),
    Case("monitoring:side_effect_create", "post", LAB_WRITE, kwargs=lambda c: {"patient_id": c.dana.pk},
         data=lambda c: {"code": "sedation", "severity": "mild", "burden": "2", "action": "none",
                         "noted_on": timezone.localdate().isoformat(), "suspected": [c.medicine.pk]},
         effect=lambda c: SideEffect.objects.filter(code="sedation").exists()),
    Case("monitoring:pharmacy_fill_create", "post", LAB_WRITE, kwargs=lambda c: {"patient_id": c.dana.pk},
         data=lambda c: {"medication_id": c.medicine.pk, "filled_on": timezone.localdate().isoformat(),
                         "days_supply": "30"},
         effect=lambda c: PharmacyFill.objects.filter(medication=c.medicine).exists()),
    Case("monitoring:worklist", "get", WORKLIST),
    Case("monitoring:worklist_acknowledge", "post", LAB_WRITE,
         data=lambda c: {"kind": "side-effect", "object_id": c.side_effect.pk, "patient_id": c.dana.pk,
                         "note": "Dose reduced, review in a week"},
         effect=lambda c: SideEffect.objects.get(pk=c.side_effect.pk).acknowledged_at is not None,
         label="side-effect"),
    Case("monitoring:worklist_acknowledge", "post", LAB_WRITE,
         data=lambda c: {"kind": "result", "object_id": c.result.pk, "patient_id": c.dana.pk,
                         "note": "Phoned, lithium withheld"},
         effect=lambda c: Observation.objects.get(pk=c.result.pk).acknowledged_at is not None, label="result"),
    # Risk tasks are acknowledged by the assessments service, with its own rule (the care team).
    Case("monitoring:worklist_acknowledge", "post", row(LOGIN, FORBID, GO, FORBID, FORBID, GO, FORBID, FORBID,
                                                        FORBID),
         data=lambda c: {"kind": "risk", "object_id": c.task.pk, "patient_id": c.dana.pk,
                         "note": "Called; safety plan reviewed"},
         effect=lambda c: CareTask.objects.get(pk=c.task.pk).acknowledged_at is not None, label="risk"),
    Case("monitoring:labs_to_order", "get", WORKLIST),
    Case("monitoring:labs_to_order_export", "get", WORKLIST),
    Case("monitoring:import_start", "get", IMPORTERS),
    Case("monitoring:import_start", "post", row(LOGIN, FORBID, GO, GO, GO, FORBID, FORBID, FORBID, GO),
         data=lambda c: {"file": SimpleUploadedFile("more.csv", f"mrn,test,value,unit,date\n{c.dana.mrn},"
                                                    "sodium,140,mmol/L,2025-01-01\n".encode())},
         effect=lambda c: ResultImport.objects.filter(filename="more.csv").exists()),
    # An import belongs to its clinic: Carol of clinic B gets 404 for clinic A's.
    Case("monitoring:import_detail", "get", row(LOGIN, FORBID, OK, OK, OK, FORBID, FORBID, FORBID, GONE),
         kwargs=lambda c: {"import_id": c.job.pk}),
    Case("monitoring:fill_import_start", "get", IMPORTERS),
    Case("monitoring:fill_import_start", "post", row(LOGIN, FORBID, GO, GO, GO, FORBID, FORBID, FORBID, GO),
         data=lambda c: {"file": SimpleUploadedFile("more-fills.csv", f"{FILL_HEADER}{c.dana.mrn},lithium,"
                                                    "2025-02-01,30,60,Main,,\n".encode())},
         effect=lambda c: FillImport.objects.filter(filename="more-fills.csv").exists()),
    Case("monitoring:fill_import_detail", "get", row(LOGIN, FORBID, OK, OK, OK, FORBID, FORBID, FORBID, GONE),
         kwargs=lambda c: {"import_id": c.fill_job.pk}),
]


def test_every_route_has_a_row():
    assert route_names("monitoring") == {case.route for case in CASES}


@pytest.mark.parametrize("person", ORDER)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_matrix(case: Case, person: str, people, dana, as_user):
    assert_case(case, Ctx(people, dana), as_user(people[person]), person)


# Who finds Dana's result on which worklist: her care team's prescriber on "mine"; prescribers
# and nurses of the clinic on "clinic"; never a therapist (no labs) nor clinic B.
SEES_DANA = {"mine": {"prescriber_a"}, "clinic": {"prescriber_a", "colleague_a", "nurse_a"}}


@pytest.mark.parametrize("scope", ["mine", "clinic"])
@pytest.mark.parametrize("person", [p for p in ORDER if WORKLIST[p] == OK])
def test_who_sees_dana_on_the_worklist(scope, person, people, dana, as_user):
    Ctx(people, dana)
    body = as_user(people[person]).get(reverse("monitoring:worklist"), {"scope": scope}).content
    assert (dana.mrn.encode() in body) is (person in SEES_DANA[scope]), (person, scope)
