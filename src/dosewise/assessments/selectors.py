"""Reads of measurement-based care, each scoped by clinic and by the caller's access."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from dosewise.assessments.charts import BurdenChart, TrajectoryChart, burden_chart, trajectory_chart
from dosewise.assessments.models import (
    CareTask,
    MeasurementSchedule,
    QuestionnaireLink,
    QuestionnaireResponse,
    ResponseStatus,
    ScoreSummary,
)
from dosewise.clinical import outcomes
from dosewise.clinical.instruments import Instrument, get_instrument, load_instruments
from dosewise.clinics.clock import clinic_today, local_date
from dosewise.clinics.roles import CLINICAL_ROLES, Capability
from dosewise.clinics.scoping import joined_in_clinic
from dosewise.lib.contributions import contributions
from dosewise.patients.models import CareTeamMember, Patient
from dosewise.patients.selectors import PatientAccess

# The scales most used for measurement-based care come first in menus.
PREFERRED_ORDER = ("phq9", "gad7", "asq", "phq2", "gad2", "pcl5", "auditc", "audit", "who5", "hrqol4", "aims")
HISTORY_LIMIT = 200


def instruments_available(*, self_rated_only: bool = False) -> list[Instrument]:
    """Return the instruments a clinic can administer, the usual ones first."""
    everything = load_instruments()
    order = {key: i for i, key in enumerate(PREFERRED_ORDER)}
    found = sorted(everything.values(), key=lambda i: (order.get(i.key, len(order)), i.key))
    return [i for i in found if i.rater == "self" or not self_rated_only]


@dataclass(frozen=True)
class OutcomePanel:
    instrument: Instrument
    summary: ScoreSummary
    reduction_percent: float | None
    rci: float | None
    judged: bool


@dataclass(frozen=True)
class AssessmentsTab:
    instruments: list[Instrument]
    self_rated: list[Instrument]
    summaries: list[ScoreSummary]
    selected: Instrument
    panel: OutcomePanel | None
    chart: TrajectoryChart
    history: list[QuestionnaireResponse]
    schedules: list[MeasurementSchedule]
    links: list[QuestionnaireLink]
    open_tasks: list[CareTask]
    today: date
    can_administer: bool
    short_names: dict[str, str]
    burden: BurdenChart | None = None


def chart_tab(access: PatientAccess, questionnaire: str | None = None) -> AssessmentsTab:
    """Return what the Assessments tab shows for one patient, in a constant number of queries."""
    patient = access.patient
    summaries = list(ScoreSummary.objects.filter(clinic_id=patient.clinic_id,
                                                 patient=patient, count__gt=0).order_by("-latest_at"))
    by_key = {s.questionnaire: s for s in summaries}
    instruments = instruments_available()
    known = {i.key for i in instruments}
    key = questionnaire if questionnaire in known else (summaries[0].questionnaire if summaries else "phq9")
    selected = get_instrument(key)
    history = list(
        QuestionnaireResponse.objects.filter(clinic_id=patient.clinic_id, patient=patient, questionnaire=key)
        .select_related("author", "entered_in_error_by").order_by("-authored", "-pk")[:HISTORY_LIMIT]
    )
    completed = [r for r in history if r.status == ResponseStatus.COMPLETED]
    scores = [(local_date(patient.clinic, r.authored), r.total, r.severity) for r in completed]
    markers = []
    if scores:
        # Events long before the first score would squeeze the scores into a corner of the axis;
        # keep the two months before it, which hold the start or change the scores answer to.
        since = min(d for d, _, _ in scores) - timedelta(days=60)
        markers = [m for source in contributions("TRAJECTORY_MARKERS") for m in source(patient) if m.day >= since]
    chart = trajectory_chart(selected, scores, markers, today=clinic_today(patient.clinic))
    burden = None
    if scores:
        series: dict[str, list[tuple[date, int]]] = {}
        for source in contributions("BURDEN_SERIES"):
            series.update(source(access))
        burden = burden_chart(chart, series) if series else None
    panel = None
    summary = by_key.get(key)
    if summary is not None:
        rci = None
        if summary.count > 1 and (selected.outcomes or {}).get("reliable_change"):
            rc = selected.outcomes["reliable_change"]
            rci = outcomes.reliable_change_index(summary.baseline_total, summary.latest_total, rc["sd"],
                                                 rc["reliability"])
        panel = OutcomePanel(selected, summary,
                             None if summary.reduction is None else round(summary.reduction * 100),
                             None if rci is None else round(rci, 2), selected.outcomes is not None)
    return AssessmentsTab(
        instruments=instruments,
        self_rated=[i for i in instruments if i.rater == "self"],
        summaries=summaries,
        selected=selected,
        panel=panel,
        chart=chart,
        history=history,
        schedules=list(MeasurementSchedule.objects.filter(clinic_id=patient.clinic_id,
                                                          patient=patient, active=True).order_by("questionnaire")),
        links=list(QuestionnaireLink.objects.filter(clinic_id=patient.clinic_id,
                                                    patient=patient).select_related("created_by", "response")
                   .order_by("-created_at")[:10]),
        open_tasks=list(CareTask.objects.filter(clinic_id=patient.clinic_id,
                                                patient=patient, acknowledged_at__isnull=True)
                        .select_related("assigned_user").order_by("created_at")),
        today=clinic_today(patient.clinic),
        can_administer=access.can(Capability.ASSESSMENTS_ADMINISTER),
        short_names={i.key: i.short_name for i in instruments},
        burden=burden,
    )


def response_detail(access: PatientAccess, response_id: int) -> QuestionnaireResponse:
    """Return one of the patient's responses (DoesNotExist for any other)."""
    return (QuestionnaireResponse.objects.select_related("author", "entered_in_error_by", "link")
            .get(clinic_id=access.patient.clinic_id, pk=response_id, patient=access.patient))


