"""Writes of secure messaging: threads, messages, attachments, assignment, status, refill requests.

Each is atomic and audited in the same transaction (the patient's own portal account is the
actor for what the patient does). A patient's words are triaged against the danger signs of
their current medicines, as a side-effect report is (`dosewise.clinical.triage`): an
emergency or urgent finding flags the thread urgent and raises an urgent care task for the
team, and the patient sees what to do at once. A staff reply puts a notice in the outbox
that names the clinic only: no health detail leaves in an e-mail.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dosewise.assessments.models import TaskKind
from dosewise.assessments.services import care_task_raise
from dosewise.audit.services import audit_record
from dosewise.clinical.triage import MAX_SYMPTOM_CHARS, URGENCY_RANK, triage
from dosewise.clinics.roles import Capability, Role
from dosewise.lib.site_url import site_link
from dosewise.lib.throttle import AddressThrottle
from dosewise.medications.models import Medication, MedicationStatus
from dosewise.messaging.files import MAX_FILES, CheckedFile, attachments_dir, file_path, file_store
from dosewise.messaging.models import (
    RISK_SIGNS,
    Attachment,
    Message,
    MessagingSettings,
    RefillDecision,
    Thread,
    ThreadKind,
    ThreadStatus,
)
from dosewise.messaging.response import reply_due
from dosewise.messaging.selectors import assignable, messaging_settings
from dosewise.monitoring.selectors import chart_medicines, triage_drugs
from dosewise.notifications.models import Channel, ConsentPurpose
from dosewise.notifications.services import outbox_enqueue_email
from dosewise.patients.models import Patient
from dosewise.patients.selectors import PatientAccess, may_message

MAX_BODY = 4000
MAX_SUBJECT = 120
TASK_URGENCIES = ("emergency", "urgent")
MAX_TARGET_DAYS = 10
PATIENT_SENDS = AddressThrottle("messaging.patient_send", window_seconds=3600)
PATIENT_SENDS_PER_HOUR = 30
ORPHAN_AGE = timedelta(hours=1)


def _text(value: str, *, field: str, limit: int, what: str) -> str:
    value = "\n".join(" ".join(line.split()) for line in (value or "").strip().splitlines()).strip()
    while "\n\n\n" in value:
        value = value.replace("\n\n\n", "\n\n")
    if not value:
        raise ValidationError({field: _("Write %(what)s.") % {"what": what}})
    if len(value) > limit:
        raise ValidationError({field: _("This is %(count)s characters; the limit is %(limit)s. Shorten it, or send "
                                        "the rest in a second message.") % {"count": f"{len(value):,}",
                                                                            "limit": f"{limit:,}"}})
    return value


def _require_patient(actor) -> None:
    if actor.role != Role.PATIENT:
        raise PermissionDenied("Staff write to patients from the inbox or the chart.")
    # A runaway script or a stuck phone must not bury the team's inbox; a person never gets near this.
    if PATIENT_SENDS.exceeded(str(actor.pk), PATIENT_SENDS_PER_HOUR):
        raise ValidationError(_("You have sent %(n)d messages in the last hour, the most we accept. Your words are "
                                "still here; send them later. If you need help now, call 911, or call or text "
                                "988.") % {"n": PATIENT_SENDS_PER_HOUR})
    PATIENT_SENDS.hit(str(actor.pk))


def _require_staff(actor, access: PatientAccess, capability: str = Capability.CLINICAL_VIEW) -> None:
    if not actor.is_clinic_staff or not access.can(capability):
        raise PermissionDenied("Your role may not use the messages of this patient.")


def _files(files: Sequence[CheckedFile]) -> None:
    if len(files) > MAX_FILES:
        raise ValidationError({"files": _("Send at most %(n)d files with one message.") % {"n": MAX_FILES}})


def _chunks(text: str) -> list[str]:
    """Split a long message for the triage (which reads at most MAX_SYMPTOM_CHARS at a time), with
    an overlap so that a phrase cut at a boundary is still read whole."""
    if len(text) <= MAX_SYMPTOM_CHARS:
        return [text]
    step, found = MAX_SYMPTOM_CHARS - 200, []
    for start in range(0, len(text), step):
        found.append(text[start:start + MAX_SYMPTOM_CHARS])
        if start + MAX_SYMPTOM_CHARS >= len(text):
            break
    return found


def message_triage(patient: Patient, text: str):
    """Return the most urgent triage of the text against the patient's current medicines."""
    drugs = triage_drugs(chart_medicines(patient))
    results = [triage(drugs, chunk, clinic_phone=patient.clinic.phone or None) for chunk in _chunks(text)]
    return min(results, key=lambda r: URGENCY_RANK[r.urgency])


