"""The messaging pages as the patient and the care team use them."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dosewise.audit.models import AuditEvent
from dosewise.messaging import services
from dosewise.messaging.files import file_check
from dosewise.messaging.models import Attachment, Message, Thread
from dosewise.messaging.tests.conftest import pdf_bytes, png_bytes


@pytest.fixture
def pat_client(pat, as_user):
    return as_user(pat.account.user)


def _send(pat, body="When should I take it?", subject="Question", files=()):
    return services.thread_start_by_patient(actor=pat.account.user, patient=pat.patient, subject=subject,
                                            body=body, files=files)


def test_a_risk_phrase_shows_crisis_resources_first_and_the_thread_is_urgent(pat, pat_client):
    response = pat_client.post(reverse("messaging:portal_new"), {
        "subject": "Feeling low", "body": "Since last week I want to end my life."}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in page and "Get help now" in page
    assert page.index("988") < page.index("Since last week")
    assert pat.patient.clinic.crisis_resources.split(" (")[0] in page
    assert Thread.objects.get(patient=pat.patient).urgent


def test_a_routine_message_says_when_the_team_answers(pat, pat_client):
    response = pat_client.post(reverse("messaging:portal_new"), {
        "subject": "Timing", "body": "Can I take sertraline at night?"}, follow=True)
    page = response.content.decode()
    assert "Message sent" in page and "within 2 business days" in page and "Get help now" not in page


def test_bad_input_is_named_next_to_its_field_and_the_words_are_kept(pat, pat_client):
    response = pat_client.post(reverse("messaging:portal_new"), {
        "subject": "", "body": "My words stay here", "files": [SimpleUploadedFile("x.png", b"not a photo")]})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Write what your message is about." in page and "not a photo" in page
    assert "My words stay here" in page
    assert not Thread.objects.filter(patient=pat.patient).exists()


def test_a_photo_sent_from_the_portal_is_served_to_the_patient_and_the_team_only(
        pat, pat_client, prescriber_a, as_user, evan, clinician_b):
    pat_client.post(reverse("messaging:portal_new"), {
        "subject": "Rash", "body": "This appeared on my arm.",
        "files": [SimpleUploadedFile("arm.png", png_bytes(), content_type="text/plain")]})
    attachment = Attachment.objects.get(patient=pat.patient)
    assert attachment.content_type == "image/png"
    mine = pat_client.get(reverse("messaging:portal_attachment", args=[attachment.pk]))
    assert mine.status_code == 200 and mine["Content-Type"] == "image/png" and mine.content == png_bytes()
    assert mine["X-Content-Type-Options"] == "nosniff"
    staff = as_user(prescriber_a).get(reverse("messaging:attachment", args=[pat.patient.pk, attachment.pk]))
    assert staff.status_code == 200
    # Through another patient's record, the id is unknown.
    other = as_user(clinician_b).get(reverse("messaging:attachment", args=[evan.pk, attachment.pk]))
    assert other.status_code == 404
    assert AuditEvent.objects.filter(action="message.attachment.view").count() == 2


def test_a_pdf_is_downloaded_not_shown_inline(pat, pat_client):
    message = _send(pat, files=[file_check("labs.pdf", pdf_bytes())])
    attachment = message.attachments.get()
    response = pat_client.get(reverse("messaging:portal_attachment", args=[attachment.pk]))
    assert response["Content-Disposition"] == "attachment; filename*=UTF-8''labs.pdf"


def test_the_staff_inbox_puts_urgent_threads_first_and_the_reply_reaches_the_patient(pat, pat_client, prescriber_a,
                                                                                     as_user):
    _send(pat, subject="Routine one")
    urgent = _send(pat, subject="Bad night", body="I keep thinking about how to kill myself.")
    alice = as_user(prescriber_a)
    page = alice.get(reverse("messaging:inbox")).content.decode()
    assert page.index("Bad night") < page.index("Routine one")
    assert "urgent" in page[:page.index("Bad night") + 400]
    thread_url = reverse("messaging:thread", args=[pat.patient.pk, urgent.thread_id])
    shown = alice.get(thread_url).content.decode()
    assert "kill myself" in shown and "Suicide risk" in shown
    response = alice.post(thread_url, {"body": "We are calling you now.", "status": "waiting"})
    assert response.status_code == 302
    mine = pat_client.get(reverse("messaging:portal_inbox")).content.decode()
    assert "New reply" in mine
    assert "We are calling you now." in pat_client.get(
        reverse("messaging:portal_thread", args=[urgent.thread_id])).content.decode()


def test_the_inbox_costs_the_same_queries_for_three_threads_or_thirty(pat, prescriber_a, as_user):
    alice = as_user(prescriber_a)
    alice.get(reverse("messaging:inbox"))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert alice.get(reverse("messaging:inbox")).status_code == 200
        return len(queries)

    for i in range(3):
        _send(pat, subject=f"Question {i}")
    few = count()
    for i in range(27):
        _send(pat, subject=f"More {i}")
    assert count() == few


def test_today_shows_the_messages_waiting_and_past_the_target(pat, prescriber_a, as_user, front_desk_a):
    message = _send(pat, subject="Side effects")
    Thread.objects.filter(pk=message.thread_id).update(reply_due_at=message.created_at.replace(year=2020))
    page = as_user(prescriber_a).get(reverse("web:home")).content.decode()
    assert "Messages" in page and "1 waiting for a reply" in page and "1 past the 2-business-day target" in page
    assert "Side effects" in page
    # Front desk has no inbox: no section, no leak.
    assert "today-messages" not in as_user(front_desk_a).get(reverse("web:home")).content.decode()


def test_the_chart_tab_lists_the_threads_and_writes_to_the_patient(pat, prescriber_a, as_user):
    _send(pat, subject="About my dose")
    alice = as_user(prescriber_a)
    tab = alice.get(reverse("web:patient_chart_tab", args=[pat.patient.pk, "messages"]))
    assert tab.status_code == 200 and "About my dose" in tab.content.decode()
    response = alice.post(reverse("messaging:thread_new", args=[pat.patient.pk]),
                          {"subject": "Your lab results", "body": "Please call us about your results."})
    assert response.status_code == 302
    assert Thread.objects.filter(patient=pat.patient, subject="Your lab results", status="waiting").exists()
    refused = alice.post(reverse("messaging:thread_new", args=[pat.patient.pk]), {"subject": "", "body": ""})
    assert refused.status_code == 400 and "This field is required." in refused.content.decode()


def test_a_refill_request_shows_adherence_and_monitoring_to_the_prescriber(pat, pat_client, prescriber_a, as_user,
                                                                         dana_meds):
    form = pat_client.get(reverse("messaging:portal_refill")).content.decode()
    assert "sertraline" in form and "lamotrigine" in form
    response = pat_client.post(reverse("messaging:portal_refill"),
                               {"medication": dana_meds["sertraline"].pk, "days_left": "2"}, follow=True)
    assert "Your refill request was sent" in response.content.decode()
    thread = Thread.objects.get(patient=pat.patient, kind="refill")
    page = as_user(prescriber_a).get(reverse("messaging:thread", args=[pat.patient.pk, thread.pk])).content.decode()
    assert "Refill request: sertraline" in page and "Adherence" in page and "Monitoring" in page
    assert "Approve the refill" in page
    decided = as_user(prescriber_a).post(reverse("messaging:refill_decide", args=[pat.patient.pk, thread.pk]),
                                         {"decision": "approved", "note": "Sent to your pharmacy."})
    assert decided.status_code == 302
    assert Message.objects.filter(thread=thread, from_patient=False, body__startswith="Your refill").exists()


def test_a_refill_with_no_medicine_chosen_is_refused_next_to_the_field(pat, pat_client):
    response = pat_client.post(reverse("messaging:portal_refill"), {"days_left": "400"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose the medicine you need more of." in page and "less than or equal to 365" in page


def test_the_admin_sets_the_target_and_patients_see_it(pat, pat_client, admin_a, as_user):
    ada = as_user(admin_a)
    assert ada.post(reverse("messaging:settings"), {"response_target_business_days": "1"}).status_code == 302
    assert "within 1 business day" in pat_client.get(reverse("messaging:portal_inbox")).content.decode()
    bad = ada.post(reverse("messaging:settings"), {"response_target_business_days": "30"})
    assert bad.status_code == 400 and "less than or equal to 10" in bad.content.decode()


def test_a_thread_costs_the_same_queries_with_two_messages_or_twenty(pat, pat_client, prescriber_a, as_user,
                                                                     monkeypatch):
    monkeypatch.setattr(services, "PATIENT_SENDS_PER_HOUR", 100)
    first = _send(pat, files=[file_check("a.png", png_bytes())])
    alice = as_user(prescriber_a)
    staff_url = reverse("messaging:thread", args=[pat.patient.pk, first.thread_id])
    patient_url = reverse("messaging:portal_thread", args=[first.thread_id])
    tab_url = reverse("web:patient_chart_tab", args=[pat.patient.pk, "messages"])

    def counts() -> tuple[int, int, int]:
        found = []
        for client, url in ((alice, staff_url), (pat_client, patient_url), (alice, tab_url)):
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return tuple(found)

    services.message_send_by_patient(actor=pat.account.user, patient=pat.patient, thread_id=first.thread_id,
                                     body="And another thing", files=[file_check("b.png", png_bytes())])
    few = counts()
    for n in range(18):
        services.message_send_by_patient(actor=pat.account.user, patient=pat.patient, thread_id=first.thread_id,
                                         body=f"Message {n}", files=[file_check(f"c{n}.png", png_bytes())])
        _send(pat, subject=f"Other {n}")
    assert counts() == few


def test_the_urgent_banner_names_the_urgent_message_after_a_calmer_one(pat, prescriber_a, as_user):
    first = _send(pat, subject="Night", body="I want to kill myself.")
    services.message_send_by_patient(actor=pat.account.user, patient=pat.patient, thread_id=first.thread_id,
                                     body="Also, can I take it with food?")
    page = as_user(prescriber_a).get(reverse("messaging:thread", args=[pat.patient.pk, first.thread_id]))
    banner = page.content.decode().split('role="alert"', 1)[1].split("</div>", 1)[0]
    assert "Emergency" in banner and "Suicide risk" in banner
