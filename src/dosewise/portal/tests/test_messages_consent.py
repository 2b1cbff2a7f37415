"""Texts and e-mails per purpose in the portal: the patient's switches write the consent ledger,
the outbox obeys them when it sends, and the chart shows the same state to staff.

Pat (Dana's portal account) manages Dana's own phone and e-mail only; Dana has an e-mail
consent on her chart (portal conftest) and no phone until a test gives her one.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape

from dosewise.audit.models import AuditEvent
from dosewise.notifications import consent as ledger
from dosewise.notifications import services as outbox
from dosewise.notifications.models import Channel, ConsentSource, ContactConsentEvent, MessageStatus
from dosewise.outreach.services import disclosure_publish, inbound_sms_handle
from dosewise.patients.models import Patient
from dosewise.portal import services
from dosewise.portal.selectors import portal_access
from dosewise.portal.tests.conftest import link_portal

DANA_PHONE = "(312) 555-0188"


@pytest.fixture
def pat_client(pat, as_user, patient_user):
    return as_user(patient_user)


def with_phone(patient_user, dana, phone: str = DANA_PHONE):
    Patient.objects.filter(pk=dana.pk).update(phone=phone)
    return portal_access(patient_user)


def turn(client, channel: str, purpose: str, agreed: str, **extra):
    data = {"channel": channel, "purpose": purpose, "agreed": agreed, **extra}
    return client.post(reverse("portal:messages_consent"), data, follow=True, REMOTE_ADDR="203.0.113.9")


def switch_html(html: str, channel: str, purpose: str) -> str:
    start = html.index(f'id="switch-{channel}-{purpose}"')
    return html[start:html.index("</li>", start)]


# ---------------------------------------------------------------------------------------
# The service


def test_turning_off_writes_the_ledger_as_the_patient_and_holds_back_a_queued_email(pat, dana):
    queued = outbox.outbox_enqueue_email(to=dana.email, subject="A short questionnaire", body="Please answer.",
                                         purpose="questionnaire.link", clinic=dana.clinic)
    event = services.messages_consent_set(actor=pat.account.user, portal=pat, channel=Channel.EMAIL,
                                          purpose="questionnaires", agreed=False, ip="203.0.113.9",
                                          user_agent="Phone browser")
    assert event.source == ConsentSource.PORTAL and event.recorded_by == pat.account.user
    assert event.ip == "203.0.113.9" and event.consent.address == "dana@example.org"
    assert not ledger.consent_granted(clinic=dana.clinic, channel=Channel.EMAIL, address=dana.email,
                                      purpose="questionnaires")
    # The link queued before the change is not sent; other e-mails still are.
    assert outbox.outbox_deliver(queued.pk) == MessageStatus.WITHHELD and mail.outbox == []
    other = outbox.outbox_enqueue_email(to=dana.email, subject="New message", body="A message is waiting.",
                                        purpose="messaging.new_message", clinic=dana.clinic)
    assert outbox.outbox_deliver(other.pk) == MessageStatus.SENT
    audit = AuditEvent.objects.get(action="portal.messages_consent.withdraw")
    assert audit.actor == pat.account.user and audit.patient_id == dana.pk
    assert audit.detail == {"channel": "email", "purpose": "questionnaires", "disclosure": None}


def test_turning_sms_on_needs_a_phone_on_file_and_writes_nothing_without_one(pat):
    with pytest.raises(ValidationError, match="no mobile phone number on your record"):
        services.messages_consent_set(actor=pat.account.user, portal=pat, channel=Channel.SMS,
                                      purpose="appointment_reminders", agreed=True)
    assert not ContactConsentEvent.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="portal.messages_consent.").exists()


def test_a_phone_number_that_cannot_take_texts_is_refused(pat, patient_user, dana):
    pat = with_phone(patient_user, dana, "12")
    with pytest.raises(ValidationError, match=r"\(12\) cannot receive text messages"):
        services.messages_consent_set(actor=pat.account.user, portal=pat, channel=Channel.SMS,
                                      purpose="appointment_reminders", agreed=True)
    assert not ContactConsentEvent.objects.exists()


def test_turning_sms_on_records_the_wording_shown_and_lets_the_reminder_go(pat, patient_user, dana):
    pat = with_phone(patient_user, dana)
    disclosures = services.messages_consent_disclosures(dana.clinic)
    event = services.messages_consent_set(actor=pat.account.user, portal=pat, channel=Channel.SMS,
                                          purpose="appointment_reminders", agreed=True,
                                          disclosure_id=disclosures[Channel.SMS].pk)
    assert event.disclosure == disclosures[Channel.SMS] and event.consent.address == "+13125550188"
    assert ledger.send_permission(clinic_id=dana.clinic_id, channel=Channel.SMS, address=DANA_PHONE,
                                  purpose="appointment.reminder", consent_purpose="appointment_reminders").allowed
    # Only the purpose chosen: questionnaires by text stay without consent.
    assert not ledger.consent_granted(clinic=dana.clinic, channel=Channel.SMS, address=DANA_PHONE,
                                      purpose="questionnaires")


def test_agreeing_to_wording_that_changed_meanwhile_is_refused(pat, patient_user, dana, admin_a):
    pat = with_phone(patient_user, dana)
    shown = services.messages_consent_disclosures(dana.clinic)[Channel.SMS]
    disclosure_publish(actor=admin_a, channel=Channel.SMS, program_name="Clinic messages",
                       text="Texts about your care. Msg & data rates may apply. Reply STOP to stop, HELP for help. "
                            "Agreeing is not a condition of care.")
    with pytest.raises(ValidationError, match="changed the wording"):
        services.messages_consent_set(actor=pat.account.user, portal=pat, channel=Channel.SMS,
                                      purpose="care_messages", agreed=True, disclosure_id=shown.pk)
    assert not ContactConsentEvent.objects.exists()


def test_the_same_choice_twice_writes_one_event(pat):
    for _ in range(2):
        services.messages_consent_set(actor=pat.account.user, portal=pat, channel=Channel.EMAIL,
                                      purpose="care_messages", agreed=False)
    assert ContactConsentEvent.objects.count() == 1


def test_a_purpose_the_clinic_does_not_offer_is_refused(pat):
    with pytest.raises(ValidationError, match="kinds of message listed"):
        services.messages_consent_set(actor=pat.account.user, portal=pat, channel=Channel.EMAIL,
                                      purpose="marketing", agreed=True)


def test_a_patient_changes_only_their_own_addresses(pat, pat_client, rosa, make_staff, clinic_a, prescriber_a,
                                                    as_user):
    rosa_user = make_staff("rosa.portal@example.org", "Rosa Reyes", "patient", clinic_a, totp=False)
    link_portal(rosa_user, rosa, prescriber_a)
    # An address in the request is ignored: the address is always the one on the patient's own record.
    turn(as_user(rosa_user), "email", "care_messages", "off", address="dana@example.org")
    assert ledger.consent_granted(clinic=clinic_a, channel=Channel.EMAIL, address="dana@example.org",
                                  purpose="care_messages") is False  # no answer recorded for Dana
    assert list(ContactConsentEvent.objects.values_list("consent__address", flat=True)) == ["rosa@example.org"]
    html = pat_client.get(reverse("portal:messages_consent")).content.decode()
    assert "rosa@example.org" not in html and "No changes yet." in html


# ---------------------------------------------------------------------------------------
# The page


def test_the_page_shows_each_purpose_by_channel_with_the_wording_and_no_store(pat, pat_client, dana):
    page = pat_client.get(reverse("portal:messages_consent"))
    html = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert "There is no mobile phone number on your record" in html
    disclosures = services.messages_consent_disclosures(dana.clinic)
    assert escape(disclosures[Channel.EMAIL].text) in html and escape(disclosures[Channel.SMS].text) in html
    assert "wording version 1" in html
    # E-mail follows the consent on the chart until the patient chooses here; text has none.
    assert 'data-state="on"' in switch_html(html, "email", "questionnaires")
    assert "You agreed to this with the clinic on" in switch_html(html, "email", "questionnaires")
    # No phone: the text switches show off, with nothing to press.
    assert 'data-state="off"' in switch_html(html, "sms", "questionnaires")
    assert "<form" not in switch_html(html, "sms", "questionnaires")
    assert "<form" in switch_html(html, "email", "questionnaires")
    assert html.count("<fieldset") == 2 and html.count("<legend>") == 2
    assert AuditEvent.objects.filter(action="portal.messages_consent.view", actor=pat.account.user).exists()


def test_the_patient_turns_a_purpose_off_and_sees_it_off_with_the_history(pat, pat_client, dana, clinic_a):
    clinic_a.timezone = "America/Chicago"
    clinic_a.save(update_fields=["timezone"])
    with time_machine.travel(datetime(2026, 7, 1, 15, 30, tzinfo=UTC), tick=False):
        page = turn(pat_client, "email", "appointment_reminders", "off")
    html = page.content.decode()
    assert "Turned off: Appointment reminders by e-mail." in html
    assert 'data-state="off"' in switch_html(html, "email", "appointment_reminders")
    assert 'data-state="on"' in switch_html(html, "email", "care_messages")
    history = html[html.index('id="hist-h"'):]
    # 15:30 UTC is 10:30 in Chicago (daylight time).
    assert "Turned off</strong>: Appointment reminders · E-mail" in history
    assert "July 1, 2026, 10:30 AM, by you, in the portal" in history
    event = ContactConsentEvent.objects.get()
    assert event.ip == "203.0.113.9" and event.source == "portal"


def test_turning_sms_on_without_a_phone_shows_the_error_on_the_page(pat, pat_client):
    html = turn(pat_client, "sms", "care_messages", "on").content.decode()
    assert "There is no mobile phone number on your record, so the clinic cannot text you." in html
    assert not ContactConsentEvent.objects.exists()


def test_a_stop_texted_to_the_clinic_shows_as_off_and_can_be_turned_back_on_here(pat, pat_client, patient_user,
                                                                                 dana):
    with_phone(patient_user, dana)
    turn(pat_client, "sms", "appointment_reminders", "on")
    inbound_sms_handle(sender="+13125550188", body="STOP")
    html = pat_client.get(reverse("portal:messages_consent")).content.decode()
    row = switch_html(html, "sms", "appointment_reminders")
    assert 'data-state="off"' in row and "All text messages were stopped on" in row
    assert "by your text message reply" in html
    html = turn(pat_client, "sms", "appointment_reminders", "on").content.decode()
    assert 'data-state="on"' in switch_html(html, "sms", "appointment_reminders")
    assert ledger.consent_granted(clinic=dana.clinic, channel=Channel.SMS, address=DANA_PHONE,
                                  purpose="appointment_reminders")


def test_bad_input_is_refused_with_a_message_and_changes_nothing(pat, pat_client):
    html = turn(pat_client, "fax", "care_messages", "off").content.decode()
    assert "How: Select a valid choice." in html and not ContactConsentEvent.objects.exists()


def test_the_page_is_in_spanish_for_a_spanish_patient(pat, pat_client):
    pat_client.post(reverse("portal:language"), {"language": "es"})
    page = pat_client.get(reverse("portal:messages_consent"))
    html = page.content.decode()
    assert page["Content-Language"] == "es"
    assert "Mensajes de texto y correos de su clínica" in html and "Recordatorios de citas" in html
    assert "Es la redacción de su clínica" in html and '<blockquote lang="en"' in html
    html = turn(pat_client, "email", "questionnaires", "off").content.decode()
    assert "Desactivado: Cuestionarios por correo electrónico." in html


def test_settings_links_to_the_page(pat, pat_client):
    html = pat_client.get(reverse("portal:settings")).content.decode()
    assert reverse("portal:messages_consent") in html


# ---------------------------------------------------------------------------------------
# The chart


def test_the_chart_shows_the_same_state_read_only(pat, dana, as_user, prescriber_a):
    services.messages_consent_set(actor=pat.account.user, portal=pat, channel=Channel.EMAIL,
                                  purpose="questionnaires", agreed=False)
    html = as_user(prescriber_a).get(reverse("web:patient_chart", kwargs={"patient_id": dana.pk})).content.decode()
    section = html[html.index('id="contact-consent"'):]
    section = section[:section.index("</section>")]
    assert "dana@example.org" in section and "No phone number on file" in section
    assert "Questionnaires: off (patient portal" in section
    assert "Care messages: not chosen (the e-mail consent on the chart applies)" in section
    assert "<form" not in section
