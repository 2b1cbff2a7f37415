"""Reads of the medication list and the safety check of an order, through `access_patient`.

Every function here takes a `PatientAccess` (or, for the clinic-wide override report, the
user) so that nothing is read outside what the caller may see.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import F, Max, Prefetch, Window
from django.db.models.functions import RowNumber

from dosewise.clinical.dose_limits import DoseLimit, dose_limit
from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import Ingredient, load_kb
from dosewise.clinical.names import resolve_drug, search_drugs
from dosewise.clinical.plans import CalendarDay, Step, calendar, dose_on
from dosewise.clinical.plans.rounding import tablets_for, tablets_text
from dosewise.clinical.results import ChartResults, LabResult, relevant_tests, result_display, result_tests
from dosewise.clinical.safety import SEVERITIES, Context, Finding, RegimenItem, check
from dosewise.clinics.clock import clinic_today, local_date
from dosewise.clinics.roles import Capability
from dosewise.clinics.scoping import joined_in_clinic
from dosewise.medications.models import (
    DoseChange,
    DoseChangeKind,
    Medication,
    MedicationPlan,
    MedicationPlanRevision,
    MedicationStatus,
    PlanFollowUp,
    PlanStatus,
    PrescriptionOverride,
    PrescriptionTransmission,
    Problem,
    ProblemStatus,
)
from dosewise.patients.models import ClinicalContextEntry, ContextKind, Patient, PharmacogenomicResult
from dosewise.patients.selectors import (
    PatientAccess,
    clinical_context_current,
    patient_allergies,
    pgx_current,
    pgx_results,
)

# A finding of these severities about the drug being ordered needs a typed reason to proceed.
BLOCKING_SEVERITIES = ("contraindicated", "major")
# Schedules whose prescriptions need a prescription-monitoring-program check first.
PDMP_SCHEDULES = ("II", "III", "IV")
SEARCH_LIMIT = 8
FOLLOW_UP_CHART_LIMIT = 50
FOLLOW_UP_DUE_WITHIN_DAYS = 7
# On-hold medicines stay in the checked regimen: they may be resumed without a new order.
CHECKED_STATUSES = (MedicationStatus.ACTIVE, MedicationStatus.ON_HOLD)
# The results the check reads: the newest few of each test (a trend needs more than one) from
# the last three years; older ones are beyond every age limit of kb/result_rules.json.
RESULTS_PER_TEST = 6
RESULTS_LOOKBACK_DAYS = 3 * 365


@dataclass(frozen=True)
class QtcFact:
    """The newest QTc in the chart and where it was recorded (clinical context or an ECG result)."""

    value_ms: Decimal
    on: date
    source: str

    @property
    def display_value(self) -> str:
        return f"{self.value_ms.normalize():f} ms"


@dataclass(frozen=True)
class ResultFact:
    """One chart result the check used, as the panel names it."""

    test: str
    name: str
    value: Decimal
    unit: str
    on: date

    @property
    def display_value(self) -> str:
        return f"{self.value.normalize():f} {self.unit}".strip()


@dataclass(frozen=True)
class SafetyFacts:
    """The patient's facts as the safety engine takes them, with the chart entries behind QTc,
    genotypes and results."""

    context: Context
    qtc: QtcFact | None = None
    genotypes: tuple[PharmacogenomicResult, ...] = ()
    results: tuple[ResultFact, ...] = ()
    ben: bool = False

    def results_for(self, names) -> list[ResultFact]:
        """Return the newest result of each test some rule judges for these drugs (what the panel names)."""
        wanted = relevant_tests(names, load_kb())
        newest: dict[str, ResultFact] = {}
        for fact in self.results:
            if fact.test in wanted and (fact.test not in newest or fact.on > newest[fact.test].on):
                newest[fact.test] = fact
        return [newest[key] for key in wanted if key in newest]


def _observations(patient: Patient, today: date) -> list:
    """Return the newest final results of each test the check reads, newest first (one query)."""
    if not apps.is_installed("dosewise.monitoring"):
        return []
    from datetime import datetime, time

    since = datetime.combine(today - timedelta(days=RESULTS_LOOKBACK_DAYS), time(), tzinfo=ZoneInfo(
        patient.clinic.timezone))
    tests = {*result_tests(load_kb()), "qtc", "egfr"} - {"pregnancy-test"}
    ranked = (apps.get_model("monitoring", "Observation").objects
              .filter(clinic_id=patient.clinic_id,
                      patient=patient, status="final", test__in=tests, effective_at__gte=since)
              .annotate(rank=Window(RowNumber(), partition_by=[F("test")], order_by=[F("effective_at").desc(),
                                                                                     F("pk").desc()]))
              .filter(rank__lte=RESULTS_PER_TEST))
    return list(ranked.only("test", "value_canonical", "unit_canonical", "effective_at").order_by("-effective_at"))


def _newest_context_or_result(entry: ClinicalContextEntry | None, rows, test: str, unit: str, patient: Patient,
                              label: str) -> QtcFact | None:
    """Return the newer of a context entry's number and the newest result of one test."""
    facts = []
    if entry is not None and entry.value_number is not None:
        facts.append(QtcFact(entry.value_number, entry.effective_date, "clinical context"))
    row = next((r for r in rows if r.test == test and r.unit_canonical == unit), None)
    if row is not None:
        facts.append(QtcFact(row.value_canonical, local_date(patient.clinic, row.effective_at), label))
    return max(facts, key=lambda fact: fact.on, default=None)


