"""What a note is pre-filled with: the record since the last visit, and the chart's facts for the
sections of an evaluation or a letter.

`interval_summary` reads a bounded, constant number of queries however long the history is
(bench/bench_visits_prefill.py measures it), and returns plain JSON-ready data: the note keeps
it as it was shown, so a signed note says what its signer saw.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Max, Q
from django.utils import timezone

from dosewise.assessments.models import QuestionnaireResponse, ResponseStatus, ScoreSummary
from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.instruments import get_instrument
from dosewise.clinical.kb import load_kb
from dosewise.clinics.clock import clinic_zone, local_date
from dosewise.medications.models import (
    DoseChange,
    Medication,
    MedicationPlan,
    MedicationStatus,
    PlanFollowUp,
    PlanStatus,
    PrescriptionOverride,
    Problem,
    ProblemStatus,
)
from dosewise.medications.selectors import checked_regimen, regimen_recheck
from dosewise.monitoring.models import Observation, ObservationStatus, SideEffect
from dosewise.monitoring.selectors import adherence, due_monitoring
from dosewise.patients.models import Patient
from dosewise.patients.selectors import clinical_context_current

# Without an earlier signed note, the interval is this many days back.
DEFAULT_INTERVAL_DAYS = 90
TREND_POINTS = 12
ROW_LIMIT = 50
PLAN_STEP_HORIZON_DAYS = 28
SYMPTOM_SCALES = ("phq9", "phq2", "gad7", "gad2", "pcl5", "who5", "hrqol4")
SUBSTANCE_SCALES = ("auditc", "audit")
RISK_SCALES = ("asq",)


def _start_of(patient: Patient, day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=clinic_zone(patient.clinic))


def _dose(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f} mg/day"


def _instrument_name(key: str) -> str:
    try:
        return get_instrument(key).short_name
    except ClinicalInputError:
        return key


def _scores(patient: Patient, since: date, keys: tuple[str, ...] | None = None) -> list[dict]:
    """Return each questionnaire's change since `since`: the last score before it, the scores
    after it (the trend), and the outcome flags of the whole course. Three queries."""
    start = _start_of(patient, since)
    completed = QuestionnaireResponse.objects.filter(clinic_id=patient.clinic_id,
                                                     patient=patient, status=ResponseStatus.COMPLETED)
    if keys is not None:
        completed = completed.filter(questionnaire__in=keys)
    recent = list(completed.filter(authored__gte=start).order_by("-authored", "-pk")
                  .values("questionnaire", "authored", "total", "severity", "alerts")[:ROW_LIMIT * 4])
    before = {row["questionnaire"]: row["last"] for row in
              completed.filter(authored__lt=start).values("questionnaire").annotate(last=Max("authored"))}
    previous: dict[str, dict] = {}
    if before:
        match = Q()
        for key, at in before.items():
            match |= Q(questionnaire=key, authored=at)
        for row in completed.filter(match).values("questionnaire", "authored", "total", "severity"):
            previous[row["questionnaire"]] = row
    summaries = {s.questionnaire: s for s in ScoreSummary.objects.filter(clinic_id=patient.clinic_id,
                                                                         patient=patient, count__gt=0)}
    by_key: dict[str, list[dict]] = {}
    for row in reversed(recent):
        by_key.setdefault(row["questionnaire"], []).append(row)
    out = []
    for key in sorted(set(by_key) | set(previous), key=lambda k: (k not in by_key, k)):
        rows = by_key.get(key, [])
        last = rows[-1] if rows else previous[key]
        prev = previous.get(key)
        summary = summaries.get(key)
        change = None if prev is None or not rows else last["total"] - prev["total"]
        out.append({
            "key": key, "name": _instrument_name(key),
            "previous": None if prev is None else {"total": _number(prev["total"]), "severity": prev["severity"],
                                                    "date": local_date(patient.clinic, prev["authored"]).isoformat()},
            "latest": {"total": _number(last["total"]), "severity": last["severity"],
                       "date": local_date(patient.clinic, last["authored"]).isoformat()},
            "change": _number(change),
            "trend": [_number(r["total"]) for r in rows][-TREND_POINTS:],
            "alerts": sorted({alert.get("message", "") if isinstance(alert, dict) else str(alert)
                              for r in rows for alert in (r["alerts"] or [])} - {""}),
            "response": bool(summary and summary.response), "remission": bool(summary and summary.remission),
            "not_improving": bool(summary and summary.not_improving),
            "direction": _direction(change),
        })
    return out


def _number(value: float | None) -> float | int | None:
    """Return a score as an int when it is whole (totals are stored as floats)."""
    return int(value) if value is not None and float(value).is_integer() else value


def _direction(change: float | None) -> str:
    if change is None:
        return "no earlier score"
    if change == 0:
        return "unchanged"
    return "lower" if change < 0 else "higher"


def interval_summary(patient: Patient, *, since: date, today: date) -> dict:
    """Return the record of the interval [since, today] a follow-up note is pre-filled with."""
    start = _start_of(patient, since)
    today_start = _start_of(patient, today)
    medicines = checked_regimen(patient)
    changes = [{
        "date": local_date(patient.clinic, c.changed_at).isoformat(), "drug": c.medication.ingredient,
        "kind": c.get_kind_display(), "from": _dose(c.old_dose_mg_per_day), "to": _dose(c.new_dose_mg_per_day),
        "reason": c.reason, "today": c.changed_at >= today_start,
    } for c in DoseChange.objects.filter(clinic_id=patient.clinic_id,
                                         patient=patient, changed_at__gte=start).select_related("medication")
        .order_by("changed_at", "pk")[:ROW_LIMIT]]
    overrides = [{
        "date": local_date(patient.clinic, o.created_at).isoformat(), "drug": o.medication.ingredient,
        "severity": o.severity, "summary": o.summary, "reason": o.reason,
        "resolved": o.resolved_at is not None, "today": o.created_at >= today_start,
    } for o in PrescriptionOverride.objects.filter(clinic_id=patient.clinic_id, patient=patient).filter(
        Q(created_at__gte=start) | Q(resolved_at__isnull=True)).select_related("medication")
        .order_by("created_at", "pk")[:ROW_LIMIT]]
    findings = [{"severity": f.severity, "summary": f.summary, "action": f.action, "drugs": list(f.drugs),
                 "sources": list(f.sources)} for f in regimen_recheck(patient)]
    side_effects = [{
        "date": s.noted_on.isoformat(), "effect": s.effect or s.get_code_display(), "severity": s.get_severity_display(),
        "burden": s.burden, "heavy": s.heavy,
    } for s in SideEffect.objects.filter(clinic_id=patient.clinic_id,
                                         patient=patient, noted_on__gte=since).order_by("noted_on", "pk")[:ROW_LIMIT]]
    results = [{
        "date": local_date(patient.clinic, o.effective_at).isoformat(), "test": o.test_name,
        "value": f"{o.value_display} {o.unit}", "band": o.band, "flag": o.flag,
    } for o in Observation.objects.filter(clinic_id=patient.clinic_id,
                                          patient=patient, status=ObservationStatus.FINAL, effective_at__gte=start)
        .order_by("effective_at", "pk")[:ROW_LIMIT]]
    due = [{"test": d.test, "due": d.due_date.isoformat(), "overdue": d.overdue, "reason": d.reason}
           for d in due_monitoring(patient, today, medicines)]
    pdc = [{"drug": a.medicine.ingredient, "pdc": [[days, None if v is None else round(v * 100)] for days, v in a.pdc],
            "low": a.low, "last_fill": a.last_fill.isoformat() if a.last_fill else None}
           for a in adherence(patient, medicines, today)]
    steps = [{"due": f.due_date.isoformat(), "what": f.what, "overdue": f.due_date < today}
             for f in PlanFollowUp.objects.filter(clinic_id=patient.clinic_id,
                                                  patient=patient, done_at__isnull=True, cancelled_at__isnull=True,
                                                  due_date__lte=today + timedelta(days=PLAN_STEP_HORIZON_DAYS))
             .order_by("due_date", "pk")[:ROW_LIMIT]]
    plans = [{"summary": p.summary, "kind": p.get_kind_display(), "started": p.start_date.isoformat()}
             for p in MedicationPlan.objects.filter(clinic_id=patient.clinic_id,
                                                    patient=patient, status=PlanStatus.ACTIVE).order_by("start_date")]
    return {
        "since": since.isoformat(), "today": today.isoformat(),
        "scores": _scores(patient, since),
        "medicines": [{"drug": m.ingredient, "dose": _dose(m.dose_mg_per_day), "frequency": m.frequency,
                       "status": m.get_status_display(), "started": m.start_date.isoformat()} for m in medicines],
        "changes": changes, "overrides": overrides, "findings": findings, "side_effects": side_effects,
        "adherence": pdc, "results": results, "due": due, "plan_steps": steps, "plans": plans,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
    }


def _score_lines(scores: list[dict]) -> list[str]:
    lines = []
    for s in scores:
        latest = s["latest"]
        line = f"{s['name']}: {latest['total']:g} ({latest['severity'] or 'no band'}) on {latest['date']}"
        if s["previous"]:
            line += f", previously {s['previous']['total']:g} on {s['previous']['date']}"
        lines.append(line)
        lines.extend(f"  alert: {alert}" for alert in s["alerts"])
    return lines


def section_prefill(patient: Patient, today: date) -> dict[str, str]:
    """Return the text each kind of pre-filled section starts with, from what the chart holds."""
    since = today - timedelta(days=365 * 10)
    scores = _scores(patient, since)
    by_key = {s["key"]: s for s in scores}
    symptom = _score_lines([by_key[k] for k in SYMPTOM_SCALES if k in by_key])
    substance = _score_lines([by_key[k] for k in SUBSTANCE_SCALES if k in by_key])
    risk = _score_lines([by_key[k] for k in RISK_SCALES if k in by_key])
    phq9 = by_key.get("phq9")
    if phq9 and phq9["alerts"]:
        risk.append("PHQ-9 alerts on file: " + "; ".join(phq9["alerts"]))
    problems = list(Problem.objects.filter(clinic_id=patient.clinic_id,
                                           patient=patient, status=ProblemStatus.ACTIVE).order_by("code"))
    meds = list(Medication.objects.filter(clinic_id=patient.clinic_id,
                                          patient=patient).order_by("-start_date", "pk")[:ROW_LIMIT])
    current = [m for m in meds if m.status in (MedicationStatus.ACTIVE, MedicationStatus.ON_HOLD)]
    psychotropic = {m.pk for m in current if _psychotropic(m.ingredient)}
    past = [m for m in meds if m not in current]
    allergies = list(patient.allergies.filter(clinic_id=patient.clinic_id,
                                              entered_in_error_at__isnull=True).order_by("substance"))
    context = clinical_context_current(patient)

    def med_line(m) -> str:
        return f"{m.ingredient} {_dose(m.dose_mg_per_day)} {m.frequency}".strip() + f" (since {m.start_date})"

    medical = [f"Allergies: {', '.join(f'{a.substance} ({a.reaction})' if a.reaction else a.substance for a in allergies) or 'none recorded'}"]
    other = [med_line(m) for m in current if m.pk not in psychotropic]
    medical.append("Non-psychiatric medicines: " + ("; ".join(other) if other else "none recorded"))
    medical.extend(f"{entry.get_kind_display()}: {entry.display_value} ({entry.effective_date})"
                   for entry in context.values())
    past_psych = [f"Problem list: {p.code} {p.description}" for p in problems]
    past_psych.extend(f"Current: {med_line(m)}" for m in current if m.pk in psychotropic)
    past_psych.extend(f"Past: {m.ingredient} {_dose(m.dose_mg_per_day)}, {m.start_date} to {m.stop_date or '?'}"
                      + (f" ({m.get_status_reason_display().lower()})" if m.status_reason else "") for m in past)
    letter = [f"Diagnoses: {'; '.join(f'{p.code} {p.description}' for p in problems) or 'none on the problem list'}",
              "Current medicines: " + ("; ".join(med_line(m) for m in current) or "none"),
              *_score_lines([by_key[k] for k in ("phq9", "gad7") if k in by_key])]
    return {
        "symptom_scores": "\n".join(symptom),
        "substance_use": "\n".join(substance),
        "risk_screen": "\n".join(risk),
        "medical": "\n".join(medical),
        "past_psychiatric": "\n".join(past_psych),
        "problems": "\n".join(f"{p.code} {p.description}" for p in problems),
        "letter_summary": "\n".join(letter),
    }


def _psychotropic(ingredient: str) -> bool:
    entry = load_kb().ingredients.get(ingredient)
    return bool(entry and entry.psychotropic)
