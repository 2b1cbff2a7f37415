"""Reads of monitoring data, each scoped by clinic and by the caller's access."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.apps import apps
from django.db import connection
from django.db.models import Case, Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Value, When, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.http import Http404

from dosewise.assessments.models import CareTask, ScoreSummary
from dosewise.clinical.adherence import PERIODS, Fill, is_low, proportion_of_days_covered
from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.instruments import load_instruments
from dosewise.clinical.kb import load_kb
from dosewise.clinical.monitoring import MONITORING_FILE, DueItem, catalogue_keys, due_items, monitoring_plan
from dosewise.clinical.names import resolve_drug
from dosewise.clinical.safety import Context
from dosewise.clinics.clock import clinic_today, local_date
from dosewise.clinics.roles import Capability
from dosewise.clinics.scoping import joined_in_clinic
from dosewise.lib.units import ucum_display
from dosewise.lib.urls import url_for
from dosewise.monitoring.catalogue import ResultTest, result_tests
from dosewise.monitoring.models import (
    MAX_DAYS_SUPPLY,
    SIDE_EFFECT_CODES,
    AdherenceSpan,
    FillImport,
    MonitoringDue,
    Observation,
    ObservationStatus,
    PharmacyFill,
    ResultImport,
    ReviewPriority,
    Severity,
    SideEffect,
    SideEffectAction,
    WorklistAcknowledgement,
)
from dosewise.patients.models import CareTeamMember, Patient
from dosewise.patients.selectors import PatientAccess

HISTORY_LIMIT = 200
WORKLIST_LIMIT = 200


@dataclass(frozen=True)
class MonitoringTab:
    tests: list[ResultTest]
    results: list[Observation]
    schedule_available: bool
    due: list[DueItem]
    can_record: bool
    today: date
    side_effects: list[SideEffect]
    side_effect_trends: list[SideEffectTrend]
    adherence: list[Adherence]
    medicines: list
    can_import: bool = False

    side_effect_codes = SIDE_EFFECT_CODES
    severities = Severity.choices
    side_effect_actions = SideEffectAction.choices


@dataclass(frozen=True)
class SideEffectTrend:
    name: str
    burdens: list[int]

    @property
    def direction(self) -> str:
        if len(self.burdens) < 2 or self.burdens[-1] == self.burdens[0]:
            return "unchanged" if len(self.burdens) > 1 else "one report"
        return "worse" if self.burdens[-1] > self.burdens[0] else "better"


@dataclass(frozen=True)
class Adherence:
    medicine: object
    pdc: list[tuple[int, float | None]]
    last_fill: date | None

    @property
    def low(self) -> bool:
        return any(is_low(value) for _, value in self.pdc)


def medications_installed() -> bool:
    return apps.is_installed("dosewise.medications")


def _last_results(patient: Patient, latest: list[Observation] | None = None) -> dict[str, date]:
    """Return the clinic-local date of the latest valid result per catalogue test (one query, or
    none from `latest`: the newest valid result of each test, as `latest_results` gives them)."""
    if latest is None:
        newest = (Observation.objects.filter(clinic_id=patient.clinic_id,
                                             patient=patient, status=ObservationStatus.FINAL)
                  .values_list("test").annotate(latest=Max("effective_at")))
    else:
        newest = [(result.test, result.effective_at) for result in latest]
    last: dict[str, date] = {}
    for test, at in newest:
        spec = result_tests().get(test)
        key = spec.counts_as if spec else test
        day = local_date(patient.clinic, at)
        if key in catalogue_keys() and (key not in last or day > last[key]):
            last[key] = day
    return last


def due_monitoring(patient: Patient, today: date, medicines: list | None = None,
                   latest: list[Observation] | None = None) -> list[DueItem]:
    """Return the patient's due and overdue monitoring from the current medication list.

    Recomputed on every read, so a start, dose change or stop shows at once (four queries;
    one fewer for each of the checked regimen, passed as `medicines`, and the newest valid
    result of each test, passed as `latest`, that the caller already holds).
    """
    from dosewise.medications.models import DoseChange, DoseChangeKind
    from dosewise.medications.selectors import checked_regimen

    medicines = checked_regimen(patient) if medicines is None else medicines
    known = [m for m in medicines if _resolves(m.ingredient)]
    if not known:
        return []
    starts: dict[str, date] = {}
    for medicine in known:
        starts[medicine.ingredient] = min(starts.get(medicine.ingredient, medicine.start_date), medicine.start_date)
    changes: dict[str, date] = {}
    # Counted from the day the clinician said the dose changed, not the day it was typed.
    for ingredient, day in (DoseChange.objects.filter(joined_in_clinic(patient.clinic_id, "medication"),
                                                      clinic_id=patient.clinic_id, medication__in=known,
                                                      kind=DoseChangeKind.DOSE)
                            .values_list("medication__ingredient", "effective_date")):
        changes[ingredient] = max(changes.get(ingredient, day), day)
    plan = monitoring_plan(list(starts), Context(age=patient.age_on(today)), starts)
    return due_items(plan, _last_results(patient, latest), changes, today)


def patients_with_medicines(clinic_id: int, patient_ids: list[int]) -> set[int]:
    """Return which of the clinic's patients have a medicine in their checked regimen (one query)."""
    from dosewise.medications.models import Medication
    from dosewise.medications.selectors import CHECKED_STATUSES

    return set(Medication.objects.filter(clinic_id=clinic_id, patient_id__in=patient_ids, status__in=CHECKED_STATUSES,
                                         in_formulary=True).values_list("patient_id", flat=True).distinct())


