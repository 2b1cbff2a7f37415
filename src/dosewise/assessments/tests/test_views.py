"""The pages: the patient's questionnaire, patient mode, the chart tab, tasks and the caseload."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from tests.conftest import demographics

from dosewise.assessments import services
from dosewise.assessments.models import CareTask, QuestionnaireLink, QuestionnaireResponse
from dosewise.assessments.tests.conftest import as_post, phq9
from dosewise.audit.models import AuditEvent
from dosewise.patients import services as patient_services
from dosewise.patients.selectors import access_patient

pytestmark = pytest.mark.django_db


@pytest.fixture
def link_token(dana_access, prescriber_a):
    _, token = services.link_create(actor=prescriber_a, access=dana_access, questionnaire="phq9", send_email=False)
    return token


def form_url(token: str) -> str:
    return reverse("assessments:public_form", args=[token])


class TestPatientForm:
    def test_the_form_is_accessible_and_needs_no_account(self, client, link_token):
        page = client.get(form_url(link_token))
        html = page.content.decode()
        assert page.status_code == 200 and page["Cache-Control"] == "no-store"
        assert html.count("<fieldset") == 9 and html.count("<legend>") == 9
        assert '<label class="q-option" for="item_9_1"><input type="radio" id="item_9_1" name="item_9" value="1"' in html
        assert "style=" not in html and "<script>" not in html

    def test_a_risk_answer_shows_crisis_resources_and_a_double_tap_shows_the_same_page(self, client, link_token,
                                                                                        ):
        data = as_post(phq9(6, item9=1)) | {"action": "submit"}
        first = client.post(form_url(link_token), data)
        again = client.post(form_url(link_token), data)
        for page in (first, again):
            assert page.status_code == 200
            assert "Please read this now" in page.content.decode()
            assert '<p class="crisis-resources">If you are in crisis, call or text 988' in page.content.decode()
        assert QuestionnaireResponse.objects.count() == 1 and CareTask.objects.count() == 1
        reopened = client.get(form_url(link_token))
        assert reopened.status_code == 410 and "Already submitted" in reopened.content.decode()

    def test_a_calm_submission_thanks_without_the_crisis_block(self, client, link_token):
        page = client.post(form_url(link_token), as_post(phq9(3)) | {"action": "submit"})
        assert "Thank you" in page.content.decode() and "Please read this now" not in page.content.decode()

    def test_an_answer_outside_the_options_names_the_item_and_keeps_the_others(self, client, link_token):
        data = as_post(phq9(3)) | {"item_2": "9", "action": "submit"}
        page = client.post(form_url(link_token), data)
        html = page.content.decode()
        assert page.status_code == 400 and "Item 2 (Feeling down, depressed, or hopeless)" in html
        assert 'id="item_1_3" name="item_1" value="3" checked' in html
        assert not QuestionnaireResponse.objects.exists()

    def test_progress_is_saved_and_the_form_reopens_with_it(self, client, link_token):
        client.post(form_url(link_token), {"item_1": "2", "item_2": "1", "action": "save"})
        htmx = client.post(reverse("assessments:public_save", args=[link_token]), {"item_1": "2", "item_2": "1",
                                                                                   "item_3": "3"})
        assert htmx.status_code == 200 and htmx.content.decode().startswith("Saved")
        assert QuestionnaireLink.objects.get().partial_answers == {"1": 2, "2": 1, "3": 3}
        html = client.get(form_url(link_token)).content.decode()
        assert 'id="item_3_3" name="item_3" value="3" checked' in html

    def test_a_link_that_expired_while_typing_keeps_the_answers(self, client, link_token):
        QuestionnaireLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
        page = client.post(form_url(link_token), as_post(phq9(5)) | {"action": "submit"})
        html = page.content.decode()
        assert page.status_code == 410 and "Your answers were kept" in html and "fresh link" in html
        assert not QuestionnaireResponse.objects.exists()
        assert QuestionnaireLink.objects.get().partial_answers["1"] == 3
        assert AuditEvent.objects.filter(action="questionnaire_link.expired_submit").exists()

    def test_a_tampered_link_gets_a_friendly_page_and_repeated_guesses_are_limited(self, client, settings,
                                                                                   link_token):
        settings.QUESTIONNAIRE_BAD_LINK_LIMIT = 3
        bad = link_token[:-2] + "zz"
        for _ in range(3):
            page = client.get(form_url(bad))
            assert page.status_code == 404 and "could not find this questionnaire" in page.content.decode()
        assert client.get(form_url(link_token)).status_code == 429
        assert client.post(form_url(bad), as_post(phq9(1))).status_code == 429
        assert not QuestionnaireResponse.objects.exists()


def test_patient_mode_signs_staff_out_and_opens_only_the_questionnaire(as_user, prescriber_a, dana):
    client = as_user(prescriber_a)
    page = client.post(reverse("assessments:patient_mode_start", args=[dana.pk]), {"questionnaire": "gad7"},
                       follow=True)
    assert page.status_code == 200 and "Generalized Anxiety" in page.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("web:patient_chart", args=[dana.pk])).status_code == 302
    done = client.post(page.request["PATH_INFO"], as_post([1, 1, 1, 1, 1, 1, 1]) | {"action": "submit"})
    assert "hand the device back" in done.content.decode()
    assert QuestionnaireResponse.objects.get().source == "patient-mode"


def test_staff_entry_with_a_risk_answer_warns_and_redirects_to_the_tab(as_user, prescriber_a, dana):
    client = as_user(prescriber_a)
    url = reverse("assessments:administer", args=[dana.pk, "phq9"])
    form = client.get(url).content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', form).group(1)
    page = client.post(url, as_post(phq9(12, item9=2)) | {"idempotency_key": key}, follow=True)
    html = page.content.decode()
    assert "Urgent: PHQ-9 item 9 endorsed" in html and "not yet acknowledged" in html
    client.post(url, as_post(phq9(12, item9=2)) | {"idempotency_key": key})
    assert QuestionnaireResponse.objects.count() == 1


def _patient(prescriber, n: int):
    return patient_services.patient_register(actor=prescriber, data=demographics(
        legal_given_name=f"Pat{n}", legal_family_name=f"Zed{n}", email=""))


def _scores(prescriber, patient, totals):
    access = access_patient(prescriber, patient.pk, "assessments.administer")
    for days_ago, total in totals:
        services.response_submit(patient=patient, questionnaire="phq9", answers=phq9(total), source="clinic",
                                 actor=prescriber, access=access,
                                 authored=timezone.now() - timedelta(days=days_ago))


def test_the_chart_tab_draws_the_trajectory_with_a_data_table_in_constant_queries(as_user, prescriber_a, dana):
    client = as_user(prescriber_a)
    url = reverse("web:patient_chart_tab", args=[dana.pk, "assessments"])
    _scores(prescriber_a, dana, [(60, 20), (30, 14)])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _scores(prescriber_a, dana, [(d, 10) for d in range(28, 0, -2)])
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    html = page.content.decode()
    assert len(few) == len(many)
    assert '<svg viewBox="0 0 760 280" role="img" aria-labelledby="traj-title traj-desc"' in html
    assert html.count("<circle") == 16 and html.count('class="band band-') == 5
    assert "PHQ-9 scores, data table" in html and "Response (&ge;50%)" in html


class TestCaseload:
    def test_it_lists_my_patients_with_their_outcomes_and_sorts_and_filters(self, as_user, prescriber_a, dana):
        improving, stuck = _patient(prescriber_a, 1), _patient(prescriber_a, 2)
        _scores(prescriber_a, improving, [(60, 20), (0, 4)])
        _scores(prescriber_a, stuck, [(40, 15), (0, 14)])
        client = as_user(prescriber_a)
        url = reverse("assessments:caseload")
        page = client.get(url, {"sort": "latest"}).content.decode()
        assert page.index("Pat2 Zed2") < page.index("Pat1 Zed1") and "Dana Diaz" in page
        assert "remission" in page and "not improving" in page
        filtered = client.get(url, {"status": "not_improving"}).content.decode()
        assert "Pat2 Zed2" in filtered and "Pat1 Zed1" not in filtered and "Dana Diaz" not in filtered
        event = AuditEvent.objects.filter(action="caseload.view").latest("id")
        assert event.detail["patients"] == [stuck.pk]

    def test_the_query_count_does_not_grow_with_patients_or_scores(self, as_user, prescriber_a, dana):
        client = as_user(prescriber_a)
        url = reverse("assessments:caseload")
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        for n in range(5):
            patient = _patient(prescriber_a, n)
            _scores(prescriber_a, patient, [(40, 12), (20, 8), (0, 10 + n)])
            services.schedule_save(actor=prescriber_a, access=access_patient(prescriber_a, patient.pk,
                                                                             "assessments.administer"),
                                   questionnaire="phq9", interval_days=7,
                                   first_due=timezone.localdate() - timedelta(days=3))
        with CaptureQueriesContext(connection) as many:
            page = client.get(url)
        assert len(few) == len(many)
        assert "overdue" in page.content.decode()

    def test_the_csv_export_is_audited(self, as_user, prescriber_a, dana):
        _scores(prescriber_a, dana, [(40, 18), (0, 6)])
        response = as_user(prescriber_a).get(reverse("assessments:caseload"), {"format": "csv"})
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        header, row = body.strip().splitlines()
        assert header.startswith("mrn,patient,measure,baseline") and row.startswith(f"{dana.mrn},Dana Diaz,PHQ-9,18,")
        assert ",-12,67,yes,no,improved,no,,0" in row
        event = AuditEvent.objects.get(action="caseload.export")
        assert event.detail["count"] == 1 and event.detail["patients"] == [dana.pk]

    def test_the_clinic_view_needs_its_capability(self, as_user, prescriber_a, therapist_a, nurse_a, dana):
        url = reverse("assessments:caseload")
        assert "Dana Diaz" in as_user(nurse_a).get(url, {"scope": "clinic"}).content.decode()
        assert "Dana Diaz" not in as_user(nurse_a).get(url).content.decode()
        therapist_clinic = as_user(therapist_a).get(url, {"scope": "clinic"}).content.decode()
        assert 'value="clinic"' not in therapist_clinic


def test_the_task_list_acknowledges_with_a_note(as_user, prescriber_a, dana):
    _scores(prescriber_a, dana, [])
    access = access_patient(prescriber_a, dana.pk, "assessments.administer")
    task = services.response_submit(patient=dana, questionnaire="phq9", answers=phq9(3, item9=1), source="clinic",
                                    actor=prescriber_a, access=access).task
    client = as_user(prescriber_a)
    page = client.get(reverse("assessments:task_list")).content.decode()
    assert "Dana Diaz" in page and "item 9" in page
    client.post(reverse("assessments:task_acknowledge", args=[task.pk]), {"note": "Called; safety plan reviewed"})
    task.refresh_from_db()
    assert task.acknowledged_by == prescriber_a and task.acknowledgement_note == "Called; safety plan reviewed"


def test_an_unknown_questionnaire_is_not_found(as_user, prescriber_a, dana):
    assert as_user(prescriber_a).get(reverse("assessments:administer", args=[dana.pk, "nope"])).status_code == 404


def test_anonymous_clients_cannot_reach_staff_pages():
    assert Client().get(reverse("assessments:caseload")).status_code == 302
