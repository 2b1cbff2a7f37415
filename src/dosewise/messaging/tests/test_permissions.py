"""Who may use each messaging page: one row per route, one column per named person.

Pat (`patient_user`) is Dana's portal account: the patient pages are his alone and no staff
member opens them (403). The inbox is for clinicians (front desk and the admin are refused);
each sees only their care teams' patients. A conversation follows the chart: Alice
(prescriber) and Theo (therapist) on Dana's team read and answer; Bob and Nina, off the team,
get the break-glass page (403); front desk, the admin and Carol of clinic B cannot learn the
thread exists (404). Only a prescriber decides a refill; only the admin sets the target.
Every POST row checks that the change happened exactly when access was allowed.
"""

from __future__ import annotations

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
from dosewise.messaging import services
from dosewise.messaging.files import file_check
from dosewise.messaging.models import Message, MessagingSettings, Thread
from dosewise.messaging.tests.conftest import png_bytes

PATIENT_ONLY = row(LOGIN, OK, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID)
PATIENT_ONLY_WRITE = row(LOGIN, GO, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID)
INBOX = row(LOGIN, FORBID, OK, OK, OK, OK, FORBID, FORBID, OK)
SETTINGS = row(LOGIN, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, OK, FORBID)
SETTINGS_WRITE = row(LOGIN, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, GO, FORBID)
THREAD_READERS = row(LOGIN, FORBID, OK, FORBID, FORBID, OK, GONE, GONE, GONE)
THREAD_WRITERS = row(LOGIN, FORBID, GO, FORBID, FORBID, GO, GONE, GONE, GONE)
REFILL_DECIDERS = row(LOGIN, FORBID, GO, FORBID, GONE, GONE, GONE, GONE, GONE)


class Ctx:
    def __init__(self, pat, dana_meds):
        self.pat, self.dana = pat, pat.patient
        user = pat.account.user
        self.message = services.thread_start_by_patient(actor=user, patient=self.dana, subject="Question",
                                                        body="Is it fine?", files=[file_check("a.png", png_bytes())])
        self.thread = self.message.thread
        self.attachment = self.message.attachments.get()
        self.refill = services.refill_request(actor=user, patient=self.dana,
                                              medication_id=dana_meds["lamotrigine"].pk).thread
        self.sertraline = dana_meds["sertraline"]

    @staticmethod
    def audit(action: str) -> bool:
        return AuditEvent.objects.filter(action=action).exists()

    def staff_replies(self) -> bool:
        return Message.objects.filter(thread=self.thread, from_patient=False).exists()


def _thread(c):
    return {"patient_id": c.dana.pk, "thread_id": c.thread.pk}