def _resolves(name: str) -> bool:
    try:
        resolve_drug(name, load_kb())
    except ClinicalInputError:
        return False
    return True


def chart_tab(access: PatientAccess) -> MonitoringTab:
    """Return what the Monitoring tab shows for one patient, in a constant number of queries."""
    patient = access.patient
    today = clinic_today(patient.clinic)
    results = list(Observation.objects.filter(clinic_id=patient.clinic_id,
                                              patient=patient).select_related("recorded_by", "acknowledged_by",
                                                                              "entered_in_error_by")
                   .order_by("-effective_at", "-pk")[:HISTORY_LIMIT])
    for result in results:  # one link a row, filled into a pattern reversed once (lib.urls)
        result.withdraw_url = url_for("monitoring:result_entered_in_error", patient.pk, result.pk)
    medicines = chart_medicines(patient)
    side_effects = list(SideEffect.objects.filter(clinic_id=patient.clinic_id,
                                                  patient=patient).select_related("recorded_by", "acknowledged_by")
                        .prefetch_related("suspected").order_by("-noted_on", "-pk")[:HISTORY_LIMIT])
    return MonitoringTab(
        side_effects=side_effects,
        side_effect_trends=side_effect_trends(side_effects),
        adherence=adherence(patient, medicines, today),
        medicines=medicines,
        tests=list(result_tests().values()),
        results=results,
        schedule_available=medications_installed(),
        due=due_monitoring(patient, today, medicines) if medications_installed() else [],
        can_record=access.can(Capability.CLINICAL_EDIT),
        can_import=all(access.can(c) for c in (Capability.MONITORING_VIEW, Capability.CLINICAL_EDIT,
                                                Capability.CASELOAD_CLINIC)),
        today=today,
    )


def chart_medicines(patient: Patient) -> list:
    """Return the patient's current medicines (those side effects and fills may be recorded against)."""
    if not medications_installed():
        return []
    from dosewise.medications.selectors import checked_regimen

    return checked_regimen(patient)


def triage_drugs(medicines) -> list[str]:
    """Return the formulary names of the current medicines, the drugs a side effect is triaged against."""
    return sorted({m.ingredient for m in medicines if m.in_formulary and _resolves(m.ingredient)})


