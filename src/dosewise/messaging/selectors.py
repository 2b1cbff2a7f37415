"""Reads of secure messages, permission-checked by construction.

Patient reads take the patient the signed-in portal account speaks for (`portal_patient`,
resolved by the portal through the PORTAL_PATIENT contribution, since the portal sits above
this app); a thread or attachment id outside that patient answers 404. Staff reads take a
`PatientAccess` from `access_patient` for one patient, or, for the inbox, list only the
threads of patients whose care team the user is on today.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from dosewise.clinical.kb import load_kb
from dosewise.clinical.monitoring import MONITORING_FILE
from dosewise.clinics.clock import clinic_today
from dosewise.clinics.roles import CLINICAL_ROLES, Capability
from dosewise.clinics.scoping import joined_in_clinic
from dosewise.lib.contributions import portal_patient as contributions_portal_patient
from dosewise.messaging.models import Attachment, Message, MessagingSettings, Thread, ThreadKind, ThreadStatus
from dosewise.patients.models import CareTeamMember, Patient
from dosewise.patients.selectors import PatientAccess

INBOX_PAGE = 50
TODAY_SHOWN = 5
CHART_THREADS = 100
SCOPES = ("team", "assigned")
STATUS_FILTERS = ("open", "waiting", "closed", "all")


def portal_patient(request, scope: str):
    """Return the portal record this request opens (`.patient`, `.by`, `.is_proxy`), or refuse (403)."""
    return contributions_portal_patient(request, scope)


def messaging_settings(clinic) -> MessagingSettings:
    """Return the clinic's messaging settings (the defaults when never changed; no write)."""
    found = MessagingSettings.objects.filter(clinic=clinic).first()
    return found or MessagingSettings(clinic=clinic)


# ---------------------------------------------------------------------------------------
# The patient's side


def patient_threads(patient: Patient) -> list[Thread]:
    """Return the patient's threads, newest activity first (one query)."""
    return list(Thread.objects.filter(clinic_id=patient.clinic_id,
                                      patient=patient).order_by("-last_message_at", "-pk")[:200])


def patient_thread_get(patient: Patient, thread_id: int) -> Thread:
    """Return one thread of this patient, or 404."""
    found = Thread.objects.filter(clinic_id=patient.clinic_id,
                                  pk=thread_id, patient=patient).select_related("medication").first()
    if found is None:
        raise Http404("no such conversation")
    return found


def patient_attachment_get(patient: Patient, attachment_id: int) -> Attachment:
    found = Attachment.objects.filter(clinic_id=patient.clinic_id, pk=attachment_id, patient=patient).first()
    if found is None:
        raise Http404("no such file")
    return found


def thread_messages(thread: Thread) -> list[Message]:
    """Return the thread's messages, oldest first, with authors and attachments (two queries)."""
    return list(thread.messages.select_related("author").prefetch_related("attachments").order_by("created_at", "pk"))


# ---------------------------------------------------------------------------------------
# The care team's side


def _team_patient_ids(user) -> QuerySet:
    today = clinic_today(user.clinic)
    return (CareTeamMember.objects.filter(clinic_id=user.clinic_id, member=user, since__lte=today)
            .filter(Q(until__isnull=True) | Q(until__gt=today)).values("patient_id"))


def may_use_inbox(user) -> bool:
    return user.can(Capability.CLINICAL_VIEW)


def _visible(user) -> QuerySet:
    if not may_use_inbox(user):
        raise PermissionDenied("Messages are read by the clinicians on the patient's care team.")
    return Thread.objects.filter(clinic_id=user.clinic_id, patient_id__in=_team_patient_ids(user))


@dataclass(frozen=True)
class InboxPage:
    threads: list[Thread]
    scope: str
    status: str
    page: int
    pages: int
    total: int
    counts: dict[str, int]
    now: object
    target_days: int
    urgent_only: bool = False
    overdue: set[int] = field(default_factory=set)

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _ordered(rows: QuerySet, status: str) -> QuerySet:
    if status == "closed":
        return rows.order_by("-closed_at", "-pk")
    return rows.order_by("-urgent", F("reply_due_at").asc(nulls_last=True), "-last_message_at", "-pk")


