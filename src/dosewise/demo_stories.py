"""Six demo patients with a medication history, results, scores and a plan.

The bulk demo patients have demographics, allergies and context only; these stories give a
new installation something to look at on every page (the worklist, labs to order, the
trajectory, a taper calendar) and they are written through the same services a clinician
uses, so each one has passed the safety check, the unit check and the audit trail.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from dosewise.assessments import services as assessments
from dosewise.assessments.models import ResponseSource
from dosewise.clinics.clock import clinic_today
from dosewise.clinics.roles import Capability, Role
from dosewise.medications import services as medications
from dosewise.monitoring import services as monitoring
from dosewise.monitoring.models import Severity, SideEffectAction
from dosewise.patients.models import CareTeamMember, Patient
from dosewise.patients.selectors import access_patient

# Why each override is acceptable, in the words a prescriber would write.
DEMO_TIMEZONE = "America/Chicago"
OVERRIDE = "Demo story: benefit judged to outweigh the risk, monitoring arranged and discussed with the patient."
REASON = "benefit_outweighs_risk"


def _answers(total: int, items: int, top: int = 3) -> list[int]:
    """Fill the items front to back up to `top` each; PHQ-9 item 9 stays 0 below a total of 25."""
    answers, left = [], total
    for _ in range(items):
        answers.append(min(top, left))
        left -= answers[-1]
    return answers


def _at(day, hour: int = 9):
    """Return the day at that hour on the demo clinic's clock, or now if that hour is still to come.

    The demo is loaded at any hour: today's scores and levels at 10:00 would be in the future
    when it is loaded before dawn, and the services rightly refuse answers from the future.
    """
    return min(datetime.combine(day, time(hour, 0), tzinfo=ZoneInfo(DEMO_TIMEZONE)), timezone.now())


def demo_stories_load(clinic, staff: dict) -> int:
    """Write the stories onto the clinic's first patients; return how many were written."""
    prescriber, nurse = staff[Role.PRESCRIBER], staff.get(Role.NURSE)
    today = clinic_today(clinic)
    patients = list(Patient.objects.filter(clinic=clinic).order_by("mrn")[:6])
    for n, patient in enumerate(patients):
        # The nurse joins the stories with blood tests to order (lithium, clozapine, quetiapine).
        team = ((prescriber, "prescriber"), (nurse, "nurse")) if n in (0, 2, 4) else ((prescriber, "prescriber"),)
        for member, team_role in team:
            if member is not None and not CareTeamMember.objects.filter(clinic_id=patient.clinic_id,
                                                                        patient=patient, member=member).exists():
                CareTeamMember.objects.create(clinic=clinic, patient=patient, member=member, team_role=team_role,
                                              since=today - timedelta(days=400), added_by=prescriber)
    stories = (_lithium_level_too_high, _depression_in_remission_with_taper, _clozapine_neutrophils,
               _phenelzine, _quetiapine_overdue_metabolic_monitoring, _lamotrigine_titration_with_valproate)
    for story, patient in zip(stories, patients, strict=False):
        access = access_patient(prescriber, patient.pk, Capability.MEDICATIONS_PRESCRIBE)
        story(prescriber, access, today)
    if len(patients) > 1:
        from dosewise.visits.demo import visits_demo_load

        # The sertraline story carries the documentation: evaluation, trials, notes, a letter.
        visits_demo_load(patients[1], staff)
    return min(len(stories), len(patients))


def _scores(actor, access, questionnaire: str, items: int, totals: list[int], today, every_days: int = 14) -> None:
    first = today - timedelta(days=every_days * (len(totals) - 1))
    for n, total in enumerate(totals):
        assessments.response_submit(patient=access.patient, questionnaire=questionnaire,
                                    answers=_answers(total, items), source=ResponseSource.CLINIC,
                                    actor=actor, access=access,
                                    # Before 10:00 on the clinic's clock, today's score is taken now.
                                    authored=min(_at(first + timedelta(days=every_days * n), 10), timezone.now()))