def _dose_history(patient: Patient) -> tuple[dict[str, date], dict[str, date]]:
    """Return each checked formulary drug's start date and the effective date of its last start or dose
    change (one query)."""
    rows = (DoseChange.objects.filter(clinic_id=patient.clinic_id,
                                      patient=patient, kind__in=(DoseChangeKind.START, DoseChangeKind.DOSE),
                                      medication__status__in=CHECKED_STATUSES, medication__in_formulary=True)
            .filter(joined_in_clinic(patient.clinic_id, "medication"))
            .values("medication__ingredient", "medication__start_date", "kind").annotate(last=Max("effective_date")))
    starts: dict[str, date] = {}
    changes: dict[str, date] = {}
    for row in rows:
        drug, started = row["medication__ingredient"], row["medication__start_date"]
        starts[drug] = started
        day = started if row["kind"] == DoseChangeKind.START else max(started, row["last"])
        changes[drug] = max(changes.get(drug, day), day)
    return starts, changes


def safety_facts(patient: Patient, today: date | None = None, *, previous_doses: dict[str, float] | None = None,
                 starting: tuple[str, ...] = ()) -> SafetyFacts:
    """Return the engine's context from the chart: demographics, context entries, the newest ECG QTc and
    eGFR, the latest results with the dose history they are judged against, allergies and genotypes
    (five queries).

    `previous_doses` (the dose in force before an order) and `starting` (drugs an order starts)
    come from the order being checked; a re-check of the stored regimen passes neither.
    """
    today = today or clinic_today(patient.clinic)
    current = clinical_context_current(patient)

    def code(kind: str) -> str:
        entry = current.get(kind)
        return entry.value_code if entry else ""

    rows = _observations(patient, today)
    egfr = _newest_context_or_result(current.get(ContextKind.EGFR), rows, "egfr", "mL/min/{1.73_m2}", patient,
                                     "eGFR result")
    qtc = _newest_context_or_result(current.get(ContextKind.QTC), rows, "qtc", "ms", patient, "ECG result")
    starts, changes = _dose_history(patient)
    kb = load_kb()
    known = set(result_tests(kb))
    results = tuple(ResultFact(r.test, result_display(r.test, kb)[0], r.value_canonical,
                               result_display(r.test, kb)[1], local_date(patient.clinic, r.effective_at))
                    for r in rows if r.test in known)
    ben = code(ContextKind.NEUTROPENIA) == "ben"
    smoking = code(ContextKind.SMOKING)
    genotypes = pgx_current(patient)
    chart = ChartResults(
        # Oldest first: the core sorts by day and keeps the given order within a day, so two results
        # of one test on the same day (a repeat level an hour after a toxic one) end on the newer.
        results=tuple(LabResult(f.test, float(f.value), "", min(f.on, today)) for f in reversed(results)),
        today=today,
        dose_changes=changes, start_dates=starts, previous_doses=previous_doses or {}, starting=starting, ben=ben)
    context = Context(
        age=patient.age_on(today),
        sex=patient.sex_at_birth if patient.sex_at_birth in ("female", "male") else None,
        pregnant=code(ContextKind.PREGNANCY) == "pregnant",
        lactating=code(ContextKind.LACTATION) == "lactating",
        egfr=float(egfr.value_ms) if egfr is not None else None,
        child_pugh=code(ContextKind.CHILD_PUGH) if code(ContextKind.CHILD_PUGH) in ("A", "B", "C") else None,
        qtc_ms=float(qtc.value_ms) if qtc is not None else None,
        allergies=tuple(a.substance for a in patient_allergies(patient)),
        genotypes={gene: result.diplotype for gene, result in genotypes.items()},
        smoker={"current": True, "former": False, "never": False}.get(smoking),
        results=chart,
    )
    return SafetyFacts(context=context, qtc=qtc, genotypes=tuple(genotypes.values()), results=results, ben=ben)


