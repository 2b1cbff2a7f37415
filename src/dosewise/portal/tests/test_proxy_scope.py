"""What a proxy may open: every patient page of the portal, messaging and the schedule, for five
proxies of Dana, checked against the scope of their access.

The rows are the patient rows of the three apps' own permission matrices (every route Pat, the
patient, may use), so a new patient page is covered here as soon as it has its matrix row.
Gina (Dana's sister, a helper) has appointments and messages; Milo (a helper) has medicines
only; Rita (Dana's legal guardian) has all three; Eve's access has expired; Ray's was revoked
while he was signed in. Questionnaires, reminders, devices and texts-and-e-mails consent are
Dana's own, whatever the scope. Each write row checks that the change happened exactly when
the proxy was allowed it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from dosewise.clinics.clock import clinic_today
from dosewise.lib.permission_matrix import FORBID, GO, LOGIN, OK, Case, assert_case, case_id, route_names
from dosewise.messaging.tests import test_permissions as messaging_matrix
from dosewise.portal import services
from dosewise.portal.models import PortalStatus, ProxyAccess
from dosewise.portal.tests import test_permissions as portal_matrix
from dosewise.portal.tests.conftest import grant_proxy
from dosewise.scheduling.tests import test_permissions as scheduling_matrix
from dosewise.scheduling.tests.conftest import hours, kinds  # noqa: F401  (the schedule rows' fixtures)

ORDER = ("gina", "milo", "rita", "expired", "revoked")
SCOPES = {"gina": ("appointments", "messages"), "milo": ("medicines",),
          "rita": ("appointments", "messages", "medicines"), "expired": ("appointments", "messages", "medicines"),
          "revoked": ("appointments", "messages", "medicines")}

MEDICINES = {"portal:medicines", "portal:handout", "portal:calendar", "portal:dose_log", "portal:side_effect_new",
             "portal:side_effect_advice"}
OWNER = {"portal:questionnaire", "portal:questionnaire_start", "portal:settings", "portal:push_subscribe",
         "portal:push_unsubscribe", "portal:push_test", "portal:messages_consent"}
OPEN = {"portal:home", "portal:choose", "portal:language", "portal:security"}


def needs(route: str) -> tuple[str, ...] | None:
    """The scopes a route needs (None: only the patient's own account opens it)."""
    if route in OWNER:
        return None
    if route in MEDICINES:
        return ("medicines",)
    if route == "messaging:portal_refill":
        return ("messages", "medicines")
    if route.startswith("messaging:"):
        return ("messages",)
    if route.startswith("scheduling:"):
        return ("appointments",)
    assert route in OPEN or route == "portal:family", f"say which scope {route} needs"
    return ()


def _patient_cases(module) -> list[Case]:
    return [c for c in module.CASES if c.expect["patient_user"] in (OK, GO) and c.expect["anonymous"] == LOGIN]


def _expect(case: Case) -> dict[str, str]:
    own = case.expect["patient_user"]
    wanted = needs(case.route)
    outcome = {}
    for person in ORDER:
        if person == "revoked":
            outcome[person] = LOGIN
        elif person == "expired" or wanted is None or not set(wanted) <= set(SCOPES[person]):
            outcome[person] = FORBID
        elif case.route == "portal:family" and case.method == "post":
            # The row ends Dana's other helper (the portal matrix's): Rita (her guardian) may; a helper may end only their own.
            outcome[person] = GO if person == "rita" else FORBID
        else:
            outcome[person] = own
    return outcome


def _proxied(case: Case, app: str) -> Case:
    effect = case.effect
    if case.route == "portal:language":
        # A proxy's language is their own: the patient's account keeps its choice.
        def effect(c):
            return ProxyAccess.objects.get(pk=c.proxy.pk).language == "es"
    elif case.route == "portal:family" and case.method == "post":
        def effect(c):
            return ProxyAccess.objects.get(pk=c.helper.pk).status == PortalStatus.REVOKED
    return Case(f"{case.route}", case.method, _expect(case), kwargs=case.kwargs, data=case.data, effect=effect,
                label=f"{app}{'-' + case.label if case.label else ''}")


CASES = ([_proxied(c, "portal") for c in _patient_cases(portal_matrix)]
         + [_proxied(c, "messaging") for c in _patient_cases(messaging_matrix)]
         + [_proxied(c, "scheduling") for c in _patient_cases(scheduling_matrix)])


def _proxy(person: str, dana, alice) -> ProxyAccess:
    relationship, consent_by = ("guardian", "guardian") if person == "rita" else ("helper", "patient")
    proxy = grant_proxy(dana, alice, email=f"{person}.proxy@example.org", name=f"{person.title()} Proxy",
                        scopes=SCOPES[person], relationship=relationship, consent_by=consent_by)
    if person == "expired":
        ProxyAccess.objects.filter(pk=proxy.pk).update(expires_on=clinic_today(dana.clinic) - timedelta(days=1))
    proxy.refresh_from_db()
    return proxy


def _ctx(case: Case, request):
    app = case.label.split("-")[0]
    people = request.getfixturevalue("people")
    if app == "scheduling":
        return scheduling_matrix.Ctx(people, request.getfixturevalue("dana"), request.getfixturevalue("kinds"))
    pat, dana_meds = request.getfixturevalue("pat"), request.getfixturevalue("dana_meds")
    if app == "messaging":
        return messaging_matrix.Ctx(pat, dana_meds)
    return portal_matrix.Ctx(pat, pat.patient, dana_meds, request.getfixturevalue("rosa"), people["prescriber_a"])


@pytest.mark.parametrize("person", ORDER)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_a_proxy_opens_only_what_their_scope_allows(case: Case, person: str, request, as_user):
    if case.label.startswith("scheduling"):
        request.getfixturevalue("hours")
    ctx = _ctx(case, request)
    alice, dana = request.getfixturevalue("prescriber_a"), request.getfixturevalue("dana")
    ctx.proxy = _proxy(person, dana, alice)
    client = as_user(ctx.proxy.user)
    if person == "revoked":
        services.proxy_revoke(actor=alice, access=_access(alice, dana), proxy_id=ctx.proxy.pk,
                              reason="Dana asked to end it")
    assert_case(case, ctx, client, person)


def _access(user, patient):
    from dosewise.patients.selectors import access_patient

    return access_patient(user, patient.pk, "consent.record")


def test_every_patient_route_is_in_the_proxy_matrix():
    """Every portal page but the staff pages and the public app files, and every portal page of
    messaging and the schedule, has rows here (through its own app's matrix)."""
    public = {"portal:manifest", "portal:service_worker", "portal:offline"}
    patient_pages = {r for r in route_names("portal") if ":staff_" not in r} - public
    patient_pages |= {r for ns in ("messaging", "scheduling") for r in route_names(ns) if r.split(":")[1].startswith("portal_")}
    assert patient_pages == {c.route for c in CASES}