def inbox(user, *, scope: str = "team", status: str = "open", urgent_only: bool = False,
          page: int = 1) -> InboxPage:
    """Return one page of the staff inbox: urgent first, then by when the reply is due (three queries,
    whatever the number of threads)."""
    scope = scope if scope in SCOPES else "team"
    status = status if status in STATUS_FILTERS else "open"
    visible = _visible(user)
    if scope == "assigned":
        visible = visible.filter(assigned_to=user)
    now = timezone.now()
    counts = visible.aggregate(
        open=Count("pk", filter=Q(status=ThreadStatus.OPEN)),
        waiting=Count("pk", filter=Q(status=ThreadStatus.WAITING)),
        closed=Count("pk", filter=Q(status=ThreadStatus.CLOSED)),
        urgent=Count("pk", filter=Q(urgent=True) & ~Q(status=ThreadStatus.CLOSED)),
        overdue=Count("pk", filter=Q(status=ThreadStatus.OPEN, reply_due_at__lt=now)),
    )
    counts["all"] = counts["open"] + counts["waiting"] + counts["closed"]
    rows = visible if status == "all" else visible.filter(status=status)
    if urgent_only:
        rows = rows.filter(urgent=True)
    total = counts[status] if not urgent_only else rows.count()
    pages = max(1, -(-total // INBOX_PAGE))
    page = min(max(1, page), pages)
    threads = list(_ordered(rows, status).filter(joined_in_clinic(user.clinic_id, "patient"))
                   .select_related("patient", "assigned_to")
                   [(page - 1) * INBOX_PAGE:page * INBOX_PAGE])
    overdue = {t.pk for t in threads if t.status == ThreadStatus.OPEN and t.reply_due_at and t.reply_due_at < now}
    return InboxPage(threads=threads, scope=scope, status=status, page=page, pages=pages, total=total,
                     counts=counts, now=now, target_days=messaging_settings(user.clinic).response_target_business_days,
                     urgent_only=urgent_only, overdue=overdue)


def staff_thread_get(access: PatientAccess, thread_id: int) -> Thread:
    """Return one thread of the patient the caller may see, or 404."""
    found = (Thread.objects.filter(clinic_id=access.patient.clinic_id, pk=thread_id, patient=access.patient)
             .select_related("assigned_to", "medication", "medication__prescriber", "care_task").first())
    if found is None:
        raise Http404("no such conversation")
    return found


def staff_attachment_get(access: PatientAccess, attachment_id: int) -> Attachment:
    found = Attachment.objects.filter(clinic_id=access.patient.clinic_id,
                                      pk=attachment_id, patient=access.patient).first()
    if found is None:
        raise Http404("no such file")
    return found


def assignable(access: PatientAccess) -> list:
    """Return who a thread of this patient can be given to: the clinicians on the care team today."""
    today = clinic_today(access.patient.clinic)
    members = (CareTeamMember.objects.filter(clinic_id=access.patient.clinic_id,
                                             patient=access.patient, since__lte=today, member__is_active=True,
                                             member__role__in=list(CLINICAL_ROLES))
               .filter(Q(until__isnull=True) | Q(until__gt=today)).select_related("member").order_by("member__full_name"))
    return list(dict.fromkeys(m.member for m in members))


@dataclass(frozen=True)
class DueTest:
    name: str
    due_date: object
    overdue: bool
    reason: str


@dataclass(frozen=True)
class RefillContext:
    """What the prescriber needs beside a refill request: adherence and monitoring of the medicine."""

    medicine: object
    adherence: object | None
    due: list
    overdue: list


def refill_context(access: PatientAccess, thread: Thread) -> RefillContext | None:
    """Return the requested medicine's fill adherence (proportion of days covered) and the patient's
    due and overdue monitoring, or None for a thread that is not a refill request."""
    if thread.kind != ThreadKind.REFILL or thread.medication is None:
        return None
    from dosewise.monitoring.selectors import adherence, due_monitoring

    today = clinic_today(access.patient.clinic)
    found = adherence(access.patient, [thread.medication], today)
    catalogue = load_kb().data(MONITORING_FILE)["tests"]
    due = [DueTest(name=catalogue.get(d.test, {}).get("name", d.test), due_date=d.due_date, overdue=d.overdue,
                   reason=d.reason) for d in due_monitoring(access.patient, today)]
    return RefillContext(medicine=thread.medication, adherence=found[0] if found else None,
                         due=due, overdue=[d for d in due if d.overdue])


@dataclass(frozen=True)
class TodaySummary:
    threads: list[Thread]
    waiting: int
    overdue: int
    urgent: int
    target_days: int
    now: object


def today_summary(user) -> TodaySummary | None:
    """Return the messages waiting for the user's care teams, for the Today page (three queries)."""
    if not may_use_inbox(user):
        return None
    now = timezone.now()
    open_rows = _visible(user).filter(status=ThreadStatus.OPEN)
    counts = open_rows.aggregate(waiting=Count("pk", filter=Q(awaiting_since__isnull=False)),
                                 overdue=Count("pk", filter=Q(reply_due_at__lt=now)),
                                 urgent=Count("pk", filter=Q(urgent=True)))
    threads = list(_ordered(open_rows.filter(Q(awaiting_since__isnull=False) | Q(urgent=True)), "open")
                   .filter(joined_in_clinic(user.clinic_id, "patient"))
                   .select_related("patient", "assigned_to")[:TODAY_SHOWN])
    return TodaySummary(threads=threads, waiting=counts["waiting"], overdue=counts["overdue"],
                        urgent=counts["urgent"], now=now,
                        target_days=messaging_settings(user.clinic).response_target_business_days)


def chart_threads(access: PatientAccess) -> list[Thread]:
    """Return the patient's threads for the chart's Messages tab, newest first (one query)."""
    return list(Thread.objects.filter(clinic_id=access.patient.clinic_id,
                                      patient=access.patient).select_related("assigned_to", "medication")
                .order_by("-last_message_at", "-pk")[:CHART_THREADS])