def safety_context(patient: Patient, today: date | None = None) -> Context:
    """Return the patient's facts as the safety engine takes them."""
    return safety_facts(patient, today).context


def regimen_recheck(patient: Patient) -> list[Finding]:
    """Return the findings of the stored regimen (active and on-hold formulary medicines) in the
    patient's whole context, results included: the re-check after anything changes."""
    regimen = [RegimenItem(m.ingredient, float(m.dose_mg_per_day) if m.dose_mg_per_day is not None else None)
               for m in checked_regimen(patient)]
    if not regimen:
        return []
    return check(regimen, safety_context(patient), kb=load_kb())


def order_recheck(order: OrderCheck, *, effective_date: date) -> list[Finding] | None:
    """Return what `regimen_recheck` finds once the order `order` judged is stored, from the facts
    the check already read, or None when it read none (a drug outside the formulary).

    Saves the second read of the chart in the prescribing transaction (six queries, a third of a
    prescription's time): storing the order changes nothing the check read except the regimen,
    which is the check's, and the dose history, whose one new row (a start, or a dose change on
    `effective_date`) is added here as `_dose_history` would read it. The re-check judges the
    stored regimen, so no dose is "before" and nothing is "starting".
    """
    if order.facts is None or order.ingredient is None:
        return None
    chart = order.facts.context.results
    name = order.ingredient.name
    starts, changes = dict(chart.start_dates), dict(chart.dose_changes)
    if name in starts:
        # A dose change: the medicine's start is unchanged and the last change is the later day.
        changes[name] = max(changes.get(name, effective_date), effective_date, starts[name])
    else:
        starts[name] = changes[name] = effective_date
    context = replace(order.facts.context, results=replace(chart, dose_changes=changes, start_dates=starts,
                                                           previous_doses={}, starting=()))
    return check(list(order.regimen), context, kb=load_kb())


def checked_regimen(patient: Patient, *, exclude_medication_id: int | None = None) -> list[Medication]:
    """Return the active and on-hold formulary medicines the safety engine checks."""
    meds = Medication.objects.filter(clinic_id=patient.clinic_id,
                                     patient=patient, status__in=CHECKED_STATUSES, in_formulary=True)
    if exclude_medication_id is not None:
        meds = meds.exclude(pk=exclude_medication_id)
    return list(meds.order_by("ingredient", "pk"))