def response_items(response: QuestionnaireResponse) -> list[tuple[int, str, str]]:
    """Return (number, question, answer label) for each item of a stored response."""
    instrument = get_instrument(response.questionnaire)
    rows = []
    for item, value in zip(instrument.items, response.answers, strict=False):
        label = "not asked" if value is None else next(
            (f"{o.label} ({o.value})" for o in item.options if o.value == value), str(value))
        rows.append((item.number, item.text, label))
    return rows


# ---------------------------------------------------------------------------------------
# Tasks


def _current_team_patients(user) -> QuerySet:
    today = clinic_today(user.clinic)
    return CareTeamMember.objects.filter(clinic_id=user.clinic_id, member=user, since__lte=today).filter(
        Q(until__isnull=True) | Q(until__gt=today)).values("patient_id")


def tasks_for(user, *, include_done: bool = False) -> list[CareTask]:
    """Return the care tasks the user may act on: their care teams' and, when on call, the escalated ones."""
    if not (user.is_authenticated and user.is_clinic_staff and user.role in CLINICAL_ROLES):
        return []
    visible = Q(patient_id__in=_current_team_patients(user)) | Q(escalated_at__isnull=False,
                                                                   escalated_to_role=user.role)
    tasks = CareTask.objects.filter(visible, clinic_id=user.clinic_id)
    if not include_done:
        tasks = tasks.filter(acknowledged_at__isnull=True)
    return list(tasks.filter(joined_in_clinic(user.clinic_id, "patient"))
                .select_related("patient", "assigned_user", "acknowledged_by", "response")
                .order_by(F("acknowledged_at").desc(nulls_first=True), "created_at")[:200])


# ---------------------------------------------------------------------------------------
# Caseload

CASELOAD_SORTS = {
    "name": ("legal_family_name", "legal_given_name", "pk"),
    "latest": (F("latest_total").desc(nulls_last=True), "pk"),
    "change": (F("change").asc(nulls_last=True), "pk"),
    "last": (F("latest_at").asc(nulls_first=True), "pk"),
    "overdue": ("-overdue", "legal_family_name", "pk"),
    "risk": ("-open_risk", F("latest_total").desc(nulls_last=True), "pk"),
}
CASELOAD_FILTERS = {
    "all": "Everyone",
    "risk": "Open risk alert",
    "overdue": "Overdue measure",
    "not_improving": "Not improving",
    "response": "Response",
    "remission": "Remission",
    "no_score": "No score yet",
}


def caseload_allowed_scopes(user) -> list[str]:
    if not (user.is_authenticated and user.is_clinic_staff and user.role in CLINICAL_ROLES):
        return []
    scopes = ["mine"]
    if user.can(Capability.CASELOAD_CLINIC):
        scopes.append("clinic")
    return scopes


