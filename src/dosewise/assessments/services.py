"""Writes of measurement-based care: scores, links, schedules, risk tasks and their escalation.

Every function here is keyword-only, runs in one transaction and writes its audit event in
that transaction. Scoring and outcome judgements come from the clinical core.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from dosewise.accounts.models import User
from dosewise.assessments.models import (
    ESCALATED_KINDS,
    CareTask,
    MeasurementSchedule,
    QuestionnaireLink,
    QuestionnaireResponse,
    ResponseSource,
    ResponseStatus,
    ScoreSummary,
    TaskKind,
)
from dosewise.audit.services import audit_record
from dosewise.clinical import outcomes
from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.instruments import KB_DIR, Instrument, get_instrument, item_applies, score
from dosewise.clinics.clock import clinic_today, local_date
from dosewise.clinics.roles import CLINICAL_ROLES, Capability
from dosewise.lib.site_url import site_link
from dosewise.notifications.models import Channel, ConsentPurpose
from dosewise.notifications.services import outbox_enqueue_email
from dosewise.patients.models import CareTeamMember, Patient
from dosewise.patients.selectors import PatientAccess, may_message

RISK_LEVELS = frozenset({"urgent", "acute"})
MAX_INTERVAL_DAYS = 365


@lru_cache(maxsize=1)
def kb_version() -> str:
    """Return the knowledge-base version stamped on every stored score."""
    return (KB_DIR / "VERSION").read_text(encoding="utf-8").strip()


def instrument_for(key: str) -> Instrument:
    """Return the instrument `key`, or raise ValidationError naming the known ones."""
    try:
        return get_instrument(key)
    except ClinicalInputError as exc:
        raise ValidationError({"questionnaire": str(exc)}) from None


def instrument_for_or_404(key: str) -> Instrument:
    """Return the instrument `key` for a page, or answer 404."""
    from django.http import Http404

    try:
        return get_instrument(key)
    except ClinicalInputError:
        raise Http404(f"no questionnaire called {key!r}") from None


def new_form_key() -> str:
    """Return a one-time key for a form, so that posting it twice stores one response."""
    return secrets.token_hex(16)


def _require(actor, access: PatientAccess | None, capability: str) -> None:
    allowed = access.can(capability) if access is not None else actor.can(capability)
    if not allowed:
        raise PermissionDenied(f"{actor.get_role_display() if actor.role else 'this account'} may not {capability}")


# ---------------------------------------------------------------------------------------
# Answers


def _item_label(item) -> str:
    text = item.text if len(item.text) <= 60 else item.text[:57].rstrip() + "..."
    return f"Item {item.number} ({text})"


def answers_parse(instrument: Instrument, data: Mapping[str, str], *, partial: bool = False) -> list[int | None]:
    """Return the answers posted as `item_<n>` fields, item 1 first.

    An answer that is not one of the item's options is refused with a message naming the
    item; with `partial` (saving progress) such answers and gaps are simply left out.
    Answers to a conditional item that does not apply are dropped.
    """
    values: list[int | None] = []
    errors: list[str] = []
    for item in instrument.items:
        raw = (data.get(f"item_{item.number}") or "").strip()
        value: int | None = None
        if raw:
            try:
                value = int(raw)
            except ValueError:
                value = None
            if value is None or value not in item.allowed:
                if not partial:
                    allowed = ", ".join(f"{o.value} ({o.label})" for o in item.options[:8])
                    errors.append(f"{_item_label(item)}: {raw[:20]!r} is not one of the answers offered "
                                  f"({allowed}). Choose one of the options.")
                value = None
        values.append(value)
    for item in instrument.items:
        if item.ask_if is not None and not item_applies(instrument, item.number, values):
            values[item.number - 1] = None
    if errors:
        raise ValidationError(errors)
    return values


def _score(instrument: Instrument, answers: Sequence[int | None], patient: Patient):
    sex = patient.sex_at_birth if patient.sex_at_birth in ("female", "male") else None
    if instrument.needs_sex and sex is None:
        raise ValidationError(f"{instrument.short_name} needs the sex assigned at birth (female or male) for its "
                              "cut-off; record it in the demographics first.")
    try:
        return score(instrument, answers, sex=sex)
    except ClinicalInputError as exc:
        raise ValidationError(_friendly_scoring_error(instrument, answers, str(exc))) from None


def _friendly_scoring_error(instrument: Instrument, answers: Sequence[int | None], fallback: str) -> list[str]:
    unanswered = [item for item in instrument.items
                  if answers[item.number - 1] is None and item_applies(instrument, item.number, answers)]
    if unanswered:
        return [f"{_item_label(item)} is not answered." for item in unanswered]
    return [fallback]


# ---------------------------------------------------------------------------------------
# Submitting a questionnaire


@dataclass(frozen=True)
class Submission:
    response: QuestionnaireResponse
    created: bool  # False when a repeated post returned the response stored the first time
    task: CareTask | None


class LinkUnusable(Exception):
    """The link cannot take answers: `reason` is unknown, expired, used or revoked."""

    def __init__(self, reason: str, link: QuestionnaireLink | None = None):
        super().__init__(reason)
        self.reason = reason
        self.link = link


def response_submit(*, patient: Patient, questionnaire: str, answers: Sequence[int | None], source: str,
                    actor=None, access: PatientAccess | None = None, link: QuestionnaireLink | None = None,
                    idempotency_key: str | None = None, authored: datetime | None = None) -> Submission:
    """Score and store a completed questionnaire, exactly once, and raise a risk task at once.

    Staff entries pass `actor` and `access` (and a form's `idempotency_key`); patients
    answer through a `link`, which is spent in this transaction by a conditional update.
    A repeated post (double tap, retry) returns the response stored the first time.
    """
    if link is None:
        if actor is None or access is None:
            raise PermissionDenied("a questionnaire is entered by staff or answered through a link")
        _require(actor, access, Capability.ASSESSMENTS_ADMINISTER)
        if access.patient.pk != patient.pk:
            raise PermissionDenied("access is for another patient")
    instrument = instrument_for(questionnaire)
    if source != ResponseSource.CLINIC and instrument.rater != "self":
        raise ValidationError(f"{instrument.short_name} is rated by a clinician; enter it in clinic.")
    result = _score(instrument, answers, patient)
    now = timezone.now()
    authored = authored or now
    if authored > now + timedelta(minutes=5):
        raise ValidationError({"authored": "A questionnaire cannot be answered in the future."})
    with transaction.atomic():
        if link is not None:
            spent = QuestionnaireLink.objects.filter(
                pk=link.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now,
            ).update(used_at=now)
            if spent == 0:
                existing = QuestionnaireResponse.objects.filter(link_id=link.pk).first()
                if existing is not None:
                    return Submission(existing, False, existing.tasks.first())
                link.refresh_from_db()
                raise LinkUnusable(link.state, link)
        elif idempotency_key:
            existing = QuestionnaireResponse.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                if existing.patient_id != patient.pk:
                    raise ValidationError("This form was already used for another patient; open it again.")
                return Submission(existing, False, existing.tasks.first())
        alerts = [{"code": a.code, "level": a.level, "message": a.message} for a in result.alerts]
        risk = any(a.level in RISK_LEVELS for a in result.alerts)
        response = QuestionnaireResponse(
            clinic_id=patient.clinic_id, patient=patient, questionnaire=instrument.key,
            questionnaire_version=kb_version(), status=ResponseStatus.COMPLETED, authored=authored,
            source=source, author=actor if link is None else link.created_by, answers=list(result.answers),
            code=instrument.loinc_total or "", total=float(result.total), severity=result.severity or "",
            positive=result.positive, alerts=alerts, risk=risk, link=link,
            idempotency_key=idempotency_key or None,
        )
        try:
            with transaction.atomic():
                response.save()
        except IntegrityError:
            # Another request with the same form key won the race; answer with its response.
            existing = QuestionnaireResponse.objects.get(idempotency_key=idempotency_key)
            return Submission(existing, False, existing.tasks.first())
        audit_record(action="assessment.submit", actor=actor, patient=patient, obj=response,
                     actor_email="" if actor else "patient via questionnaire link",
                     detail={"questionnaire": instrument.key, "source": source, "risk": risk,
                             "link": link.pk if link else None})
        summary_refresh(patient=patient, questionnaire=instrument.key)
        _schedule_advance(patient=patient, questionnaire=instrument.key, completed=authored)
        task = None
        if risk:
            message = next(a["message"] for a in alerts if a["level"] in RISK_LEVELS)
            task = _risk_task_create(patient=patient, response=response, message=message, now=now)
    return Submission(response, True, task)


def _risk_task_create(*, patient: Patient, response: QuestionnaireResponse, message: str,
                      now: datetime) -> CareTask:
    return care_task_raise(patient=patient, kind=TaskKind.URGENT_RISK, message=message, now=now, response=response)


def care_task_raise(*, patient: Patient, kind: str, message: str, now: datetime,
                    response: QuestionnaireResponse | None = None,
                    body_template: str = "assessments/email/urgent_task.txt") -> CareTask:
    """Raise an urgent task for the patient's care team (a prescriber first), notify them, and schedule
    its escalation to the clinic's on-call role if nobody acknowledges it in time.

    Used for risk answers and for side effects the triage judges urgent or an emergency.
    Runs inside the caller's transaction and writes its audit event there.
    """
    today = local_date(patient.clinic, now)
    team = list(
        CareTeamMember.objects.filter(clinic_id=patient.clinic_id,
                                      patient=patient, since__lte=today, member__is_active=True)
        .filter(Q(until__isnull=True) | Q(until__gt=today)).select_related("member")
    )
    clinicians = [m.member for m in team if m.member.role in CLINICAL_ROLES]
    prescribers = [u for u in clinicians if u.role == "prescriber"]
    assignee = prescribers[0] if prescribers else (clinicians[0] if clinicians else None)
    task = CareTask.objects.create(
        clinic_id=patient.clinic_id, patient=patient, kind=kind, response=response,
        message=message[:300], assigned_role=assignee.role if assignee else patient.clinic.on_call_role,
        assigned_user=assignee, created_at=now,
    )
    audit_record(action="care_task.create", actor=None, patient=patient, obj=task,
                 detail={"kind": task.kind, "assigned_role": task.assigned_role,
                         "assigned_user": assignee.email if assignee else ""})
    _notify(users=clinicians or _on_call_users(patient.clinic), clinic=patient.clinic,
            subject="Urgent task in Dosewise", purpose="care_task.urgent", body_template=body_template)
    _escalation_schedule(task)
    return task


def _on_call_users(clinic) -> list[User]:
    return list(User.objects.filter(clinic=clinic, role=clinic.on_call_role, is_active=True))


def _notify(*, users, clinic, subject: str, purpose: str, body_template: str) -> None:
    # The message carries no health information: only that there is work and where it is.
    link = site_link(reverse("assessments:task_list"))
    for user in users:
        if user.email:
            body = render_to_string(body_template, {"user": user, "clinic": clinic, "link": link})
            outbox_enqueue_email(to=user.email, subject=subject, body=body, purpose=purpose, clinic=clinic)


def _escalation_schedule(task: CareTask) -> None:
    from dosewise.assessments.tasks import care_tasks_escalate_task

    # Backends that cannot defer (the immediate one in tests) rely on the periodic
    # `care_tasks_escalate` command alone.
    if not care_tasks_escalate_task.get_backend().supports_defer:
        return
    deferred = care_tasks_escalate_task.using(
        run_after=task.created_at + timedelta(minutes=settings.RISK_ESCALATION_MINUTES, seconds=5))
    transaction.on_commit(lambda: deferred.enqueue())


# ---------------------------------------------------------------------------------------
# Summaries and outcomes


def summary_refresh(*, patient: Patient, questionnaire: str) -> ScoreSummary:
    """Rewrite the patient's baseline/latest summary for one instrument from the completed scores.

    Until medications are recorded, the regimen is taken as unchanged since the baseline,
    so "not improving" compares the latest score at least 4 weeks on with the baseline.
    """
    instrument = get_instrument(questionnaire)
    rows = list(
        QuestionnaireResponse.objects.filter(clinic_id=patient.clinic_id,
                                             patient=patient, questionnaire=questionnaire,
                                             status=ResponseStatus.COMPLETED)
        .order_by("authored", "pk").values_list("authored", "total", "severity")
    )
    fields: dict = {"count": len(rows), "baseline_total": None, "baseline_at": None, "latest_total": None,
                    "latest_at": None, "latest_severity": "", "change": None, "reduction": None, "response": False,
                    "remission": False, "reliable_change": "", "not_improving": False}
    if rows:
        (first_at, first, _), (last_at, last, severity) = rows[0], rows[-1]
        fields.update(baseline_total=first, baseline_at=first_at, latest_total=last, latest_at=last_at,
                      latest_severity=severity, change=last - first, reduction=outcomes.reduction(first, last))
        judged = judge_outcomes(instrument, [(local_date(patient.clinic, at), total) for at, total, _ in rows])
        fields.update(response=judged.response, remission=judged.remission,
                      reliable_change=judged.reliable_change, not_improving=judged.not_improving)
    summary, _ = ScoreSummary.objects.update_or_create(
        clinic_id=patient.clinic_id, patient=patient, questionnaire=questionnaire, defaults=fields)
    return summary


@dataclass(frozen=True)
class Outcome:
    response: bool
    remission: bool
    reliable_change: str  # "improved", "worsened", "no reliable change", or "" when not judged
    not_improving: bool
    days_on_regimen: int | None


def judge_outcomes(instrument: Instrument, scores: Sequence[tuple[date, float]],
                   regimen_changed_on: date | None = None) -> Outcome:
    """Return response, remission, reliable change and the not-improving flag for dated totals.

    Instruments without published outcome thresholds are not judged (all False / "").
    """
    if instrument.outcomes is None or not scores:
        return Outcome(False, False, "", False, None)
    ordered = sorted(scores, key=lambda pair: pair[0])
    baseline, latest = ordered[0][1], ordered[-1][1]
    several = len(ordered) > 1
    reliable = ""
    if several and instrument.outcomes.get("reliable_change"):
        reliable = outcomes.reliable_change(instrument, baseline, latest).direction
    progress = outcomes.trial_progress(instrument, ordered, regimen_changed_on or ordered[0][0])
    return Outcome(
        response=several and outcomes.is_response(instrument, baseline, latest),
        remission=several and outcomes.is_remission(instrument, latest),
        reliable_change=reliable,
        not_improving=progress.not_improving,
        days_on_regimen=progress.days_on_regimen,
    )


def response_mark_entered_in_error(*, actor, access: PatientAccess, response_id: int,
                                   reason: str) -> QuestionnaireResponse:
    """Withdraw a score entered in error (kept with who, when and why); summaries are recomputed."""
    _require(actor, access, Capability.ASSESSMENTS_ADMINISTER)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": "Say why this score was entered in error."})
    with transaction.atomic():
        response = QuestionnaireResponse.objects.select_for_update().get(clinic_id=access.patient.clinic_id,
            pk=response_id, patient=access.patient, status=ResponseStatus.COMPLETED)
        response.status = ResponseStatus.ENTERED_IN_ERROR
        response.entered_in_error_at, response.entered_in_error_by = timezone.now(), actor
        response.entered_in_error_reason = reason[:200]
        response.save(update_fields=["status", "entered_in_error_at", "entered_in_error_by",
                                     "entered_in_error_reason"])
        audit_record(action="assessment.entered_in_error", actor=actor, patient=access.patient, obj=response,
                     detail={"questionnaire": response.questionnaire, "reason": response.entered_in_error_reason})
        summary_refresh(patient=access.patient, questionnaire=response.questionnaire)
    return response


# ---------------------------------------------------------------------------------------
# Links


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _link_new(*, patient: Patient, questionnaire: str, source: str, created_by, expires_at: datetime,
              partial_answers: dict | None = None, replaces: QuestionnaireLink | None = None
              ) -> tuple[QuestionnaireLink, str]:
    token = secrets.token_urlsafe(32)
    link = QuestionnaireLink.objects.create(
        clinic_id=patient.clinic_id, patient=patient, questionnaire=questionnaire, source=source,
        token_hash=token_hash(token), created_by=created_by, expires_at=expires_at,
        partial_answers=partial_answers or {}, replaces=replaces,
    )
    return link, token


def link_url(token: str) -> str:
    """Return the patient's questionnaire link on DOSEWISE_SITE_URL."""
    return site_link(reverse("assessments:public_form", args=[token]))


def _email_consented(patient: Patient) -> bool:
    return may_message(patient, Channel.EMAIL, ConsentPurpose.QUESTIONNAIRES)


def _link_email(link: QuestionnaireLink, token: str) -> bool:
    patient = link.patient
    if not _email_consented(patient):
        return False
    instrument = get_instrument(link.questionnaire)
    body = render_to_string("assessments/email/questionnaire_link.txt", {
        "patient": patient, "clinic": patient.clinic, "instrument": instrument,
        "url": link_url(token), "expires_at": link.expires_at})
    # The subject names the clinic only: a lock screen must not reveal what is asked.
    outbox_enqueue_email(to=patient.email, subject=f"A short questionnaire from {patient.clinic.name}",
                         body=body, purpose="questionnaire.link", clinic=patient.clinic)
    QuestionnaireLink.objects.filter(pk=link.pk).update(emailed_to=patient.email)
    link.emailed_to = patient.email
    return True


def link_create(*, actor, access: PatientAccess, questionnaire: str, send_email: bool = True
                ) -> tuple[QuestionnaireLink, str]:
    """Create a remote questionnaire link and return it with its token (shown once, never stored).

    With `send_email`, and when the patient has an e-mail address and an active e-mail
    consent, the link also goes out through the outbox.
    """
    _require(actor, access, Capability.ASSESSMENTS_ADMINISTER)
    instrument = instrument_for(questionnaire)
    if instrument.rater != "self":
        raise ValidationError(f"{instrument.short_name} is rated by a clinician and cannot be sent to the patient.")
    expires_at = timezone.now() + timedelta(hours=settings.QUESTIONNAIRE_LINK_HOURS)
    with transaction.atomic():
        link, token = _link_new(patient=access.patient, questionnaire=instrument.key, source=ResponseSource.REMOTE,
                                created_by=actor, expires_at=expires_at)
        emailed = send_email and _link_email(link, token)
        audit_record(action="questionnaire_link.create", actor=actor, patient=access.patient, obj=link,
                     detail={"questionnaire": instrument.key, "emailed": emailed})
    return link, token


def link_reissue(*, actor, access: PatientAccess, link_id: int, send_email: bool = True
                 ) -> tuple[QuestionnaireLink, str]:
    """Replace an unused link with a fresh one that opens with the answers already given."""
    _require(actor, access, Capability.ASSESSMENTS_ADMINISTER)
    expires_at = timezone.now() + timedelta(hours=settings.QUESTIONNAIRE_LINK_HOURS)
    with transaction.atomic():
        old = QuestionnaireLink.objects.select_for_update().get(clinic_id=access.patient.clinic_id,
                                                                pk=link_id, patient=access.patient)
        if old.used_at is not None:
            raise ValidationError("That questionnaire was already submitted; send a new one instead.")
        if hasattr(old, "replaced_by"):
            raise ValidationError("That link was already replaced by a fresh one.")
        if old.revoked_at is None:
            old.revoked_at = timezone.now()
            old.save(update_fields=["revoked_at"])
        link, token = _link_new(patient=access.patient, questionnaire=old.questionnaire, source=ResponseSource.REMOTE,
                                created_by=actor, expires_at=expires_at, partial_answers=old.partial_answers,
                                replaces=old)
        emailed = send_email and _link_email(link, token)
        audit_record(action="questionnaire_link.reissue", actor=actor, patient=access.patient, obj=link,
                     detail={"replaces": old.pk, "carried_answers": len(old.partial_answers), "emailed": emailed})
    return link, token


def patient_mode_start(*, actor, access: PatientAccess, questionnaire: str) -> tuple[QuestionnaireLink, str]:
    """Create a short-lived link for the patient to answer on a clinic device."""
    _require(actor, access, Capability.ASSESSMENTS_ADMINISTER)
    instrument = instrument_for(questionnaire)
    if instrument.rater != "self":
        raise ValidationError(f"{instrument.short_name} is rated by a clinician; enter it yourself.")
    expires_at = timezone.now() + timedelta(minutes=settings.PATIENT_MODE_LINK_MINUTES)
    with transaction.atomic():
        link, token = _link_new(patient=access.patient, questionnaire=instrument.key,
                                source=ResponseSource.PATIENT_MODE, created_by=actor, expires_at=expires_at)
        audit_record(action="patient_mode.start", actor=actor, patient=access.patient, obj=link,
                     detail={"questionnaire": instrument.key})
    return link, token


def portal_link_open(*, actor, patient: Patient, questionnaire: str) -> QuestionnaireLink:
    """Return the patient's open remote link for a questionnaire that is due, creating one if needed.

    For the patient's own portal: `actor` is the signed-in patient account, which speaks
    for `patient` only (the portal checks that). A link is opened only for an instrument
    with an active schedule that is due today or earlier, or returned when staff already
    sent one; the token is not needed, the portal reaches the link by its id.
    """
    instrument = instrument_for(questionnaire)
    if instrument.rater != "self":
        raise ValidationError(f"{instrument.short_name} is rated by a clinician; it is answered in clinic.")
    now = timezone.now()
    with transaction.atomic():
        open_link = (QuestionnaireLink.objects.filter(clinic_id=patient.clinic_id,
            patient=patient, questionnaire=instrument.key, source=ResponseSource.REMOTE, used_at__isnull=True,
            revoked_at__isnull=True, expires_at__gt=now).order_by("-created_at", "-pk").first())
        if open_link is not None:
            return open_link
        schedule = (MeasurementSchedule.objects.select_for_update()
                    .filter(clinic_id=patient.clinic_id,
                            patient=patient, questionnaire=instrument.key, active=True).first())
        if schedule is None or schedule.next_due > clinic_today(patient.clinic):
            raise ValidationError(f"{instrument.short_name} is not due now. Your care team will ask when it is.")
        link, _token = _link_new(patient=patient, questionnaire=instrument.key, source=ResponseSource.REMOTE,
                                 created_by=None,
                                 expires_at=now + timedelta(hours=settings.QUESTIONNAIRE_LINK_HOURS))
        MeasurementSchedule.objects.filter(pk=schedule.pk).update(last_sent_at=now)
        audit_record(action="questionnaire_link.create", actor=actor, patient=patient, obj=link,
                     detail={"questionnaire": instrument.key, "emailed": False, "schedule": schedule.pk,
                             "via": "portal"})
    return link


def link_find(token: str) -> QuestionnaireLink:
    """Return the link for `token` if it can take answers, else raise LinkUnusable with the reason."""
    if not token or len(token) > 100:
        raise LinkUnusable("unknown")
    link = (QuestionnaireLink.objects.select_related("patient", "clinic")
            .filter(token_hash=token_hash(token)).first())
    if link is None:
        raise LinkUnusable("unknown")
    if link.state != "open":
        raise LinkUnusable(link.state, link)
    return link


def link_save_partial(*, link: QuestionnaireLink, answers: Sequence[int | None]) -> QuestionnaireLink:
    """Keep the answers given so far on an unused link (also after it expired: see link_reissue)."""
    saved = {str(n): v for n, v in enumerate(answers, start=1) if v is not None}
    with transaction.atomic():
        updated = QuestionnaireLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
            partial_answers=saved, partial_saved_at=timezone.now())
        if updated:
            audit_record(action="questionnaire_link.save_progress", patient=link.patient, obj=link,
                         actor_email="patient via questionnaire link", detail={"answered": len(saved)})
    link.partial_answers = saved
    return link