def _lithium_level_too_high(prescriber, access, today) -> None:
    """Lithium raised to 1,200 mg/day on a level of 0.8, then 1.8 mmol/L yesterday: raising it again
    (to 1,500 mg/day) gives a contraindicated finding that holds the increase."""
    medications.problem_add(actor=prescriber, access=access, code="F31.81", onset_date=today - timedelta(days=900))
    lithium = medications.medication_start(
        actor=prescriber, access=access, drug="lithium carbonate", dose_mg_per_day=Decimal(900), frequency="twice daily",
        strength_mg=Decimal(300), quantity=90, days_supply=30, refills=2, indication="bipolar II disorder",
        start_date=today - timedelta(days=120), override_reason_code=REASON, override_reason=OVERRIDE)
    for days_ago, value in ((113, "0.6"), (60, "0.8")):
        monitoring.observation_record(actor=prescriber, access=access, test="lithium-level", value=Decimal(value),
                                      unit="mmol/L", effective_at=_at(today - timedelta(days=days_ago), 8))
    monitoring.observation_record(actor=prescriber, access=access, test="creatinine", value=Decimal("1.1"),
                                  unit="mg/dL", effective_at=_at(today - timedelta(days=60), 8))
    monitoring.observation_record(actor=prescriber, access=access, test="tsh-level", value=Decimal("6.8"),
                                  unit="m[IU]/L", effective_at=_at(today - timedelta(days=60), 8))
    medications.medication_change_dose(actor=prescriber, access=access, medication_id=lithium.pk,
                                       expected_version=lithium.version, dose_mg_per_day=Decimal(1200),
                                       frequency="twice daily", reason="hypomanic symptoms at 0.8 mmol/L",
                                       override_reason_code=REASON, override_reason=OVERRIDE)
    monitoring.observation_record(actor=prescriber, access=access, test="lithium-level", value=Decimal("1.8"),
                                  unit="mmol/L", effective_at=_at(today - timedelta(days=1), 8))


def _depression_in_remission_with_taper(prescriber, access, today) -> None:
    medications.problem_add(actor=prescriber, access=access, code="F33.1", onset_date=today - timedelta(days=400))
    sertraline = medications.medication_start(
        actor=prescriber, access=access, drug="sertraline", dose_mg_per_day=Decimal(100), frequency="once daily",
        strength_mg=Decimal(50), quantity=60, days_supply=30, refills=5, indication="major depressive disorder",
        start_date=today - timedelta(days=13 * 14 + 7), override_reason_code=REASON, override_reason=OVERRIDE)
    _scores(prescriber, access, "phq9", 9, [19, 18, 15, 13, 11, 9, 8, 7, 6, 5, 4, 4, 3, 3], today)
    _scores(prescriber, access, "gad7", 7, [14, 13, 11, 9, 8, 7, 6, 5, 5, 4, 4, 3, 3, 2], today)
    first_score = today - timedelta(days=13 * 14)
    for code, reports in (("nausea", ((7, 6), (21, 3), (49, 1))),
                          ("sexual-dysfunction", ((90, 4), (130, 6), (170, 6)))):
        for days_after, burden in reports:
            monitoring.side_effect_record(actor=prescriber, access=access, code=code, suspected=[sertraline.pk],
                                          severity=Severity.MODERATE if burden > 3 else Severity.MILD,
                                          burden=burden, noted_on=first_score + timedelta(days=days_after))
    assessments.schedule_save(actor=prescriber, access=access, questionnaire="phq9", interval_days=14,
                              first_due=today + timedelta(days=14))
    medications.plan_create(actor=prescriber, access=access, kind="taper", medication_id=sertraline.pk,
                            interval_days=28, start_date=today + timedelta(days=7))
    for weeks_ago in range(6, 0, -1):
        monitoring.pharmacy_fill_record(actor=prescriber, access=access, medication_id=sertraline.pk,
                                        filled_on=today - timedelta(days=30 * weeks_ago), days_supply=30)


