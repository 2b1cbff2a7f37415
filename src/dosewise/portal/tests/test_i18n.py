"""The portal in Spanish: the patient's choice is remembered, clinical text stays English and says so."""

from __future__ import annotations

import gettext
import re
from datetime import time
from pathlib import Path

import pytest
from django.urls import reverse
from tests.conftest import PASSWORD

from dosewise.portal import services
from dosewise.portal.models import PortalAccount, PushKind, PushMessage, PushSubscription
from dosewise.portal.tests.push_stub import Browser

LOCALE = Path(services.__file__).parent / "locale" / "es" / "LC_MESSAGES"


@pytest.fixture
def pat_client(pat, as_user, patient_user):
    return as_user(patient_user)


def choose_spanish(client):
    return client.post(reverse("portal:language"), {"language": "es", "next": reverse("portal:medicines")})


def test_the_patient_chooses_spanish_and_every_portal_page_follows(pat_client, pat):
    answer = choose_spanish(pat_client)
    assert answer.status_code == 302 and answer["Location"] == reverse("portal:medicines")
    assert PortalAccount.objects.get(pk=pat.account.pk).language == "es"
    home = pat_client.get(reverse("portal:home"))
    html = home.content.decode()
    assert home["Content-Language"] == "es" and '<html lang="es"' in html
    assert "Sus medicamentos de hoy" in html and "Anotar las dosis de hoy" in html and "Cerrar sesión" in html
    assert re.search(r"Hoy, \w+ \d+ de \w+", html)  # the date in Spanish word order
    for route in ("portal:dose_log", "portal:calendar", "portal:side_effect_new", "portal:settings"):
        page = pat_client.get(reverse(route)).content.decode()
        assert '<html lang="es"' in page and "Saltar al contenido" in page, route
    assert "Guardar mis opciones" in pat_client.get(reverse("portal:settings")).content.decode()


def test_the_choice_is_remembered_at_the_next_sign_in_on_another_device(pat_client, pat, patient_user, client):
    choose_spanish(pat_client)
    client.post(reverse("account_login"), {"login": patient_user.email, "password": PASSWORD})
    # A fresh browser, no language cookie: the account's choice decides.
    assert "Sus medicamentos de hoy" in client.get(reverse("portal:home")).content.decode()


def test_a_spanish_browser_gets_spanish_until_the_patient_chooses(pat_client, pat):
    html = pat_client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9").content.decode()
    assert "Sus medicamentos de hoy" in html
    pat_client.post(reverse("portal:language"), {"language": "en"})
    html = pat_client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9").content.decode()
    assert "Your medicines today" in html


def test_staff_pages_stay_in_english_for_a_spanish_browser(as_user, prescriber_a, dana):
    page = as_user(prescriber_a).get(reverse("web:patient_chart", kwargs={"patient_id": dana.pk}),
                                     HTTP_ACCEPT_LANGUAGE="es")
    assert page.status_code == 200 and "Sus medicamentos" not in page.content.decode()
    assert page.get("Content-Language") != "es"


def test_a_language_not_offered_is_refused(pat_client, pat):
    page = pat_client.post(reverse("portal:language"), {"language": "fr"}, follow=True)
    assert "Choose English or Spanish." in page.content.decode()
    assert PortalAccount.objects.get(pk=pat.account.pk).language == ""


def test_the_handout_says_it_is_in_english_only_and_marks_its_language(pat_client, pat, dana_meds):
    choose_spanish(pat_client)
    medicines = pat_client.get(reverse("portal:medicines")).content.decode()
    assert "Hoja informativa disponible en: inglés" in medicines
    html = pat_client.get(reverse("portal:handout", args=[dana_meds["sertraline"].pk])).content.decode()
    assert "disponible en: inglés" in html and "No se ha traducido" in html
    assert '<article class="p-card p-handout" lang="en">' in html and "About your medicine: sertraline" in html


def test_the_questionnaire_says_it_is_in_english_in_spanish_mode(pat_client, pat, dana, prescriber_a):
    from dosewise.assessments.services import link_create
    from dosewise.patients.selectors import access_patient

    link, _ = link_create(actor=prescriber_a, access=access_patient(prescriber_a, dana.pk, "assessments.administer"),
                          questionnaire="phq9", send_email=False)
    choose_spanish(pat_client)
    html = pat_client.get(reverse("portal:questionnaire", args=[link.pk])).content.decode()
    assert "Este cuestionario está en inglés" in html and '<div lang="en">' in html
    assert "Enviar mis respuestas" in html