def link_submit(*, link: QuestionnaireLink, data: Mapping[str, str]) -> Submission:
    """Submit the answers posted on a link's form (see response_submit)."""
    instrument = instrument_for(link.questionnaire)
    answers = answers_parse(instrument, data)
    return response_submit(patient=link.patient, questionnaire=link.questionnaire, answers=answers,
                           source=link.source, link=link)


# ---------------------------------------------------------------------------------------
# Schedules


def schedule_save(*, actor, access: PatientAccess, questionnaire: str, interval_days: int,
                  then_interval_days: int | None = None, switch_on: date | None = None,
                  first_due: date | None = None) -> MeasurementSchedule:
    """Start (or replace) the patient's recurring schedule for one instrument."""
    _require(actor, access, Capability.ASSESSMENTS_ADMINISTER)
    instrument = instrument_for(questionnaire)
    errors = {}
    for name, days in (("interval_days", interval_days), ("then_interval_days", then_interval_days)):
        if days is not None and not 1 <= days <= MAX_INTERVAL_DAYS:
            errors[name] = f"Choose an interval of 1 to {MAX_INTERVAL_DAYS} days."
    if (then_interval_days is None) != (switch_on is None):
        errors["switch_on"] = "Give both the later interval and the date it starts, or neither."
    if errors:
        raise ValidationError(errors)
    today = clinic_today(access.patient.clinic)
    with transaction.atomic():
        MeasurementSchedule.objects.filter(clinic_id=access.patient.clinic_id,
                                           patient=access.patient, questionnaire=instrument.key, active=True).update(
            active=False)
        schedule = MeasurementSchedule.objects.create(
            clinic_id=access.patient.clinic_id, patient=access.patient, questionnaire=instrument.key,
            interval_days=interval_days, then_interval_days=then_interval_days, switch_on=switch_on,
            next_due=first_due or today, created_by=actor)
        audit_record(action="measurement_schedule.save", actor=actor, patient=access.patient, obj=schedule,
                     detail={"questionnaire": instrument.key, "interval_days": interval_days,
                             "then_interval_days": then_interval_days,
                             "switch_on": switch_on.isoformat() if switch_on else None})
    return schedule


