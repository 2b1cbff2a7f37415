"""Who may use each measurement-based-care page: one row per route, one column per named person.

Dana (clinic A) has Alice (prescriber) and Theo (therapist) on her care team; Bob and Nina
are clinicians of the same clinic outside it (403, break-glass); front desk and the clinic
admin never see scores (404, as for any clinical record); Carol of clinic B cannot learn
that Dana exists (404). Every POST row also checks that the change happened exactly when
access was allowed. `test_every_route_has_a_row` keeps the matrix complete.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from dosewise.assessments import services
from dosewise.assessments.models import (
    CareTask,
    MeasurementSchedule,
    QuestionnaireLink,
    QuestionnaireResponse,
)
from dosewise.assessments.tests.conftest import as_post, phq9
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
from dosewise.patients.selectors import access_patient

CARE_TEAM_ONLY = row(LOGIN, FORBID, OK, FORBID, FORBID, OK, GONE, GONE, GONE)
CARE_TEAM_WRITE = row(LOGIN, FORBID, GO, FORBID, FORBID, GO, GONE, GONE, GONE)
CLINICIANS = row(LOGIN, FORBID, OK, OK, OK, OK, FORBID, FORBID, OK)


class Ctx:
    """Dana with one PHQ-9 (item 9 endorsed: one open urgent task), a schedule and an expired link."""

    def __init__(self, people, dana):
        alice = people["prescriber_a"]
        access = access_patient(alice, dana.pk, "assessments.administer")
        self.dana = dana
        submission = services.response_submit(patient=dana, questionnaire="phq9", answers=phq9(8, item9=1),
                                              source="clinic", actor=alice, access=access)
        self.response, self.task = submission.response, submission.task
        self.schedule = services.schedule_save(actor=alice, access=access, questionnaire="phq9", interval_days=14)
        self.link, self.token = services.link_create(actor=alice, access=access, questionnaire="gad7",
                                                     send_email=False)


CASES = [
    Case("assessments:administer", "get", CARE_TEAM_ONLY,
         kwargs=lambda c: {"patient_id": c.dana.pk, "questionnaire": "phq9"}),
    Case("assessments:administer", "post", CARE_TEAM_WRITE,
         kwargs=lambda c: {"patient_id": c.dana.pk, "questionnaire": "gad7"},
         data=lambda c: as_post([1, 1, 1, 1, 1, 1, 1]),
         effect=lambda c: QuestionnaireResponse.objects.filter(questionnaire="gad7").exists(), label="post"),
    Case("assessments:patient_mode_start", "post", CARE_TEAM_WRITE, kwargs=lambda c: {"patient_id": c.dana.pk},
         data=lambda c: {"questionnaire": "phq9"},
         effect=lambda c: QuestionnaireLink.objects.filter(source="patient-mode").exists()),
    Case("assessments:link_create", "post", CARE_TEAM_ONLY, kwargs=lambda c: {"patient_id": c.dana.pk},
         data=lambda c: {"questionnaire": "phq9"},
         effect=lambda c: QuestionnaireLink.objects.filter(questionnaire="phq9").exists()),
    Case("assessments:link_reissue", "post", CARE_TEAM_ONLY,
         kwargs=lambda c: {"patient_id": c.dana.pk, "link_id": c.link.pk},
         effect=lambda c: QuestionnaireLink.objects.filter(replaces=c.link).exists()),
    Case("assessments:response_detail", "get", CARE_TEAM_ONLY,
         kwargs=lambda c: {"patient_id": c.dana.pk, "response_id": c.response.pk}),
    Case("assessments:response_entered_in_error", "post", CARE_TEAM_WRITE,
         kwargs=lambda c: {"patient_id": c.dana.pk, "response_id": c.response.pk},
         data=lambda c: {"reason": "Entered for the wrong patient"},
         effect=lambda c: QuestionnaireResponse.objects.get(pk=c.response.pk).status == "entered-in-error"),
    Case("assessments:schedule_save", "post", CARE_TEAM_WRITE, kwargs=lambda c: {"patient_id": c.dana.pk},
         data=lambda c: {"questionnaire": "gad7", "interval_days": "28"},
         effect=lambda c: MeasurementSchedule.objects.filter(questionnaire="gad7").exists()),
    Case("assessments:schedule_stop", "post", CARE_TEAM_WRITE,
         kwargs=lambda c: {"patient_id": c.dana.pk, "schedule_id": c.schedule.pk},
         effect=lambda c: not MeasurementSchedule.objects.get(pk=c.schedule.pk).active),
    Case("assessments:task_list", "get", CLINICIANS),
    Case("assessments:task_acknowledge", "post", row(LOGIN, FORBID, GO, FORBID, FORBID, GO, FORBID, FORBID, FORBID),
         kwargs=lambda c: {"task_id": c.task.pk}, data=lambda c: {"note": "Called; safety plan reviewed"},
         effect=lambda c: CareTask.objects.get(pk=c.task.pk).acknowledged_at is not None),
    Case("assessments:caseload", "get", CLINICIANS),
    # The token is the key: whoever holds it may answer, signed in or not.
    Case("assessments:public_form", "get", row(*[OK] * 9), kwargs=lambda c: {"token": c.token}),
    Case("assessments:public_save", "post", row(*[OK] * 9), kwargs=lambda c: {"token": c.token},
         data=lambda c: {"item_1": "2"},
         effect=lambda c: QuestionnaireLink.objects.get(pk=c.link.pk).partial_answers == {"1": 2}),
]


def test_every_route_has_a_row():
    assert route_names("assessments") == {case.route for case in CASES}


@pytest.mark.parametrize("person", ORDER)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_matrix(case: Case, person: str, people, dana, as_user):
    assert_case(case, Ctx(people, dana), as_user(people[person]), person)


# Who finds Dana on which caseload: her care team on "mine"; clinicians with the clinic
# registry capability (prescribers, nurses) on "clinic"; nobody from clinic B.
SEES_DANA = {
    "mine": {"prescriber_a", "therapist_a"},
    "clinic": {"prescriber_a", "colleague_a", "nurse_a", "therapist_a"},
}


@pytest.mark.parametrize("scope", ["mine", "clinic"])
@pytest.mark.parametrize("person", [p for p in ORDER if CLINICIANS[p] == OK])
def test_who_sees_dana_on_the_caseload(scope, person, people, dana, as_user):
    Ctx(people, dana)
    for fmt in ("", "csv"):
        response = as_user(people[person]).get(reverse("assessments:caseload"), {"scope": scope, "format": fmt})
        body = b"".join(response.streaming_content) if fmt else response.content
        assert (dana.mrn.encode() in body) is (person in SEES_DANA[scope]), (person, scope, fmt)
