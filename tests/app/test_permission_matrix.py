"""Who may use which page and API route: one row per route, one column per named person.

The rows are checked against the URL resolver, so a new view or route without a row fails
`test_every_route_has_a_matrix_row`. Each POST row also says what the request should have
changed, and the matrix asserts that the change happened exactly when access was allowed.

Outcomes: OK (200), GO (302 somewhere other than the login page), LOGIN (302 to the login
page), FORBID (403), GLASS (403 break-glass page), GONE (404), UNAUTH (401, API only),
NO_GET (405: the route takes POST only).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.forms.models import model_to_dict
from django.urls import URLResolver, get_resolver, reverse
from tests.conftest import PEOPLE, demographics

from dosewise.accounts.models import User
from dosewise.audit.models import AuditEvent
from dosewise.lib.contributions import chart_tabs
from dosewise.patients import services
from dosewise.patients.models import (
    Allergy,
    BreakGlassAccess,
    CareTeamMember,
    ClinicalContextEntry,
    Consent,
    Patient,
)
from dosewise.patients.selectors import access_patient
from dosewise.patients.services import DEMOGRAPHIC_FIELDS

OK, GO, LOGIN, FORBID, GLASS, GONE, UNAUTH, NO_GET = "200", "302", "login", "403", "glass", "404", "401", "405"
PATIENT_PEOPLE = ("anonymous", "patient_user", "prescriber_a", "colleague_a", "nurse_a", "therapist_a",
                  "front_desk_a", "admin_a", "clinician_b")


def row(anonymous, patient_user, prescriber_a, colleague_a, nurse_a, therapist_a, front_desk_a, admin_a,
        clinician_b) -> dict[str, str]:
    """Return the expected outcome per person, in the order of PEOPLE."""
    return dict(zip(PATIENT_PEOPLE, (anonymous, patient_user, prescriber_a, colleague_a, nurse_a, therapist_a,
                                     front_desk_a, admin_a, clinician_b), strict=True))


assert set(PATIENT_PEOPLE) == set(PEOPLE)

# Expected outcomes for Dana's chart tabs; every tab the apps contribute needs a line here.
TAB_EXPECT = {
    "overview": row(LOGIN, FORBID, OK, GLASS, GLASS, OK, OK, OK, GONE),
    "assessments": row(LOGIN, FORBID, OK, GLASS, GLASS, OK, GONE, GONE, GONE),
    "medications": row(LOGIN, FORBID, OK, GLASS, GLASS, OK, GONE, GONE, GONE),
    # A therapist sees the plan and the trajectory, not labs.
    "monitoring": row(LOGIN, FORBID, OK, GLASS, GLASS, GONE, GONE, GONE, GONE),
    # Notes and messages are clinical: the care team, not the front desk or the clinic admin.
    "visits": row(LOGIN, FORBID, OK, GLASS, GLASS, OK, GONE, GONE, GONE),
    "messages": row(LOGIN, FORBID, OK, GLASS, GLASS, OK, GONE, GONE, GONE),
}


class Ctx:
    """What a matrix row needs: the people, both patients and a few of their records."""

    def __init__(self, people, dana, evan):
        self.people = people
        self.dana, self.evan = dana, evan
        self.records = {dana.pk: self._records(dana, people["prescriber_a"]),
                        evan.pk: self._records(evan, people["clinician_b"])}
        self.spare = User.objects.create_user(email="sam@northside.test", full_name="Sam Spare", role="nurse",
                                              clinic=people["prescriber_a"].clinic)

    @staticmethod
    def _records(patient, clinician) -> dict:
        return {
            "allergy": Allergy.objects.filter(patient=patient).first()
            or services.allergy_add(actor=clinician, access=access_patient(clinician, patient.pk, "clinical.edit"),
                                    substance="codeine", category="intolerance", reaction="", severity="mild",
                                    verified=False),
            "consent": Consent.objects.filter(patient=patient).first()
            or services.consent_record(actor=clinician, access=access_patient(clinician, patient.pk),
                                       kind="treatment", method="paper"),
            "membership": CareTeamMember.objects.filter(patient=patient).order_by("-pk").first(),
        }


@dataclass(frozen=True)
class Case:
    route: str  # namespaced URL name
    method: str
    expect: dict[str, str]
    kwargs: Callable = lambda ctx, patient: {}
    data: Callable = lambda ctx, patient: {}
    query: str = ""
    # For POSTs: did the request change what it should have? (True only when allowed.)
    effect: Callable | None = None
    setup: Callable | None = None
    patient_scoped: bool = field(default=False)
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.method} {self.route}{' ' + self.label if self.label else ''}"


def _pid(ctx, patient):
    return {"patient_id": patient.pk}


def _edit_data(ctx, patient):
    data = model_to_dict(Patient.objects.get(pk=patient.pk), fields=DEMOGRAPHIC_FIELDS)
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.update(date_of_birth=patient.date_of_birth.isoformat(), preferred_name="Dee", version=patient.version)
    return data


def _grant_for_bob(ctx, patient):
    services.break_glass_grant(actor=ctx.people["colleague_a"], patient=ctx.dana,
                               reason="Called by the emergency department about an overdose")


def _duplicate_of(ctx, patient):
    services.patient_register(actor=ctx.people["admin_a"], data=demographics(
        legal_given_name=patient.legal_given_name, legal_family_name=patient.legal_family_name,
        date_of_birth=patient.date_of_birth, email="", sex_at_birth=patient.sex_at_birth))


def _merge_data(ctx, patient):
    duplicate = Patient.objects.filter(legal_family_name=patient.legal_family_name).exclude(pk=patient.pk).first()
    return {"other_mrn": duplicate.mrn if duplicate else "X", "reason": "Same person: registered twice at intake"}


def _merged(ctx, patient, user):
    return Patient.objects.filter(merged_into=patient).exists()


PATIENT_CASES = [
    Case("web:patient_chart", "GET", TAB_EXPECT["overview"], _pid),
    *[Case("web:patient_chart_tab", "GET", TAB_EXPECT[tab], lambda c, p, tab=tab: {"patient_id": p.pk, "tab": tab},
           label=tab) for tab in [t.key for t in chart_tabs()] if tab in TAB_EXPECT],
    Case("patients:patient_edit", "GET", row(LOGIN, FORBID, OK, FORBID, FORBID, GONE, OK, OK, GONE), _pid),
    Case("patients:patient_edit", "POST", row(LOGIN, FORBID, GO, FORBID, FORBID, GONE, GO, GO, GONE), _pid,
         data=_edit_data, effect=lambda c, p, user: Patient.objects.get(pk=p.pk).preferred_name == "Dee"),
    Case("patients:patient_merge", "GET", row(LOGIN, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, OK, GONE),
         _pid),
    Case("patients:patient_merge", "POST", row(LOGIN, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, GO, GONE),
         _pid, setup=_duplicate_of, data=_merge_data, effect=_merged),
    Case("patients:patient_break_glass", "POST", row(LOGIN, FORBID, GO, GO, GO, GO, GONE, GONE, GONE), _pid,
         data=lambda c, p: {"reason": "Patient arrived in crisis; prescriber unavailable", "tab": "overview"},
         effect=lambda c, p, user: BreakGlassAccess.objects.filter(patient=p, user=user).exists()),
    Case("patients:allergy_add", "POST", row(LOGIN, FORBID, GO, FORBID, FORBID, GONE, GONE, GONE, GONE), _pid,
         data=lambda c, p: {"substance": "lamotrigine", "category": "allergy", "reaction": "rash",
                            "severity": "severe"},
         effect=lambda c, p, user: Allergy.objects.filter(patient=p, substance="lamotrigine").exists()),
    Case("patients:allergy_entered_in_error", "POST", row(LOGIN, FORBID, GO, FORBID, FORBID, GONE, GONE, GONE, GONE),
         lambda c, p: {"patient_id": p.pk, "allergy_id": c.records[p.pk]["allergy"].pk},
         data=lambda c, p: {"reason": "wrong patient"},
         effect=lambda c, p, user: Allergy.objects.get(pk=c.records[p.pk]["allergy"].pk).entered_in_error_at
         is not None),
    Case("patients:context_add", "POST", row(LOGIN, FORBID, GO, FORBID, FORBID, GONE, GONE, GONE, GONE), _pid,
         data=lambda c, p: {"kind": "weight", "value": "71.5", "effective_date": "2025-01-15"},
         effect=lambda c, p, user: ClinicalContextEntry.objects.filter(patient=p, kind="weight").exists()),
    Case("patients:care_team_add", "POST", row(LOGIN, FORBID, GO, FORBID, GONE, GONE, GONE, GO, GONE), _pid,
         data=lambda c, p: {"member": c.people["nurse_a"].pk, "team_role": "nurse"},
         effect=lambda c, p, user: CareTeamMember.objects.filter(patient=p, member=c.people["nurse_a"]).exists()),
    Case("patients:care_team_end", "POST", row(LOGIN, FORBID, GO, FORBID, GONE, GONE, GONE, GO, GONE),
         lambda c, p: {"patient_id": p.pk, "membership_id": c.records[p.pk]["membership"].pk},
         effect=lambda c, p, user: CareTeamMember.objects.get(pk=c.records[p.pk]["membership"].pk).until
         is not None),
    Case("patients:consent_add", "POST", row(LOGIN, FORBID, GO, FORBID, FORBID, GONE, GO, GO, GONE), _pid,
         data=lambda c, p: {"kind": "sms", "method": "verbal"},
         effect=lambda c, p, user: Consent.objects.filter(patient=p, kind="sms").exists()),
    Case("patients:consent_revoke", "POST", row(LOGIN, FORBID, GO, FORBID, FORBID, GONE, GO, GO, GONE),
         lambda c, p: {"patient_id": p.pk, "consent_id": c.records[p.pk]["consent"].pk},
         data=lambda c, p: {"method": "verbal"},
         effect=lambda c, p, user: Consent.objects.get(pk=c.records[p.pk]["consent"].pk).revoked_at is not None),
    Case("api:patient_detail", "GET", row(UNAUTH, FORBID, OK, FORBID, FORBID, OK, OK, OK, GONE), _pid),
]
PATIENT_CASES = [Case(**{**case.__dict__, "patient_scoped": True}) for case in PATIENT_CASES]

_STAFF_ONLY = row(LOGIN, FORBID, OK, OK, OK, OK, OK, OK, OK)
_ADMIN_ONLY = row(LOGIN, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, OK, FORBID)
_ADMIN_ONLY_POST = row(LOGIN, FORBID, FORBID, FORBID, FORBID, FORBID, FORBID, GO, FORBID)

CLINIC_CASES = [
    Case("web:home", "GET", _STAFF_ONLY),
    Case("patients:patient_search", "GET", _STAFF_ONLY, query="q=diaz"),
    Case("patients:patient_register", "GET", row(LOGIN, FORBID, OK, OK, OK, FORBID, OK, OK, OK)),
    Case("patients:patient_register", "POST", row(LOGIN, FORBID, GO, GO, GO, FORBID, GO, GO, GO),
         data=lambda c, p: {**demographics(legal_given_name="Rosa", legal_family_name="Reyes", email=""),
                            "date_of_birth": "1990-01-02"},
         effect=lambda c, p, user: Patient.objects.filter(legal_given_name="Rosa").exists()),
    Case("accounts:staff_list", "GET", _ADMIN_ONLY),
    Case("accounts:staff_list", "POST", _ADMIN_ONLY_POST,
         data=lambda c, p: {"full_name": "Ivy Invite", "email": "ivy@northside.test", "role": "nurse"},
         effect=lambda c, p, user: User.objects.filter(email="ivy@northside.test").exists()),
    Case("accounts:staff_set_active", "POST", _ADMIN_ONLY_POST, lambda c, p: {"user_id": c.spare.pk},
         data=lambda c, p: {"active": "0"},
         effect=lambda c, p, user: not User.objects.get(pk=c.spare.pk).is_active),
    Case("audit:audit_report", "GET", _ADMIN_ONLY),
    Case("audit:audit_report", "GET", _ADMIN_ONLY, query="format=csv", label="csv"),
    Case("patients:break_glass_report", "GET", _ADMIN_ONLY),
    Case("patients:break_glass_report", "POST", _ADMIN_ONLY_POST, setup=_grant_for_bob,
         data=lambda c, p: {"grant": BreakGlassAccess.objects.get(user=c.people["colleague_a"]).pk,
                           "note": "Justified: covering the on-call prescriber"},
         effect=lambda c, p, user: BreakGlassAccess.objects.get(user=c.people["colleague_a"]).reviewed_at
         is not None),
    Case("api:patients_search", "GET", row(UNAUTH, FORBID, OK, OK, OK, OK, OK, OK, OK), query="q=diaz"),
    # The API description is public (it holds no health information); the bare prefix is nothing.
    Case("api:openapi-json", "GET", row(OK, OK, OK, OK, OK, OK, OK, OK, OK)),
    Case("api:openapi-view", "GET", row(OK, OK, OK, OK, OK, OK, OK, OK, OK)),
    Case("api:api-root", "GET", row(GONE, GONE, GONE, GONE, GONE, GONE, GONE, GONE, GONE)),
]

POST_ONLY_ROUTES = {case.route for case in PATIENT_CASES + CLINIC_CASES if case.method == "POST"} - {
    case.route for case in PATIENT_CASES + CLINIC_CASES if case.method == "GET"}
CASES = PATIENT_CASES + CLINIC_CASES


# Not in this matrix: allauth's own pages (tested in accounts) and the health check, public by
# design; and the apps that carry their own generated matrix in <app>/tests/test_permissions.py
# (assessments with its public questionnaire form under q/, medications, monitoring, portal,
# scheduling, outreach, visits, messaging; their routes under patients/ too, so they are left out by
# namespace).
NOT_IN_MATRIX_PREFIXES = ("accounts/", "healthz", "assessments/", "q/", "medications/", "monitoring/", "portal/",
                          "schedule/")
OWN_MATRIX_NAMESPACES = frozenset({"scheduling", "outreach", "visits", "messaging"})


def _routes_in_resolver(resolver=None, prefix: str = "", namespace: str = "") -> set[str]:
    """Return the namespaced name of every route, walking included URL confs."""
    resolver = resolver or get_resolver()
    names = set()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(NOT_IN_MATRIX_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            if entry.namespace in OWN_MATRIX_NAMESPACES:
                continue
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            names |= _routes_in_resolver(entry, route, inner)
        else:
            names.add(f"{namespace}:{entry.name}" if namespace else str(entry.name))
    return names


def test_the_web_pages_and_the_api_routes_are_all_found():
    routes = _routes_in_resolver()
    assert {"web:home", "web:patient_chart", "api:patients_search", "api:patient_detail"} <= routes


def test_every_route_has_a_matrix_row():
    routes, rows = _routes_in_resolver(), {case.route for case in CASES}
    assert routes - rows == set(), "routes without a row in the permission matrix"
    assert rows - routes == set(), "matrix rows for routes that no longer exist"


def test_every_chart_tab_has_a_matrix_row():
    assert {tab.key for tab in chart_tabs()} == set(TAB_EXPECT)


def assert_outcome(response, expected: str, label: str) -> None:
    status, location = response.status_code, response.get("Location", "")
    login = reverse("account_login")
    if expected == LOGIN:
        assert status == 302 and location.startswith(login), (label, status, location)
    elif expected == GO:
        assert status == 302 and not location.startswith(login), (label, status, location)
    elif expected == GLASS:
        assert status == 403 and "patients/break_glass.html" in [t.name for t in response.templates], (label, status)
    elif expected == FORBID:
        assert status == 403 and "patients/break_glass.html" not in [t.name for t in response.templates], (label, status)
    else:
        assert status == int(expected), (label, status, location)


@pytest.fixture
def ctx(people, dana, evan):
    return Ctx(people, dana, evan)


def _request(client, case: Case, ctx: Ctx, patient, method: str | None = None):
    url = reverse(case.route, kwargs=case.kwargs(ctx, patient))
    if case.query:
        url += "?" + case.query
    if (method or case.method) == "POST":
        return client.post(url, case.data(ctx, patient))
    return client.get(url)


@pytest.mark.parametrize("person", PATIENT_PEOPLE)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_matrix(case, person, ctx, as_user):
    user = ctx.people[person]
    if case.setup:
        case.setup(ctx, ctx.dana)
    response = _request(as_user(user), case, ctx, ctx.dana)
    expected = case.expect[person]
    assert_outcome(response, expected, f"{case.id} as {person}")
    if case.effect is not None:
        assert case.effect(ctx, ctx.dana, user) == (expected == GO), f"{case.id} as {person}: effect"


@pytest.mark.parametrize("person", ["prescriber_a", "colleague_a", "nurse_a", "therapist_a", "front_desk_a",
                                    "admin_a"])
@pytest.mark.parametrize("case", PATIENT_CASES, ids=lambda case: case.id)
def test_another_clinics_patient_is_not_found_for_everyone_of_clinic_a(case, person, ctx, as_user):
    user = ctx.people[person]
    response = _request(as_user(user), case, ctx, ctx.evan)
    assert response.status_code == 404
    if case.effect is not None:
        assert not case.effect(ctx, ctx.evan, user)


@pytest.mark.parametrize("route", sorted(POST_ONLY_ROUTES))
def test_post_only_routes_refuse_get(route, ctx, as_user):
    case = next(c for c in CASES if c.route == route)
    login = reverse("account_login")
    anonymous = _request(as_user(None), case, ctx, ctx.dana, method="GET")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(login)
    for person in ("prescriber_a", "admin_a", "patient_user"):
        assert _request(as_user(ctx.people[person]), case, ctx, ctx.dana, method="GET").status_code == 405


def test_clinic_b_sees_its_own_patient_and_search_never_shows_clinic_a(ctx, as_user):
    carol = as_user(ctx.people["clinician_b"])
    assert carol.get(reverse("web:patient_chart", args=[ctx.evan.pk])).status_code == 200
    page = carol.get(reverse("patients:patient_search"), {"q": "diaz"}).content.decode()
    assert "Dana" not in page and "No patient matches" in page
    assert carol.get("/api/patients", {"q": "d"}).json() == []


def test_bob_gets_into_the_chart_after_break_glass_and_the_admin_sees_it(ctx, as_user):
    bob, dana = ctx.people["colleague_a"], ctx.dana
    client = as_user(bob)
    chart = reverse("web:patient_chart", args=[dana.pk])
    refused = client.get(chart)
    assert refused.status_code == 403 and b"is not on your care team" in refused.content

    too_short = client.post(reverse("patients:patient_break_glass", args=[dana.pk]), {"reason": "urgent"})
    assert too_short.status_code == 400 and not BreakGlassAccess.objects.filter(user=bob).exists()

    reason = "ED called about an overdose; Alice is on leave"
    granted = client.post(reverse("patients:patient_break_glass", args=[dana.pk]), {"reason": reason, "tab": "overview"})
    assert granted.status_code == 302
    opened = client.get(chart)
    assert opened.status_code == 200 and b"emergency access" in opened.content and b"penicillin" in opened.content

    events = AuditEvent.objects.filter(patient=dana, actor=bob).order_by("id")
    assert [(e.action, e.outcome) for e in events] == [
        ("chart.open", "denied"), ("break_glass.grant", "success"), ("chart.open", "success")]
    assert events.last().detail["via"] == "break_glass"
    assert events[1].detail["reason"] == reason

    report = as_user(ctx.people["admin_a"]).get(reverse("patients:break_glass_report"))
    assert report.status_code == 200
    assert "Bob Brown" in report.content.decode() and reason in report.content.decode()


def test_front_desk_sees_demographics_but_not_allergies(ctx, as_user):
    page = as_user(ctx.people["front_desk_a"]).get(reverse("web:patient_chart", args=[ctx.dana.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "dana@example.org" in html and ctx.dana.mrn in html
    assert "penicillin" not in html and "Allergies" not in html
    api = as_user(ctx.people["front_desk_a"]).get(f"/api/patients/{ctx.dana.pk}").json()
    assert api["allergies"] is None and api["mrn"] == ctx.dana.mrn


def test_the_therapist_sees_no_monitoring_tab(ctx, as_user):
    theo = as_user(ctx.people["therapist_a"])
    html = theo.get(reverse("web:patient_chart", args=[ctx.dana.pk])).content.decode()
    assert reverse("web:patient_chart_tab", args=[ctx.dana.pk, "medications"]) in html
    assert reverse("web:patient_chart_tab", args=[ctx.dana.pk, "monitoring"]) not in html
    assert "penicillin" in html


def test_the_prescriber_sees_allergies_in_the_api(ctx, as_user):
    body = as_user(ctx.people["prescriber_a"]).get(f"/api/patients/{ctx.dana.pk}").json()
    assert [a["substance"] for a in body["allergies"]] == ["penicillin"]
    assert {m["member"] for m in body["care_team"]} == {"Alice Adams, MD", "Theo Tran, LCSW"}


def test_audit_csv_export_is_admin_only_and_audited(ctx, as_user):
    response = as_user(ctx.people["admin_a"]).get(reverse("audit:audit_report"), {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("time_utc,actor,role,action")
    assert any(",patient.register," in line and ctx.dana.mrn in line for line in lines)
    assert AuditEvent.objects.filter(action="audit.export", actor=ctx.people["admin_a"]).count() == 1
    assert as_user(ctx.people["prescriber_a"]).get(reverse("audit:audit_report"), {"format": "csv"}).status_code == 403
    assert AuditEvent.objects.filter(action="audit.export").count() == 1


def test_an_unknown_chart_tab_goes_back_to_the_overview(ctx, as_user):
    response = as_user(ctx.people["prescriber_a"]).get(f"/patients/{ctx.dana.pk}/tab/billing/")
    assert response.status_code == 302 and response["Location"] == reverse("web:patient_chart", args=[ctx.dana.pk])
