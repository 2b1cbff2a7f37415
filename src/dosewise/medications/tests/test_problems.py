"""The coded problem list: ICD-10-CM codes checked against the package data, resolved or
entered in error (never deleted), every change audited, the code search, the chart card,
and a medicine's indication linked to an active problem."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from dosewise.audit.models import AuditEvent
from dosewise.medications import services
from dosewise.medications.models import Problem
from dosewise.medications.problems import InvalidIcd10Code, icd10_lookup, icd10_search
from dosewise.patients.selectors import access_patient

pytestmark = pytest.mark.django_db


def _add(actor, access, code="F41.1", **kwargs):
    return services.problem_add(actor=actor, access=access, code=code, **kwargs)


def _tab(client, patient):
    return client.get(reverse("web:patient_chart_tab", kwargs={"patient_id": patient.pk, "tab": "medications"}))


@pytest.mark.parametrize(("text", "code", "description"), [
    ("f41.1", "F41.1", "Generalized anxiety disorder"),
    ("F321", "F32.1", "Major depressive disorder, single episode, moderate"),
    (" F31.81 ", "F31.81", "Bipolar II disorder"),
])
def test_a_code_is_normalised_and_described_from_the_package(text, code, description):
    found = icd10_lookup(text)
    assert (found.code, found.description) == (code, description)


@pytest.mark.parametrize(("text", "message"), [
    ("depression", "depression is not an ICD-10-CM code"),
    ("F99.9", "F99.9 is not an ICD-10-CM code"),
    ("F30-F39", "is not an ICD-10-CM code"),
    ("F32", "F32 (Depressive episode) is a category: choose a more specific code, e.g. F32.0"),
    ("", "Enter an ICD-10-CM code"),
])
def test_bad_codes_are_refused_with_a_clear_message(text, message):
    with pytest.raises(InvalidIcd10Code) as exc:
        icd10_lookup(text)
    assert message.upper() in str(exc.value).upper()


def test_the_search_finds_by_code_prefix_and_by_description_words_chapter_f_first():
    assert [r.code for r in icd10_search("F41")][:3] == ["F41.0", "F41.1", "F41.3"]
    assert "F41.1" in [r.code for r in icd10_search("generalized anx")]
    first = icd10_search("disorder")
    assert len(first) == 20 and all(r.code.startswith("F") for r in first)
    assert icd10_search("a") == [] and len(icd10_search("disorder", limit=5)) == 5


def test_adding_a_problem_stores_the_official_description_and_audits_it(prescriber_a, dana_meds):
    problem = _add(prescriber_a, dana_meds, "f41.1", onset_date=date(2024, 3, 1))
    assert (problem.code, problem.description, problem.status, problem.recorded_by) == (
        "F41.1", "Generalized anxiety disorder", "active", prescriber_a)
    event = AuditEvent.objects.get(action="problem.add")
    assert event.patient_id == dana_meds.patient.pk and event.detail["code"] == "F41.1"


def test_a_bad_code_a_future_onset_and_a_duplicate_are_refused(prescriber_a, dana_meds):
    with pytest.raises(ValidationError, match="X12.3 is not an ICD-10-CM code"):
        _add(prescriber_a, dana_meds, "X12.3")
    with pytest.raises(ValidationError, match="cannot be in the future"):
        _add(prescriber_a, dana_meds, onset_date=timezone.localdate() + timedelta(days=1))
    _add(prescriber_a, dana_meds)
    with pytest.raises(ValidationError, match="already an active problem"):
        _add(prescriber_a, dana_meds)
    assert Problem.objects.count() == 1 and AuditEvent.objects.filter(action="problem.add").count() == 1


def test_resolving_and_marking_in_error_keep_the_row_with_who_and_why(prescriber_a, dana_meds):
    gad = _add(prescriber_a, dana_meds)
    wrong = _add(prescriber_a, dana_meds, "F20.9")
    resolved = services.problem_resolve(actor=prescriber_a, access=dana_meds, problem_id=gad.pk, note="remission")
    assert (resolved.status, resolved.resolved_date, resolved.status_changed_by) == (
        "resolved", timezone.localdate(), prescriber_a)
    with pytest.raises(ValidationError, match="Say why"):
        services.problem_mark_entered_in_error(actor=prescriber_a, access=dana_meds, problem_id=wrong.pk, note=" ")
    marked = services.problem_mark_entered_in_error(actor=prescriber_a, access=dana_meds, problem_id=wrong.pk,
                                                    note="wrong patient")
    assert (marked.status, marked.status_note) == ("entered_in_error", "wrong patient")
    with pytest.raises(ValidationError, match="already resolved"):
        services.problem_resolve(actor=prescriber_a, access=dana_meds, problem_id=gad.pk)
    assert Problem.objects.count() == 2
    assert list(AuditEvent.objects.filter(action__startswith="problem.").values_list("action", flat=True)
                .order_by("pk")) == ["problem.add", "problem.add", "problem.resolved", "problem.entered_in_error"]


def test_a_therapist_may_not_change_the_problem_list(therapist_a, dana):
    access = access_patient(therapist_a, dana.pk, "medications.view")
    with pytest.raises(PermissionDenied, match="may not change the problem list"):
        _add(therapist_a, access)


def test_a_medicine_links_an_active_problem_as_its_indication(prescriber_a, dana_meds):
    mdd = _add(prescriber_a, dana_meds, "F33.1")
    med = services.medication_start(actor=prescriber_a, access=dana_meds, drug="sertraline",
                                    dose_mg_per_day=Decimal(50), frequency="once daily",
                                    indication_problem_id=mdd.pk)
    assert (med.indication_problem, med.indication_icd10, med.indication) == (
        mdd, "F33.1", "Major depressive disorder, recurrent, moderate")
    services.problem_resolve(actor=prescriber_a, access=dana_meds, problem_id=mdd.pk)
    with pytest.raises(ValidationError, match="active problems"):
        services.medication_start(actor=prescriber_a, access=dana_meds, drug="bupropion",
                                  dose_mg_per_day=Decimal(150), frequency="once daily",
                                  indication_problem_id=mdd.pk)


def test_the_chart_shows_the_problem_list_above_the_medicines_with_the_code_search(as_user, prescriber_a, dana,
                                                                                    dana_meds):
    _add(prescriber_a, dana_meds, "F33.1")
    body = _tab(as_user(prescriber_a), dana).content.decode()
    assert body.index("Problem list") < body.index("Current medicines")
    assert "Major depressive disorder, recurrent, moderate" in body
    assert f'hx-get="{reverse("medications:icd10_search")}"' in body and "<script>" not in body


def test_the_code_search_answers_with_buttons_that_choose_the_code(as_user, prescriber_a):
    body = as_user(prescriber_a).get(reverse("medications:icd10_search"), {"q": "generalized anx"}).content.decode()
    assert 'name="code" value="F41.1"' in body and "Generalized anxiety disorder" in body
    body = as_user(prescriber_a).get(reverse("medications:icd10_search"), {"q": "zzzz"}).content.decode()
    assert "No codable ICD-10-CM code matches" in body


def test_the_add_page_searches_without_htmx_and_shows_a_refused_code(as_user, prescriber_a, dana):
    client = as_user(prescriber_a)
    url = reverse("medications:problem_add", kwargs={"patient_id": dana.pk})
    assert 'value="F41.1"' in client.get(url, {"q": "F41.1"}).content.decode()
    response = client.post(url, {"code": "F32"})
    assert response.status_code == 400 and "is a category: choose a more specific code" in response.content.decode()
    assert client.post(url, {"code": "F41.1"}).status_code == 302
    assert Problem.objects.get().code == "F41.1"


def test_the_order_form_offers_the_active_problems(as_user, prescriber_a, dana, dana_meds):
    mdd = _add(prescriber_a, dana_meds, "F33.1")
    body = as_user(prescriber_a).get(reverse("medications:order", kwargs={"patient_id": dana.pk})).content.decode()
    assert f'<option value="{mdd.pk}">F33.1 Major depressive disorder, recurrent, moderate</option>' in body


def test_the_status_page_marks_an_entry_in_error(as_user, prescriber_a, dana, dana_meds):
    problem = _add(prescriber_a, dana_meds, "F20.9")
    url = reverse("medications:problem_status", kwargs={"patient_id": dana.pk, "problem_id": problem.pk})
    client = as_user(prescriber_a)
    response = client.post(url, {"action": "entered_in_error", "note": ""})
    assert response.status_code == 400 and "Say why" in response.content.decode()
    assert client.post(url, {"action": "entered_in_error", "note": "wrong code"}).status_code == 302
    body = _tab(client, dana).content.decode()
    assert "Entered in error" in body and "wrong code" in body