@dataclass
class OrderCheck:
    """What the order form shows while the prescriber types."""

    text: str
    ingredient: Ingredient | None = None
    problem: str = ""
    matches: list[Ingredient] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    kb_version: str = ""
    already_listed: Medication | None = None
    dose_mg_per_day: float | None = None
    facts: SafetyFacts | None = None
    limit: DoseLimit | None = None
    previous_dose_mg: float | None = None
    regimen_names: tuple[str, ...] = ()
    # What was checked: the stored regimen with this order in it (order_recheck reuses it).
    regimen: tuple[RegimenItem, ...] = ()

    @property
    def results_used(self) -> list[ResultFact]:
        """Return the chart results the check judged for this regimen (the panel names them)."""
        return self.facts.results_for(self.regimen_names) if self.facts is not None else []

    @property
    def groups(self) -> list[tuple[str, list[Finding]]]:
        by_severity: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.findings:
            by_severity[finding.severity].append(finding)
        return [(severity, by_severity[severity]) for severity in SEVERITIES if by_severity[severity]]

    @property
    def blocking(self) -> list[Finding]:
        """Return the findings about this drug that need an override reason."""
        if self.ingredient is None:
            return []
        return [f for f in self.findings if f.severity in BLOCKING_SEVERITIES and self.ingredient.name in f.drugs]

    @property
    def schedule(self) -> str:
        return (self.ingredient.controlled_schedule or "") if self.ingredient else ""

    @property
    def needs_pdmp(self) -> bool:
        return self.schedule in PDMP_SCHEDULES


def order_check(patient: Patient, *, drug: str, dose_mg_per_day: Decimal | float | None = None,
                exclude_medication_id: int | None = None) -> OrderCheck:
    """Resolve the typed drug and check it against the whole regimen in the patient's context."""
    kb = load_kb()
    result = OrderCheck(text=drug.strip(), kb_version=kb.version)
    if not result.text:
        return result
    try:
        result.ingredient = kb.ingredients[resolve_drug(result.text, kb)]
    except ClinicalInputError as exc:
        result.problem = str(exc)
        try:
            result.matches = search_drugs(result.text, kb)[:SEARCH_LIMIT]
        except ClinicalInputError:
            result.matches = []
        return result
    regimen = []
    previous: dict[str, float] = {}
    for med in checked_regimen(patient):
        if med.pk == exclude_medication_id:
            # The order changes this medicine: its stored dose is the dose before the order.
            if med.dose_mg_per_day is not None:
                previous[med.ingredient] = float(med.dose_mg_per_day)
            continue
        if med.ingredient == result.ingredient.name:
            result.already_listed = med
            continue
        regimen.append(RegimenItem(med.ingredient, float(med.dose_mg_per_day)
                                   if med.dose_mg_per_day is not None else None))
    dose = float(dose_mg_per_day) if dose_mg_per_day is not None and dose_mg_per_day >= 0 else None
    result.dose_mg_per_day = dose
    result.previous_dose_mg = previous.get(result.ingredient.name)
    result.limit = dose_limit(result.ingredient, dose)
    regimen.append(RegimenItem(result.ingredient.name, dose))
    starting = () if exclude_medication_id is not None or result.already_listed else (result.ingredient.name,)
    result.facts = safety_facts(patient, previous_doses=previous, starting=starting)
    result.regimen_names = tuple(sorted({item.name for item in regimen}))
    result.regimen = tuple(regimen)
    result.findings = check(regimen, result.facts.context, kb=kb)
    return result


def medication_get(access: PatientAccess, medication_id: int) -> Medication:
    """Return one medication of this patient (Medication.DoesNotExist otherwise)."""
    return Medication.objects.select_related("prescriber").get(clinic_id=access.patient.clinic_id,
                                                               pk=medication_id, patient=access.patient)


@dataclass(frozen=True)
class MedicationTab:
    current: list[Medication]
    past: list[Medication]
    plans: list[MedicationPlan]
    problems: list[Problem]
    follow_ups: list[PlanFollowUp]
    genotypes: list[PharmacogenomicResult]
    can_prescribe: bool
    can_record: bool
    can_edit_problems: bool

    @property
    def active_problems(self) -> list[Problem]:
        return [p for p in self.problems if p.status == ProblemStatus.ACTIVE]

    @property
    def past_problems(self) -> list[Problem]:
        return [p for p in self.problems if p.status != ProblemStatus.ACTIVE]