def schedule_stop(*, actor, access: PatientAccess, schedule_id: int) -> MeasurementSchedule:
    _require(actor, access, Capability.ASSESSMENTS_ADMINISTER)
    with transaction.atomic():
        schedule = MeasurementSchedule.objects.select_for_update().get(clinic_id=access.patient.clinic_id,
                                                                       pk=schedule_id, patient=access.patient,
                                                                       active=True)
        schedule.active = False
        schedule.save(update_fields=["active"])
        audit_record(action="measurement_schedule.stop", actor=actor, patient=access.patient, obj=schedule,
                     detail={"questionnaire": schedule.questionnaire})
    return schedule


def _schedule_advance(*, patient: Patient, questionnaire: str, completed: datetime) -> None:
    schedule = (MeasurementSchedule.objects.select_for_update()
                .filter(clinic_id=patient.clinic_id,
                        patient=patient, questionnaire=questionnaire, active=True).first())
    if schedule is None:
        return
    day = local_date(patient.clinic, completed)
    schedule.next_due = max(schedule.next_due, day + timedelta(days=schedule.interval_on(day)))
    schedule.save(update_fields=["next_due"])


def schedules_send_due(*, now: datetime | None = None) -> int:
    """E-mail a link for every active schedule that is due and not yet sent this round; return how many."""
    now = now or timezone.now()
    sent = 0
    due = (MeasurementSchedule.objects.filter(active=True, next_due__lte=now.date() + timedelta(days=1))
           .select_related("patient", "clinic").order_by("pk"))
    for schedule in due.iterator(chunk_size=500):
        patient = schedule.patient
        today = local_date(schedule.clinic, now)
        if schedule.next_due > today:
            continue
        # One link per due date: resend only after the previous one was answered or expired.
        if schedule.last_sent_at and local_date(schedule.clinic, schedule.last_sent_at) >= schedule.next_due:
            open_link = QuestionnaireLink.objects.filter(clinic_id=patient.clinic_id,
                patient=patient, questionnaire=schedule.questionnaire, used_at__isnull=True,
                revoked_at__isnull=True, expires_at__gt=now).exists()
            if open_link or local_date(schedule.clinic, schedule.last_sent_at) == today:
                continue
        if not _email_consented(patient):
            continue
        with transaction.atomic():
            claimed = MeasurementSchedule.objects.filter(
                pk=schedule.pk, last_sent_at=schedule.last_sent_at).update(last_sent_at=now)
            if not claimed:
                continue
            link, token = _link_new(patient=patient, questionnaire=schedule.questionnaire,
                                    source=ResponseSource.REMOTE, created_by=None,
                                    expires_at=now + timedelta(hours=settings.QUESTIONNAIRE_LINK_HOURS))
            _link_email(link, token)
            audit_record(action="questionnaire_link.create", actor=None, patient=patient, obj=link,
                         detail={"questionnaire": schedule.questionnaire, "emailed": True,
                                 "schedule": schedule.pk})
        sent += 1
    return sent


