"""The portal's pages: what the patient sees and does, what staff see of it, and what is refused."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.conftest import PASSWORD

from dosewise.accounts.middleware import LAST_SEEN_KEY
from dosewise.assessments.services import link_create
from dosewise.audit.models import AuditEvent
from dosewise.medications import services as medication_services
from dosewise.medications.models import Medication, MedicationPlan
from dosewise.monitoring.models import MonitoringDue, SideEffect
from dosewise.patients.selectors import access_patient
from dosewise.portal import services
from dosewise.portal.models import DoseLog, PortalAccount, PortalStatus

# Upper bounds; the equality between sizes is what catches an N+1 query.
BUDGETS = {"home": 16, "calendar": 12}


@pytest.fixture
def pat_client(pat, as_user, patient_user):
    return as_user(patient_user)


def count_queries(client, url: str) -> int:
    client.get(url)  # warm up: session and chain-head writes happen once, not per page view
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# ---------------------------------------------------------------------------------------
# Today, medicines, calendar


def test_today_shows_the_doses_the_plan_day_due_labs_and_a_waiting_questionnaire(pat, pat_client, dana, prescriber_a):
    MonitoringDue.objects.create(clinic=dana.clinic, patient=dana, test="lithium-level",
                                 due_date=pat.today + timedelta(days=3), reason="lithium")
    link_create(actor=prescriber_a, access=access_patient(prescriber_a, dana.pk, "assessments.administer"),
                questionnaire="phq9")
    services.dose_log_record(actor=pat.account.user, portal=pat, medication_id=Medication.objects.get(
        patient=dana, ingredient="sertraline").pk, day=pat.today, status="taken")
    html = pat_client.get(reverse("portal:home")).content.decode()
    assert "sertraline" in html and "50 mg/day once daily. Take it in the morning." in html
    assert "Taken" in html and "Not logged yet" in html  # sertraline logged, lamotrigine not
    assert "Today is day 11 of" in html and "lamotrigine</strong>: 25 mg a day" in html
    assert "Lithium level" in html and "PHQ-9" in html and "Answer PHQ-9" in html
    event = AuditEvent.objects.filter(action="portal.today.view").last()
    assert event.actor == pat.account.user and event.patient_id == dana.pk


def test_the_plan_calendar_groups_days_by_dose_step_and_marks_today(pat, pat_client, dana_meds):
    plan = dana_meds["plan"]
    steps = plan.schedules["lamotrigine"]
    response = pat_client.get(reverse("portal:calendar"))
    html = response.content.decode()
    assert response.status_code == 200 and plan.summary in html
    assert html.count('<li class="p-step') == len(steps)
    today_step = html[html.index('aria-current="step"'):]
    assert "Now" in today_step[:200] and "25 mg a day" in today_step[:900]
    assert 'aria-current="date"' in html and "(today)" in html
    assert AuditEvent.objects.filter(action="portal.calendar.view", actor=pat.account.user).exists()


def test_a_finished_plan_is_not_on_the_calendar(pat, pat_client, dana_meds):
    plan = dana_meds["plan"]
    plan.start_date = pat.today - timedelta(days=400)
    plan.save(update_fields=["start_date"])
    assert "You have no dose plan right now" in pat_client.get(reverse("portal:calendar")).content.decode()


def test_my_medicines_links_each_handout_and_the_handout_is_the_knowledge_base_one(pat, pat_client, dana_meds):
    sertraline = dana_meds["sertraline"]
    html = pat_client.get(reverse("portal:medicines")).content.decode()
    assert reverse("portal:handout", args=[sertraline.pk]) in html
    sheet = pat_client.get(reverse("portal:handout", args=[sertraline.pk])).content.decode()
    assert "About your medicine: sertraline" in sheet and "If you miss a dose" in sheet
    assert "For your care team: where this comes from" in sheet and "FDA label Zoloft" in sheet
    assert "<sup>" not in sheet
    assert AuditEvent.objects.filter(action="portal.handout.view", object_id="").last().detail == {
        "medication": sertraline.pk}


def _grow(pat, dana, prescriber_a, medicines: int, plans: int) -> None:
    access = access_patient(prescriber_a, dana.pk, "medications.prescribe")
    for i in range(medicines):
        medication_services.medication_start(actor=prescriber_a, access=access, drug=f"Vitamin D {i}",
                                             source="supplement", frequency="daily")
    # One active plan per medicine is the rule now (docs/decisions/0048); the copies stand for plans
    # saved before it, so the pages are still measured with many plans.
    first = MedicationPlan.objects.filter(patient=dana, drug="aripiprazole").first()
    copies = plans
    if first is None and plans:
        first = medication_services.plan_create(actor=prescriber_a, access=access, kind="titration",
                                                drug="aripiprazole", start_date=pat.today)
        copies -= 1
    for _ in range(copies):
        first.pk = None
        first.save()
    for medicine in Medication.objects.filter(patient=dana):
        if not DoseLog.objects.filter(medication=medicine, day=pat.today).exists():
            services.dose_log_record(actor=pat.account.user, portal=pat, medication_id=medicine.pk, day=pat.today,
                                     status="missed", reason="forgot")


def test_today_and_calendar_cost_the_same_for_2_and_20_medicines_and_plans(pat, pat_client, dana, prescriber_a):
    counts = {}
    for size, (medicines, plans) in (("small", (0, 0)), ("large", (18, 6))):
        _grow(pat, dana, prescriber_a, medicines, plans)
        counts[size] = {page: count_queries(pat_client, reverse(f"portal:{page}")) for page in BUDGETS}
    assert counts["small"] == counts["large"], counts
    for page, budget in BUDGETS.items():
        assert counts["large"][page] <= budget, (page, counts)


# ---------------------------------------------------------------------------------------
# Dose log and side effects through the pages


def _dose(pat, medicine, **data):
    return {"medication": medicine.pk, "day": pat.today.isoformat(), **data}


def test_a_missed_dose_without_a_reason_is_refused_on_the_page_and_nothing_is_saved(pat, pat_client, dana_meds):
    response = pat_client.post(reverse("portal:dose_log"), _dose(pat, dana_meds["sertraline"], status="missed"))
    assert response.status_code == 400 and "Choose why the dose was missed." in response.content.decode()
    assert not DoseLog.objects.exists()


def test_logging_then_changing_a_dose_keeps_the_history(pat, pat_client, dana_meds):
    sertraline = dana_meds["sertraline"]
    url = reverse("portal:dose_log")
    assert pat_client.post(url, _dose(pat, sertraline, status="taken")).status_code == 302
    again = pat_client.post(url, _dose(pat, sertraline, status="missed", reason="forgot"))
    assert again.status_code == 400 and "already logged as taken" in again.content.decode()
    first = DoseLog.objects.get()
    changed = pat_client.post(url, _dose(pat, sertraline, status="missed", reason="side_effects",
                                         replaces=str(first.pk)), follow=True)
    html = changed.content.decode()
    assert "Saved: sertraline missed (Side effects), today." in html and "(changed later)" in html
    assert list(DoseLog.objects.order_by("pk").values_list("status", "current")) == [("taken", False),
                                                                                    ("missed", True)]


def test_the_side_effect_page_refuses_burden_11_and_a_medicine_not_theirs(pat, pat_client, rosa):
    quetiapine = Medication.objects.get(patient=rosa)
    url = reverse("portal:side_effect_new")
    too_much = pat_client.post(url, {"code": "nausea", "severity": "mild", "burden": "11"})
    assert too_much.status_code == 400 and "Choose a number from 0 to 10." in too_much.content.decode()
    foreign = pat_client.post(url, {"code": "nausea", "severity": "mild", "burden": "2",
                                    "suspected": [quetiapine.pk]})
    assert foreign.status_code == 400 and "Choose medicines from your current list." in foreign.content.decode()
    other = pat_client.post(url, {"code": "other", "severity": "mild", "burden": "2"})
    assert other.status_code == 400 and "Describe the side effect" in other.content.decode()
    assert not SideEffect.objects.exists()


def test_a_reported_side_effect_and_a_missed_dose_reach_the_prescribers_chart_and_worklist(
        pat, pat_client, dana, dana_meds, prescriber_a, as_user):
    sertraline = dana_meds["sertraline"]
    pat_client.post(reverse("portal:side_effect_new"), {"code": "insomnia", "severity": "moderate", "burden": "8",
                                                        "suspected": [sertraline.pk], "note": "awake at 3 am"})
    pat_client.post(reverse("portal:dose_log"), _dose(pat, sertraline, status="missed", reason="ran_out"))
    alice = as_user(prescriber_a)
    tab = alice.get(reverse("web:patient_chart_tab", args=[dana.pk, "monitoring"])).content.decode()
    assert "Insomnia: awake at 3 am" in tab and "reported by the patient" in tab
    assert "Dose log from the patient" in tab and "I ran out (1)" in tab
    worklist = alice.get(reverse("monitoring:worklist")).content.decode()
    assert "High side-effect burden: awake at 3 am" in worklist
    summary = alice.get(reverse("portal:staff_dose_log", args=[dana.pk])).content.decode()
    assert "<strong>I ran out</strong>: 1 dose" in summary


# ---------------------------------------------------------------------------------------
# Tenancy and refusals


def test_the_patient_cannot_reach_another_patients_medicine_by_changing_the_url(pat, pat_client, rosa, evan,
                                                                               clinician_b):
    rosas = Medication.objects.get(patient=rosa)
    evans = medication_services.medication_start(
        actor=clinician_b, access=access_patient(clinician_b, evan.pk, "medications.prescribe"), drug="lithium",
        dose_mg_per_day=Decimal(600), frequency="twice daily")
    for medicine in (rosas, evans):
        assert pat_client.get(reverse("portal:handout", args=[medicine.pk])).status_code == 404
    medicines = pat_client.get(reverse("portal:medicines")).content.decode()
    assert "quetiapine" not in medicines and "lithium" not in medicines


def test_the_patient_is_refused_on_every_staff_page_of_their_own_chart(pat, pat_client, dana, dana_meds):
    sertraline = dana_meds["sertraline"]
    for url in (reverse("web:patient_chart", args=[dana.pk]),
                reverse("web:patient_chart_tab", args=[dana.pk, "monitoring"]),
                reverse("medications:handout", args=[dana.pk, sertraline.pk]),
                reverse("medications:plan_detail", args=[dana.pk, dana_meds["plan"].pk]),
                reverse("monitoring:worklist"), reverse("portal:staff_access", args=[dana.pk]),
                reverse("portal:staff_dose_log", args=[dana.pk]), f"/api/patients/{dana.pk}"):
        assert pat_client.get(url).status_code == 403, url
    home = pat_client.get(reverse("web:home"))
    assert home.status_code == 403 and reverse("portal:home") in home.content.decode()


def test_staff_and_an_unlinked_patient_account_are_refused_by_the_portal(pat, as_user, prescriber_a, make_staff,
                                                                        clinic_a):
    refused = as_user(prescriber_a).get(reverse("portal:home"))
    assert refused.status_code == 403 and "Staff use the patient chart" in refused.content.decode()
    stranger = make_staff("sol@example.org", "Sol Stranger", "patient", clinic_a, totp=False)
    assert as_user(stranger).get(reverse("portal:home")).status_code == 403


def test_another_clinic_cannot_open_the_staff_portal_pages(pat, dana, clinician_b, as_user):
    carol = as_user(clinician_b)
    for name in ("portal:staff_access", "portal:staff_dose_log"):
        assert carol.get(reverse(name, args=[dana.pk])).status_code == 404


# ---------------------------------------------------------------------------------------
# Sign-in and sessions


def test_the_invitation_link_sets_a_password_and_the_patient_signs_in_without_mfa(
        rosa, prescriber_a, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        account = services.portal_invite(actor=prescriber_a, access=access_patient(prescriber_a, rosa.pk),
                                         email="rosa@example.org")
    [sent] = mail.outbox
    found = re.search(r"(\S+)(/accounts/password/reset/key/\S+)", sent.body)
    # The link is on the configured site, whatever Host the request that caused it named.
    assert found.group(1) == django_settings.SITE_URL
    link = found.group(2)
    form_page = client.get(link, follow=True)
    done = client.post(form_page.redirect_chain[-1][0], {"password1": PASSWORD, "password2": PASSWORD})
    assert done.status_code == 302
    response = client.post(reverse("account_login"), {"login": "rosa@example.org", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200
    assert PortalAccount.objects.get(pk=account.pk).status == PortalStatus.ACTIVE
    # Two-factor is offered, not forced: after confirming the password, the enrolment page opens.
    assert client.get(reverse("mfa_index")).status_code == 200
    confirm = client.get(reverse("mfa_activate_totp"))
    assert confirm.status_code == 302 and confirm["Location"].startswith(reverse("account_reauthenticate"))
    client.post(confirm["Location"], {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_a_patient_is_signed_out_after_30_idle_minutes(pat, pat_client, settings):
    assert settings.PATIENT_IDLE_TIMEOUT_MINUTES == 30
    pat_client.get(reverse("portal:home"))
    session = pat_client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 20 * 60
    session.save()
    assert pat_client.get(reverse("portal:home")).status_code == 200
    session = pat_client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 31 * 60
    session.save()
    response = pat_client.get(reverse("portal:home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


# ---------------------------------------------------------------------------------------
# Staff pages


def test_the_chart_shows_the_portal_status_and_invitation_from_the_chart_works(rosa, prescriber_a, as_user):
    alice = as_user(prescriber_a)
    chart = alice.get(reverse("web:patient_chart", args=[rosa.pk])).content.decode()
    assert "Not invited" in chart and "Invite to the patient portal" in chart
    sent = alice.post(reverse("portal:staff_access", args=[rosa.pk]), {"email": "rosa@example.org"}, follow=True)
    assert "Portal invitation sent to rosa@example.org." in sent.content.decode()
    chart = alice.get(reverse("web:patient_chart", args=[rosa.pk])).content.decode()
    assert "Invited" in chart and "rosa@example.org" in chart


def test_an_invitation_without_email_consent_is_refused_on_the_page(dana, prescriber_a, as_user):
    response = as_user(prescriber_a).post(reverse("portal:staff_access", args=[dana.pk]),
                                          {"email": "dana@example.org"})
    assert response.status_code == 400 and "no active consent to e-mail contact" in response.content.decode()
    assert not PortalAccount.objects.exists()


def test_the_dose_log_summary_counts_taken_missed_and_not_logged_over_30_days(pat, dana, dana_meds, prescriber_a):
    from dosewise.portal.selectors import dose_log_summary

    sertraline = dana_meds["sertraline"]
    user = pat.account.user
    services.dose_log_record(actor=user, portal=pat, medication_id=sertraline.pk, day=pat.today, status="taken")
    services.dose_log_record(actor=user, portal=pat, medication_id=sertraline.pk,
                             day=pat.today - timedelta(days=1), status="missed", reason="cost")
    summary = dose_log_summary(access_patient(prescriber_a, dana.pk, "monitoring.view"))
    rows = {r.medicine.ingredient: r for r in summary.rows}
    # Both started 10 days ago: 11 days on the list in the window.
    assert (rows["sertraline"].taken, rows["sertraline"].missed, rows["sertraline"].not_logged) == (1, 1, 9)
    assert (rows["lamotrigine"].taken, rows["lamotrigine"].missed, rows["lamotrigine"].not_logged) == (0, 0, 11)
    assert summary.reasons == [("Cost", 1)] and rows["sertraline"].reasons == [("Cost", 1)]


def test_a_second_invitation_while_an_account_is_open_shows_why_it_was_refused(pat, dana, prescriber_a, as_user):
    response = as_user(prescriber_a).post(reverse("portal:staff_access", args=[dana.pk]),
                                          {"email": "another@example.org"})
    assert response.status_code == 400 and "already has a portal invitation or account" in response.content.decode()
    assert list(PortalAccount.objects.values_list("user__email", flat=True)) == ["pat@example.org"]


# ---------------------------------------------------------------------------------------
# What to do next after a report


def _report(pat_client, **fields):
    data = {"code": "other", "severity": "moderate", "burden": "4", "note": ""}
    data.update(fields)
    return pat_client.post(reverse("portal:side_effect_new"), data)


def test_a_rash_on_lamotrigine_tells_the_patient_to_call_today_with_the_clinic_phone(pat, pat_client, dana,
                                                                                      prescriber_a, as_user):
    dana.clinic.phone = "(312) 555-0142"
    dana.clinic.save(update_fields=["phone"])
    response = _report(pat_client, code="rash", severity="mild", burden="2")
    item = SideEffect.objects.get(patient=dana)
    assert response["Location"] == reverse("portal:side_effect_advice", args=[item.pk])
    page = pat_client.get(response["Location"]).content.decode()
    assert "Call us today" in page and 'href="tel:(312) 555-0142"' in page and "next dose" in page
    assert "serious-rash" not in page and "FDA" not in page
    home = as_user(prescriber_a).get(reverse("web:home")).content.decode()
    assert "Urgent: side effect report" in home and dana.display_name in home


def test_an_emergency_is_said_at_once_with_a_911_button(pat, pat_client, dana):
    response = _report(pat_client, code="rash", note="blistering rash and sores in my mouth", severity="severe",
                       burden="9")
    page = pat_client.get(response["Location"]).content.decode()
    assert "Get help now" in page and 'href="tel:911"' in page and 'role="alert"' in page


def test_a_routine_report_thanks_the_patient_and_says_whom_to_call(pat, pat_client, dana):
    response = _report(pat_client, code="dry-mouth", severity="mild", burden="1")
    page = pat_client.get(response["Location"]).content.decode()
    assert "Thank you for your report" in page and "Your care team will read it." in page and "988" in page


def test_the_advice_page_shows_only_the_patients_own_reports(pat, pat_client, rosa, prescriber_a):
    from dosewise.monitoring import services as monitoring_services

    access = access_patient(prescriber_a, rosa.pk, "clinical.edit")
    rosas = monitoring_services.side_effect_record(actor=prescriber_a, access=access, code="nausea",
                                                   severity="mild", burden=1, noted_on=pat.today)
    assert pat_client.get(reverse("portal:side_effect_advice", args=[rosas.pk])).status_code == 404
