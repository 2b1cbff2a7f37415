"""Who may use each portal page: one row per route, one column per named person.

Pat (`patient_user`) is Dana's portal account: the patient pages are his alone, and no
staff member opens them (403), whatever their role. The staff pages follow the chart:
Alice (prescriber on Dana's care team) manages access (Pat's account, Gina's proxy access) and
reads the dose log; Theo
(therapist, on the team) sees the status but manages nothing and reads no dose log (404,
as for any capability his role lacks); Bob and Nina, outside the care team, get the
break-glass page (403); front desk and the clinic admin invite and revoke but never see
the dose log (404); Carol of clinic B cannot learn that Dana exists (404). Every POST row
also checks that the change happened exactly when access was allowed.
"""

from __future__ import annotations

import pytest

from dosewise.assessments.models import MeasurementSchedule, QuestionnaireLink, QuestionnaireResponse
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
from dosewise.monitoring.models import SideEffect
from dosewise.notifications.models import ContactConsent
from dosewise.portal.models import (
    DoseLog,
    PortalAccount,
    PortalStatus,
    ProxyAccess,
    PushMessage,
    PushSubscription,
)
from dosewise.portal.tests.conftest import grant_proxy
from dosewise.portal.tests.push_stub import Browser

PATIENT_ONLY = row(LOGIN, OK, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID)
PATIENT_ONLY_WRITE = row(LOGIN, GO, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID)
STATUS_READERS = row(LOGIN, FORBID, OK, FORBID, FORBID, OK, OK, OK, GONE)
ACCESS_MANAGERS = row(LOGIN, FORBID, GO, FORBID, FORBID, GONE, GO, GO, GONE)
PUBLIC = row(OK, OK, OK, OK, OK, OK, OK, OK, OK)
DOSE_LOG_READERS = row(LOGIN, FORBID, OK, FORBID, FORBID, GONE, GONE, GONE, GONE)


class Ctx:
    def __init__(self, pat, dana, dana_meds, rosa, prescriber):
        from dosewise.assessments import services as assessment_services
        from dosewise.monitoring.services import side_effect_report_from_patient
        from dosewise.patients.selectors import access_patient

        self.pat, self.dana, self.rosa = pat, dana, rosa
        self.sertraline = dana_meds["sertraline"]
        self.report = side_effect_report_from_patient(actor=pat.account.user, patient=dana, code="dry-mouth",
                                                      severity="mild", burden=2, noted_on=pat.today)
        access = access_patient(prescriber, dana.pk, "assessments.administer")
        self.link, _ = assessment_services.link_create(actor=prescriber, access=access, questionnaire="phq9",
                                                       send_email=False)
        schedule = assessment_services.schedule_save(actor=prescriber, access=access, questionnaire="gad7",
                                                     interval_days=14)
        MeasurementSchedule.objects.filter(pk=schedule.pk).update(next_due=pat.today)
        self.browser = Browser()
        # An unreachable endpoint: the test notification stays queued, which is the effect looked for.
        self.device = PushSubscription.objects.create(
            clinic=dana.clinic, patient=dana, user=pat.account.user, endpoint="http://127.0.0.1:9/push/pat",
            p256dh=self.browser.p256dh, auth=self.browser.auth)
        # Dana's helper, whom Pat (or staff) may end.
        self.helper = grant_proxy(dana, prescriber, email="gina@example.org", name="Gina Diaz",
                                  scopes=["appointments"])