# ---------------------------------------------------------------------------------------
# Care tasks


def task_may_act(user, task: CareTask) -> bool:
    """Return whether the user may see and acknowledge the task: care team, or on call once escalated."""
    if not (user.is_authenticated and user.is_active and user.is_clinic_staff) or user.clinic_id != task.clinic_id:
        return False
    if user.role not in CLINICAL_ROLES:
        return False
    if task.escalated_at and task.escalated_to_role == user.role:
        return True
    today = local_date(task.clinic, timezone.now())
    return CareTeamMember.objects.filter(patient_id=task.patient_id, member=user, since__lte=today).filter(
        Q(until__isnull=True) | Q(until__gt=today)).exists()


def care_task_acknowledge(*, actor, task_id: int, note: str) -> CareTask:
    """Acknowledge an urgent task with a note of what was done."""
    note = " ".join(note.split())
    if len(note) < 5:
        raise ValidationError({"note": "Write what you did about it (at least 5 characters), e.g. "
                                       "\"Called patient, safety plan reviewed\"."})
    with transaction.atomic():
        task = (CareTask.objects.select_for_update(of=("self",)).select_related("clinic", "patient")
                .filter(pk=task_id, clinic_id=actor.clinic_id).first())
        if task is None or not task_may_act(actor, task):
            raise PermissionDenied("This task is not for you.")
        if task.acknowledged_at is not None:
            raise ValidationError(f"Already acknowledged by {task.acknowledged_by.full_name}.")
        task.acknowledged_at, task.acknowledged_by, task.acknowledgement_note = timezone.now(), actor, note[:500]
        task.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"])
        if task.kind == TaskKind.URGENT_SIDE_EFFECT:
            # The report behind the task is dealt with too: it leaves the heavy side-effect worklist.
            task.side_effects.filter(acknowledged_at__isnull=True).update(
                acknowledged_at=task.acknowledged_at, acknowledged_by=actor, acknowledgement_note=note[:500])
        audit_record(action="care_task.acknowledge", actor=actor, patient=task.patient, obj=task,
                     detail={"note": task.acknowledgement_note, "escalated": task.escalated_at is not None})
    return task


