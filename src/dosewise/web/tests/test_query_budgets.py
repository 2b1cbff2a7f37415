"""Query-count budgets: list and chart pages cost the same with 3 records as with 60."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dosewise.demo import generate_patients
from dosewise.patients.models import (
    Allergy,
    CareTeamMember,
    ClinicalContextEntry,
    Consent,
    ConsentText,
    Patient,
    PatientNameToken,
)

# Upper bounds; the equality between sizes is what catches an N+1 query.
# Home includes the top of the worklist (its four queries plus the care-team lookup); the chart
# header includes the patient's active safety overrides (one query). The messages section of Home
# costs three (its counts, the threads shown, the clinic's response-time target), the schedule's
# section one (the clinician's day), its intakes-to-book section one for the desk.
BUDGETS = {"home": 20, "search": 10, "chart": 20}
# The Overview adds the cards that lead it: medicines, plans and problems (five queries), risk tasks
# and scores (three), newest results and due monitoring (four); see patients/tests/test_overview.py;
# the patient's message history (outreach, one query) and coming appointments (scheduling, one);
# the contact consent by purpose (the consent ledger: one query per address on file, one for its
# history; 28 queries with a phone and an e-mail, within the budget).
OVERVIEW_BUDGET = 33


def count_queries(client, url: str, data=None) -> int:
    client.get(url, data)  # warm up: session and chain-head writes happen once, not per page view
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(queries)


@pytest.fixture
def staff(prescriber_a, nurse_a, therapist_a, front_desk_a):
    return {"prescriber": prescriber_a, "nurse": nurse_a, "therapist": therapist_a, "front_desk": front_desk_a}


def _grow_clinic(clinic, staff, total: int, seed: int) -> None:
    have = Patient.objects.filter(clinic=clinic).count()
    generate_patients(clinic, total - have, seed=seed, staff=staff)
    prescriber = staff["prescriber"]
    # Put every patient on Alice's list and give them a shared family name to search for.
    on_team = set(CareTeamMember.objects.filter(member=prescriber).values_list("patient_id", flat=True))
    CareTeamMember.objects.bulk_create([
        CareTeamMember(clinic=clinic, patient=p, member=prescriber, team_role="prescriber",
                       since=timezone.localdate() - timedelta(days=30), added_by=prescriber)
        for p in Patient.objects.filter(clinic=clinic).exclude(pk__in=on_team)])
    tokens = set(PatientNameToken.objects.filter(token="budgetson").values_list("patient_id", flat=True))
    PatientNameToken.objects.bulk_create([PatientNameToken(clinic=clinic, patient=p, token="budgetson")
                                          for p in Patient.objects.filter(clinic=clinic).exclude(pk__in=tokens)])


def test_home_and_search_pages_cost_the_same_for_3_and_60_patients(clinic_a, staff, as_user, settings):
    settings.PATIENT_SEARCH_LIMIT = 100
    alice = as_user(staff["prescriber"])
    counts = {}
    for size in (3, 60):
        _grow_clinic(clinic_a, staff, size, seed=size)
        home = count_queries(alice, reverse("web:home"))
        search = count_queries(alice, reverse("patients:patient_search"), {"q": "budgetson"})
        page = alice.get(reverse("patients:patient_search"), {"q": "budgetson"}).content.decode()
        assert len(set(re.findall(r'href="/patients/(\d+)/"', page))) == size
        counts[size] = (home, search)
    assert counts[3] == counts[60]
    home, search = counts[60]
    assert home <= BUDGETS["home"] and search <= BUDGETS["search"]


def test_the_api_search_costs_the_same_for_3_and_60_patients(clinic_a, staff, as_user, settings):
    settings.PATIENT_SEARCH_LIMIT = 100
    alice = as_user(staff["prescriber"])
    counts = []
    for size in (3, 60):
        _grow_clinic(clinic_a, staff, size, seed=size)
        counts.append(count_queries(alice, "/api/patients", {"q": "budgetson"}))
        assert len(alice.get("/api/patients", {"q": "budgetson"}).json()) == size
    assert counts[0] == counts[1] <= BUDGETS["search"]


def _grow_chart(patient, prescriber, total: int) -> None:
    texts = {t.kind: t for t in ConsentText.objects.filter(clinic=patient.clinic)}
    have = Allergy.objects.filter(patient=patient).count()
    Allergy.objects.bulk_create([
        Allergy(clinic=patient.clinic, patient=patient, substance=f"substance {n:03d}", reaction="rash",
                severity="mild", recorded_by=prescriber) for n in range(have, total)])
    have = Consent.objects.filter(patient=patient).count()
    Consent.objects.bulk_create([
        Consent(clinic=patient.clinic, patient=patient, kind=("treatment", "sms", "email")[n % 3],
                text_version=texts[("treatment", "sms", "email")[n % 3]], given_at=timezone.now(),
                method="paper", recorded_by=prescriber) for n in range(have, total)])
    have = ClinicalContextEntry.objects.filter(patient=patient).count()
    ClinicalContextEntry.objects.bulk_create([
        ClinicalContextEntry(clinic=patient.clinic, patient=patient, kind="weight", value_number=60 + n % 30,
                             unit="kg", effective_date=timezone.localdate() - timedelta(days=n),
                             recorded_by=prescriber) for n in range(have, total)])


@pytest.mark.parametrize("tab", ["overview", "medications"])
def test_the_chart_costs_the_same_for_3_and_60_allergies_consents_and_measurements(dana, prescriber_a, as_user,
                                                                                  tab):
    alice = as_user(prescriber_a)
    url = reverse("web:patient_chart_tab", args=[dana.pk, tab])
    counts = []
    for size in (3, 60):
        _grow_chart(dana, prescriber_a, size)
        counts.append(count_queries(alice, url))
        if tab == "overview":
            assert alice.get(url).content.decode().count("substance ") >= size - 1
    assert counts[0] == counts[1] <= (OVERVIEW_BUDGET if tab == "overview" else BUDGETS["chart"])


def test_the_api_chart_header_costs_the_same_for_3_and_60_allergies(dana, prescriber_a, as_user):
    alice = as_user(prescriber_a)
    counts = []
    for size in (3, 60):
        _grow_chart(dana, prescriber_a, size)
        counts.append(count_queries(alice, f"/api/patients/{dana.pk}"))
        assert len(alice.get(f"/api/patients/{dana.pk}").json()["allergies"]) == size
    assert counts[0] == counts[1] <= BUDGETS["chart"]