def result_to_withdraw(patient: Patient, observation_id: int) -> Observation:
    """Return one result of this patient that may still be withdrawn (Observation.DoesNotExist otherwise)."""
    return Observation.objects.select_related("recorded_by").get(clinic_id=patient.clinic_id, pk=observation_id,
                                                                 patient=patient, status=ObservationStatus.FINAL)


def side_effect_get(patient: Patient, side_effect_id: int) -> SideEffect:
    """Return one side effect of this patient (SideEffect.DoesNotExist otherwise)."""
    return SideEffect.objects.get(clinic_id=patient.clinic_id, pk=side_effect_id, patient=patient)


def side_effect_trends(side_effects: list[SideEffect]) -> list[SideEffectTrend]:
    """Return the burden of each side effect over time, oldest report first."""
    by_code: dict[str, list[SideEffect]] = {}
    for item in side_effects:
        by_code.setdefault(item.code, []).append(item)
    return [SideEffectTrend(name=items[0].get_code_display(),
                            burdens=[i.burden for i in sorted(items, key=lambda i: (i.noted_on, i.pk))])
            for items in by_code.values()]


def side_effect_series(patient: Patient) -> dict[str, list[tuple[date, int]]]:
    """Return each side effect's (date, burden) reports, oldest first, for drawing over time (one query)."""
    series: dict[str, list[tuple[date, int]]] = {}
    for effect in SideEffect.objects.filter(clinic_id=patient.clinic_id,
                                            patient=patient).order_by("noted_on", "pk"):
        series.setdefault(effect.get_code_display(), []).append((effect.noted_on, effect.burden))
    return series


def _fills_by_medicine(fills) -> dict[int, list[Fill]]:
    found: dict[int, list[Fill]] = {}
    for medication_id, filled_on, days_supply in fills:
        found.setdefault(medication_id, []).append(Fill(filled_on, days_supply))
    return found


def adherence(patient: Patient, medicines: list, today: date) -> list[Adherence]:
    """Return the proportion of days covered over 30, 90 and 180 days for each current medicine (one query)."""
    fills = _fills_by_medicine(PharmacyFill.objects.filter(clinic_id=patient.clinic_id,
                                                           patient=patient, medication__in=medicines)
                               .values_list("medication_id", "filled_on", "days_supply"))
    return [Adherence(medicine=m, pdc=[(days, proportion_of_days_covered(fills.get(m.pk, []), end=today,
                                                                         period_days=days)) for days in PERIODS],
                      last_fill=max((f.filled_on for f in fills.get(m.pk, [])), default=None))
            for m in medicines]


# ---------------------------------------------------------------------------------------
# The prescriber's worklist


@dataclass(frozen=True)
class WorklistItem:
    kind: str  # "result", "risk" or "not-improving"
    priority: int
    patient: Patient
    title: str
    detail: str
    at: datetime
    object_id: int
    tab: str
    flag: str = ""

    @property
    def priority_label(self) -> str:
        """Return the priority in words: critical, high, medium or low (the worklist's order)."""
        return PRIORITY_WORDS.get(self.priority, "Low")

    @property
    def chart_url(self) -> str:
        """The chart tab the item opens (built from one reverse() per process, not one per item)."""
        return url_for("web:patient_chart_tab", self.patient.pk, self.tab)

    @property
    def follow_up_complete_url(self) -> str:
        return url_for("medications:follow_up_complete", self.patient.pk, self.object_id)


# How many items a worklist page shows; the Today page shows the first ATTENTION_SHOWN.
WORKLIST_PAGE_SIZE = 25
WORKLIST_KINDS = ("result", "risk", "overdue", "plan-follow-up", "side-effect", "low-adherence", "not-improving")


