"""Questionnaires answered in the portal: same scoring, risk escalation and crisis resources as in clinic."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from dosewise.assessments import services as assessment_services
from dosewise.assessments.models import (
    CareTask,
    MeasurementSchedule,
    QuestionnaireLink,
    QuestionnaireResponse,
)
from dosewise.assessments.tests.conftest import as_post, phq9
from dosewise.audit.models import AuditEvent
from dosewise.patients.selectors import access_patient


@pytest.fixture
def pat_client(pat, as_user, patient_user):
    return as_user(patient_user)


@pytest.fixture
def sent_link(pat, dana, prescriber_a):
    """A PHQ-9 link Alice sent Dana (the e-mailed token is not needed in the portal)."""
    link, _token = assessment_services.link_create(
        actor=prescriber_a, access=access_patient(prescriber_a, dana.pk, "assessments.administer"),
        questionnaire="phq9", send_email=False)
    return link


@pytest.fixture
def gad7_due(pat, dana, prescriber_a):
    """A GAD-7 schedule of Dana's that fell due today (no link sent: no e-mail needed)."""
    schedule = assessment_services.schedule_save(
        actor=prescriber_a, access=access_patient(prescriber_a, dana.pk, "assessments.administer"),
        questionnaire="gad7", interval_days=14)
    MeasurementSchedule.objects.filter(pk=schedule.pk).update(next_due=pat.today)
    return schedule


def answer_url(link) -> str:
    return reverse("portal:questionnaire", args=[link.pk])


def test_a_sent_questionnaire_is_answered_in_the_portal_and_scored_as_in_clinic(pat_client, sent_link, dana,
                                                                                   patient_user):
    home = pat_client.get(reverse("portal:home")).content.decode()
    assert answer_url(sent_link) in home
    page = pat_client.get(answer_url(sent_link))
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert 'name="item_9"' in page.content.decode()
    done = pat_client.post(answer_url(sent_link), as_post(phq9(12)) | {"action": "submit"}, follow=True)
    assert "were sent to your care team" in done.content.decode()
    response = QuestionnaireResponse.objects.get(patient=dana)
    assert response.total == 12 and response.severity and not response.risk and response.link_id == sent_link.pk
    assert AuditEvent.objects.filter(action="assessment.submit", actor=patient_user, patient=dana).exists()
    # Done is done: the Today page no longer offers it, and a second post stores nothing new.
    assert answer_url(sent_link) not in pat_client.get(reverse("portal:home")).content.decode()
    pat_client.post(answer_url(sent_link), as_post(phq9(3)) | {"action": "submit"})
    assert QuestionnaireResponse.objects.filter(patient=dana).count() == 1


def test_a_risk_answer_shows_crisis_resources_at_once_and_raises_the_risk_task(pat_client, sent_link, dana):
    page = pat_client.post(answer_url(sent_link), as_post(phq9(6, item9=2)) | {"action": "submit"}, follow=True)
    html = page.content.decode()
    assert 'role="alert"' in html and dana.clinic.crisis_resources.split(" (")[0] in html
    assert "has been alerted" in html
    response = QuestionnaireResponse.objects.get(patient=dana)
    assert response.risk and CareTask.objects.filter(patient=dana, response=response).count() == 1


def test_a_missing_answer_is_named_and_the_given_answers_stay(pat_client, sent_link):
    answers = as_post(phq9(5))
    del answers["item_4"]
    page = pat_client.post(answer_url(sent_link), answers | {"action": "submit"})
    html = page.content.decode()
    assert page.status_code == 400 and "Item 4" in html and "is not answered" in html
    assert 'id="item_1_3" name="item_1" value="3" checked' in html
    assert QuestionnaireResponse.objects.count() == 0
    assert QuestionnaireLink.objects.get(pk=sent_link.pk).partial_answers["1"] == 3


def test_saving_keeps_the_answers_for_later(pat_client, sent_link):
    pat_client.post(answer_url(sent_link), {"item_1": "2", "action": "save"})
    assert "Finish PHQ-9" in pat_client.get(reverse("portal:home")).content.decode()
    assert 'value="2" checked' in pat_client.get(answer_url(sent_link)).content.decode()


def test_a_due_schedule_is_started_from_today_and_advances_when_answered(pat_client, gad7_due, dana, pat):
    home = pat_client.get(reverse("portal:home")).content.decode()
    start = reverse("portal:questionnaire_start", args=["gad7"])
    assert start in home
    opened = pat_client.post(start)
    link = QuestionnaireLink.objects.get(patient=dana, questionnaire="gad7")
    assert opened.status_code == 302 and opened["Location"] == answer_url(link)
    # Starting twice opens the same link.
    pat_client.post(start)
    assert QuestionnaireLink.objects.filter(patient=dana, questionnaire="gad7").count() == 1
    pat_client.post(answer_url(link), {f"item_{n}": "1" for n in range(1, 8)} | {"action": "submit"})
    assert QuestionnaireResponse.objects.get(patient=dana, questionnaire="gad7").total == 7
    assert MeasurementSchedule.objects.get(pk=gad7_due.pk).next_due == pat.today + timedelta(days=14)
    assert start not in pat_client.get(reverse("portal:home")).content.decode()


def test_a_questionnaire_not_due_cannot_be_started(pat_client, gad7_due, pat):
    MeasurementSchedule.objects.filter(pk=gad7_due.pk).update(next_due=pat.today + timedelta(days=3))
    page = pat_client.post(reverse("portal:questionnaire_start", args=["gad7"]), follow=True)
    assert "is not due now" in page.content.decode()
    assert not QuestionnaireLink.objects.exists()


def test_an_expired_link_says_so_and_stores_nothing(pat_client, sent_link):
    QuestionnaireLink.objects.filter(pk=sent_link.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    page = pat_client.post(answer_url(sent_link), as_post(phq9(3)) | {"action": "submit"})
    assert page.status_code == 410 and "has closed" in page.content.decode()
    assert not QuestionnaireResponse.objects.exists()


def test_another_patients_link_answers_404(pat_client, rosa, prescriber_a):
    link, _ = assessment_services.link_create(
        actor=prescriber_a, access=access_patient(prescriber_a, rosa.pk, "assessments.administer"),
        questionnaire="phq9", send_email=False)
    assert pat_client.get(answer_url(link)).status_code == 404
    assert pat_client.post(answer_url(link), as_post(phq9(3)) | {"action": "submit"}).status_code == 404
    assert not QuestionnaireResponse.objects.exists()


def test_the_prescriber_sees_the_portal_answer_on_the_chart(pat_client, sent_link, dana, as_user, prescriber_a):
    pat_client.post(answer_url(sent_link), as_post(phq9(14)) | {"action": "submit"})
    chart = as_user(prescriber_a).get(reverse("web:patient_chart_tab", kwargs={"patient_id": dana.pk,
                                                                                 "tab": "assessments"}))
    html = chart.content.decode()
    assert chart.status_code == 200 and "PHQ-9" in html and "14" in html
