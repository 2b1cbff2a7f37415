"""Reads of the patient portal, permission-checked by construction.

A portal page never takes a patient id from the URL: `portal_access(user)` returns the one
patient the signed-in account speaks for, and every other read here is scoped to that
patient. Object ids in portal URLs (a medicine, a plan) are looked up within that patient
only, so a tampered id answers 404. Staff reads take a `PatientAccess` from
`access_patient`, like every chart page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy

from dosewise.assessments.models import MeasurementSchedule, QuestionnaireLink, ResponseSource
from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.instruments import get_instrument
from dosewise.clinical.kb import load_kb
from dosewise.clinical.monitoring import MONITORING_FILE
from dosewise.clinics.clock import clinic_today
from dosewise.clinics.roles import Role
from dosewise.clinics.scoping import joined_in_clinic
from dosewise.medications.models import Medication, MedicationPlan, MedicationStatus
from dosewise.medications.selectors import plan_calendar, plan_dose_blocks
from dosewise.monitoring.models import MonitoringDue
from dosewise.notifications import consent as ledger
from dosewise.notifications.models import Channel, ConsentAction, ConsentPurpose, ConsentSource
from dosewise.patients.models import Consent, Patient
from dosewise.patients.selectors import CONTACT_CONSENT_KIND, PatientAccess, contact_address, ledger_answer
from dosewise.portal.models import (
    DoseLog,
    DoseStatus,
    MissedReason,
    PortalAccount,
    PortalStatus,
    ProxyAccess,
    ProxyRelationship,
    ProxyScope,
    PushSubscription,
)

# Labs due within this many days (or overdue) are shown on the patient's Today page.
DUE_HORIZON_DAYS = 30
SUMMARY_DAYS = 30
HISTORY_DAYS = 14


# A page only the patient's own account opens (never a proxy): consent, reminders, questionnaires.
OWNER = "owner"
# The session remembers which record a person who speaks for several patients chose.
SESSION_RECORD = "portal_patient"


class ChooseRecord(PermissionDenied):
    """The signed-in person speaks for several patients and has not said whose record to open.

    `PortalRecordChoiceMiddleware` answers it with the choice page; anywhere else it is a 403.
    """


@dataclass(frozen=True)
class PortalAccess:
    """Whose portal this request opens, and as whom.

    `account` is the patient's own portal account when the patient signed in; `proxy` is the
    ProxyAccess when a parent, guardian or helper did (then `account` is None).
    """

    account: PortalAccount | None
    patient: Patient
    proxy: ProxyAccess | None = None

    @property
    def today(self) -> date:
        return clinic_today(self.patient.clinic)

    @property
    def is_proxy(self) -> bool:
        return self.proxy is not None

    @property
    def by(self) -> str:
        """Who acted, for audit details: the patient or a proxy."""
        return "proxy" if self.proxy is not None else "patient"

    @property
    def language(self) -> str:
        return self.proxy.language if self.proxy is not None else self.account.language

    def can(self, scope: str | None) -> bool:
        """True when this page or section is open to the person signed in (None: open to every record)."""
        if self.proxy is None or scope is None:
            return True
        return scope != OWNER and scope in self.proxy.scopes

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset(ProxyScope.values) if self.proxy is None else frozenset(self.proxy.scopes)


def _require_patient_role(user) -> None:
    if not (user.is_authenticated and user.is_active and user.role == Role.PATIENT):
        raise PermissionDenied(gettext("The patient portal is for patients. Staff use the patient chart."))


def portal_records(user) -> list[PortalAccess]:
    """Return every record the user may open: their own, then each proxy access in force (two queries)."""
    _require_patient_role(user)
    records = []
    account = (PortalAccount.objects.select_related("patient__clinic")
               .filter(clinic_id=user.clinic_id, user=user).exclude(status=PortalStatus.REVOKED).first())
    if account is not None:
        records.append(PortalAccess(account=account, patient=account.patient))
    proxies = (ProxyAccess.objects.select_related("patient__clinic").filter(clinic_id=user.clinic_id,
                                                                            user=user)
               .exclude(status=PortalStatus.REVOKED).order_by("patient__legal_given_name", "pk"))
    records += [PortalAccess(account=None, patient=p.patient, proxy=p) for p in proxies
                if p.expires_on >= clinic_today(p.patient.clinic)]
    return records


def portal_access(user, session=None, scope: str | None = None) -> PortalAccess:
    """Return the record this request opens (the one chosen in the session), or refuse (403).

    A person with one record gets it; one with several gets ChooseRecord until they choose.
    A proxy asking for a page outside their scope is refused with what their access covers.
    """
    records = portal_records(user)
    if not records:
        if ProxyAccess.objects.filter(user=user).exclude(status=PortalStatus.REVOKED).exists():
            raise PermissionDenied(gettext("Your access to this record has ended. The patient or the clinic can "
                                           "renew it."))
        raise PermissionDenied(gettext("This account is not linked to a patient record. Call your clinic."))
    chosen = session.get(SESSION_RECORD) if session is not None else None
    found = next((r for r in records if r.patient.pk == chosen), None)
    if found is None:
        if len(records) > 1:
            raise ChooseRecord(gettext("Choose whose record to open."))
        found = records[0]
    if not found.can(scope):
        name = found.patient.display_name
        if scope == OWNER:
            raise PermissionDenied(gettext("Only %(name)s can use this page.") % {"name": name})
        raise PermissionDenied(gettext("Your access to %(name)s's record does not include this page. %(name)s or "
                                       "the clinic can change what you can see.") % {"name": name})
    return found


def active_medicines(portal: PortalAccess) -> list[Medication]:
    """Return the medicines the patient takes now (active orders and medicines from elsewhere)."""
    return list(Medication.objects.filter(clinic_id=portal.patient.clinic_id,
                                          patient=portal.patient, status=MedicationStatus.ACTIVE)
                .order_by("ingredient", "pk"))


def medicine_get(portal: PortalAccess, medication_id: int) -> Medication:
    """Return one active medicine of this patient, or 404 (another patient's id included)."""
    found = Medication.objects.filter(clinic_id=portal.patient.clinic_id,
                                      pk=medication_id, patient=portal.patient,
                                      status=MedicationStatus.ACTIVE).first()
    if found is None:
        raise Http404("no such medicine")
    return found


def side_effect_get(portal: PortalAccess, side_effect_id: int):
    """Return one side effect this patient reported, or 404 (another patient's, or one staff recorded)."""
    from dosewise.monitoring.models import SideEffect, SideEffectReporter

    found = SideEffect.objects.filter(clinic_id=portal.patient.clinic_id,
                                      pk=side_effect_id, patient=portal.patient,
                                      reporter=SideEffectReporter.PATIENT).first()
    if found is None:
        raise Http404("no such report")
    return found


# ---------------------------------------------------------------------------------------
# Plans as a patient reads them


@dataclass(frozen=True)
class PlanStep:
    """Consecutive days with the same dose of every drug."""

    first_day: int
    last_day: int
    start: date
    end: date
    doses: list[tuple[str, float]]
    notes: list[str]
    days: list
    is_today: bool
    is_past: bool

    @property
    def length(self) -> int:
        return self.last_day - self.first_day + 1


@dataclass(frozen=True)
class PatientPlan:
    plan: MedicationPlan
    steps: list[PlanStep]
    total_days: int
    today_day: int | None  # 0-based day of the plan today, None before the start or after the end
    today: date

    @property
    def end_date(self) -> date:
        return self.plan.start_date + timedelta(days=self.total_days - 1)

    @property
    def today_step(self) -> PlanStep | None:
        return next((s for s in self.steps if s.is_today), None)

    @property
    def upcoming(self) -> bool:
        return self.plan.start_date > self.today


def _steps(plan: MedicationPlan, today: date) -> tuple[list[PlanStep], int]:
    """Return the plan's dose steps as the patient reads them, from the same grouping as the PDF calendar."""
    days = plan_calendar(plan)
    steps = [PlanStep(first_day=block.days[0].day, last_day=block.days[-1].day, start=block.start, end=block.end,
                      doses=sorted((dose.drug, dose.mg) for dose in block.doses),
                      notes=[day.note for day in block.days if day.note], days=list(block.days),
                      is_today=block.start <= today <= block.end, is_past=block.end < today)
             for block in plan_dose_blocks(plan, days)]
    return steps, len(days)


def patient_plan(plan: MedicationPlan, today: date) -> PatientPlan:
    steps, total = _steps(plan, today)
    offset = (today - plan.start_date).days
    return PatientPlan(plan=plan, steps=steps, total_days=total, today=today,
                       today_day=offset if 0 <= offset < total else None)


def current_plans(portal: PortalAccess) -> list[PatientPlan]:
    """Return the plans not yet finished (running today or starting later), soonest first (one query)."""
    today = portal.today
    plans = MedicationPlan.objects.filter(clinic_id=portal.patient.clinic_id,
                                          patient=portal.patient).order_by("start_date", "pk")
    found = [patient_plan(plan, today) for plan in plans]
    return [p for p in found if p.end_date >= today]


# ---------------------------------------------------------------------------------------
# Today


@dataclass(frozen=True)
class DueLab:
    name: str
    due_date: date
    overdue: bool


@dataclass(frozen=True)
class PendingQuestionnaire:
    """A questionnaire the patient can answer now: an open link, or a schedule that is due."""

    key: str
    name: str
    expires_at: object  # None for a due schedule (the link is opened when the patient starts)
    emailed: bool
    link_id: int | None
    started: bool  # some answers are already saved


@dataclass(frozen=True)
class TodayDose:
    medicine: Medication
    log: DoseLog | None


@dataclass
class TodayPage:
    today: date
    doses: list[TodayDose]
    plans: list[PatientPlan]
    due: list[DueLab]
    questionnaires: list[PendingQuestionnaire] = field(default_factory=list)


def due_labs(portal: PortalAccess) -> list[DueLab]:
    today = portal.today
    catalogue = load_kb().data(MONITORING_FILE)["tests"]
    rows = MonitoringDue.objects.filter(clinic_id=portal.patient.clinic_id,
                                        patient=portal.patient, due_date__lte=today + timedelta(days=DUE_HORIZON_DAYS))
    return [DueLab(name=catalogue.get(d.test, {}).get("name", d.test), due_date=d.due_date, overdue=d.due_date < today)
            for d in rows.order_by("due_date", "test")]


def _instrument_name(key: str) -> str:
    try:
        instrument = get_instrument(key)
    except ClinicalInputError:
        return key
    return f"{instrument.short_name} ({instrument.name})" if instrument.short_name != instrument.name \
        else instrument.name


def _open_links(portal: PortalAccess):
    return QuestionnaireLink.objects.filter(clinic_id=portal.patient.clinic_id,
                                            patient=portal.patient, source=ResponseSource.REMOTE, used_at__isnull=True,
                                            revoked_at__isnull=True, expires_at__gt=timezone.now())


def pending_questionnaires(portal: PortalAccess) -> list[PendingQuestionnaire]:
    """Return the open links and the due schedules without one, soonest first (two queries)."""
    found = []
    keys = set()
    for link in _open_links(portal).order_by("expires_at", "pk"):
        if link.questionnaire in keys:
            continue
        keys.add(link.questionnaire)
        found.append(PendingQuestionnaire(key=link.questionnaire, name=_instrument_name(link.questionnaire),
                                          expires_at=link.expires_at, emailed=bool(link.emailed_to), link_id=link.pk,
                                          started=bool(link.partial_answers)))
    due = MeasurementSchedule.objects.filter(clinic_id=portal.patient.clinic_id,
                                             patient=portal.patient, active=True, next_due__lte=portal.today)
    for schedule in due.order_by("next_due", "questionnaire"):
        if schedule.questionnaire in keys or not _self_rated(schedule.questionnaire):
            continue
        keys.add(schedule.questionnaire)
        found.append(PendingQuestionnaire(key=schedule.questionnaire, name=_instrument_name(schedule.questionnaire),
                                          expires_at=None, emailed=False, link_id=None, started=False))
    return found


def _self_rated(key: str) -> bool:
    try:
        return get_instrument(key).rater == "self"
    except ClinicalInputError:
        return False


def questionnaire_link_get(portal: PortalAccess, link_id: int) -> QuestionnaireLink:
    """Return one of this patient's remote links, open or not, or 404 (another patient's id included)."""
    found = (QuestionnaireLink.objects.select_related("clinic", "patient")
             .filter(clinic_id=portal.patient.clinic_id,
                     pk=link_id, patient=portal.patient, source=ResponseSource.REMOTE).first())
    if found is None:
        raise Http404("no such questionnaire")
    return found


def today_page(portal: PortalAccess) -> TodayPage:
    """Return today's doses, the day of each current plan, due labs and waiting questionnaires (six queries)."""
    today = portal.today
    # A proxy sees only the sections of their scope; questionnaires are the patient's own.
    questionnaires = pending_questionnaires(portal) if portal.can(OWNER) else []
    if not portal.can(ProxyScope.MEDICINES):
        return TodayPage(today=today, doses=[], plans=[], due=[], questionnaires=questionnaires)
    medicines = active_medicines(portal)
    logs = {log.medication_id: log for log in DoseLog.objects.filter(clinic_id=portal.patient.clinic_id,
                                                                     patient=portal.patient, day=today, current=True)}
    return TodayPage(today=today, doses=[TodayDose(m, logs.get(m.pk)) for m in medicines],
                     plans=current_plans(portal), due=due_labs(portal), questionnaires=questionnaires)


# ---------------------------------------------------------------------------------------
# The dose log


@dataclass(frozen=True)
class DoseSlot:
    """One medicine on one day in the patient's dose log form."""

    medicine: Medication
    day: date
    log: DoseLog | None
    changeable: bool

    @property
    def key(self) -> str:
        return f"{self.medicine.pk}-{self.day.isoformat()}"


@dataclass(frozen=True)
class DoseLogPage:
    today: date
    days: list[tuple[date, str, list[DoseSlot]]]
    history: list[DoseLog]


def loggable_days(today: date) -> tuple[date, date]:
    return today, today - timedelta(days=1)


def dose_log_page(portal: PortalAccess) -> DoseLogPage:
    """Return today's and yesterday's dose slots and the last two weeks' entries (three queries)."""
    today = portal.today
    yesterday = today - timedelta(days=1)
    medicines = active_medicines(portal)
    entries = list(DoseLog.objects.filter(clinic_id=portal.patient.clinic_id,
                                          patient=portal.patient, day__gte=today - timedelta(days=HISTORY_DAYS))
                   .select_related("medication").order_by("-day", "medication__ingredient", "-recorded_at", "-pk"))
    current = {(e.medication_id, e.day): e for e in entries if e.current}
    days = []
    for day, label in ((today, gettext("Today")), (yesterday, gettext("Yesterday"))):
        slots = []
        for medicine in medicines:
            if medicine.start_date > day:
                continue
            log = current.get((medicine.pk, day))
            slots.append(DoseSlot(medicine=medicine, day=day, log=log,
                                  changeable=log is None or log.recorded_on == today))
        days.append((day, label, slots))
    return DoseLogPage(today=today, days=days, history=entries)


def push_devices(portal: PortalAccess, user) -> list[PushSubscription]:
    """Return the browsers that receive the signed-in account's notifications, newest first."""
    return list(PushSubscription.objects.filter(clinic_id=portal.patient.clinic_id,
                                                user=user, patient=portal.patient, ended_at__isnull=True)
                .order_by("-created_at", "-pk"))


# ---------------------------------------------------------------------------------------
# Staff side


def proxies_of(patient) -> list[ProxyAccess]:
    """Return the patient's proxy accesses, open ones first, newest first within each."""
    found = ProxyAccess.objects.filter(clinic_id=patient.clinic_id,
                                       patient=patient).select_related("user", "recorded_by", "revoked_by")
    return sorted(found, key=lambda p: (p.status == PortalStatus.REVOKED, -p.consented_at.timestamp(), -p.pk))


def proxies_for_staff(access: PatientAccess) -> list[ProxyAccess]:
    """Return the patient's proxies for the chart's portal page (its access was checked by access_patient)."""
    return proxies_of(access.patient)


def proxies_for_portal(portal: PortalAccess) -> list[ProxyAccess]:
    """Return what the Family and helpers page lists: every open proxy for the patient; a proxy sees their own."""
    found = [p for p in proxies_of(portal.patient) if p.status != PortalStatus.REVOKED]
    if portal.proxy is None:
        return found
    # A parent or legal guardian speaks for the patient and also sees (and may end) the helpers.
    if portal.proxy.relationship != ProxyRelationship.HELPER:
        return [portal.proxy, *(p for p in found if p.relationship == ProxyRelationship.HELPER)]
    return [portal.proxy]


def portal_account_for(access: PatientAccess) -> PortalAccount | None:
    """Return the patient's newest portal account, open or revoked (None: never invited)."""
    return (PortalAccount.objects.filter(clinic_id=access.patient.clinic_id,
                                         patient=access.patient).select_related("user", "invited_by", "revoked_by")
            .order_by("-invited_at", "-pk").first())


@dataclass(frozen=True)
class DoseSummaryRow:
    medicine: Medication
    taken: int
    missed: int
    not_logged: int
    reasons: list[tuple[str, int]]


@dataclass(frozen=True)
class DoseSummary:
    start: date
    end: date
    rows: list[DoseSummaryRow]
    reasons: list[tuple[str, int]]
    notes: list[DoseLog]

    @property
    def any_logged(self) -> bool:
        return any(r.taken or r.missed for r in self.rows)


def dose_log_summary(access: PatientAccess, *, days: int = SUMMARY_DAYS) -> DoseSummary:
    """Return, per current medicine, the last `days` days taken / missed / not logged and the
    missed-dose reasons tally (two queries)."""
    patient = access.patient
    end = clinic_today(patient.clinic)
    start = end - timedelta(days=days - 1)
    medicines = list(Medication.objects.filter(clinic_id=patient.clinic_id,
                                               patient=patient, status=MedicationStatus.ACTIVE)
                     .order_by("ingredient", "pk"))
    logs = list(DoseLog.objects.filter(clinic_id=patient.clinic_id,
                                       patient=patient, current=True, day__gte=start, day__lte=end)
                .filter(joined_in_clinic(patient.clinic_id, "medication")).select_related("medication").order_by("-day", "pk"))
    labels = dict(MissedReason.choices)
    rows = []
    for medicine in medicines:
        mine = [log for log in logs if log.medication_id == medicine.pk]
        taken = sum(log.status == DoseStatus.TAKEN for log in mine)
        missed = [log for log in mine if log.status == DoseStatus.MISSED]
        counted_from = max(start, medicine.start_date)
        expected = max(0, (end - counted_from).days + 1)
        rows.append(DoseSummaryRow(
            medicine=medicine, taken=taken, missed=len(missed), not_logged=max(0, expected - taken - len(missed)),
            reasons=[(labels[k], n) for k, n in Counter(log.reason for log in missed).most_common()]))
    tally = Counter(log.reason for log in logs if log.status == DoseStatus.MISSED)
    return DoseSummary(start=start, end=end, rows=rows,
                       reasons=[(labels[k], n) for k, n in tally.most_common()],
                       notes=[log for log in logs if log.status == DoseStatus.MISSED and log.note])


# ---------------------------------------------------------------------------------------
# Texts and e-mails from the clinic: the consent ledger per purpose (notifications.consent)

# The purposes the clinic sends (marketing is never offered, docs/decisions/0041), with the
# messages each covers (notifications.consent.MESSAGE_PURPOSES), in the patient's words.
MESSAGE_CONSENT_PURPOSES = {
    ConsentPurpose.APPOINTMENT_REMINDERS: (
        gettext_lazy("Appointment reminders"),
        gettext_lazy("A reminder before each visit, and word when a visit is booked, moved or cancelled.")),
    ConsentPurpose.QUESTIONNAIRES: (
        gettext_lazy("Questionnaires"),
        gettext_lazy("A link to a short questionnaire your care team asks you to fill in.")),
    ConsentPurpose.CARE_MESSAGES: (
        gettext_lazy("Care messages"),
        gettext_lazy("Word that your care team wrote to you, and reminders of checks that are due, such as a "
                     "blood test.")),
}
CHANNEL_WORDS = {Channel.SMS: gettext_lazy("Text message"), Channel.EMAIL: gettext_lazy("E-mail")}
PURPOSE_WORDS = {**{p: words[0] for p, words in MESSAGE_CONSENT_PURPOSES.items()},
                 ConsentPurpose.MARKETING: gettext_lazy("News and offers"),
                 ConsentPurpose.ALL: gettext_lazy("Everything on this channel")}
SOURCE_WORDS = {
    ConsentSource.PUBLIC_FORM: gettext_lazy("the clinic's request form"),
    ConsentSource.PORTAL: gettext_lazy("you, in the portal"),
    ConsentSource.STAFF_PHONE: gettext_lazy("the clinic, when you said so on the phone"),
    ConsentSource.SMS_KEYWORD: gettext_lazy("your text message reply"),
    ConsentSource.UNSUBSCRIBE_LINK: gettext_lazy("the unsubscribe link in an e-mail"),
    ConsentSource.STAFF: gettext_lazy("the clinic, at your request"),
}


@dataclass(frozen=True)
class PurposeRow:
    purpose: str
    label: str
    description: str
    on: bool
    # Why the switch stands where it does when the patient did not set it here ("" otherwise).
    note: str


@dataclass(frozen=True)
class ChannelBlock:
    channel: str
    label: str
    address: str
    disclosure: object
    rows: list[PurposeRow]


@dataclass(frozen=True)
class HistoryRow:
    at: object
    channel: str
    purpose: str
    on: bool
    source: str


@dataclass(frozen=True)
class MessagesConsentPage:
    channels: list[ChannelBlock]
    history: list[HistoryRow]


def _purpose_rows(patient: Patient, channel: str, address: str, chart_consents: dict) -> list[PurposeRow]:
    standings = ledger.consent_standings(clinic=patient.clinic, channel=channel, address=address,
                                         purposes=list(MESSAGE_CONSENT_PURPOSES))
    stop_words = (gettext("All text messages were stopped on %(day)s (a STOP reply or a request to the clinic).")
                  if channel == Channel.SMS else
                  gettext("All e-mail was stopped on %(day)s (an unsubscribe from everything)."))
    zone = ZoneInfo(patient.clinic.timezone)
    rows = []
    for purpose, (label, description) in MESSAGE_CONSENT_PURPOSES.items():
        standing, note = standings[purpose], ""
        on = ledger_answer(standing) if address else False
        if on is None:
            given = chart_consents.get(CONTACT_CONSENT_KIND[channel])
            on = given is not None
            note = (gettext("You agreed to this with the clinic on %(day)s.") % {
                "day": date_format(timezone.localtime(given, zone), "DATE_FORMAT")} if given
                else gettext("Not chosen yet, so none are sent."))
        elif address and standing.stopped_at is not None:
            note = stop_words % {"day": date_format(timezone.localtime(standing.stopped_at, zone), "DATE_FORMAT")}
        rows.append(PurposeRow(purpose=purpose, label=str(label), description=str(description), on=on, note=note))
    return rows


def messages_consent_page(portal: PortalAccess, disclosures: dict) -> MessagesConsentPage:
    """Return the patient's agreement to each purpose by text and e-mail, and the ledger's history.

    A purpose the ledger holds no answer to follows the chart's contact consent, as the older
    apps' messages do (notifications.consent.MESSAGE_PURPOSES).
    """
    patient = portal.patient
    chart_consents = {}
    for kind, given_at in (Consent.objects.filter(clinic_id=patient.clinic_id,
                                                  patient=patient, kind__in=list(CONTACT_CONSENT_KIND.values()),
                                                  revoked_at__isnull=True).order_by("given_at")
                           .values_list("kind", "given_at")):
        chart_consents[kind] = given_at
    channels = []
    for channel in (Channel.SMS, Channel.EMAIL):
        address = contact_address(patient, channel)
        channels.append(ChannelBlock(channel=channel, label=str(CHANNEL_WORDS[channel]), address=address,
                                     disclosure=disclosures.get(channel),
                                     rows=_purpose_rows(patient, channel, address, chart_consents)))
    addresses = [a for a in (contact_address(patient, channel) for channel in CONTACT_CONSENT_KIND) if a]
    events = ledger.consent_history(clinic=patient.clinic, addresses=addresses) if addresses else []
    history = [HistoryRow(at=e.at, channel=str(CHANNEL_WORDS.get(e.consent.channel, e.consent.channel)),
                          purpose=str(PURPOSE_WORDS.get(e.consent.purpose, e.consent.purpose)),
                          on=e.action == ConsentAction.GRANT,
                          source=str(SOURCE_WORDS.get(e.source, e.get_source_display())))
               for e in reversed(events)]
    return MessagesConsentPage(channels=channels, history=history)