@dataclass(frozen=True)
class WorklistPage:
    items: list[WorklistItem]
    counts: dict[str, int]  # items waiting per kind, from aggregate queries
    urgent: int  # critical and urgent items
    number: int
    per_page: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first_shown(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.items else 0

    @property
    def last_shown(self) -> int:
        return self.first_shown + len(self.items) - 1 if self.items else 0

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


# The review priorities grouped into the four words a clinician sorts by (lower number first).
PRIORITY_WORDS = {ReviewPriority.CRITICAL: "Critical", ReviewPriority.URGENT: "High",
                  ReviewPriority.ABNORMAL: "Medium", ReviewPriority.OVERDUE: "Medium"}


def worklist_allowed_scopes(user) -> list[str]:
    if not (user.is_authenticated and user.is_clinic_staff and user.can(Capability.MONITORING_VIEW)):
        return []
    scopes = ["mine"]
    if user.can(Capability.CASELOAD_CLINIC):
        scopes.append("clinic")
    return scopes


def _team_patient_ids(user) -> RawSQL:
    """The ids of the patients on whose care team the user is today, as a subquery.

    Written as SQL because it is nested in every kind's query and in each of their counts: as
    a queryset, Django relabels it for every nesting (`Query.bump_prefix`), 30 ms of Today's
    CPU at 3,200 patients; the statement is the one the queryset produced.
    """
    today = clinic_today(user.clinic)
    table = connection.ops.quote_name(CareTeamMember._meta.db_table)
    return RawSQL(f"SELECT {table}.patient_id FROM {table} WHERE {table}.clinic_id = %s AND {table}.member_id = %s "
                  f"AND {table}.since <= %s AND ({table}.until IS NULL OR {table}.until > %s)",
                  (user.clinic_id, user.pk, today, today))


@dataclass(frozen=True)
class _Sources:
    """The querysets of each kind of worklist item, each in worklist order (priority, newest first)."""

    results: QuerySet
    tasks: QuerySet
    overdue: QuerySet
    stalled: QuerySet
    side_effects: QuerySet
    follow_ups: QuerySet | None
    today: date


def _sources(user, scope: str) -> tuple[_Sources, Q]:
    today = clinic_today(user.clinic)
    mine = Q(patient_id__in=_team_patient_ids(user)) if scope == "mine" else Q()
    results = (Observation.objects.filter(mine, clinic_id=user.clinic_id, review_priority__isnull=False)
               .order_by("review_priority", "-effective_at", "-pk"))
    tasks = CareTask.objects.filter(clinic_id=user.clinic_id, acknowledged_at__isnull=True)
    if scope == "mine":
        tasks = tasks.filter(mine | Q(escalated_at__isnull=False, escalated_to_role=user.role))
    acknowledged = WorklistAcknowledgement.objects.filter(clinic_id=user.clinic_id,
                                                          kind="not-improving", object_id=OuterRef("pk"),
                                                          version=OuterRef("latest_at"))
    overdue = (MonitoringDue.objects.filter(mine, clinic_id=user.clinic_id, acknowledged_at__isnull=True,
                                            due_date__lt=today).order_by("-due_date", "-pk"))
    stalled = (ScoreSummary.objects.filter(mine, clinic_id=user.clinic_id, not_improving=True)
               .exclude(Exists(acknowledged)).order_by("-latest_at", "-pk"))
    side_effects = (SideEffect.objects.filter(mine, clinic_id=user.clinic_id, heavy=True, acknowledged_at__isnull=True)
                    .order_by("-noted_on", "-pk"))
    follow_ups = None
    if medications_installed():
        from dosewise.medications.models import PlanFollowUp

        follow_ups = (PlanFollowUp.objects.filter(mine, clinic_id=user.clinic_id, done_at__isnull=True,
                                                  cancelled_at__isnull=True,
                                                  due_date__lte=today + timedelta(days=FOLLOW_UP_HORIZON_DAYS))
                      .annotate(late=Case(When(due_date__lt=today, then=Value(0)), default=Value(1)))
                      .order_by("late", "-due_date", "-pk"))
    return _Sources(results, tasks.order_by("-created_at", "-pk"), overdue, stalled, side_effects, follow_ups,
                    today), mine


def _count(queryset: QuerySet, **extra) -> Subquery:
    """A scalar subquery counting the rows of `queryset` (extra filters applied)."""
    return Subquery(queryset.filter(**extra).order_by().annotate(one=Value(1)).values("one")
                    .annotate(n=Count("pk")).values("n")[:1])


def _counts(user, sources: _Sources, low_adherence: int) -> tuple[dict[str, int], int]:
    """Return the items waiting per kind and the urgent ones, in one aggregate query."""
    from dosewise.clinics.models import Clinic

    subqueries = {
        "result": _count(sources.results), "urgent_results": _count(sources.results,
                                                                    review_priority__lte=ReviewPriority.URGENT),
        "risk": _count(sources.tasks), "overdue": _count(sources.overdue),
        "not_improving": _count(sources.stalled), "side_effect": _count(sources.side_effects),
    }
    if sources.follow_ups is not None:
        subqueries["plan_follow_up"] = _count(sources.follow_ups)
    row = Clinic.objects.filter(pk=user.clinic_id).values(**subqueries).first() or {}
    counts = {kind: row.get(kind.replace("-", "_")) or 0 for kind in WORKLIST_KINDS}
    counts["low-adherence"] = low_adherence
    urgent = (row.get("urgent_results") or 0) + counts["risk"]
    return counts, urgent


def worklist_page(user, *, scope: str, page: int = 1, per_page: int = WORKLIST_PAGE_SIZE) -> WorklistPage:
    """Return one page of the prioritised worklist and the number of items of each kind.

    Each kind is read already in worklist order and only as far as the page needs (page x
    per_page rows at most), the counts come from one aggregate query, so the cost depends on
    the page, not on how much waits in the clinic.
    """
    if scope not in worklist_allowed_scopes(user):
        return WorklistPage(items=[], counts=dict.fromkeys(WORKLIST_KINDS, 0), urgent=0, number=1,
                            per_page=per_page)
    sources, mine = _sources(user, scope)
    page = max(1, page)
    low_adherence, adherence = _low_adherence(user, mine, page * per_page)
    counts, urgent = _counts(user, sources, low_adherence)
    pages = max(1, -(-sum(counts.values()) // per_page))
    if page > pages:  # past the end (items acknowledged meanwhile): show the last page
        page = pages
        adherence = adherence[:page * per_page]
    depth = page * per_page
    items = _items(sources, depth, counts) + adherence
    items.sort(key=lambda i: (i.priority, -i.at.timestamp()))
    return WorklistPage(items=items[depth - per_page:depth], counts=counts, urgent=urgent, number=page,
                        per_page=per_page)


def worklist(user, *, scope: str) -> list[WorklistItem]:
    """Return the prioritised worklist: critical and urgent results, open risk tasks, other
    out-of-range results, overdue monitoring and plan follow-ups, then patients not improving
    and follow-ups due soon; at most WORKLIST_LIMIT items of each kind, a fixed number of queries.
    Pages should call `worklist_page`, which reads only what one page shows."""
    if scope not in worklist_allowed_scopes(user):
        return []
    sources, mine = _sources(user, scope)
    items = _items(sources, WORKLIST_LIMIT) + _low_adherence(user, mine, WORKLIST_LIMIT)[1]
    items.sort(key=lambda i: (i.priority, -i.at.timestamp()))
    return items


def _items(sources: _Sources, limit: int, counts: dict[str, int] | None = None) -> list[WorklistItem]:
    """Read up to `limit` items of each kind; with `counts`, kinds with nothing waiting are not queried."""

    def wanted(kind: str) -> int:
        return limit if counts is None else min(limit, counts[kind])

    names = {key: instrument.short_name for key, instrument in load_instruments().items()}
    tests = result_tests()
    today = sources.today
    items = [
        WorklistItem(kind="result", priority=o.review_priority, patient=o.patient,
                     title=f"{tests[o.test].name if o.test in tests else o.test}: "
                           f"{o.value.normalize():f} {ucum_display(o.unit)} ({o.band})",
                     detail=o.action, at=o.effective_at, object_id=o.pk, tab="monitoring", flag=o.flag)
        for o in (sources.results.select_related("patient")[:wanted("result")] if wanted("result") else [])
    ]
    items += [
        WorklistItem(kind="risk", priority=ReviewPriority.URGENT, patient=t.patient, title=t.get_kind_display(),
                     detail=t.message, at=t.created_at, object_id=t.pk, tab=t.chart_tab, flag="critical")
        for t in (sources.tasks.select_related("patient")[:wanted("risk")] if wanted("risk") else [])
    ]
    items += [
        WorklistItem(kind="overdue", priority=ReviewPriority.OVERDUE, patient=d.patient,
                     title=f"Overdue since {d.due_date:%Y-%m-%d}: {tests[d.test].name if d.test in tests else d.test}",
                     detail=d.reason, at=datetime.combine(d.due_date, time(), tzinfo=UTC),
                     object_id=d.pk, tab="monitoring", flag="overdue")
        for d in (sources.overdue.select_related("patient")[:wanted("overdue")] if wanted("overdue") else [])
    ]
    items += [
        WorklistItem(kind="not-improving", priority=ReviewPriority.NOT_IMPROVING, patient=s.patient,
                     title=f"Not improving on {names.get(s.questionnaire, s.questionnaire)}",
                     detail=f"Latest {s.latest_total:g} ({s.latest_severity or 'no band'}), baseline "
                            f"{s.baseline_total:g}: review the treatment plan.",
                     at=s.latest_at, object_id=s.pk, tab="assessments")
        for s in (sources.stalled.select_related("patient")[:wanted("not-improving")]
                  if wanted("not-improving") else [])
    ]
    items += [
        WorklistItem(kind="side-effect", priority=ReviewPriority.SIDE_EFFECT, patient=s.patient,
                     title=f"High side-effect burden: {s.effect or s.get_code_display()}",
                     detail=f"{s.get_severity_display()}, burden {s.burden}/10 on daily life; "
                            f"action so far: {s.get_action_display().lower()}.",
                     at=datetime.combine(s.noted_on, time(), tzinfo=UTC), object_id=s.pk, tab="monitoring",
                     flag="side effect")
        for s in (sources.side_effects.select_related("patient")[:wanted("side-effect")]
                  if wanted("side-effect") else [])
    ]
    if sources.follow_ups is not None and wanted("plan-follow-up"):
        items += [
            WorklistItem(kind="plan-follow-up",
                         priority=ReviewPriority.OVERDUE if f.due_date < today else FOLLOW_UP_DUE_SOON,
                         patient=f.patient,
                         title=(f"Plan review overdue since {f.due_date:%Y-%m-%d}" if f.due_date < today
                                else f"Plan review due {f.due_date:%Y-%m-%d}") + f": {f.plan.summary}",
                         detail=f.what, at=datetime.combine(f.due_date, time(), tzinfo=UTC), object_id=f.pk,
                         tab="medications", flag="overdue" if f.due_date < today else "due")
            for f in sources.follow_ups.select_related("patient", "plan")[:wanted("plan-follow-up")]
        ]
    return items


# Plan follow-ups due within this many days show beside the overdue ones, so a review
# can be booked before it is late.
FOLLOW_UP_HORIZON_DAYS = 3
FOLLOW_UP_DUE_SOON = max(ReviewPriority.values) + 1


ADHERENCE_WORKLIST_DAYS = 90


def _low_adherence(user, mine: Q, limit: int | None = None) -> tuple[int, list[WorklistItem]]:
    """Return how many current medicines have a 90-day PDC below 80%, not acknowledged since the
    last fill, and the first `limit` of them as items, latest fill first.

    Read from the low-adherence spans the fills keep (`services.adherence_spans_refresh`): one
    aggregate query counts the medicines low today and one reads the items shown, so the cost
    does not grow with the clinic's fills (reading them all was most of the Today page at 2,000
    patients). Only the shown medicines' fills are read, for the percentage.
    """
    if not medications_installed():
        return 0, []
    from dosewise.medications.selectors import CHECKED_STATUSES

    today = clinic_today(user.clinic)
    acknowledged = WorklistAcknowledgement.objects.filter(clinic_id=user.clinic_id, kind="low-adherence",
                                                          object_id=OuterRef("medication_id"),
                                                          version=OuterRef("last_fill_at"))
    low = (AdherenceSpan.objects.filter(mine, joined_in_clinic(user.clinic_id, "medication"), clinic_id=user.clinic_id,
                                        starts_on__lte=today,
                                        medication__status__in=CHECKED_STATUSES)
           .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today)).exclude(Exists(acknowledged)))
    # The spans to show are picked on the span table alone (sorted on its own columns), then
    # only those are read with their patient and medication. A page's first few are picked
    # with the count in one query (a window count over the same rows: reading the low spans
    # twice was a tenth of the Today page's database time at 3,200 patients).
    picked = low.order_by("-last_filled_on", "-medication_id")
    if limit is None:
        count = low.count()
        chosen = picked.values("pk")
    elif limit == 0:
        return low.count(), []
    else:
        first = list(picked.annotate(low_total=Window(Count("pk"))).values_list("pk", "low_total")[:limit])
        count = first[0][1] if first else 0
        chosen = [pk for pk, _ in first]
    if not count:
        return 0, []
    shown = list(AdherenceSpan.objects.filter(pk__in=chosen)
                 .filter(joined_in_clinic(user.clinic_id, "patient", "medication"), clinic_id=user.clinic_id)
                 .select_related("patient", "medication").order_by("-last_filled_on", "-medication_id"))
    # A fill covers at most MAX_DAYS_SUPPLY days, so one filled longer before the 90-day window
    # cannot reach it: 5 years of a medicine's fills were read for each item shown.
    fills: dict[int, list[Fill]] = defaultdict(list)
    for medication_id, filled_on, days_supply in (PharmacyFill.objects.filter(
            clinic_id=user.clinic_id, medication_id__in=[s.medication_id for s in shown], filled_on__lte=today,
            filled_on__gte=today - timedelta(days=ADHERENCE_WORKLIST_DAYS + MAX_DAYS_SUPPLY))
            .values_list("medication_id", "filled_on", "days_supply")):
        fills[medication_id].append(Fill(filled_on, days_supply))
    items = []
    for span in shown:
        pdc = proportion_of_days_covered(fills[span.medication_id], end=today, period_days=ADHERENCE_WORKLIST_DAYS)
        items.append(WorklistItem(
            kind="low-adherence", priority=ReviewPriority.LOW_ADHERENCE, patient=span.patient,
            title=f"Low adherence: {span.medication.ingredient} {round(pdc * 100)}% of days covered",
            detail=f"Pharmacy fills cover {round(pdc * 100)}% of the last {ADHERENCE_WORKLIST_DAYS} days "
                   "(below 80%): ask about missed doses, cost and side effects.",
            at=datetime.combine(span.last_filled_on, time(), tzinfo=UTC), object_id=span.medication_id,
            tab="monitoring",
            flag="low adherence"))
    return count, items


# ---------------------------------------------------------------------------------------
# Labs to order

LABS_HORIZON_DAYS = 14


@dataclass(frozen=True)
class LabToOrder:
    due: MonitoringDue
    test_name: str
    loinc: str
    overdue: bool


def labs_to_order(user, *, scope: str) -> list[LabToOrder]:
    """Return the monitoring overdue or due within LABS_HORIZON_DAYS that nobody has acknowledged
    as ordered, earliest first, for the user's care teams ("mine") or the clinic (one query)."""
    if scope not in worklist_allowed_scopes(user):
        return []
    today = clinic_today(user.clinic)
    mine = Q(patient_id__in=_team_patient_ids(user)) if scope == "mine" else Q()
    rows = (MonitoringDue.objects.filter(mine, clinic_id=user.clinic_id, acknowledged_at__isnull=True,
                                         due_date__lte=today + timedelta(days=LABS_HORIZON_DAYS))
            .filter(joined_in_clinic(user.clinic_id, "patient")).select_related("patient")
            .order_by("due_date", "patient__legal_family_name", "patient_id", "test")
            [:WORKLIST_LIMIT])
    catalogue = load_kb().data(MONITORING_FILE)["tests"]
    return [LabToOrder(due=d, test_name=catalogue.get(d.test, {}).get("name", d.test),
                       loinc=catalogue.get(d.test, {}).get("loinc") or "", overdue=d.due_date < today)
            for d in rows]


# ---------------------------------------------------------------------------------------
# Imports


def imports_recent(user, *, limit: int = 10) -> list[ResultImport]:
    return list(ResultImport.objects.filter(clinic_id=user.clinic_id).select_related("uploaded_by")
                .defer("content").order_by("-created_at")[:limit])


def import_get(user, import_id: int) -> ResultImport:
    """Return one import of the user's clinic, or 404."""
    found = (ResultImport.objects.filter(pk=import_id, clinic_id=user.clinic_id).select_related("uploaded_by")
             .defer("content").first())
    if found is None:
        raise Http404("no such import")
    return found


def fill_imports_recent(user, *, limit: int = 10) -> list[FillImport]:
    return list(FillImport.objects.filter(clinic_id=user.clinic_id).select_related("uploaded_by")
                .defer("content").order_by("-created_at")[:limit])


def fill_import_get(user, import_id: int) -> FillImport:
    """Return one fill import of the user's clinic, or 404."""
    found = (FillImport.objects.filter(pk=import_id, clinic_id=user.clinic_id).select_related("uploaded_by")
             .defer("content").first())
    if found is None:
        raise Http404("no such import")
    return found


@dataclass(frozen=True)
class MonitoringOverview:
    """What the Overview says about results: the newest result of each test that is out of range
    (an older one of the same test is superseded by it) and the monitoring due or overdue."""

    out_of_range: list[Observation]
    due: list[DueItem]
    schedule_available: bool
    today: date

    @property
    def urgent(self) -> bool:
        return any(_is_urgent(r) for r in self.out_of_range)


def _is_urgent(result: Observation) -> bool:
    return result.flag == "critical" or result.review_priority in (ReviewPriority.CRITICAL, ReviewPriority.URGENT)


def latest_results(patient: Patient) -> list[Observation]:
    """Return the newest valid result of each test, the most urgent first (one query)."""
    rows = list(Observation.objects.filter(clinic_id=patient.clinic_id,
                                           patient=patient, status=ObservationStatus.FINAL)
                .annotate(rank=Window(RowNumber(), partition_by=[F("test")],
                                      order_by=[F("effective_at").desc(), F("pk").desc()]))
                .filter(rank=1))
    return sorted(rows, key=lambda r: (not _is_urgent(r), not r.out_of_range, -r.effective_at.timestamp()))


def overview(access: PatientAccess) -> MonitoringOverview:
    """Return the Overview's out-of-range results and due monitoring (five queries, whatever the history;
    the medicines are shared with the medication card)."""
    patient = access.patient
    today = clinic_today(patient.clinic)
    installed = medications_installed()
    latest = latest_results(patient)
    due = []
    if installed:
        from dosewise.medications.selectors import current_medicines_of

        # The checked regimen out of the medicines the Overview's medication card reads too, and
        # the last dates of the tests out of the newest results shown beside them.
        due = due_monitoring(patient, today, [m for m in current_medicines_of(access) if m.in_formulary], latest)
    return MonitoringOverview(
        out_of_range=[r for r in latest if r.out_of_range],
        due=due,
        schedule_available=installed, today=today)
