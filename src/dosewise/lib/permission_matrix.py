"""The permission-matrix harness shared by the apps' generated matrices (used by tests only).

Each app lists a `Case` per route (its expected outcome for every named person) and calls
`assert_case`; `route_names` keeps the list complete, so a new route without a row fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import get_resolver, reverse

OK, GO, LOGIN, FORBID, GONE = "200", "302", "login", "403", "404"
# The named test people of tests/conftest.py, which checks that both lists agree.
ORDER = ("anonymous", "patient_user", "prescriber_a", "colleague_a", "nurse_a", "therapist_a", "front_desk_a",
         "admin_a", "clinician_b")


def row(*outcomes: str) -> dict[str, str]:
    """Return the expected outcome per person, given in the order of ORDER."""
    return dict(zip(ORDER, outcomes, strict=True))


@dataclass
class Case:
    route: str
    method: str
    expect: dict[str, str]
    kwargs: Callable = lambda ctx: {}
    data: Callable = lambda ctx: {}
    effect: Callable | None = None  # True when the request changed what it should have
    label: str = ""


def case_id(case: Case) -> str:
    return f"{case.route.split(':')[1]}-{case.method}{'-' + case.label if case.label else ''}"


def route_names(namespace: str) -> set[str]:
    """Return the namespaced names of every route of one URL namespace."""
    _, sub = get_resolver().namespace_dict[namespace]
    return {f"{namespace}:{pattern.name}" for pattern in sub.url_patterns}


def assert_case(case: Case, ctx, client, person: str) -> None:
    """Request the case's route as `person` and check the status and, for writes, the effect."""
    response = getattr(client, case.method)(reverse(case.route, kwargs=case.kwargs(ctx)), case.data(ctx))
    expected = case.expect[person]
    status, location = response.status_code, response.get("Location", "")
    label = f"{case.route} {case.method} as {person}"
    if expected == LOGIN:
        assert status == 302 and location.startswith(reverse("account_login")), (label, status, location)
    elif expected == GO:
        assert status == 302 and not location.startswith(reverse("account_login")), (label, status, location)
    else:
        assert status == int(expected), (label, status, location)
    if case.effect is not None:
        allowed = expected in (OK, GO)
        assert case.effect(ctx) is allowed, f"{label}: change {'missing' if allowed else 'made without access'}"