def chart_tab(access: PatientAccess) -> MedicationTab:
    """Return the chart's problem list, medication list with each medicine's history and active
    safety overrides, plans, open follow-ups and pharmacogenomic results (eight queries)."""
    meds = list(
        Medication.objects.filter(clinic_id=access.patient.clinic_id,
                                  patient=access.patient).select_related("prescriber")
        .prefetch_related(Prefetch("history", queryset=DoseChange.objects.select_related("changed_by")
                                   .order_by("changed_at", "pk")),
                          Prefetch("overrides", to_attr="active_overrides",
                                   queryset=PrescriptionOverride.objects.filter(resolved_at__isnull=True)
                                   .select_related("created_by").order_by("-created_at", "-pk")))
        .order_by("ingredient", "-start_date", "pk")
    )
    return MedicationTab(
        current=[m for m in meds if m.status != MedicationStatus.DISCONTINUED],
        past=[m for m in meds if m.status == MedicationStatus.DISCONTINUED],
        plans=list(MedicationPlan.objects.filter(clinic_id=access.patient.clinic_id,
                                                 patient=access.patient).select_related("created_by")
                   .order_by("-start_date", "-pk")),
        problems=list(Problem.objects.filter(clinic_id=access.patient.clinic_id,
                                             patient=access.patient).select_related("recorded_by")
                      .order_by("code", "-recorded_at")),
        follow_ups=list(PlanFollowUp.objects.filter(clinic_id=access.patient.clinic_id,
                                                    patient=access.patient, done_at__isnull=True,
                                                    cancelled_at__isnull=True)
                        .filter(joined_in_clinic(access.patient.clinic_id, "plan")).select_related("plan")
                        .order_by("due_date", "pk")[:FOLLOW_UP_CHART_LIMIT]),
        genotypes=pgx_results(access.patient, include_entered_in_error=True),
        can_prescribe=access.can(Capability.MEDICATIONS_PRESCRIBE),
        can_record=access.can(Capability.MEDICATIONS_RECORD),
        can_edit_problems=access.can(Capability.CLINICAL_EDIT),
    )


def active_problems(access: PatientAccess) -> list[Problem]:
    """Return the patient's active problems, the choices for a medicine's indication."""
    return list(Problem.objects.filter(clinic_id=access.patient.clinic_id,
                                       patient=access.patient, status=ProblemStatus.ACTIVE).order_by("code"))


def problem_get(access: PatientAccess, problem_id: int) -> Problem:
    """Return one problem of this patient (Problem.DoesNotExist otherwise)."""
    return Problem.objects.get(clinic_id=access.patient.clinic_id, pk=problem_id, patient=access.patient)


OVERRIDE_VIEWS = ("to-review", "active", "all")


def override_report(user, *, show: str = "all", limit: int = 500) -> list[PrescriptionOverride]:
    """Return the clinic's safety overrides, newest first (prescribers and clinic admins).

    `show` is 'to-review' (not yet reviewed by an admin, oldest first: the review queue),
    'active' (not resolved) or 'all'.
    """
    if not user.can(Capability.MEDICATIONS_OVERRIDE_REPORT):
        raise PermissionDenied("The override report is for prescribers and clinic admins.")
    rows = PrescriptionOverride.objects.filter(joined_in_clinic(user.clinic_id, "patient"),
                                               clinic_id=user.clinic_id).select_related(
        "patient", "medication", "created_by", "resolved_by", "reviewed_by")
    if show == "to-review":
        return list(rows.filter(reviewed_at__isnull=True).order_by("created_at", "pk")[:limit])
    if show == "active":
        rows = rows.filter(resolved_at__isnull=True)
    return list(rows.order_by("-created_at", "-pk")[:limit])


def override_get(access: PatientAccess, override_id: int) -> PrescriptionOverride:
    """Return one override of this patient (PrescriptionOverride.DoesNotExist otherwise)."""
    return PrescriptionOverride.objects.select_related("medication").get(clinic_id=access.patient.clinic_id,
                                                                         pk=override_id, patient=access.patient)


@dataclass(frozen=True)
class _StoredPlan:
    schedules: dict[str, tuple[Step, ...]]