def care_tasks_escalate(now: datetime | None = None) -> int:
    """Escalate urgent tasks (risk answers, urgent side effects) unacknowledged for RISK_ESCALATION_MINUTES
    to each clinic's on-call role.

    Each task is claimed with a conditional update (escalated_at IS NULL), so two workers
    never escalate the same task twice. Return how many tasks were escalated.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.RISK_ESCALATION_MINUTES)
    waiting = list(
        CareTask.objects.filter(kind__in=ESCALATED_KINDS, acknowledged_at__isnull=True, escalated_at__isnull=True,
                                created_at__lte=cutoff).select_related("clinic", "patient").order_by("created_at")
    )
    escalated = 0
    for task in waiting:
        role = task.clinic.on_call_role
        with transaction.atomic():
            claimed = CareTask.objects.filter(pk=task.pk, acknowledged_at__isnull=True,
                                              escalated_at__isnull=True).update(escalated_at=now,
                                                                                escalated_to_role=role)
            if not claimed:
                continue
            audit_record(action="care_task.escalate", actor=None, patient=task.patient, obj=task,
                         detail={"to_role": role, "minutes": settings.RISK_ESCALATION_MINUTES})
            _notify(users=_on_call_users(task.clinic), clinic=task.clinic, subject="Escalated urgent task in Dosewise",
                    purpose="care_task.escalated", body_template="assessments/email/escalated_task.txt")
        escalated += 1
    return escalated


# ---------------------------------------------------------------------------------------
# Merging a duplicate record (patients.merging runs these around its move of every row)


def merge_clear_derived(keep: Patient, other: Patient) -> None:
    """Drop the duplicate's summaries (rebuilt from the moved scores after) and stop its schedule
    of an instrument the kept record is already scheduled for (one active schedule each)."""
    ScoreSummary.objects.filter(clinic_id=other.clinic_id, patient=other).delete()
    scheduled = MeasurementSchedule.objects.filter(clinic_id=keep.clinic_id,
                                                   patient=keep, active=True).values("questionnaire")
    MeasurementSchedule.objects.filter(clinic_id=other.clinic_id,
                                       patient=other, active=True, questionnaire__in=scheduled).update(active=False)


def merge_rebuild_derived(keep: Patient) -> None:
    """Rebuild the kept record's summaries from all its scores, the duplicate's included."""
    instruments = (QuestionnaireResponse.objects.filter(clinic_id=keep.clinic_id,
                                                        patient=keep, status=ResponseStatus.COMPLETED)
                   .values_list("questionnaire", flat=True).distinct())
    for questionnaire in sorted(set(instruments)):
        summary_refresh(patient=keep, questionnaire=questionnaire)