def _attach(message: Message, files: Sequence[CheckedFile], now) -> list[Attachment]:
    # The bytes are written before the rows commit; a rollback leaves an unreferenced file,
    # which `attachments_orphans_remove` (a periodic job) deletes.
    return [Attachment.objects.create(
        clinic_id=message.clinic_id, patient_id=message.patient_id, message=message, name=checked.name,
        content_type=checked.content_type, size=len(checked.content), sha256=checked.sha256,
        stored_as=file_store(checked.content), created_at=now) for checked in files]


def attachments_orphans_remove(*, older_than: timedelta = ORPHAN_AGE) -> int:
    """Delete stored files no attachment row names (left by a rolled-back send); return how many."""
    cutoff = time.time() - older_than.total_seconds()
    candidates = [p for p in attachments_dir().iterdir() if p.is_file() and p.stat().st_mtime < cutoff]
    if not candidates:
        return 0
    known = set(Attachment.objects.filter(stored_as__in=[p.name for p in candidates])
                .values_list("stored_as", flat=True))
    removed = 0
    for path in candidates:
        if path.name not in known:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _excerpt(body: str) -> str:
    flat = " ".join(body.split())
    return flat if len(flat) <= 140 else flat[:139].rstrip() + "…"


def _patient_message(*, actor, thread: Thread, body: str, files: Sequence[CheckedFile], now,
                     by_proxy: bool = False) -> Message:
    """Write a patient's message, triage it, and move the thread's response clock."""
    patient = thread.patient
    result = message_triage(patient, body)
    message = Message.objects.create(
        clinic_id=patient.clinic_id, patient=patient, thread=thread, author=actor, from_patient=True, body=body,
        by_proxy=by_proxy, created_at=now, urgency=result.urgency, patient_advice=result.patient_advice,
        clinician_advice=result.clinician_advice,
        triage={"matches": [m.to_dict() for m in result.matches], "sources": list(result.sources),
                "patient_steps": list(result.patient_steps), "symptoms": list(result.symptoms),
                "drugs": list(result.drugs), "kb_version": result.kb_version})
    attachments = _attach(message, files, now)
    target = messaging_settings(patient.clinic).response_target_business_days
    if thread.awaiting_since is None:
        thread.awaiting_since = now
        thread.reply_due_at = reply_due(patient.clinic, now, target)
    thread.status, thread.closed_at = ThreadStatus.OPEN, None
    thread.last_message_at, thread.last_excerpt, thread.staff_unread = now, _excerpt(body), True
    if not thread.urgency or URGENCY_RANK[result.urgency] < URGENCY_RANK[thread.urgency]:
        thread.urgency = result.urgency
    if result.urgency in TASK_URGENCIES:
        thread.urgent = True
        if thread.care_task_id is None or not thread.care_task.is_open:
            risk = [m for m in result.matches if m.sign in RISK_SIGNS]
            first = (risk or list(result.matches))[0]
            kind = TaskKind.URGENT_RISK if risk else TaskKind.URGENT_SIDE_EFFECT
            thread.care_task = care_task_raise(
                patient=patient, kind=kind, now=now, body_template="messaging/email/urgent_message.txt",
                message=f"{result.urgency.capitalize()} secure message from the patient: possible {first.name}. "
                        "Read it in Messages.")
            if thread.assigned_to_id is None:
                # The clinician the urgent task went to owns the conversation too.
                thread.assigned_to = thread.care_task.assigned_user
    thread.save()
    audit_record(action="message.send", actor=actor, patient=patient, obj=message,
                 detail={"thread": thread.pk, "from_patient": True, "by_proxy": by_proxy, "urgency": result.urgency,
                         "signs": [m.sign for m in result.matches], "attachments": [a.pk for a in attachments],
                         "care_task": thread.care_task_id})
    return message


def thread_start_by_patient(*, actor, patient: Patient, subject: str, body: str,
                            files: Sequence[CheckedFile] = (), by_proxy: bool = False) -> Message:
    """Start a conversation with the care team from the portal; return its first message."""
    _require_patient(actor)
    errors = {}
    try:
        subject = _text(subject, field="subject", limit=MAX_SUBJECT, what=_("what your message is about"))
    except ValidationError as exc:
        errors.update(exc.error_dict)
    try:
        body = _text(body, field="body", limit=MAX_BODY, what=_("your message"))
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    _files(files)
    now = timezone.now()
    with transaction.atomic():
        thread = Thread.objects.create(clinic_id=patient.clinic_id, patient=patient, subject=subject,
                                       created_by=actor, created_at=now, last_message_at=now)
        audit_record(action="message.thread.start", actor=actor, patient=patient, obj=thread,
                     detail={"kind": thread.kind, "by": "proxy" if by_proxy else "patient"})
        return _patient_message(actor=actor, thread=thread, body=body, files=files, now=now, by_proxy=by_proxy)