def plan_get(access: PatientAccess, plan_id: int) -> MedicationPlan:
    """Return one plan of this patient (MedicationPlan.DoesNotExist otherwise)."""
    return MedicationPlan.objects.select_related("created_by", "medication").get(
        clinic_id=access.patient.clinic_id, pk=plan_id, patient=access.patient)


def plan_steps(schedules: dict) -> dict[str, tuple[Step, ...]]:
    """Return stored `schedules` JSON as the clinical core's steps per drug."""
    return {drug: tuple(Step(s["day"], s["dose_mg"], s.get("note", ""), s.get("volume_ml")) for s in steps)
            for drug, steps in schedules.items()}


def plan_calendar(plan: MedicationPlan) -> list[CalendarDay]:
    """Return the saved plan as one row per day from its start date."""
    return calendar(_StoredPlan(plan_steps(plan.schedules)), plan.start_date)


def plan_day(plan: MedicationPlan, on: date | None = None) -> int:
    """Return the plan day of a date (negative before the start)."""
    return ((on or clinic_today(plan.clinic)) - plan.start_date).days


@dataclass(frozen=True)
class PlanToday:
    """Where the patient is in the plan today: the day number and the dose of every drug."""

    day: int
    date: date
    doses_mg: dict[str, float]
    started: bool
    finished: bool


def plan_today(plan: MedicationPlan, today: date | None = None) -> PlanToday:
    """Return today's step of the plan (doses in force today)."""
    today = today or clinic_today(plan.clinic)
    day = plan_day(plan, today)
    steps = plan_steps(plan.schedules)
    end = max((s[-1].day for s in steps.values() if s), default=0)
    return PlanToday(day=day, date=today, doses_mg={d: dose_on(s, max(day, 0)) for d, s in steps.items()},
                     started=day >= 0, finished=day > end)


@dataclass(frozen=True)
class PlanPage:
    plan: MedicationPlan
    revisions: list[MedicationPlanRevision]
    follow_ups: list[PlanFollowUp]
    today: PlanToday
    can_revise: bool
    can_complete: bool

    due_within_days = FOLLOW_UP_DUE_WITHIN_DAYS

    @property
    def open_follow_ups(self) -> list[PlanFollowUp]:
        return [f for f in self.follow_ups if f.is_open]

    @property
    def due_follow_ups(self) -> list[PlanFollowUp]:
        """Return the open follow-ups overdue or due within a week: the ones to act on now."""
        horizon = self.today.date + timedelta(days=FOLLOW_UP_DUE_WITHIN_DAYS)
        return [f for f in self.open_follow_ups if f.due_date <= horizon]

    @property
    def upcoming_follow_ups(self) -> list[PlanFollowUp]:
        horizon = self.today.date + timedelta(days=FOLLOW_UP_DUE_WITHIN_DAYS)
        return [f for f in self.open_follow_ups if f.due_date > horizon]

    @property
    def closed_follow_ups(self) -> list[PlanFollowUp]:
        return [f for f in self.follow_ups if not f.is_open]


def plan_page(access: PatientAccess, plan: MedicationPlan) -> PlanPage:
    """Return the plan with its revision history, follow-ups and today's step (two queries)."""
    return PlanPage(
        plan=plan,
        revisions=list(MedicationPlanRevision.objects.filter(plan=plan).select_related("created_by")
                       .order_by("-created_at", "-pk")),
        follow_ups=list(PlanFollowUp.objects.filter(plan=plan).select_related("done_by")
                        .order_by("due_date", "pk")),
        today=plan_today(plan),
        can_revise=access.can(Capability.MEDICATIONS_PRESCRIBE) and plan.status == PlanStatus.ACTIVE,
        can_complete=access.can(Capability.MEDICATIONS_RECORD),
    )


def follow_up_get(access: PatientAccess, follow_up_id: int) -> PlanFollowUp:
    """Return one follow-up of this patient (PlanFollowUp.DoesNotExist otherwise)."""
    return PlanFollowUp.objects.select_related("plan").get(clinic_id=access.patient.clinic_id,
                                                           pk=follow_up_id, patient=access.patient)