CASES = [
    Case("messaging:portal_inbox", "get", PATIENT_ONLY),
    Case("messaging:portal_new", "get", PATIENT_ONLY),
    Case("messaging:portal_new", "post", PATIENT_ONLY_WRITE, data=lambda c: {"subject": "New one", "body": "Hello"},
         effect=lambda c: Thread.objects.filter(patient=c.dana, subject="New one").exists(), label="post"),
    Case("messaging:portal_thread", "get", PATIENT_ONLY, kwargs=lambda c: {"thread_id": c.thread.pk}),
    Case("messaging:portal_thread", "post", PATIENT_ONLY_WRITE, kwargs=lambda c: {"thread_id": c.thread.pk},
         data=lambda c: {"body": "One more thing"},
         effect=lambda c: Message.objects.filter(thread=c.thread, body="One more thing").exists(), label="post"),
    Case("messaging:portal_attachment", "get", PATIENT_ONLY, kwargs=lambda c: {"attachment_id": c.attachment.pk}),
    Case("messaging:portal_refill", "get", PATIENT_ONLY),
    Case("messaging:portal_refill", "post", PATIENT_ONLY_WRITE, data=lambda c: {"medication": c.sertraline.pk},
         effect=lambda c: Thread.objects.filter(kind="refill", medication=c.sertraline).exists(), label="post"),
    Case("messaging:inbox", "get", INBOX),
    Case("messaging:settings", "get", SETTINGS),
    Case("messaging:settings", "post", SETTINGS_WRITE, data=lambda c: {"response_target_business_days": "4"},
         effect=lambda c: MessagingSettings.objects.filter(response_target_business_days=4).exists(), label="post"),
    Case("messaging:thread", "get", THREAD_READERS, kwargs=_thread),
    Case("messaging:thread", "post", THREAD_WRITERS, kwargs=_thread, data=lambda c: {"body": "Yes", "status": "waiting"},
         effect=lambda c: c.staff_replies(), label="post"),
    Case("messaging:thread_new", "post", THREAD_WRITERS, kwargs=lambda c: {"patient_id": c.dana.pk},
         data=lambda c: {"subject": "From the team", "body": "Hello"},
         effect=lambda c: Thread.objects.filter(subject="From the team").exists()),
    Case("messaging:thread_assign", "post", THREAD_WRITERS, kwargs=_thread, data=lambda c: {"assignee": ""},
         effect=lambda c: Thread.objects.filter(pk=c.thread.pk, assigned_to__isnull=True).exists()
         and c.audit("message.thread.assign")),
    Case("messaging:thread_status", "post", THREAD_WRITERS, kwargs=_thread, data=lambda c: {"status": "closed"},
         effect=lambda c: Thread.objects.get(pk=c.thread.pk).status == "closed"),
    Case("messaging:refill_decide", "post", REFILL_DECIDERS,
         kwargs=lambda c: {"patient_id": c.dana.pk, "thread_id": c.refill.pk},
         data=lambda c: {"decision": "approved", "note": ""},
         effect=lambda c: Thread.objects.get(pk=c.refill.pk).refill_decision == "approved"),
    Case("messaging:attachment", "get", THREAD_READERS,
         kwargs=lambda c: {"patient_id": c.dana.pk, "attachment_id": c.attachment.pk}),
]


def test_every_route_has_a_row():
    assert route_names("messaging") == {case.route for case in CASES}


@pytest.mark.parametrize("person", ORDER)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_permission_matrix(case, person, people, as_user, pat, dana_meds):
    ctx = Ctx(pat, dana_meds)
    assert_case(case, ctx, as_user(people[person]), person)


def test_another_patient_cannot_open_a_thread_or_file_of_dana(pat, dana_meds, rosa, make_staff, clinic_a,
                                                             prescriber_a, as_user):
    from dosewise.portal.tests.conftest import link_portal

    ctx = Ctx(pat, dana_meds)
    rosa_user = make_staff("rosa.portal@example.org", "Rosa Reyes", "patient", clinic_a, totp=False)
    link_portal(rosa_user, rosa, prescriber_a)
    client = as_user(rosa_user)
    assert client.get(reverse("messaging:portal_thread", args=[ctx.thread.pk])).status_code == 404
    assert client.post(reverse("messaging:portal_thread", args=[ctx.thread.pk]), {"body": "x"}).status_code == 404
    assert client.get(reverse("messaging:portal_attachment", args=[ctx.attachment.pk])).status_code == 404
    assert client.post(reverse("messaging:portal_refill"), {"medication": ctx.sertraline.pk}).status_code == 400
    assert client.get(reverse("messaging:portal_inbox")).content.decode().count("Question") == 0
    assert not Message.objects.filter(thread=ctx.thread, author=rosa_user).exists()


def test_a_clinician_off_the_care_team_sees_none_of_its_threads_in_the_inbox(pat, dana_meds, colleague_a,
                                                                            clinician_b, as_user):
    Ctx(pat, dana_meds)
    for person in (colleague_a, clinician_b):
        page = as_user(person).get(reverse("messaging:inbox")).content.decode()
        assert "Question" not in page and "No conversations here." in page