def message_send_by_patient(*, actor, patient: Patient, thread_id: int, body: str,
                            files: Sequence[CheckedFile] = (), by_proxy: bool = False) -> Message:
    """Add the patient's reply to one of their conversations (a closed one opens again)."""
    _require_patient(actor)
    body = _text(body, field="body", limit=MAX_BODY, what=_("your message"))
    _files(files)
    with transaction.atomic():
        thread = (Thread.objects.select_for_update(of=("self",)).select_related("patient__clinic", "care_task")
                  .filter(clinic_id=patient.clinic_id, pk=thread_id, patient=patient).first())
        if thread is None:
            raise ValidationError(_("This conversation is not yours."))
        return _patient_message(actor=actor, thread=thread, body=body, files=files, now=timezone.now(),
                                by_proxy=by_proxy)


def _notify_patient(thread: Thread) -> bool:
    """Tell the patient a message is waiting, naming the clinic only (nothing about their health)."""
    patient = thread.patient
    if not may_message(patient, Channel.EMAIL, ConsentPurpose.CARE_MESSAGES):
        return False
    body = render_to_string("messaging/email/new_message.txt", {
        "clinic": patient.clinic, "link": site_link(reverse("messaging:portal_inbox"))})
    outbox_enqueue_email(to=patient.email, subject=f"New message from {patient.clinic.name}", body=body,
                         purpose="messaging.new_message", clinic=patient.clinic)
    return True


def _staff_message(*, actor, thread: Thread, body: str, files: Sequence[CheckedFile], now,
                   status: str) -> Message:
    message = Message.objects.create(clinic_id=thread.clinic_id, patient_id=thread.patient_id, thread=thread,
                                     author=actor, from_patient=False, body=body, created_at=now)
    attachments = _attach(message, files, now)
    thread.awaiting_since = thread.reply_due_at = None
    thread.last_message_at, thread.last_excerpt, thread.patient_unread = now, _excerpt(body), True
    thread.status = status
    thread.closed_at = now if status == ThreadStatus.CLOSED else None
    if thread.assigned_to_id is None:
        thread.assigned_to = actor
    thread.save()
    notified = _notify_patient(thread)
    audit_record(action="message.send", actor=actor, patient=thread.patient, obj=message,
                 detail={"thread": thread.pk, "from_patient": False, "status": status, "notified": notified,
                         "attachments": [a.pk for a in attachments]})
    return message


REPLY_STATUSES = (ThreadStatus.WAITING, ThreadStatus.OPEN, ThreadStatus.CLOSED)


def message_send_by_staff(*, actor, access: PatientAccess, thread_id: int, body: str,
                          files: Sequence[CheckedFile] = (), status: str = ThreadStatus.WAITING) -> Message:
    """Answer the patient in a conversation; the thread then waits on the patient (or stays open, or closes)."""
    _require_staff(actor, access)
    body = _text(body, field="body", limit=MAX_BODY, what="your reply")
    if status not in REPLY_STATUSES:
        raise ValidationError({"status": "Choose what happens to the conversation after your reply."})
    _files(files)
    with transaction.atomic():
        thread = (Thread.objects.select_for_update(of=("self",)).select_related("patient__clinic")
                  .filter(clinic_id=access.patient.clinic_id, pk=thread_id, patient=access.patient).first())
        if thread is None:
            raise ValidationError("No such conversation for this patient.")
        return _staff_message(actor=actor, thread=thread, body=body, files=files, now=timezone.now(), status=status)


def thread_start_by_staff(*, actor, access: PatientAccess, subject: str, body: str,
                          files: Sequence[CheckedFile] = ()) -> Message:
    """Write to the patient first (a result to discuss, a follow-up); the thread waits on the patient."""
    _require_staff(actor, access)
    errors = {}
    for name, value, limit, what in (("subject", subject, MAX_SUBJECT, "a subject"),
                                     ("body", body, MAX_BODY, "the message")):
        try:
            cleaned = _text(value, field=name, limit=limit, what=what)
        except ValidationError as exc:
            errors.update(exc.error_dict)
        else:
            subject, body = (cleaned, body) if name == "subject" else (subject, cleaned)
    if errors:
        raise ValidationError(errors)
    _files(files)
    now = timezone.now()
    with transaction.atomic():
        thread = Thread.objects.create(clinic_id=access.patient.clinic_id,
                                       patient=access.patient, subject=subject,
                                       created_by=actor, created_at=now, last_message_at=now, assigned_to=actor)
        audit_record(action="message.thread.start", actor=actor, patient=access.patient, obj=thread,
                     detail={"kind": thread.kind, "by": "staff"})
        return _staff_message(actor=actor, thread=thread, body=body, files=files, now=now,
                              status=ThreadStatus.WAITING)