@dataclass(frozen=True)
class StepDose:
    drug: str
    mg: float


@dataclass(frozen=True)
class CalendarRow:
    days: tuple[CalendarDay, ...]
    pad: int  # empty cells after a short last row


@dataclass(frozen=True)
class PlanStep:
    """A run of days with the same dose of every drug: one block of the patient's calendar."""

    number: int
    doses: tuple[StepDose, ...]
    days: tuple[CalendarDay, ...]
    note: str

    @property
    def start(self) -> date | None:
        return self.days[0].date

    @property
    def taken(self) -> tuple[StepDose, ...]:
        return tuple(d for d in self.doses if d.mg > 0)

    @property
    def weeks(self) -> list[CalendarRow]:
        """Return the step's days in rows of seven, for a printed calendar with a box per day."""
        return [CalendarRow(self.days[i:i + 7], 7 - len(self.days[i:i + 7])) for i in range(0, len(self.days), 7)]

    @property
    def end(self) -> date | None:
        return self.days[-1].date


def plan_dose_blocks(plan: MedicationPlan, days: list[CalendarDay] | None = None) -> list[PlanStep]:
    """Return the plan's calendar grouped into runs of unchanged doses, each with its dates."""
    days = plan_calendar(plan) if days is None else days
    drugs = list(plan.schedules)
    steps: list[PlanStep] = []
    run: list[CalendarDay] = []
    for day in days:
        if run and any(day.doses_mg.get(d) != run[0].doses_mg.get(d) for d in drugs):
            steps.append(_step(len(steps) + 1, drugs, run))
            run = []
        run.append(day)
    if run:
        steps.append(_step(len(steps) + 1, drugs, run))
    return steps


def _step(number: int, drugs: list[str], run: list[CalendarDay]) -> PlanStep:
    doses = tuple(StepDose(d, float(run[0].doses_mg.get(d) or 0)) for d in drugs)
    return PlanStep(number, doses, tuple(run), "; ".join(filter(None, (day.note for day in run))))


def prescription_transmissions(medication: Medication) -> list[PrescriptionTransmission]:
    """Return every attempt to print, fax or send this prescription, newest first (one query)."""
    return list(PrescriptionTransmission.objects.filter(medication=medication)
                .select_related("created_by", "outbound_message")
                .defer("outbound_message__attachment").order_by("-created_at", "-pk"))


@dataclass(frozen=True)
class OverviewMedicine:
    """One current medicine as the Overview shows it: the dose in force since when, and today's plan step."""

    medication: Medication
    since: date
    last_change: str
    plan: MedicationPlan | None
    plan_today: PlanToday | None
    overrides: list[PrescriptionOverride]

    @property
    def plan_dose_mg(self) -> float | None:
        if self.plan is None or self.plan_today is None:
            return None
        return self.plan_today.doses_mg.get(self.medication.ingredient,
                                            self.plan_today.doses_mg.get(self.plan.drug))

    @property
    def plan_end_day(self) -> int:
        if self.plan is None:
            return 0
        return max((s[-1]["day"] for s in self.plan.schedules.values() if s), default=0)


@dataclass(frozen=True)
class MedicationOverview:
    medicines: list[OverviewMedicine]
    other_plans: list[tuple[MedicationPlan, PlanToday]]
    problems: list[Problem]
    overrides_in_force: int
    today: date


def _last_change(medication: Medication, history: list[DoseChange]) -> tuple[date, str]:
    """Return since when the current dose is in force and what happened then."""
    for change in reversed(history):
        if change.kind in (DoseChangeKind.START, DoseChangeKind.DOSE, DoseChangeKind.RESUME, DoseChangeKind.HOLD):
            day = change.effective_date
            if change.kind == DoseChangeKind.START:
                return medication.start_date, "started"
            return day, change.get_kind_display().lower()
    return medication.start_date, "started"