def caseload(user, *, scope: str, questionnaire: str, status: str = "all", sort: str = "risk",
             today: date | None = None) -> QuerySet[Patient]:
    """Return the caseload: patients annotated with their summary on one instrument, filtered and sorted.

    "mine" is the user's current care teams; "clinic" (CASELOAD_CLINIC) every patient of
    the clinic. The rows come from the per-patient summary table, so the cost does not
    grow with the number of stored scores.
    """
    if scope not in caseload_allowed_scopes(user):
        return Patient.objects.none()
    today = today or clinic_today(user.clinic)
    patients = Patient.objects.filter(clinic_id=user.clinic_id)
    if scope == "mine":
        patients = patients.filter(pk__in=_current_team_patients(user))
    overdue = MeasurementSchedule.objects.filter(clinic_id=user.clinic_id,
                                                 patient=OuterRef("pk"), active=True,
                                                 next_due__lt=today)
    open_risk = CareTask.objects.filter(clinic_id=user.clinic_id,
                                        patient=OuterRef("pk"), acknowledged_at__isnull=True)
    patients = patients.annotate(
        s=FilteredRelation("score_summaries", condition=Q(score_summaries__questionnaire=questionnaire,
                                                          score_summaries__clinic_id=user.clinic_id)),
    ).annotate(
        score_count=F("s__count"), baseline_total=F("s__baseline_total"), baseline_at=F("s__baseline_at"),
        latest_total=F("s__latest_total"), latest_at=F("s__latest_at"), latest_severity=F("s__latest_severity"),
        change=F("s__change"), reduction=F("s__reduction"), response=F("s__response"),
        remission=F("s__remission"), reliable_change=F("s__reliable_change"), not_improving=F("s__not_improving"),
        overdue=Exists(overdue), open_risk=Exists(open_risk),
    )
    filters = {
        "risk": Q(open_risk=True), "overdue": Q(overdue=True), "not_improving": Q(not_improving=True),
        "response": Q(response=True), "remission": Q(remission=True), "no_score": Q(latest_total__isnull=True),
    }
    if status in filters:
        patients = patients.filter(filters[status])
    return patients.order_by(*CASELOAD_SORTS.get(sort, CASELOAD_SORTS["risk"]))


@dataclass(frozen=True)
class CaseloadExtras:
    overdue: dict[int, list[tuple[str, date]]]
    open_risk: dict[int, int]


def caseload_extras(clinic_id: int, patient_ids: list[int], today: date) -> CaseloadExtras:
    """Return, for the listed patients, their overdue measures and open risk-alert counts (two queries)."""
    overdue: dict[int, list[tuple[str, date]]] = defaultdict(list)
    names = {i.key: i.short_name for i in instruments_available()}
    for patient_id, key, due in (MeasurementSchedule.objects.filter(clinic_id=clinic_id, patient_id__in=patient_ids, active=True,
                                                                   next_due__lt=today)
                                 .order_by("next_due").values_list("patient_id", "questionnaire", "next_due")):
        overdue[patient_id].append((names.get(key, key), due))
    open_risk: dict[int, int] = defaultdict(int)
    for patient_id in CareTask.objects.filter(clinic_id=clinic_id, patient_id__in=patient_ids,
                                              acknowledged_at__isnull=True).values_list(
            "patient_id", flat=True):
        open_risk[patient_id] += 1
    return CaseloadExtras(dict(overdue), dict(open_risk))



OVERVIEW_TASK_LIMIT = 20


@dataclass(frozen=True)
class ScoreTrend:
    """The latest score on one instrument, the one before it and the first (baseline)."""

    instrument: Instrument
    summary: ScoreSummary
    previous_total: float | None
    latest_on: date

    @property
    def direction(self) -> str:
        """Return how the latest score moved from the previous one, in words, by the scale's own direction."""
        if self.previous_total is None:
            return "first score"
        if self.summary.latest_total == self.previous_total:
            return "unchanged"
        higher = self.summary.latest_total > self.previous_total
        return "better" if higher == self.instrument.higher_is_better else "worse"


@dataclass(frozen=True)
class AssessmentsOverview:
    tasks: list[CareTask]
    scores: list[ScoreTrend]


def overview(access: PatientAccess) -> AssessmentsOverview:
    """Return the Overview's open risk alerts and urgent tasks and the latest score of each instrument
    with its trend (three queries, whatever the number of scores)."""
    patient = access.patient
    summaries = list(ScoreSummary.objects.filter(clinic_id=patient.clinic_id,
                                                 patient=patient, count__gt=0).order_by("-latest_at"))
    ranked = (QuestionnaireResponse.objects.filter(clinic_id=patient.clinic_id,
                                                   patient=patient, status=ResponseStatus.COMPLETED)
              .annotate(rank=Window(RowNumber(), partition_by=[F("questionnaire")],
                                    order_by=[F("authored").desc(), F("pk").desc()]))
              .filter(rank=2).values_list("questionnaire", "total"))
    previous = dict(ranked)
    known = {i.key: i for i in instruments_available()}
    scores = [ScoreTrend(known[s.questionnaire], s, previous.get(s.questionnaire),
                         local_date(patient.clinic, s.latest_at))
              for s in summaries if s.questionnaire in known and s.latest_at is not None]
    tasks = list(CareTask.objects.filter(clinic_id=patient.clinic_id,
                                         patient=patient, acknowledged_at__isnull=True)
                 .select_related("assigned_user").order_by("created_at", "pk")[:OVERVIEW_TASK_LIMIT])
    return AssessmentsOverview(tasks=tasks, scores=scores)