def _locked(access: PatientAccess, thread_id: int) -> Thread:
    thread = (Thread.objects.select_for_update(of=("self",)).select_related("patient__clinic")
              .filter(clinic_id=access.patient.clinic_id, pk=thread_id, patient=access.patient).first())
    if thread is None:
        raise ValidationError("No such conversation for this patient.")
    return thread


def thread_assign(*, actor, access: PatientAccess, thread_id: int, assignee_id: int | None) -> Thread:
    """Give the conversation to a clinician on the patient's care team (or to nobody)."""
    _require_staff(actor, access)
    with transaction.atomic():
        thread = _locked(access, thread_id)
        assignee = None
        if assignee_id is not None:
            assignee = next((u for u in assignable(access) if u.pk == assignee_id), None)
            if assignee is None:
                raise ValidationError({"assignee": "Choose a clinician on this patient's care team."})
        before = thread.assigned_to_id
        thread.assigned_to = assignee
        thread.save(update_fields=["assigned_to"])
        audit_record(action="message.thread.assign", actor=actor, patient=access.patient, obj=thread,
                     detail={"from": before, "to": assignee.pk if assignee else None})
    return thread


def thread_status_set(*, actor, access: PatientAccess, thread_id: int, status: str,
                      clear_urgent: bool = False) -> Thread:
    """Set the conversation open, waiting on the patient or closed; optionally lift its urgent flag."""
    _require_staff(actor, access)
    if status not in ThreadStatus.values:
        raise ValidationError({"status": "Choose Open, Waiting on patient or Closed."})
    with transaction.atomic():
        thread = _locked(access, thread_id)
        before = thread.status
        thread.status = status
        thread.closed_at = timezone.now() if status == ThreadStatus.CLOSED else None
        if status != ThreadStatus.OPEN:
            # Nobody owes a reply to a conversation that waits on the patient or is closed.
            thread.awaiting_since = thread.reply_due_at = None
        lifted = clear_urgent and thread.urgent
        if lifted:
            thread.urgent = False
        thread.save(update_fields=["status", "closed_at", "awaiting_since", "reply_due_at", "urgent"])
        audit_record(action="message.thread.status", actor=actor, patient=access.patient, obj=thread,
                     detail={"from": before, "to": status, "urgent_lifted": lifted})
    return thread


def thread_read_by_staff(*, actor, access: PatientAccess, thread: Thread, message_ids: list[int]) -> None:
    """Record that a staff member read the conversation (the audit event is the read)."""
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk, staff_unread=True).update(staff_unread=False)
        audit_record(action="message.thread.view", actor=actor, patient=access.patient, obj=thread,
                     detail={"messages": message_ids, "via": access.via})


def thread_read_by_patient(*, actor, patient: Patient, thread: Thread, message_ids: list[int]) -> None:
    with transaction.atomic():
        Thread.objects.filter(pk=thread.pk, patient_unread=True).update(patient_unread=False)
        audit_record(action="message.thread.view", actor=actor, patient=patient, obj=thread,
                     detail={"messages": message_ids, "by": "patient"})


def attachment_read(*, actor, patient: Patient, attachment: Attachment) -> bytes:
    """Return the attachment's bytes, checked against their digest, and audit the read."""
    content = file_path(attachment.stored_as).read_bytes()
    if hashlib.sha256(content).hexdigest() != attachment.sha256:
        raise ValidationError(_("This file was changed on the server after it was sent; it is not shown."))
    audit_record(action="message.attachment.view", actor=actor, patient=patient, obj=attachment,
                 detail={"message": attachment.message_id})
    return content


# ---------------------------------------------------------------------------------------
# Refills