def current_medicines_of(access: PatientAccess) -> list[Medication]:
    """Return the active and on-hold medicines (in the formulary or not) with their prescriber,
    dose history and overrides in force (`active_overrides`), by ingredient: read once per
    request, for the Overview's medicines and its due monitoring (three queries)."""
    patient = access.patient
    return access.remembered("current_medicines", lambda: list(
        Medication.objects.filter(clinic_id=patient.clinic_id,
                                  patient=patient, status__in=CHECKED_STATUSES).select_related("prescriber")
        .prefetch_related(Prefetch("history", queryset=DoseChange.objects.order_by("changed_at", "pk")),
                          Prefetch("overrides", to_attr="active_overrides",
                                   queryset=PrescriptionOverride.objects.filter(resolved_at__isnull=True)
                                   .order_by("-created_at", "-pk")))
        .order_by("ingredient", "pk")))


def overview(access: PatientAccess) -> MedicationOverview:
    """Return what the Overview says about medicines: each current medicine with its dose since when,
    today's step of its active plan and its overrides still in force, and the active problems
    (four queries, whatever the length of the history)."""
    patient = access.patient
    today = clinic_today(patient.clinic)
    meds = current_medicines_of(access)
    plans = list(MedicationPlan.objects.filter(clinic_id=patient.clinic_id,
                                               patient=patient, status=PlanStatus.ACTIVE)
                 .order_by("-start_date", "-pk"))
    by_medication: dict[int, MedicationPlan] = {}
    by_drug: dict[str, MedicationPlan] = {}
    for plan in plans:
        if plan.medication_id is not None:
            by_medication.setdefault(plan.medication_id, plan)
        by_drug.setdefault(plan.drug, plan)
    used: set[int] = set()
    medicines = []
    for m in meds:
        since, what = _last_change(m, list(m.history.all()))
        plan = by_medication.get(m.pk) or by_drug.get(m.ingredient)
        step = None
        if plan is not None:
            step = plan_today(plan, today)
            if step.finished:
                plan, step = None, None
            else:
                used.add(plan.pk)
        medicines.append(OverviewMedicine(m, since, what, plan, step, m.active_overrides))
    others = []
    for plan in plans:
        if plan.pk not in used:
            step = plan_today(plan, today)
            if not step.finished:
                others.append((plan, step))
    problems = list(Problem.objects.filter(clinic_id=patient.clinic_id,
                                           patient=patient, status=ProblemStatus.ACTIVE).order_by("code"))
    return MedicationOverview(medicines=medicines, other_plans=others, problems=problems,
                              overrides_in_force=sum(len(m.overrides) for m in medicines), today=today)


@dataclass(frozen=True)
class StepSummary:
    """One step of a plan as the summary above the calendar shows it."""

    drug: str
    dose_mg: float
    start: date
    end: date | None  # None: the dose goes on (a titration's target, a taper's final dose)
    tablets: str
    note: str


@dataclass(frozen=True)
class PlanSummary:
    steps: list[StepSummary]
    end_date: date
    days: int

    @property
    def months(self) -> float:
        return round(self.days / 30.44, 1)

    @property
    def long(self) -> bool:
        return len(self.steps) > 8


def plan_summary(schedules: dict, start_date: date) -> PlanSummary:
    """Return each drug's steps with their dates and the tablets that make each dose, and the plan's end."""
    kb = load_kb()
    rows: list[StepSummary] = []
    last = 0
    for drug, steps in schedules.items():
        for number, step in enumerate(steps):
            following = steps[number + 1]["day"] if number + 1 < len(steps) else None
            dose = float(step["dose_mg"])
            tablets = ""
            if dose > 0 and drug in kb.ingredients:
                tablets = tablets_text(tablets_for(kb, drug, dose))
                if not tablets and step.get("volume_ml"):
                    tablets = f"{step['volume_ml']:g} mL of the oral liquid"
            rows.append(StepSummary(drug, dose, start_date + timedelta(days=step["day"]),
                                    start_date + timedelta(days=following - 1) if following is not None else None,
                                    tablets, step.get("note", "")))
            last = max(last, step["day"])
    return PlanSummary(rows, start_date + timedelta(days=last), last)