def test_a_spanish_patients_reminder_is_in_spanish(pat_client, pat):
    choose_spanish(pat_client)
    browser = Browser()
    PushSubscription.objects.create(clinic=pat.patient.clinic, patient=pat.patient, user=pat.account.user,
                                    endpoint="https://push.example.com/es", p256dh=browser.p256dh, auth=browser.auth)
    services.reminders_save(actor=pat.account.user, portal=pat, dose_reminder_time=time(8), message_alerts=True)
    services.push_enqueue(user=pat.account.user, kind=PushKind.DOSE_REMINDER)
    assert PushMessage.objects.get().body == "Tiene un recordatorio de su clínica."


# Every catalogue of text a patient reads: the portal's, and those of the apps whose patient pages
# live in its layout (messages, appointments) and of the shell's form parts they use.
CATALOGUES = {"portal": 150, "messaging": 70, "scheduling": 40, "web": 0}


@pytest.mark.parametrize("app", CATALOGUES)
def test_the_compiled_catalogue_matches_its_source_and_leaves_nothing_untranslated(app):
    locale = LOCALE.parents[3] / app / "locale" / "es" / "LC_MESSAGES"
    source = (locale / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in source
    assert not re.search(r'^msgstr ""\n\n', source.split("\n\n", 1)[1] + "\n\n", re.M), "an untranslated entry"
    assert not re.search(r'^msgstr\[\d\] ""$', source, re.M), "an untranslated plural"
    with (locale / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    entries = re.findall(r'^msgid "(.+)"\nmsgstr "(.+)"$', source, re.M)
    assert len(entries) >= CATALOGUES[app]
    for one, many, first, second in re.findall(
            r'^msgid "(.+)"\nmsgid_plural "(.+)"\nmsgstr\[0\] "(.+)"\nmsgstr\[1\] "(.+)"$', source, re.M):
        assert compiled.ngettext(one, many, 1) == first and compiled.ngettext(one, many, 2) in (first, second)
    for msgid, msgstr in entries:
        expected = msgstr.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        assert compiled.gettext(msgid.replace('\\"', '"')) == expected, f"{msgid}: run make messages"


def test_where_the_patient_is_told_to_call_the_clinics_own_number_is_given(pat_client, pat):
    clinic = pat.patient.clinic
    clinic.phone = "+1 312 555 0110"
    clinic.save(update_fields=["phone"])
    html = pat_client.get(reverse("portal:medicines")).content.decode()
    assert 'call the clinic at <a href="tel:+1 312 555 0110">+1 312 555 0110</a>' in html
    choose_spanish(pat_client)
    html = pat_client.get(reverse("portal:medicines")).content.decode()
    assert 'llame a la clínica al <a href="tel:+1 312 555 0110">+1 312 555 0110</a>' in html


def test_messages_and_appointments_follow_the_patients_spanish(pat_client, pat, as_user, prescriber_a):
    choose_spanish(pat_client)
    inbox = pat_client.get(reverse("messaging:portal_inbox"))
    assert inbox["Content-Language"] == "es" and "Escribir un mensaje" in inbox.content.decode()
    assert "días hábiles" in inbox.content.decode()
    refused = pat_client.post(reverse("messaging:portal_new"), {"subject": "", "body": ""})
    page = refused.content.decode()
    assert refused.status_code == 400 and "Escriba su mensaje." in page and "Revise los campos marcados." in page
    appointments = pat_client.get(reverse("scheduling:portal_appointments")).content.decode()
    assert "Próximas" in appointments and '<html lang="es"' in appointments
    sent = pat_client.post(reverse("messaging:portal_new"), {"subject": "Pregunta", "body": "¿Puedo tomarlo con café?"})
    thread = pat_client.get(sent["Location"]).content.decode()
    assert "Mensaje enviado" in thread and "Usted" in thread
    staff = as_user(prescriber_a).get(reverse("messaging:inbox"), HTTP_ACCEPT_LANGUAGE="es")
    assert staff.status_code == 200 and "Escriba" not in staff.content.decode()
