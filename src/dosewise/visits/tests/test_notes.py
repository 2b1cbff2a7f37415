"""Visit notes: pre-filled from the interval, autosaved, signed and locked, amended by addenda,
co-signed, restricted when sensitive, printed as PDF."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from dosewise.audit.models import AuditEvent
from dosewise.medications import services as medication_services
from dosewise.monitoring import services as monitoring_services
from dosewise.patients import services as patient_services
from dosewise.visits import services
from dosewise.visits.models import NoteAddendum, NoteStatus, VisitNote
from dosewise.visits.tests.conftest import access_for, score, signed_follow_up, template

LOCKED = (IntegrityError, DatabaseError)


def _draft(user, patient, key: str = "follow-up", **kwargs) -> VisitNote:
    return services.note_start(actor=user, access=access_for(user, patient), template_id=template(key).pk, **kwargs)


def _changes(**overrides) -> services.DraftChanges:
    data = {"sections": {"interval_history": "Better."}, "reviewed": [], "sensitive": False, "supervisor_id": None,
            "follow_up_weeks": None}
    data.update(overrides)
    return services.DraftChanges(**data)


def test_a_follow_up_is_prefilled_with_the_interval_since_the_last_signed_note(dana, prescriber_a, dana_sertraline):
    score(dana, prescriber_a, 18, days_ago=60)
    score(dana, prescriber_a, 11, days_ago=0)
    access = access_for(prescriber_a, dana, "medications.prescribe")
    medication_services.medication_change_dose(actor=prescriber_a, access=access, medication_id=dana_sertraline.pk,
                                               expected_version=dana_sertraline.version,
                                               dose_mg_per_day=Decimal("100"), frequency="once daily",
                                               reason="partial response")
    monitoring_services.side_effect_record(actor=prescriber_a, access=access_for(prescriber_a, dana, "monitoring.view"),
                                           code="nausea", severity="mild", burden=3, noted_on=timezone.localdate())
    note = _draft(prescriber_a, dana, visit_date=timezone.localdate())
    interval = note.interval
    # Without an earlier signed note, the interval is the default window.
    assert interval["since"] == (timezone.localdate() - timedelta(days=90)).isoformat()
    phq = next(s for s in interval["scores"] if s["key"] == "phq9")
    assert phq["trend"] == [18, 11] and phq["latest"]["total"] == 11
    change = next(c for c in interval["changes"] if c["kind"].lower().startswith("dose"))
    assert change["drug"] == "sertraline" and change["to"] == "100 mg/day" and change["today"] is True
    assert [s["effect"] for s in interval["side_effects"]] == ["Nausea"]
    assert [m["drug"] for m in interval["medicines"]] == ["sertraline"]
    assert interval["adherence"][0]["drug"] == "sertraline"


def test_the_interval_starts_at_the_last_signed_visit(dana, prescriber_a):
    earlier = _draft(prescriber_a, dana, visit_date=timezone.localdate() - timedelta(days=30))
    earlier = services.note_save(actor=prescriber_a, access=access_for(prescriber_a, dana), note_id=earlier.pk,
                                 expected_version=earlier.version, changes=_changes())
    services.note_sign(actor=prescriber_a, access=access_for(prescriber_a, dana), note_id=earlier.pk,
                       expected_version=earlier.version)
    score(dana, prescriber_a, 20, days_ago=40)
    score(dana, prescriber_a, 12, days_ago=2)
    note = _draft(prescriber_a, dana)
    assert note.interval_since == timezone.localdate() - timedelta(days=30)
    phq = note.interval["scores"][0]
    assert phq["previous"]["total"] == 20 and phq["latest"]["total"] == 12 and phq["change"] == -8
    assert phq["direction"] == "lower"


def test_a_future_visit_date_is_refused(dana, prescriber_a):
    with pytest.raises(ValidationError) as exc:
        _draft(prescriber_a, dana, visit_date=timezone.localdate() + timedelta(days=2))
    assert "visit_date" in exc.value.error_dict


def test_a_stale_autosave_is_refused_and_says_so(dana, prescriber_a):
    note = _draft(prescriber_a, dana)
    access = access_for(prescriber_a, dana)
    services.note_save(actor=prescriber_a, access=access, note_id=note.pk, expected_version=note.version,
                       changes=_changes())
    with pytest.raises(services.NoteConflict):
        services.note_save(actor=prescriber_a, access=access, note_id=note.pk, expected_version=note.version,
                           changes=_changes(sections={"interval_history": "from the other tab"}))
    assert VisitNote.objects.get(pk=note.pk).sections["interval_history"] == "Better."


def test_signing_stamps_who_and_when_and_writes_the_content_hash_to_the_audit_trail(dana, prescriber_a):
    note = signed_follow_up(dana, prescriber_a)
    assert note.status == NoteStatus.SIGNED and note.signed_by == prescriber_a and note.signed_at
    assert note.content_hash == services.note_content_hash(note)
    event = AuditEvent.objects.get(action="visit_note.sign", object_id=str(note.pk))
    assert event.detail["content_hash"] == note.content_hash


def test_a_signed_note_is_locked_in_the_database(dana, prescriber_a):
    note = signed_follow_up(dana, prescriber_a)
    with pytest.raises(LOCKED), transaction.atomic():
        VisitNote.objects.filter(pk=note.pk).update(sections={"interval_history": "rewritten"})
    with pytest.raises(LOCKED), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {VisitNote._meta.db_table} WHERE id = %s", [note.pk])
    assert VisitNote.objects.get(pk=note.pk).sections["interval_history"] == "Sleeping better; mood lifting."


def test_a_draft_stays_editable_until_signed(dana, prescriber_a):
    note = _draft(prescriber_a, dana)
    assert VisitNote.objects.filter(pk=note.pk).update(title="Changed") == 1


def test_editing_a_signed_note_through_the_service_is_refused(dana, prescriber_a):
    note = signed_follow_up(dana, prescriber_a)
    with pytest.raises(ValidationError, match="addendum"):
        services.note_save(actor=prescriber_a, access=access_for(prescriber_a, dana), note_id=note.pk,
                           expected_version=note.version, changes=_changes())


def test_addenda_keep_the_history_and_cannot_be_rewritten(dana, prescriber_a):
    note = signed_follow_up(dana, prescriber_a)
    access = access_for(prescriber_a, dana)
    first = services.addendum_add(actor=prescriber_a, access=access, note_id=note.pk, text="Lab result came back normal.")
    services.addendum_add(actor=prescriber_a, access=access, note_id=note.pk, text="Patient called: nausea gone.")
    assert list(NoteAddendum.objects.filter(note=note).order_by("pk").values_list("text", flat=True)) == [
        "Lab result came back normal.", "Patient called: nausea gone."]
    with pytest.raises(LOCKED), transaction.atomic():
        NoteAddendum.objects.filter(pk=first.pk).update(text="changed")
    assert VisitNote.objects.get(pk=note.pk).content_hash == note.content_hash


def test_an_evaluation_is_signed_only_when_every_section_is_reviewed(dana, prescriber_a):
    access = access_for(prescriber_a, dana)
    note = _draft(prescriber_a, dana, key="initial-evaluation")
    keys = [s["key"] for s in note.template.sections]
    note = services.note_save(actor=prescriber_a, access=access, note_id=note.pk, expected_version=note.version,
                              changes=_changes(sections={"referral_hpi": "Low mood for 4 months."},
                                               reviewed=keys[:-1]))
    with pytest.raises(ValidationError, match="Plan"):
        services.note_sign(actor=prescriber_a, access=access, note_id=note.pk, expected_version=note.version)
    note = services.note_save(actor=prescriber_a, access=access, note_id=note.pk, expected_version=note.version,
                              changes=_changes(sections={"referral_hpi": "Low mood for 4 months."}, reviewed=keys))
    assert services.note_sign(actor=prescriber_a, access=access, note_id=note.pk,
                              expected_version=note.version).is_signed


def test_an_evaluation_is_prefilled_from_the_chart(dana, prescriber_a, dana_sertraline):
    score(dana, prescriber_a, 14, days_ago=3, item9=1)
    note = _draft(prescriber_a, dana, key="initial-evaluation")
    assert "PHQ-9: 15" in note.sections["review_of_systems"]
    assert "penicillin" in note.sections["medical"]
    assert "sertraline" in note.sections["past_psychiatric"]


def test_only_the_author_edits_a_draft(dana, prescriber_a, therapist_a):
    note = _draft(prescriber_a, dana)
    with pytest.raises(PermissionDenied):
        services.note_save(actor=therapist_a, access=access_for(therapist_a, dana), note_id=note.pk,
                           expected_version=note.version, changes=_changes())


def test_only_the_named_supervisor_cosigns(dana, prescriber_a, colleague_a, therapist_a):
    access = access_for(prescriber_a, dana)
    patient_services.care_team_add(actor=prescriber_a, access=access_for(prescriber_a, dana, "care_team.manage"),
                                   member=colleague_a, team_role="prescriber")
    note = signed_follow_up(dana, therapist_a, supervisor_id=colleague_a.pk)
    with pytest.raises(PermissionDenied):
        services.note_cosign(actor=prescriber_a, access=access, note_id=note.pk)
    cosignature = services.note_cosign(actor=colleague_a, access=access_for(colleague_a, dana), note_id=note.pk,
                                       comment="Agree with plan.")
    assert cosignature.content_hash == note.content_hash
    with pytest.raises(ValidationError, match="already"):
        services.note_cosign(actor=colleague_a, access=access_for(colleague_a, dana), note_id=note.pk)


def test_a_supervisor_must_be_another_prescriber(dana, prescriber_a, therapist_a):
    note = _draft(therapist_a, dana)
    with pytest.raises(ValidationError) as exc:
        services.note_save(actor=therapist_a, access=access_for(therapist_a, dana), note_id=note.pk,
                           expected_version=note.version, changes=_changes(supervisor_id=therapist_a.pk))
    assert "supervisor" in exc.value.error_dict


def test_a_sensitive_note_is_hidden_from_a_nurse_on_the_care_team(client, as_user, dana, prescriber_a, nurse_a,
                                                                 therapist_a):
    patient_services.care_team_add(actor=prescriber_a, access=access_for(prescriber_a, dana, "care_team.manage"),
                                   member=nurse_a, team_role="nurse")
    note = signed_follow_up(dana, prescriber_a, text="Disclosed childhood trauma details.", sensitive=True)
    url = reverse("visits:note_detail", kwargs={"patient_id": dana.pk, "note_id": note.pk})
    tab = reverse("web:patient_chart_tab", kwargs={"patient_id": dana.pk, "tab": "visits"})
    nurse = as_user(nurse_a)
    assert nurse.get(url).status_code == 403
    listing = nurse.get(tab).content.decode()
    assert "restricted" in listing and "childhood trauma" not in listing
    assert nurse.get(reverse("visits:note_pdf", kwargs={"patient_id": dana.pk, "note_id": note.pk})).status_code == 403
    theo = as_user(therapist_a).get(url)
    assert theo.status_code == 200 and "childhood trauma" in theo.content.decode()


def test_a_letter_cannot_be_sensitive(dana, prescriber_a, therapist_a):
    member = dana.care_team.get(member=therapist_a)
    note = _draft(prescriber_a, dana, key="letter", recipient_id=member.pk)
    assert note.title.startswith("Summary or referral letter to Theo Tran")
    with pytest.raises(ValidationError) as exc:
        services.note_save(actor=prescriber_a, access=access_for(prescriber_a, dana), note_id=note.pk,
                           expected_version=note.version, changes=_changes(sections={"reason": "x"}, sensitive=True))
    assert "sensitive" in exc.value.error_dict


def test_the_autosave_answers_htmx_with_the_new_version(as_user, dana, prescriber_a):
    note = _draft(prescriber_a, dana)
    client = as_user(prescriber_a)
    url = reverse("visits:note_save", kwargs={"patient_id": dana.pk, "note_id": note.pk})
    response = client.post(url, {"version": note.version, "section_interval_history": "Typed so far"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Draft saved at" in response.content.decode()
    assert f'value="{note.version + 1}"' in response.content.decode()
    stale = client.post(url, {"version": note.version, "section_interval_history": "Old tab"}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409 and "Not saved" in stale.content.decode()
    assert VisitNote.objects.get(pk=note.pk).sections["interval_history"] == "Typed so far"


def test_sign_from_the_form_saves_the_text_first(as_user, dana, prescriber_a):
    note = _draft(prescriber_a, dana)
    response = as_user(prescriber_a).post(
        reverse("visits:note_save", kwargs={"patient_id": dana.pk, "note_id": note.pk}),
        {"version": note.version, "section_interval_history": "Final words", "then": "sign"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.is_signed and note.sections["interval_history"] == "Final words"


def test_signing_an_empty_evaluation_shows_what_is_missing_and_keeps_the_text(as_user, dana, prescriber_a):
    note = _draft(prescriber_a, dana, key="initial-evaluation")
    response = as_user(prescriber_a).post(
        reverse("visits:note_save", kwargs={"patient_id": dana.pk, "note_id": note.pk}),
        {"version": note.version, "section_referral_hpi": "Referred by GP", "then": "sign"})
    body = response.content.decode()
    assert response.status_code == 400 and "not yet reviewed" in body and "Referred by GP" in body


def test_the_note_pdf_is_a_pdf_with_the_addenda(as_user, dana, prescriber_a):
    note = signed_follow_up(dana, prescriber_a)
    services.addendum_add(actor=prescriber_a, access=access_for(prescriber_a, dana), note_id=note.pk, text="Late entry.")
    response = as_user(prescriber_a).get(reverse("visits:note_pdf", kwargs={"patient_id": dana.pk, "note_id": note.pk}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and response["Cache-Control"] == "no-store"


def test_a_clinic_adds_its_own_template(dana, prescriber_a, clinic_b, clinician_b):
    own = services.note_template_create(actor=prescriber_a, name="Clozapine clinic visit", kind="follow_up",
                                        section_labels=["ANC today", "Side effects", "", "Plan"])
    assert [s["label"] for s in own.sections] == ["ANC today", "Side effects", "Plan"]
    assert own in services.templates_available(dana.clinic)
    assert own not in services.templates_available(clinic_b)
    note = _draft(prescriber_a, dana, key="follow-up")
    assert note.interval  # a shipped follow-up, for comparison
    custom = services.note_start(actor=prescriber_a, access=access_for(prescriber_a, dana), template_id=own.pk)
    assert custom.template == own and custom.interval


def test_the_visits_tab_reads_a_constant_number_of_queries(as_user, dana, prescriber_a,
                                                           django_assert_max_num_queries):
    client = as_user(prescriber_a)
    url = reverse("web:patient_chart_tab", kwargs={"patient_id": dana.pk, "tab": "visits"})
    signed_follow_up(dana, prescriber_a)
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    for _ in range(5):
        signed_follow_up(dana, prescriber_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_same_page_overtaking_its_own_save_is_not_a_conflict(dana, prescriber_a):
    note = _draft(prescriber_a, dana)
    access = access_for(prescriber_a, dana)
    services.note_save(actor=prescriber_a, access=access, note_id=note.pk, expected_version=note.version,
                       changes=_changes(editor="page-one"))
    # The Sign button posts the version it loaded while the page's autosave already bumped it.
    signed = services.note_sign(actor=prescriber_a, access=access, note_id=note.pk, expected_version=note.version,
                                editor="page-one")
    assert signed.is_signed


def test_another_page_with_the_old_version_is_a_conflict(dana, prescriber_a):
    note = _draft(prescriber_a, dana)
    access = access_for(prescriber_a, dana)
    services.note_save(actor=prescriber_a, access=access, note_id=note.pk, expected_version=note.version,
                       changes=_changes(editor="page-one"))
    with pytest.raises(services.NoteConflict):
        services.note_save(actor=prescriber_a, access=access, note_id=note.pk, expected_version=note.version,
                           changes=_changes(editor="page-two"))


def test_the_interval_summary_reads_the_same_number_of_queries_for_a_longer_history(dana, prescriber_a,
                                                                                   dana_sertraline):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dosewise.visits.prefill import interval_summary

    today = timezone.localdate()
    score(dana, prescriber_a, 15, days_ago=200)
    score(dana, prescriber_a, 12, days_ago=5)
    with CaptureQueriesContext(connection) as short:
        interval_summary(dana, since=today - timedelta(days=90), today=today)
    for days_ago in range(10, 400, 14):
        score(dana, prescriber_a, 10 + days_ago % 7, days_ago=days_ago)
        monitoring_services.side_effect_record(
            actor=prescriber_a, access=access_for(prescriber_a, dana, "monitoring.view"), code="nausea",
            severity="mild", burden=2, noted_on=today - timedelta(days=days_ago))
    with CaptureQueriesContext(connection) as long:
        summary = interval_summary(dana, since=today - timedelta(days=90), today=today)
    assert len(long.captured_queries) == len(short.captured_queries)
    assert len(summary["side_effects"]) == 6  # only the reports of the interval


def test_a_note_remembers_the_appointment_it_documents(dana, prescriber_a):
    class Appointment:
        pk = 41

    note = _draft(prescriber_a, dana, appointment=Appointment())
    assert VisitNote.objects.get(pk=note.pk).appointment_ref == 41
