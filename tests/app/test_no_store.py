"""Responses with health information are never stored by a cache or kept in browser history;
static assets stay cacheable."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from dosewise.portal.tests.conftest import link_portal


def _no_store(response) -> bool:
    return response.get("Cache-Control") == "no-store"


def test_every_staff_page_api_answer_and_export_is_no_store(prescriber_a, nurse_a, admin_a, dana, as_user):
    alice, nina, ada = as_user(prescriber_a), as_user(nurse_a), as_user(admin_a)
    answers = {
        "home": alice.get(reverse("web:home")),
        "search": alice.get(reverse("patients:patient_search"), {"q": "diaz"}),
        "chart": alice.get(reverse("web:patient_chart", args=[dana.pk])),
        "medications tab": alice.get(reverse("web:patient_chart_tab", args=[dana.pk, "medications"])),
        "worklist": nina.get(reverse("monitoring:worklist")),
        "caseload csv": alice.get(reverse("assessments:caseload"), {"format": "csv"}),
        "labs csv": nina.get(reverse("monitoring:labs_to_order_export"), {"scope": "clinic"}),
        "audit csv": ada.get(reverse("audit:audit_report"), {"format": "csv"}),
        "api search": alice.get("/api/patients", {"q": "diaz"}),
        "api patient": alice.get(f"/api/patients/{dana.pk}"),
        "a refusal": as_user(admin_a).get(reverse("web:patient_chart_tab", args=[dana.pk, "medications"])),
        "not found": alice.get("/patients/999999/"),
    }
    assert {name: r.status_code for name, r in answers.items() if r.status_code >= 500} == {}
    assert [name for name, response in answers.items() if not _no_store(response)] == []


def test_the_portal_the_sign_in_page_and_the_api_without_a_session_are_no_store(patient_user, dana, prescriber_a,
                                                                                 as_user):
    link_portal(patient_user, dana, prescriber_a)
    pat = as_user(patient_user)
    for path in (reverse("portal:home"), reverse("portal:medicines"), reverse("portal:dose_log")):
        response = pat.get(path)
        assert response.status_code == 200 and _no_store(response), path
    anonymous = Client()
    for path in (reverse("account_login"), "/api/patients?q=diaz", "/q/not-a-real-token/"):
        assert _no_store(anonymous.get(path)), path


@pytest.mark.parametrize("path", ["/static/dosewise/app.css", "/static/dosewise/app.js"])
def test_static_assets_stay_cacheable(prescriber_a, as_user, path):
    response = as_user(prescriber_a).get(path)
    assert response.status_code == 200 and not _no_store(response)


def test_the_health_check_for_load_balancers_is_not_marked(db):
    assert Client().get("/healthz").get("Cache-Control") != "no-store"
