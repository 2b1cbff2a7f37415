"""The treatment history on the Visits tab (adequacy, TRD, proposals from the medication list) and
letters sent to the care team through the outbox."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from dosewise.clinics.clock import clinic_today
from dosewise.notifications.models import OutboundMessage
from dosewise.visits import selectors, services
from dosewise.visits.models import LetterDispatch
from dosewise.visits.tests.conftest import access_for, template


def _trial(user, patient, **kwargs):
    return services.trial_record(actor=user, access=access_for(user, patient, "clinical.edit"),
                                 trial=services.TrialInput(**kwargs))


def test_two_adequate_failed_trials_show_trd_on_the_tab(as_user, dana, prescriber_a):
    _trial(prescriber_a, dana, drug="Zoloft", max_dose_mg_per_day="150", weeks=10, adherence="good", response="none")
    _trial(prescriber_a, dana, drug="escitalopram", max_dose_mg_per_day="20", weeks=8, adherence="good",
           response="partial")
    trials, _, trd = selectors.treatment_history(dana)
    assert [t.trial.drug for t in trials] == ["sertraline", "escitalopram"]  # the brand resolves to its generic
    assert trd.meets
    body = as_user(prescriber_a).get(reverse("web:patient_chart_tab", kwargs={"patient_id": dana.pk,
                                                                              "tab": "visits"})).content.decode()
    assert "Meets treatment-resistant depression" in body and "Spravato" in body


def test_a_withdrawn_trial_no_longer_counts(dana, prescriber_a):
    first = _trial(prescriber_a, dana, drug="sertraline", max_dose_mg_per_day="150", weeks=10, response="none")
    _trial(prescriber_a, dana, drug="escitalopram", max_dose_mg_per_day="20", weeks=8, response="none")
    services.trial_mark_entered_in_error(actor=prescriber_a, access=access_for(prescriber_a, dana, "clinical.edit"),
                                         trial_id=first.pk, reason="Was a different patient's record")
    trials, withdrawn, trd = selectors.treatment_history(dana)
    assert [t.trial.drug for t in trials] == ["escitalopram"] and withdrawn == [first] and not trd.meets


def test_an_unknown_medicine_is_kept_as_written_and_not_rated(dana, prescriber_a):
    row = _trial(prescriber_a, dana, drug="Herbal tonic X", weeks=4)
    assert row.drug == "herbal tonic x" and row.in_formulary is False
    assert selectors.treatment_history(dana)[0][0].adequacy.applies is False


def test_a_bad_trial_is_refused_next_to_the_field_and_keeps_the_input(as_user, dana, prescriber_a):
    response = as_user(prescriber_a).post(reverse("visits:trial_create", kwargs={"patient_id": dana.pk}), {
        "drug": "sertraline", "max_dose_mg_per_day": "lots", "weeks": "4", "weeks_at_max_dose": "9",
        "adherence": "good", "response": "none"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter the highest daily dose as a number" in body and 'value="lots"' in body


def test_weeks_at_the_highest_dose_cannot_exceed_the_weeks_taken(dana, prescriber_a):
    with pytest.raises(ValidationError) as exc:
        _trial(prescriber_a, dana, drug="sertraline", weeks=4, weeks_at_max_dose=9)
    assert "weeks_at_max_dose" in exc.value.error_dict


def test_the_medication_list_proposes_trials_not_yet_recorded(dana, prescriber_a, dana_sertraline):
    proposals = selectors.trial_proposals(dana, [], clinic_today(dana.clinic))
    assert [(p.drug, p.max_dose_mg_per_day, p.current) for p in proposals] == [("sertraline", 50, True)]
    assert proposals[0].weeks == 10
    _trial(prescriber_a, dana, drug="sertraline", max_dose_mg_per_day="50", weeks=10, medication_id=dana_sertraline.pk,
           source="medication_history")
    assert selectors.chart_tab(access_for(prescriber_a, dana), prescriber_a).proposals == []


def _signed_letter(user, patient, member):
    access = access_for(user, patient)
    note = services.note_start(actor=user, access=access, template_id=template("letter").pk, recipient_id=member.pk)
    note = services.note_save(actor=user, access=access, note_id=note.pk, expected_version=note.version,
                              changes=services.DraftChanges(sections={"reason": "Summary after evaluation"},
                                                            reviewed=[], sensitive=False, supervisor_id=None,
                                                            follow_up_weeks=None))
    return services.note_sign(actor=user, access=access, note_id=note.pk, expected_version=note.version)


def test_a_letter_goes_by_secure_email_with_the_pdf_and_no_patient_on_the_cover(as_user, dana, prescriber_a,
                                                                                therapist_a, django_capture_on_commit_callbacks):
    letter = _signed_letter(prescriber_a, dana, dana.care_team.get(member=therapist_a))
    client = as_user(prescriber_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("visits:letter_send", kwargs={"patient_id": dana.pk, "note_id": letter.pk}),
                               {"channel": "email"})
    assert response.status_code == 302
    dispatch = LetterDispatch.objects.get(note=letter)
    message = dispatch.outbound_message
    assert message.to == therapist_a.email and message.attachment_type == "application/pdf"
    assert "Diaz" not in message.subject + message.body
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments[0][0] == f"letter-{letter.pk}.pdf"
    page = client.get(reverse("visits:note_detail", kwargs={"patient_id": dana.pk, "note_id": letter.pk}))
    assert "e-mail to Theo Tran" in page.content.decode()


def test_fax_needs_the_gateway_and_a_valid_number(as_user, dana, prescriber_a, therapist_a, settings):
    letter = _signed_letter(prescriber_a, dana, dana.care_team.get(member=therapist_a))
    url = reverse("visits:letter_send", kwargs={"patient_id": dana.pk, "note_id": letter.pk})
    client = as_user(prescriber_a)
    settings.DOSEWISE_FAX_EMAIL_GATEWAY = ""
    refused = client.post(url, {"channel": "fax", "fax_number": "312-555-0142"})
    assert refused.status_code == 400 and "Faxing is not configured" in refused.content.decode()
    settings.DOSEWISE_FAX_EMAIL_GATEWAY = "{number}@fax.example.net"
    bad = client.post(url, {"channel": "fax", "fax_number": "12"})
    assert bad.status_code == 400 and 'value="12"' in bad.content.decode()
    assert client.post(url, {"channel": "fax", "fax_number": "312-555-0142"}).status_code == 302
    assert OutboundMessage.objects.get(purpose="letter.fax").to == "3125550142@fax.example.net"
    assert LetterDispatch.objects.get(note=letter).destination == "fax ***-***-0142"


def test_only_a_signed_letter_is_sent(dana, prescriber_a, therapist_a):
    access = access_for(prescriber_a, dana)
    draft = services.note_start(actor=prescriber_a, access=access, template_id=template("letter").pk,
                                recipient_id=dana.care_team.get(member=therapist_a).pk)
    with pytest.raises(ValidationError, match="signed"):
        services.letter_send(actor=prescriber_a, access=access, note_id=draft.pk, channel="email", pdf=b"%PDF")


def test_a_letter_is_prefilled_from_the_chart(dana, prescriber_a, therapist_a, dana_sertraline):
    letter = services.note_start(actor=prescriber_a, access=access_for(prescriber_a, dana),
                                 template_id=template("letter").pk,
                                 recipient_id=dana.care_team.get(member=therapist_a).pk)
    assert "sertraline 50 mg/day once daily" in letter.sections["summary"]


def test_not_improving_on_a_current_adequate_trial_prompts_on_the_tab(as_user, dana, prescriber_a, dana_sertraline):
    _trial(prescriber_a, dana, drug="sertraline", max_dose_mg_per_day="50", weeks=10, adherence="good",
           response="none", medication_id=dana_sertraline.pk, source="medication_history")
    tab = selectors.chart_tab(access_for(prescriber_a, dana), prescriber_a)
    assert tab.not_improving_prompt.startswith("Not improving on an adequate trial (sertraline)")


def test_no_prompt_when_the_current_trial_is_too_short_to_judge(dana, prescriber_a, dana_sertraline):
    _trial(prescriber_a, dana, drug="sertraline", max_dose_mg_per_day="50", weeks=2, response="none",
           medication_id=dana_sertraline.pk, source="medication_history")
    assert selectors.chart_tab(access_for(prescriber_a, dana), prescriber_a).not_improving_prompt == ""