CASES = [
    Case("portal:home", "get", PATIENT_ONLY),
    Case("portal:choose", "get", PATIENT_ONLY),
    Case("portal:choose", "post", PATIENT_ONLY_WRITE, data=lambda c: {"patient": c.dana.pk}, label="post"),
    Case("portal:family", "get", PATIENT_ONLY),
    Case("portal:family", "post", PATIENT_ONLY_WRITE, data=lambda c: {"proxy": c.helper.pk},
         effect=lambda c: ProxyAccess.objects.get(pk=c.helper.pk).status == PortalStatus.REVOKED, label="post"),
    Case("portal:medicines", "get", PATIENT_ONLY),
    Case("portal:handout", "get", PATIENT_ONLY, kwargs=lambda c: {"medication_id": c.sertraline.pk}),
    Case("portal:calendar", "get", PATIENT_ONLY),
    Case("portal:dose_log", "get", PATIENT_ONLY),
    Case("portal:dose_log", "post", PATIENT_ONLY_WRITE,
         data=lambda c: {"medication": c.sertraline.pk, "day": c.pat.today.isoformat(), "status": "missed",
                         "reason": "forgot"},
         effect=lambda c: DoseLog.objects.filter(medication=c.sertraline, reason="forgot").exists(), label="post"),
    Case("portal:side_effect_new", "get", PATIENT_ONLY),
    Case("portal:side_effect_new", "post", PATIENT_ONLY_WRITE,
         data=lambda c: {"code": "nausea", "severity": "mild", "burden": "3", "suspected": [c.sertraline.pk]},
         effect=lambda c: SideEffect.objects.filter(patient=c.dana, reporter="patient", code="nausea").exists(),
         label="post"),
    Case("portal:side_effect_advice", "get", PATIENT_ONLY, kwargs=lambda c: {"side_effect_id": c.report.pk}),
    Case("portal:questionnaire", "get", PATIENT_ONLY, kwargs=lambda c: {"link_id": c.link.pk}),
    Case("portal:questionnaire", "post", PATIENT_ONLY_WRITE, kwargs=lambda c: {"link_id": c.link.pk},
         data=lambda c: {f"item_{n}": "1" for n in range(1, 10)} | {"item_9": "0", "action": "submit"},
         effect=lambda c: QuestionnaireResponse.objects.filter(link=c.link).exists(), label="post"),
    Case("portal:questionnaire_start", "post", PATIENT_ONLY_WRITE, kwargs=lambda c: {"questionnaire": "gad7"},
         effect=lambda c: QuestionnaireLink.objects.filter(patient=c.dana, questionnaire="gad7").exists()),
    Case("portal:settings", "get", PATIENT_ONLY),
    Case("portal:settings", "post", PATIENT_ONLY_WRITE, data=lambda c: {"message_alerts": "on"},
         effect=lambda c: PortalAccount.objects.get(pk=c.pat.account.pk).message_alerts, label="post"),
    Case("portal:push_subscribe", "post", PATIENT_ONLY,
         data=lambda c: {"endpoint": "https://push.example.com/x", "p256dh": c.browser.p256dh, "auth": c.browser.auth},
         effect=lambda c: PushSubscription.objects.filter(endpoint="https://push.example.com/x").exists()),
    Case("portal:push_unsubscribe", "post", PATIENT_ONLY_WRITE, data=lambda c: {"device": c.device.pk},
         effect=lambda c: PushSubscription.objects.get(pk=c.device.pk).ended_at is not None),
    Case("portal:push_test", "post", PATIENT_ONLY_WRITE,
         effect=lambda c: PushMessage.objects.filter(kind="test").exists()),
    Case("portal:messages_consent", "get", PATIENT_ONLY),
    Case("portal:messages_consent", "post", PATIENT_ONLY_WRITE,
         data=lambda c: {"channel": "email", "purpose": "questionnaires", "agreed": "off"},
         effect=lambda c: ContactConsent.objects.filter(address="dana@example.org", purpose="questionnaires",
                                                        granted=False).exists(), label="post"),
    Case("portal:language", "post", PATIENT_ONLY_WRITE, data=lambda c: {"language": "es"},
         effect=lambda c: PortalAccount.objects.get(pk=c.pat.account.pk).language == "es"),
    Case("portal:security", "get", PATIENT_ONLY),
    Case("portal:security", "post", PATIENT_ONLY_WRITE, data=lambda c: {"scope": "others"}, label="post"),
    Case("portal:manifest", "get", PUBLIC),
    Case("portal:service_worker", "get", PUBLIC),
    Case("portal:offline", "get", PUBLIC),
    Case("portal:staff_access", "get", STATUS_READERS, kwargs=lambda c: {"patient_id": c.dana.pk}),
    Case("portal:staff_access", "post", ACCESS_MANAGERS, kwargs=lambda c: {"patient_id": c.rosa.pk},
         data=lambda c: {"email": "rosa@example.org"},
         effect=lambda c: PortalAccount.objects.filter(patient=c.rosa).exists(), label="post"),
    Case("portal:staff_revoke", "post", ACCESS_MANAGERS, kwargs=lambda c: {"patient_id": c.dana.pk},
         data=lambda c: {"reason": "Patient asked to close the account"},
         effect=lambda c: PortalAccount.objects.get(patient=c.dana).status == PortalStatus.REVOKED),
    Case("portal:staff_proxy_grant", "post", ACCESS_MANAGERS, kwargs=lambda c: {"patient_id": c.rosa.pk},
         data=lambda c: {"name": "Ramon Reyes", "email": "ramon@example.org", "relationship": "helper",
                         "scopes": ["messages"], "expires_on": c.pat.today.replace(year=c.pat.today.year + 1),
                         "consent_by": "patient", "consent_words": "Rosa signed the proxy form today."},
         effect=lambda c: ProxyAccess.objects.filter(patient=c.rosa, name="Ramon Reyes").exists()),
    Case("portal:staff_proxy_revoke", "post", ACCESS_MANAGERS, kwargs=lambda c: {"patient_id": c.dana.pk},
         data=lambda c: {"proxy": c.helper.pk, "reason": "Dana asked to end it"},
         effect=lambda c: ProxyAccess.objects.get(pk=c.helper.pk).status == PortalStatus.REVOKED),
    Case("portal:staff_dose_log", "get", DOSE_LOG_READERS, kwargs=lambda c: {"patient_id": c.dana.pk}),
]


def test_every_route_has_a_row():
    assert route_names("portal") == {case.route for case in CASES}


@pytest.mark.parametrize("person", ORDER)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_matrix(case: Case, person: str, people, pat, dana, dana_meds, rosa, as_user):
    assert_case(case, Ctx(pat, dana, dana_meds, rosa, people["prescriber_a"]), as_user(people[person]), person)
