"""Who may use each outreach page: one row per route, one column per named person.

The public form, unsubscribe and the webhook need no sign-in (the webhook needs Twilio's
signature instead). The queue is for staff who register patients (front desk, nurses,
prescribers, the clinic admin); a therapist or a patient is refused; Carol of clinic B sees her
own empty queue but cannot learn that clinic A's request exists (404). The consent wording is
the clinic admin's. Every POST row checks that the change happened exactly when allowed.
"""

from __future__ import annotations

import pytest

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
from dosewise.notifications import consent as ledger
from dosewise.notifications.models import ConsentDisclosure, ContactConsent
from dosewise.outreach import services
from dosewise.outreach.models import ConsultationRequest, IntakeRequest, RequestEvent

PUBLIC = row(OK, OK, OK, OK, OK, OK, OK, OK, OK)
QUEUE = row(LOGIN, FORBID, OK, OK, OK, FORBID, OK, OK, OK)
ONE = row(LOGIN, FORBID, OK, OK, OK, FORBID, OK, OK, GONE)
WRITE = row(LOGIN, FORBID, GO, GO, GO, FORBID, GO, GO, GONE)
ADMIN = row(LOGIN, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, OK, FORBID)
ADMIN_WRITE = row(LOGIN, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, GO, FORBID)
WEBHOOK = row(FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID)


class Ctx:
    def __init__(self, people, clinic_a):
        self.request = services.consultation_request_submit(
            clinic=clinic_a, data={"given_name": "Robin", "family_name": "Reyes", "phone": "312 555 0188",
                                   "email": "robin@example.org", "preferred_channel": "email",
                                   "reason": "Low mood", "preferred_times": ""},
            sms_consent=False, email_consent=True, ip=None, user_agent="")
        self.token = ledger.unsubscribe_token(clinic_id=clinic_a.pk, channel="email", address="robin@example.org",
                                              purpose="care_messages")


SMS_TEXT = ("By ticking this box you agree to texts. Msg & data rates may apply. Reply STOP to stop, HELP for help. "
            "Not a condition of care.")
CASES = [
    Case("outreach:consultation_request", "get", PUBLIC),
    Case("outreach:consultation_request_clinic", "get", PUBLIC, kwargs=lambda c: {"slug": "northside"}),
    Case("outreach:consultation_request_sent", "get", PUBLIC),
    Case("outreach:queue", "get", QUEUE),
    Case("outreach:request_detail", "get", ONE, kwargs=lambda c: {"request_id": c.request.pk}),
    Case("outreach:request_status", "post", WRITE, kwargs=lambda c: {"request_id": c.request.pk},
         data=lambda c: {"status": "contacted", "note": "called"},
         effect=lambda c: RequestEvent.objects.filter(request=c.request, status="contacted").exists()),
    Case("outreach:request_consent", "post", WRITE, kwargs=lambda c: {"request_id": c.request.pk},
         data=lambda c: {"channel": "sms", "agreed": "yes", "words": "yes please"},
         effect=lambda c: ledger.consent_granted(clinic=c.request.clinic, channel="sms", address="+13125550188",
                                                 purpose="care_messages")),
    Case("outreach:request_convert", "post", WRITE, kwargs=lambda c: {"request_id": c.request.pk},
         data=lambda c: {"legal_given_name": "Robin", "legal_family_name": "Reyes", "date_of_birth": "1990-02-03",
                         "sex_at_birth": "female"},
         effect=lambda c: IntakeRequest.objects.filter(consultation=c.request).exists()),
    Case("outreach:disclosures", "get", ADMIN),
    Case("outreach:disclosures", "post", ADMIN_WRITE, label="publish",
         data=lambda c: {"channel": "sms", "program_name": "Northside texts", "text": SMS_TEXT},
         effect=lambda c: ConsentDisclosure.objects.filter(program_name="Northside texts").exists()),
    Case("outreach:unsubscribe", "get", PUBLIC, kwargs=lambda c: {"token": c.token}),
    Case("outreach:twilio_sms", "post", WEBHOOK, data=lambda c: {"From": "+13125550188", "Body": "STOP"},
         effect=lambda c: ContactConsent.objects.filter(purpose="all").exists()),
]


@pytest.mark.parametrize("case", CASES, ids=case_id)
@pytest.mark.parametrize("person", ORDER)
def test_outreach_permission_matrix(case, person, people, clinic_a, as_user, settings):
    settings.TWILIO_AUTH_TOKEN = "secret"
    ctx = Ctx(people, clinic_a)
    assert_case(case, ctx, as_user(people[person]), person)
    assert ConsultationRequest.objects.count() == 1


def test_every_route_has_a_row():
    assert route_names("outreach") == {case.route for case in CASES}