def refill_request(*, actor, patient: Patient, medication_id: int, days_left: int | None = None,
                   note: str = "", by_proxy: bool = False) -> Message:
    """Ask for a refill of a current medicine; the request goes to the medicine's prescriber."""
    _require_patient(actor)
    errors = {}
    medicine = Medication.objects.filter(clinic_id=patient.clinic_id,
                                         pk=medication_id, patient=patient, status=MedicationStatus.ACTIVE).first()
    if medicine is None:
        errors["medication"] = _("Choose a medicine from your current list.")
    if days_left is not None and not 0 <= days_left <= 365:
        errors["days_left"] = _("Enter how many days of medicine you have left, from 0 to 365.")
    note = " ".join((note or "").split())
    if len(note) > 1000:
        errors["note"] = _("Keep the note under 1,000 characters.")
    if errors:
        raise ValidationError(errors)
    if Thread.objects.filter(clinic_id=patient.clinic_id,
                             patient=patient, kind=ThreadKind.REFILL, medication=medicine,
                             refill_decision=RefillDecision.PENDING).exclude(status=ThreadStatus.CLOSED).exists():
        raise ValidationError({"medication": _("You already asked for a refill of %(drug)s. Your care team will "
                                               "answer it in Messages.") % {"drug": medicine.ingredient}})
    left = ("I have no medicine left." if days_left == 0 else
            f"I have about {days_left} day{'s' if days_left != 1 else ''} of medicine left." if days_left else "")
    body = " ".join(part for part in (f"Please refill {medicine.ingredient} ({medicine.dose_display}).", left, note)
                    if part)
    now = timezone.now()
    with transaction.atomic():
        prescriber = medicine.prescriber if medicine.prescriber_id and medicine.prescriber.is_active else None
        thread = Thread.objects.create(clinic_id=patient.clinic_id, patient=patient, kind=ThreadKind.REFILL,
                                       subject=f"Refill: {medicine.ingredient}"[:MAX_SUBJECT], medication=medicine,
                                       created_by=actor, created_at=now, last_message_at=now,
                                       assigned_to=prescriber)
        audit_record(action="message.thread.start", actor=actor, patient=patient, obj=thread,
                     detail={"kind": ThreadKind.REFILL, "by": "proxy" if by_proxy else "patient",
                             "medication": medicine.pk,
                             "days_left": days_left, "assigned_to": prescriber.pk if prescriber else None})
        return _patient_message(actor=actor, thread=thread, body=body, files=(), now=now, by_proxy=by_proxy)


def refill_decide(*, actor, access: PatientAccess, thread_id: int, decision: str, note: str) -> Message:
    """Approve or decline a refill request, telling the patient in the thread; the thread closes."""
    _require_staff(actor, access, Capability.MEDICATIONS_PRESCRIBE)
    if decision not in (RefillDecision.APPROVED, RefillDecision.DECLINED):
        raise ValidationError({"decision": "Choose Approve or Decline."})
    note = " ".join((note or "").split())
    if decision == RefillDecision.DECLINED and len(note) < 5:
        raise ValidationError({"note": "Tell the patient why, and what to do next (at least 5 characters)."})
    with transaction.atomic():
        thread = _locked(access, thread_id)
        if thread.kind != ThreadKind.REFILL:
            raise ValidationError("This conversation is not a refill request.")
        if thread.refill_decision:
            raise ValidationError(f"This refill was already {thread.get_refill_decision_display().lower()}.")
        medicine = thread.medication
        said = (f"Your refill of {medicine.ingredient} is approved." if decision == RefillDecision.APPROVED
                else f"We cannot refill {medicine.ingredient} yet.")
        body = f"{said} {note}".strip()
        thread.refill_decision, thread.refill_decided_by, thread.refill_decided_at = decision, actor, timezone.now()
        thread.save(update_fields=["refill_decision", "refill_decided_by", "refill_decided_at"])
        audit_record(action="refill.decide", actor=actor, patient=access.patient, obj=thread,
                     detail={"decision": decision, "medication": medicine.pk})
        return _staff_message(actor=actor, thread=thread, body=body, files=(), now=timezone.now(),
                              status=ThreadStatus.CLOSED)


# ---------------------------------------------------------------------------------------
# Settings


def messaging_settings_update(*, actor, response_target_business_days: int) -> MessagingSettings:
    """Set the clinic's response-time target (clinic admins); threads waiting now keep their due time."""
    if not actor.can(Capability.STAFF_MANAGE):
        raise PermissionDenied("Only a clinic admin sets the response-time target.")
    if not 1 <= response_target_business_days <= MAX_TARGET_DAYS:
        raise ValidationError({"response_target_business_days":
                               f"Choose from 1 to {MAX_TARGET_DAYS} business days."})
    with transaction.atomic():
        found, _created = MessagingSettings.objects.select_for_update().get_or_create(clinic_id=actor.clinic_id)
        before = found.response_target_business_days
        found.response_target_business_days, found.updated_by = response_target_business_days, actor
        found.save()
        audit_record(action="messaging.settings.update", actor=actor, clinic=actor.clinic, obj=found,
                     detail={"from": before, "to": response_target_business_days})
    return found
