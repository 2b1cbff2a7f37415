"""Reads of monitoring data, each scoped by clinic and by the caller's access."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from django.apps import apps
from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dosewise.accounts.roles import Capability
from dosewise.assessments.models import CareTask, ScoreSummary
from dosewise.assessments.services import clinic_today, local_date
from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.instruments import load_instruments
from dosewise.clinical.kb import load_kb
from dosewise.clinical.monitoring import DueItem, catalogue_keys, due_items, monitoring_plan
from dosewise.clinical.names import resolve_drug
from dosewise.clinical.safety import Context
from dosewise.monitoring.catalogue import SCHEDULE_TEST, ResultTest, result_tests
from dosewise.monitoring.models import (
    MonitoringDue,
    Observation,
    ObservationStatus,
    ResultImport,
    ReviewPriority,
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


def medications_installed() -> bool:
    return apps.is_installed("dosewise.medications")


def _last_results(patient: Patient) -> dict[str, date]:
    """Return the clinic-local date of the latest valid result per catalogue test (one query)."""
    last: dict[str, date] = {}
    rows = (Observation.objects.filter(patient=patient, status=ObservationStatus.FINAL)
            .values("test").annotate(latest=Max("effective_at")))
    for row in rows:
        key = SCHEDULE_TEST.get(row["test"], row["test"])
        day = local_date(patient.clinic, row["latest"])
        if key in catalogue_keys() and (key not in last or day > last[key]):
            last[key] = day
    return last


def due_monitoring(patient: Patient, today: date) -> list[DueItem]:
    """Return the patient's due and overdue monitoring from the current medication list.

    Recomputed on every read, so a start, dose change or stop shows at once (four queries).
    """
    from dosewise.medications.models import DoseChange, DoseChangeKind
    from dosewise.medications.selectors import checked_regimen

    medicines = checked_regimen(patient)
    known = [m for m in medicines if _resolves(m.ingredient)]
    if not known:
        return []
    starts: dict[str, date] = {}
    for medicine in known:
        starts[medicine.ingredient] = min(starts.get(medicine.ingredient, medicine.start_date), medicine.start_date)
    changes: dict[str, date] = {}
    for ingredient, changed_at in (DoseChange.objects.filter(medication__in=known, kind=DoseChangeKind.DOSE)
                                   .values_list("medication__ingredient", "changed_at")):
        day = local_date(patient.clinic, changed_at)
        changes[ingredient] = max(changes.get(ingredient, day), day)
    plan = monitoring_plan(list(starts), Context(age=patient.age_on(today)), starts)
    return due_items(plan, _last_results(patient), changes, today)


def patients_with_medicines(patient_ids: list[int]) -> set[int]:
    """Return which of the patients have a medicine in their checked regimen (one query)."""
    from dosewise.medications.models import Medication
    from dosewise.medications.selectors import CHECKED_STATUSES

    return set(Medication.objects.filter(patient_id__in=patient_ids, status__in=CHECKED_STATUSES,
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
    results = list(Observation.objects.filter(patient=patient).select_related("recorded_by", "acknowledged_by",
                                                                              "entered_in_error_by")
                   .order_by("-effective_at", "-pk")[:HISTORY_LIMIT])
    return MonitoringTab(
        tests=list(result_tests().values()),
        results=results,
        schedule_available=medications_installed(),
        due=due_monitoring(patient, today) if medications_installed() else [],
        can_record=access.can(Capability.CLINICAL_EDIT),
        today=today,
    )


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


def worklist_allowed_scopes(user) -> list[str]:
    if not (user.is_authenticated and user.is_clinic_staff and user.can(Capability.MONITORING_VIEW)):
        return []
    scopes = ["mine"]
    if user.can(Capability.CASELOAD_CLINIC):
        scopes.append("clinic")
    return scopes


def _team_patient_ids(user) -> QuerySet:
    today = timezone.localdate()
    return CareTeamMember.objects.filter(member=user, since__lte=today).filter(
        Q(until__isnull=True) | Q(until__gt=today)).values("patient_id")


def worklist(user, *, scope: str) -> list[WorklistItem]:
    """Return the prioritised worklist: critical and urgent results, open risk tasks, other
    out-of-range results, overdue monitoring, then patients not improving; four queries
    whatever the history."""
    if scope not in worklist_allowed_scopes(user):
        return []
    mine = Q(patient_id__in=_team_patient_ids(user)) if scope == "mine" else Q()
    results = (Observation.objects.filter(mine, clinic_id=user.clinic_id, review_priority__isnull=False)
               .select_related("patient").order_by("review_priority", "-effective_at")[:WORKLIST_LIMIT])
    tasks = CareTask.objects.filter(clinic_id=user.clinic_id, acknowledged_at__isnull=True)
    if scope == "mine":
        tasks = tasks.filter(mine | Q(escalated_at__isnull=False, escalated_to_role=user.role))
    acknowledged = WorklistAcknowledgement.objects.filter(kind="not-improving", object_id=OuterRef("pk"),
                                                          version=OuterRef("latest_at"))
    overdue = (MonitoringDue.objects.filter(mine, clinic_id=user.clinic_id, acknowledged_at__isnull=True,
                                            due_date__lt=clinic_today(user.clinic))
               .select_related("patient").order_by("due_date")[:WORKLIST_LIMIT])
    stalled = (ScoreSummary.objects.filter(mine, clinic_id=user.clinic_id, not_improving=True)
               .exclude(Exists(acknowledged)).select_related("patient").order_by("latest_at")[:WORKLIST_LIMIT])
    names = {key: instrument.short_name for key, instrument in load_instruments().items()}
    tests = result_tests()
    items = [
        WorklistItem(kind="result", priority=o.review_priority, patient=o.patient,
                     title=f"{tests[o.test].name if o.test in tests else o.test}: "
                           f"{o.value.normalize():f} {o.unit} ({o.band})",
                     detail=o.action, at=o.effective_at, object_id=o.pk, tab="monitoring", flag=o.flag)
        for o in results
    ]
    items += [
        WorklistItem(kind="risk", priority=ReviewPriority.URGENT, patient=t.patient, title=t.get_kind_display(),
                     detail=t.message, at=t.created_at, object_id=t.pk, tab="assessments", flag="critical")
        for t in tasks.select_related("patient").order_by("created_at")[:WORKLIST_LIMIT]
    ]
    items += [
        WorklistItem(kind="overdue", priority=ReviewPriority.OVERDUE, patient=d.patient,
                     title=f"Overdue since {d.due_date:%Y-%m-%d}: {tests[d.test].name if d.test in tests else d.test}",
                     detail=d.reason, at=datetime.combine(d.due_date, time(), tzinfo=UTC),
                     object_id=d.pk, tab="monitoring", flag="overdue")
        for d in overdue
    ]
    items += [
        WorklistItem(kind="not-improving", priority=ReviewPriority.NOT_IMPROVING, patient=s.patient,
                     title=f"Not improving on {names.get(s.questionnaire, s.questionnaire)}",
                     detail=f"Latest {s.latest_total:g} ({s.latest_severity or 'no band'}), baseline "
                            f"{s.baseline_total:g}: review the treatment plan.",
                     at=s.latest_at, object_id=s.pk, tab="assessments")
        for s in stalled
    ]
    items.sort(key=lambda i: (i.priority, -i.at.timestamp()))
    return items


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
