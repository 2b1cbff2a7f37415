"""Saved plans revised (pause, slow down, stop) as versions with history, and the team's follow-ups."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dosewise.audit.models import AuditEvent
from dosewise.clinical.plans import dose_on
from dosewise.medications import selectors, services
from dosewise.medications.models import MedicationPlan, MedicationPlanRevision, PlanFollowUp
from dosewise.monitoring import selectors as monitoring_selectors
from dosewise.patients import services as patient_services
from dosewise.patients.selectors import access_patient
from dosewise.patients.services import EditConflict

pytestmark = pytest.mark.django_db


def _taper(actor, access, start: date, drug="sertraline", dose="50"):
    med = services.medication_start(actor=actor, access=access, drug=drug, dose_mg_per_day=Decimal(dose),
                                    frequency="once daily")
    return services.plan_create(actor=actor, access=access, kind="taper", medication_id=med.pk, start_date=start)


def _first_step_mg(plan) -> float:
    """Return the dose of the taper's first reduction (the knowledge base's default step for sertraline)."""
    return plan.schedules["sertraline"][1]["dose_mg"]


def _open(plan):
    return list(PlanFollowUp.objects.filter(plan=plan, done_at__isnull=True, cancelled_at__isnull=True)
                .order_by("due_date"))


def test_a_saved_taper_gets_a_review_a_week_after_each_step(prescriber_a, dana_meds):
    start = timezone.localdate()
    plan = _taper(prescriber_a, dana_meds, start)
    steps = plan.schedules["sertraline"]
    follow_ups = _open(plan)
    assert [f.step_day for f in follow_ups] == [s["day"] for s in steps[1:]]
    assert all(f.due_date == start + timedelta(days=f.step_day + 7) for f in follow_ups)
    assert f"lowered from 50 to {steps[1]['dose_mg']:g} mg/day" in follow_ups[0].what
    assert follow_ups[-1].kind == "plan_end" and "end of the taper" in follow_ups[-1].what


def test_a_lithium_titration_review_points_to_the_level_that_monitoring_schedules(prescriber_a, dana_meds):
    plan = services.plan_create(actor=prescriber_a, access=dana_meds, kind="titration", drug="lithium")
    follow_ups = _open(plan)
    assert follow_ups and all("lithium level 7 days after the change" in f.what for f in follow_ups)
    assert all("record the change on the medication list" in f.what for f in follow_ups)


def test_a_pause_is_a_new_version_that_keeps_the_old_schedule_and_moves_the_follow_ups(prescriber_a, dana_meds):
    start = timezone.localdate() - timedelta(days=30)
    plan = _taper(prescriber_a, dana_meds, start)
    before = plan.schedules
    old_open = {f.pk for f in _open(plan)}
    plan = services.plan_pause(actor=prescriber_a, access=dana_meds, plan_id=plan.pk, expected_version=1, days=14,
                               reason="withdrawal symptoms after the last step")
    assert plan.version == 2
    revision = MedicationPlanRevision.objects.get(plan=plan)
    assert (revision.kind, revision.previous_version, revision.previous_schedules, revision.created_by) == (
        "pause", 1, before, prescriber_a)
    assert revision.schedules == plan.schedules and revision.effective_date == timezone.localdate()
    new_steps = selectors.plan_steps(plan.schedules)["sertraline"]
    old_steps = selectors.plan_steps(before)["sertraline"]
    assert dose_on(new_steps, 30 + 14) == dose_on(old_steps, 30) == _first_step_mg(plan)
    assert dose_on(new_steps, 56 + 14) == dose_on(old_steps, 56)
    cancelled = PlanFollowUp.objects.filter(pk__in=old_open, cancelled_at__isnull=False)
    assert cancelled.count() == len(old_open) - 1  # the review of day 28 was not moved
    assert all(f.plan_version == 2 for f in _open(plan) if f.step_day > 30)
    assert {f.step_day for f in _open(plan) if f.step_day > 30} == {s.day for s in new_steps if s.day > 30}
    event = AuditEvent.objects.get(action="medication_plan.pause", object_id=str(plan.pk))
    assert event.detail["version"] == 2 and event.detail["parameters"] == {"days": 14}


def test_the_second_of_two_prescribers_revising_at_once_gets_a_conflict_and_nothing_is_lost(
        prescriber_a, dana_meds, as_user, dana):
    plan = _taper(prescriber_a, dana_meds, timezone.localdate())
    services.plan_pause(actor=prescriber_a, access=dana_meds, plan_id=plan.pk, expected_version=1, days=7,
                        reason="first prescriber")
    with pytest.raises(EditConflict, match="Someone else revised this plan"):
        services.plan_pause(actor=prescriber_a, access=dana_meds, plan_id=plan.pk, expected_version=1, days=21,
                            reason="second prescriber")
    plan.refresh_from_db()
    assert plan.version == 2 and list(plan.revisions.values_list("reason", flat=True)) == ["first prescriber"]
    response = as_user(prescriber_a).post(
        reverse("medications:plan_revise", kwargs={"patient_id": dana.pk, "plan_id": plan.pk}),
        {"version": "1", "action": "slow", "interval_days": "42", "reason": "typed while the other saved"})
    body = response.content.decode()
    assert response.status_code == 409 and "Someone else revised this plan" in body
    assert "typed while the other saved" in body and 'name="version" value="2"' in body
    assert MedicationPlan.objects.get(pk=plan.pk).version == 2


def test_slowing_a_taper_re_plans_the_rest_and_reruns_the_safety_check(prescriber_a, dana_meds):
    plan = _taper(prescriber_a, dana_meds, timezone.localdate())
    services.medication_start(actor=prescriber_a, access=dana_meds, drug="tramadol", dose_mg_per_day=Decimal(100),
                              frequency="twice daily", source="other_prescriber",
                              external_prescriber="Pain clinic, Dr Rivera",
                              override_reason="Recorded from the pain clinic's list; patient told the warning signs")
    plan = services.plan_slow(actor=prescriber_a, access=dana_meds, plan_id=plan.pk, expected_version=1,
                              interval_days=42, step_size=Decimal(5), reason="patient prefers slower")
    days = [s["day"] for s in plan.schedules["sertraline"]]
    assert all(b - a == 42 for a, b in zip(days, days[1:], strict=False))
    assert plan.schedules["sertraline"][-1]["dose_mg"] == 0
    revision = plan.revisions.get()
    assert revision.parameters == {"interval_days": 42, "step_size": "5"}
    assert any(set(f["drugs"]) >= {"sertraline", "tramadol"} for f in revision.findings)
    assert (plan.plan["interval_days"], plan.plan["step"]["size"]) == (42, 5.0)
    with pytest.raises(ValidationError, match="More days between steps than the current 42"):
        services.plan_slow(actor=prescriber_a, access=dana_meds, plan_id=plan.pk, expected_version=2,
                           interval_days=35, reason="faster than the slowed pace")


def test_a_faster_taper_or_a_past_date_is_refused_and_nothing_changes(prescriber_a, dana_meds):
    plan = _taper(prescriber_a, dana_meds, timezone.localdate() - timedelta(days=10))
    with pytest.raises(ValidationError, match="smaller reduction than the current 10"):
        services.plan_slow(actor=prescriber_a, access=dana_meds, plan_id=plan.pk, expected_version=1,
                           step_size=Decimal(20), reason="faster")
    with pytest.raises(ValidationError, match="days already lived"):
        services.plan_pause(actor=prescriber_a, access=dana_meds, plan_id=plan.pk, expected_version=1, days=7,
                            reason="late entry", effective_date=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError, match="Say why"):
        services.plan_pause(actor=prescriber_a, access=dana_meds, plan_id=plan.pk, expected_version=1, days=7,
                            reason=" ")
    plan.refresh_from_db()
    assert plan.version == 1 and not plan.revisions.exists()


def test_a_slower_titration_stretches_the_remaining_steps(prescriber_a, dana_meds):
    plan = services.plan_create(actor=prescriber_a, access=dana_meds, kind="titration", drug="lamotrigine")
    plan = services.plan_slow(actor=prescriber_a, access=dana_meds, plan_id=plan.pk, expected_version=1,
                              interval_days=21, reason="rash worry, go slower")
    days = [s["day"] for s in plan.schedules["lamotrigine"]]
    assert days[0] == 0 and all(b - a >= 21 for a, b in zip(days, days[1:], strict=False))
    with pytest.raises(ValidationError, match="label template"):
        services.plan_slow(actor=prescriber_a, access=dana_meds, plan_id=plan.pk, expected_version=2,
                           step_size=Decimal(5), reason="smaller steps")


def test_stopping_a_plan_holds_the_dose_and_cancels_the_reviews_ahead(prescriber_a, dana_meds):
    plan = _taper(prescriber_a, dana_meds, timezone.localdate() - timedelta(days=30))
    plan = services.plan_stop(actor=prescriber_a, access=dana_meds, plan_id=plan.pk, expected_version=1,
                              reason="relapse: stay at 44 mg")
    assert plan.status == "stopped"
    held = _first_step_mg(plan)
    assert plan.schedules["sertraline"][-1] == {"day": 30, "dose_mg": held, "note": f"plan stopped: stay at {held:g} mg/day"}
    assert [f.step_day for f in _open(plan)] == [28]
    with pytest.raises(ValidationError, match="stopped"):
        services.plan_pause(actor=prescriber_a, access=dana_meds, plan_id=plan.pk, expected_version=2, days=7,
                            reason="too late")


def test_a_follow_up_is_completed_once_with_who_and_what(prescriber_a, nurse_a, dana_meds, dana):
    plan = _taper(prescriber_a, dana_meds, timezone.localdate())
    follow_up = _open(plan)[0]
    with pytest.raises(ValidationError, match="Write what the review found"):
        services.plan_follow_up_complete(actor=prescriber_a, access=dana_meds, follow_up_id=follow_up.pk, note="")
    done = services.plan_follow_up_complete(actor=prescriber_a, access=dana_meds, follow_up_id=follow_up.pk,
                                            note="phoned: mild dizziness, continue")
    assert (done.done_by, done.done_note) == (prescriber_a, "phoned: mild dizziness, continue")
    assert AuditEvent.objects.filter(action="plan_follow_up.complete", object_id=str(follow_up.pk)).exists()
    with pytest.raises(ValidationError, match="already done"):
        services.plan_follow_up_complete(actor=prescriber_a, access=dana_meds, follow_up_id=follow_up.pk,
                                         note="again")


def test_the_worklist_lists_overdue_plan_reviews_first_and_costs_constant_queries(prescriber_a, dana_meds, dana,
                                                                                 as_user):
    _taper(prescriber_a, dana_meds, timezone.localdate() - timedelta(days=40))
    with CaptureQueriesContext(connection) as few:
        items = [i for i in monitoring_selectors.worklist(prescriber_a, scope="mine") if i.kind == "plan-follow-up"]
    # Day-28 step reviewed on day 35: overdue; the day-56 review is weeks away and not listed yet.
    assert len(items) == 1 and "overdue since" in items[0].title
    for n in range(3):
        other = patient_services.patient_register(actor=prescriber_a, prescriber=prescriber_a, data={
            "legal_given_name": f"Pat{n}", "legal_family_name": "Tester", "date_of_birth": date(1980, 1, 1),
            "sex_at_birth": "female", "email": f"p{n}@example.org"})
        access = access_patient(prescriber_a, other.pk, "medications.prescribe")
        _taper(prescriber_a, access, timezone.localdate() - timedelta(days=35 - n))
    with CaptureQueriesContext(connection) as many:
        items = [i for i in monitoring_selectors.worklist(prescriber_a, scope="mine") if i.kind == "plan-follow-up"]
    assert len(many) == len(few)
    assert len(items) == 4 and "overdue" in items[0].title and all("due 20" in i.title for i in items[1:])
    page = as_user(prescriber_a).get(reverse("monitoring:worklist")).content.decode()
    assert reverse("medications:follow_up_complete", kwargs={"patient_id": dana.pk,
                                                              "follow_up_id": items[0].object_id}) in page
    back = as_user(prescriber_a).post(
        reverse("medications:follow_up_complete", kwargs={"patient_id": dana.pk, "follow_up_id": items[0].object_id}),
        {"note": "seen today", "next": reverse("monitoring:worklist") + "?scope=mine"})
    assert back.status_code == 302 and back["Location"] == reverse("monitoring:worklist") + "?scope=mine"
    assert PlanFollowUp.objects.get(pk=items[0].object_id).done_note == "seen today"


def test_the_plan_page_shows_today_the_history_and_the_follow_ups(prescriber_a, therapist_a, dana_meds, dana,
                                                                  as_user):
    plan = _taper(prescriber_a, dana_meds, timezone.localdate() - timedelta(days=30))
    url = reverse("medications:plan_detail", kwargs={"patient_id": dana.pk, "plan_id": plan.pk})
    client = as_user(prescriber_a)
    response = client.post(reverse("medications:plan_revise", kwargs={"patient_id": dana.pk, "plan_id": plan.pk}),
                           {"version": "1", "action": "pause", "days": "14", "reason": "dizzy since day 28"})
    assert response.status_code == 302
    body = client.get(url).content.decode()
    held = _first_step_mg(plan)
    assert "Day 30" in body and f"sertraline {held:g} mg/day" in body
    assert "Version 2: Paused" in body and "dizzy since day 28" in body and "Schedule before this change" in body
    assert "Follow-ups for the team" in body and f"paused 14 days at {held:g} mg/day" in body
    assert "Pause, slow down or stop" in body
    read_only = as_user(therapist_a).get(url).content.decode()
    assert "Version 2: Paused" in read_only and "Pause, slow down or stop" not in read_only
    refused = client.post(reverse("medications:plan_revise", kwargs={"patient_id": dana.pk, "plan_id": plan.pk}),
                          {"version": "2", "action": "pause", "reason": "no days given"})
    assert refused.status_code == 400 and "Enter how many days to pause" in refused.content.decode()
    chart = client.get(reverse("web:patient_chart_tab", kwargs={"patient_id": dana.pk, "tab": "medications"}))
    assert "Open follow-ups" in chart.content.decode() and "version 2" in chart.content.decode()


def test_a_switch_can_only_be_stopped(prescriber_a, dana_meds, dana, as_user):
    med = services.medication_start(actor=prescriber_a, access=dana_meds, drug="sertraline",
                                    dose_mg_per_day=Decimal(50), frequency="once daily")
    plan = services.plan_create(actor=prescriber_a, access=dana_meds, kind="switch", medication_id=med.pk,
                                drug="escitalopram")
    whats = " ".join(f.what for f in _open(plan))
    assert "sertraline stopped on" in whats and "Switch to escitalopram complete" in whats
    client = as_user(prescriber_a)
    page = client.get(reverse("medications:plan_detail", kwargs={"patient_id": dana.pk, "plan_id": plan.pk}))
    assert 'value="pause"' not in page.content.decode() and 'value="stop"' in page.content.decode()
    with pytest.raises(ValidationError, match="cannot be paused"):
        services.plan_pause(actor=prescriber_a, access=dana_meds, plan_id=plan.pk, expected_version=1, days=7,
                            reason="halfway")
    response = client.post(reverse("medications:plan_revise", kwargs={"patient_id": dana.pk, "plan_id": plan.pk}),
                            {"version": "1", "action": "stop", "reason": "stay on both for now"})
    assert response.status_code == 302 and MedicationPlan.objects.get(pk=plan.pk).status == "stopped"
