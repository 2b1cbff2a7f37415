"""Before an app queues a message to a patient, the patient's own choice in the consent ledger
decides when there is one (a STOP above all); otherwise the chart's contact consent does."""

from __future__ import annotations

import pytest

from dosewise.assessments import services as assessment_services
from dosewise.notifications import consent as ledger
from dosewise.notifications.models import Channel, ConsentPurpose, OutboundMessage
from dosewise.patients import services
from dosewise.patients.models import Consent
from dosewise.patients.selectors import access_patient, may_message

pytestmark = pytest.mark.django_db


def _portal_choice(patient, purpose, on: bool, channel=Channel.EMAIL):
    record = ledger.consent_grant if on else ledger.consent_withdraw
    record(clinic=patient.clinic, channel=channel, address=patient.email if channel == Channel.EMAIL else patient.phone,
           purpose=purpose, source="portal")


def test_without_a_ledger_answer_the_charts_contact_consent_decides(dana, prescriber_a):
    assert not may_message(dana, Channel.EMAIL, ConsentPurpose.QUESTIONNAIRES)
    services.consent_record(actor=prescriber_a, access=access_patient(prescriber_a, dana.pk), kind="email",
                            method="paper")
    assert may_message(dana, Channel.EMAIL, ConsentPurpose.QUESTIONNAIRES)
    assert not may_message(dana, Channel.SMS, ConsentPurpose.QUESTIONNAIRES)  # no phone on file


def test_the_patients_own_choice_outranks_the_chart_both_ways(dana, prescriber_a):
    assert not Consent.objects.filter(patient=dana, kind="email").exists()
    _portal_choice(dana, ConsentPurpose.QUESTIONNAIRES, on=True)
    assert may_message(dana, Channel.EMAIL, ConsentPurpose.QUESTIONNAIRES)
    assert not may_message(dana, Channel.EMAIL, ConsentPurpose.CARE_MESSAGES)
    services.consent_record(actor=prescriber_a, access=access_patient(prescriber_a, dana.pk), kind="email",
                            method="paper")
    _portal_choice(dana, ConsentPurpose.CARE_MESSAGES, on=False)
    assert not may_message(dana, Channel.EMAIL, ConsentPurpose.CARE_MESSAGES)


def test_a_questionnaire_link_is_emailed_to_a_patient_who_turned_questionnaires_on_in_the_portal(dana, prescriber_a):
    access = access_patient(prescriber_a, dana.pk, "assessments.administer")
    assessment_services.link_create(actor=prescriber_a, access=access, questionnaire="phq9")
    assert not OutboundMessage.objects.filter(purpose="questionnaire.link").exists()
    _portal_choice(dana, ConsentPurpose.QUESTIONNAIRES, on=True)
    assessment_services.link_create(actor=prescriber_a, access=access, questionnaire="phq9")
    assert OutboundMessage.objects.filter(purpose="questionnaire.link", to=dana.email).count() == 1