def _clozapine_neutrophils(prescriber, access, today) -> None:
    medications.problem_add(actor=prescriber, access=access, code="F20.9", onset_date=today - timedelta(days=3000))
    clozapine = medications.medication_start(
        actor=prescriber, access=access, drug="clozapine", dose_mg_per_day=Decimal(300), frequency="at bedtime",
        strength_mg=Decimal(100), quantity=90, days_supply=30, indication="treatment-resistant schizophrenia",
        start_date=today - timedelta(days=200), override_reason_code=REASON, override_reason=OVERRIDE)
    for days_ago, value in ((196, 3900), (168, 3500), (140, 3300), (112, 2900), (84, 2600), (56, 2300),
                            (28, 2000), (3, 1200)):
        monitoring.observation_record(actor=prescriber, access=access, test="anc", value=Decimal(value), unit="/uL",
                                      effective_at=_at(today - timedelta(days=days_ago), 8))
    monitoring.side_effect_record(actor=prescriber, access=access, code="sedation", suspected=[clozapine.pk],
                                  severity=Severity.MODERATE, burden=6, action=SideEffectAction.NONE,
                                  noted_on=today - timedelta(days=30))
    monitoring.side_effect_record(actor=prescriber, access=access, code="constipation", suspected=[clozapine.pk],
                                  severity=Severity.SEVERE, burden=8, action=SideEffectAction.NONE,
                                  noted_on=today - timedelta(days=5))


def _phenelzine(prescriber, access, today) -> None:
    medications.problem_add(actor=prescriber, access=access, code="F33.2", onset_date=today - timedelta(days=2000))
    medications.medication_start(
        actor=prescriber, access=access, drug="phenelzine", dose_mg_per_day=Decimal(45), frequency="three times daily",
        strength_mg=Decimal(15), quantity=90, days_supply=30, refills=3, indication="treatment-resistant depression",
        start_date=today - timedelta(days=300), override_reason_code=REASON, override_reason=OVERRIDE)
    _scores(prescriber, access, "phq9", 9, [17, 16, 16, 15, 15, 15], today, every_days=28)


def _quetiapine_overdue_metabolic_monitoring(prescriber, access, today) -> None:
    medications.problem_add(actor=prescriber, access=access, code="F31.32", onset_date=today - timedelta(days=700))
    quetiapine = medications.medication_start(
        actor=prescriber, access=access, drug="quetiapine", dose_mg_per_day=Decimal(300), frequency="at bedtime",
        strength_mg=Decimal(300), quantity=30, days_supply=30, refills=5, indication="bipolar depression",
        start_date=today - timedelta(days=400), override_reason_code=REASON, override_reason=OVERRIDE)
    # Two fills in 180 days: the proportion of days covered falls well under 80 %.
    for days_ago in (170, 95):
        monitoring.pharmacy_fill_record(actor=prescriber, access=access, medication_id=quetiapine.pk,
                                        filled_on=today - timedelta(days=days_ago), days_supply=30)
    monitoring.observation_record(actor=prescriber, access=access, test="weight", value=Decimal("96.5"), unit="kg",
                                  effective_at=_at(today - timedelta(days=390), 11))


def _lamotrigine_titration_with_valproate(prescriber, access, today) -> None:
    medications.problem_add(actor=prescriber, access=access, code="F31.9", onset_date=today - timedelta(days=1200))
    medications.medication_start(
        actor=prescriber, access=access, drug="divalproex", dose_mg_per_day=Decimal(1000), frequency="twice daily",
        strength_mg=Decimal(500), quantity=60, days_supply=30, refills=5, indication="bipolar I disorder",
        start_date=today - timedelta(days=500), override_reason_code=REASON, override_reason=OVERRIDE)
    monitoring.observation_record(actor=prescriber, access=access, test="valproate-level", value=Decimal(78),
                                  unit="ug/mL", effective_at=_at(today - timedelta(days=40), 8))
    monitoring.observation_record(actor=prescriber, access=access, test="alt", value=Decimal(41), unit="U/L",
                                  effective_at=_at(today - timedelta(days=40), 8))
    medications.plan_create(actor=prescriber, access=access, kind="titration", drug="lamotrigine",
                            start_date=today + timedelta(days=2))
