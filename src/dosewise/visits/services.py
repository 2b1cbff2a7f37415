"""Writes of the visits app: each atomic, permission-checked and audited in the same transaction.

A note is started (pre-filled from the record), saved as a draft as often as its author types
(autosave), then signed: from then on the row is locked by a database trigger, and what comes
later is an addendum or a co-signature, both append-only. The content hash written to the
audit trail at signing lets anyone check later that the note is the one that was signed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from dosewise.accounts.models import User
from dosewise.audit.services import audit_record
from dosewise.clinical.errors import ClinicalInputError
from dosewise.clinical.kb import load_kb
from dosewise.clinical.names import resolve_drug
from dosewise.clinics.clock import clinic_today
from dosewise.clinics.roles import Role
from dosewise.lib.identifiers import format_fax, mask_fax, nanp_fax_validate
from dosewise.lib.pdf import PDF_MIMETYPE
from dosewise.patients.models import CareTeamMember
from dosewise.patients.selectors import PatientAccess
from dosewise.visits import policy
from dosewise.visits.models import (
    LetterChannel,
    LetterDispatch,
    NoteAddendum,
    NoteCosignature,
    NoteKind,
    NoteStatus,
    NoteTemplate,
    TreatmentTrial,
    TrialAdherence,
    TrialResponse,
    TrialSource,
    VisitNote,
)
from dosewise.visits.note_types import SHIPPED_TEMPLATES
from dosewise.visits.prefill import DEFAULT_INTERVAL_DAYS, interval_summary, section_prefill

MAX_SECTION_CHARS = 20000
MAX_ADDENDUM_CHARS = 10000
MAX_FOLLOW_UP_WEEKS = 52
INTERVAL_KINDS = (NoteKind.FOLLOW_UP, NoteKind.BRIEF_CHECK)
TEMPLATE_ORDER = (NoteKind.FOLLOW_UP, NoteKind.INITIAL_EVALUATION, NoteKind.BRIEF_CHECK, NoteKind.TELEPHONE,
                  NoteKind.LETTER)
CONFLICT_MESSAGE = ("This note was saved from another window or device after you opened it. Your text was not "
                    "saved: copy it, reload the note and add it again.")


class NoteConflict(ValidationError):
    """The draft changed since the editor loaded it (another tab or device)."""


def note_triggers_sql(vendor: str) -> tuple[list[str], list[str]]:
    """Return (create, drop) statements that lock signed notes and keep addenda, co-signatures and
    letter dispatches append-only, in the database itself."""
    note = VisitNote._meta.db_table
    append_only = [NoteAddendum._meta.db_table, NoteCosignature._meta.db_table, LetterDispatch._meta.db_table]
    if vendor == "sqlite":
        create = [
            f"CREATE TRIGGER visit_note_signed_locked BEFORE UPDATE ON {note} WHEN OLD.signed_at IS NOT NULL "
            f"BEGIN SELECT RAISE(ABORT, 'a signed note cannot be changed; add an addendum'); END;",
            f"CREATE TRIGGER visit_note_no_delete BEFORE DELETE ON {note} "
            f"BEGIN SELECT RAISE(ABORT, 'notes are never deleted'); END;",
        ]
        drop = ["DROP TRIGGER IF EXISTS visit_note_signed_locked;", "DROP TRIGGER IF EXISTS visit_note_no_delete;"]
        for table in append_only:
            for op in ("update", "delete"):
                create.append(f"CREATE TRIGGER {table}_no_{op} BEFORE {op.upper()} ON {table} "
                              f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;")
                drop.append(f"DROP TRIGGER IF EXISTS {table}_no_{op};")
        return create, drop
    if vendor == "postgresql":
        create = [
            "CREATE OR REPLACE FUNCTION visit_note_locked() RETURNS trigger AS $$ BEGIN "
            "IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'notes are never deleted'; END IF; "
            "IF OLD.signed_at IS NOT NULL THEN RAISE EXCEPTION 'a signed note cannot be changed; add an addendum'; "
            "END IF; RETURN NEW; END; $$ LANGUAGE plpgsql;",
            f"CREATE TRIGGER visit_note_locked BEFORE UPDATE OR DELETE ON {note} "
            f"FOR EACH ROW EXECUTE FUNCTION visit_note_locked();",
            "CREATE OR REPLACE FUNCTION visits_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION USING MESSAGE = TG_TABLE_NAME || ' is append-only'; END; $$ LANGUAGE plpgsql;",
        ]
        drop = [f"DROP TRIGGER IF EXISTS visit_note_locked ON {note};", "DROP FUNCTION IF EXISTS visit_note_locked();"]
        for table in append_only:
            create.append(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                          f"FOR EACH ROW EXECUTE FUNCTION visits_append_only();")
            drop.append(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
        drop.append("DROP FUNCTION IF EXISTS visits_append_only();")
        return create, drop
    return [], []


def _digest(payload) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
                          .encode("utf-8")).hexdigest()


def note_content_hash(note: VisitNote) -> str:
    """Return the SHA-256 of what a signature covers: who, when, and every word of the note."""
    return _digest({
        "note": note.pk, "patient": note.patient_id, "clinic": note.clinic_id, "kind": note.kind,
        "title": note.title, "visit_date": note.visit_date.isoformat(), "sections": note.sections,
        "reviewed": sorted(note.reviewed), "interval": note.interval, "sensitive": note.sensitive,
        "supervisor": note.supervisor_id, "follow_up_weeks": note.follow_up_weeks, "recipient": note.recipient_id,
        "signed_by": note.signed_by_id, "signed_at": note.signed_at.isoformat() if note.signed_at else None,
    })


def _require_writer(actor, access: PatientAccess) -> None:
    if not policy.can_write_notes(actor, access):
        raise PermissionDenied("Notes are written by the patient's clinicians.")


def _draft_of(actor, access: PatientAccess, note_id: int) -> VisitNote:
    _require_writer(actor, access)
    note = VisitNote.objects.select_for_update(of=("self",)).select_related("template").get(clinic_id=access.patient.clinic_id, pk=note_id, patient=access.patient)
    if note.author_id != actor.pk:
        raise PermissionDenied("Only the author edits a draft note.")
    if note.status != NoteStatus.DRAFT:
        raise ValidationError("This note is no longer a draft: a signed note is changed by an addendum.")
    return note


def _interval_since(patient, today: date) -> date:
    last = (VisitNote.objects.filter(clinic_id=patient.clinic_id,
                                     patient=patient, status=NoteStatus.SIGNED, visit_date__lt=today)
            .exclude(kind=NoteKind.LETTER).order_by("-visit_date").values_list("visit_date", flat=True).first())
    return last or today - timedelta(days=DEFAULT_INTERVAL_DAYS)


def shipped_templates_ensure() -> None:
    """Create the shipped templates that are missing (a database emptied by a test or a restore)."""
    have = set(NoteTemplate.objects.filter(clinic__isnull=True).values_list("key", flat=True))
    for spec in SHIPPED_TEMPLATES:
        if spec["key"] not in have:
            NoteTemplate.objects.get_or_create(clinic=None, key=spec["key"], defaults={
                "name": spec["name"], "kind": spec["kind"], "description": spec["description"],
                "sections": spec["sections"]})


def templates_available(clinic) -> list[NoteTemplate]:
    """Return the shipped templates and the clinic's own, active ones, shipped first."""
    query = NoteTemplate.objects.filter(Q(clinic__isnull=True) | Q(clinic=clinic))
    found = list(query)
    if sum(1 for t in found if t.clinic_id is None) < len(SHIPPED_TEMPLATES):
        shipped_templates_ensure()
        found = list(query.all())
    # The most frequent note first: a follow-up, then an evaluation, then the others.
    order = {kind: n for n, kind in enumerate(TEMPLATE_ORDER)}
    return sorted((t for t in found if t.active), key=lambda t: (order.get(t.kind, 99), t.clinic_id is not None,
                                                                 t.name))


def _template(clinic, template_id) -> NoteTemplate:
    for template in templates_available(clinic):
        if str(template.pk) == str(template_id):
            return template
    raise ValidationError({"template": "Choose one of the note templates listed."})


def _recipient(access: PatientAccess, recipient_id) -> CareTeamMember:
    today = clinic_today(access.patient.clinic)
    member = (CareTeamMember.objects.filter(clinic_id=access.patient.clinic_id,
                                            pk=recipient_id, patient=access.patient, since__lte=today)
              .select_related("member").first()) if recipient_id else None
    if member is None or (member.until is not None and member.until <= today):
        raise ValidationError({"recipient": "Choose the letter's addressee from the patient's current care team."})
    return member


def note_start(*, actor, access: PatientAccess, template_id, visit_date: date | None = None,
               recipient_id: int | None = None, appointment=None) -> VisitNote:
    """Start a draft note from a template, pre-filled from the record.

    A follow-up or brief check carries the interval since the last signed visit note (scores,
    medicine changes and today's orders with their safety findings and overrides, side
    effects, adherence, monitoring done and due, plan steps); sections marked for it start with
    the chart's facts. `appointment` is the visit being documented, when the clinic schedules.
    """
    _require_writer(actor, access)
    patient = access.patient
    today = clinic_today(patient.clinic)
    template = _template(patient.clinic, template_id)
    visit_date = visit_date or today
    if visit_date > today:
        raise ValidationError({"visit_date": "A note documents a visit that has happened: the date cannot be in "
                                             "the future."})
    recipient = _recipient(access, recipient_id) if template.kind == NoteKind.LETTER else None
    interval, since = {}, None
    if template.kind in INTERVAL_KINDS:
        since = _interval_since(patient, visit_date)
        interval = interval_summary(patient, since=since, today=today)
    wanted = {s["prefill"] for s in template.sections if s.get("prefill")}
    filled = section_prefill(patient, today) if wanted else {}
    sections = {s["key"]: filled.get(s["prefill"], "") for s in template.sections if s.get("prefill")}
    title = template.name
    if recipient is not None:
        title = f"{template.name} to {recipient.member.display_name} ({recipient.get_team_role_display()})"
    with transaction.atomic():
        note = VisitNote.objects.create(
            clinic=patient.clinic, patient=patient, template=template, kind=template.kind, title=title[:200],
            visit_date=visit_date, sections=sections, interval=interval, interval_since=since, author=actor,
            recipient=recipient, appointment_ref=getattr(appointment, "pk", appointment))
        audit_record(action="visit_note.create", actor=actor, patient=patient, obj=note,
                     detail={"kind": note.kind, "template": template.key, "prefilled": sorted(sections)})
    return note


def note_for_appointment(*, actor, access: PatientAccess, appointment_id: int, template_key: str,
                         visit_date: date) -> tuple[VisitNote, bool]:
    """Return the note that documents the appointment (the actor's draft or a signed one), or start one.

    Returns (note, created). A discarded draft does not count: starting again opens a new one.
    """
    from dosewise.visits.selectors import appointment_note

    _require_writer(actor, access)
    existing = appointment_note(actor, access, appointment_id)
    if existing is not None:
        return existing, False
    template = next((t for t in templates_available(access.patient.clinic) if t.key == template_key), None)
    if template is None:
        raise ValidationError({"template": f"The note template {template_key!r} is not available in this clinic."})
    return note_start(actor=actor, access=access, template_id=template.pk, visit_date=visit_date,
                      appointment=appointment_id), True


@dataclass(frozen=True)
class DraftChanges:
    sections: dict
    reviewed: list
    sensitive: bool
    supervisor_id: int | None
    follow_up_weeks: int | None
    editor: str = ""  # the editing page's token; see VisitNote.editor_token


def _stale(note: VisitNote, expected_version: int, editor: str) -> bool:
    """Return whether the draft changed under this editor: saved since by another page (a second
    tab or device). The same page's autosave overtaking its own Sign button is not a conflict."""
    return note.version != expected_version and not (editor and editor == note.editor_token)


def _supervisor(actor, supervisor_id) -> User | None:
    if not supervisor_id:
        return None
    supervisor = User.objects.filter(pk=supervisor_id, clinic_id=actor.clinic_id, is_active=True,
                                     role=Role.PRESCRIBER).first()
    if supervisor is None or supervisor.pk == actor.pk:
        raise ValidationError({"supervisor": "Choose a prescriber of this clinic other than yourself to co-sign."})
    return supervisor


def note_save(*, actor, access: PatientAccess, note_id: int, expected_version: int, changes: DraftChanges
              ) -> VisitNote:
    """Save the draft as its author typed it (the autosave and the Save button both call this)."""
    with transaction.atomic():
        note = _draft_of(actor, access, note_id)
        if _stale(note, expected_version, changes.editor):
            raise NoteConflict(CONFLICT_MESSAGE)
        keys = {s["key"] for s in note.template.sections}
        errors = {}
        for key, text in changes.sections.items():
            if key in keys and len(text) > MAX_SECTION_CHARS:
                errors[f"section_{key}"] = f"This section is {len(text)} characters; the most is {MAX_SECTION_CHARS}."
        if changes.follow_up_weeks is not None and not 0 < changes.follow_up_weeks <= MAX_FOLLOW_UP_WEEKS:
            errors["follow_up_weeks"] = f"Enter a follow-up interval of 1 to {MAX_FOLLOW_UP_WEEKS} weeks, or leave it empty."
        if note.kind == NoteKind.LETTER and changes.sensitive:
            errors["sensitive"] = "A letter leaves the clinic, so it cannot be a sensitive note."
        if errors:
            raise ValidationError(errors)
        supervisor = _supervisor(actor, changes.supervisor_id)
        note.sections = {key: changes.sections.get(key, note.sections.get(key, "")) for key in keys}
        note.reviewed = sorted(set(changes.reviewed) & keys)
        note.sensitive = changes.sensitive
        note.supervisor = supervisor
        note.follow_up_weeks = changes.follow_up_weeks
        note.editor_token = changes.editor[:32]
        note.version += 1
        note.save()
        audit_record(action="visit_note.update", actor=actor, patient=access.patient, obj=note,
                     detail={"version": note.version})
    return note


def note_refresh_interval(*, actor, access: PatientAccess, note_id: int) -> VisitNote:
    """Read the interval again (after an order made during the visit); the author's text is kept."""
    with transaction.atomic():
        note = _draft_of(actor, access, note_id)
        if note.kind not in INTERVAL_KINDS:
            raise ValidationError("Only follow-up notes carry an interval summary.")
        note.interval = interval_summary(access.patient, since=note.interval_since,
                                         today=clinic_today(access.patient.clinic))
        note.version += 1
        note.save()
        audit_record(action="visit_note.update", actor=actor, patient=access.patient, obj=note,
                     detail={"version": note.version, "interval": "refreshed"})
    return note


def note_sign(*, actor, access: PatientAccess, note_id: int, expected_version: int, editor: str = "") -> VisitNote:
    """Sign the draft: who and when are stamped, the note is locked, and its hash goes to the audit trail."""
    with transaction.atomic():
        note = _draft_of(actor, access, note_id)
        if _stale(note, expected_version, editor):
            raise NoteConflict(CONFLICT_MESSAGE)
        missing = [s["label"] for s in note.template.sections if s.get("review") and s["key"] not in note.reviewed]
        if missing:
            raise ValidationError("Mark every section reviewed before signing; not yet reviewed: "
                                  + "; ".join(missing) + ".")
        if not any(text.strip() for text in note.sections.values()):
            raise ValidationError("The note is empty: write at least one section before signing.")
        note.status = NoteStatus.SIGNED
        note.signed_at = timezone.now()
        note.signed_by = actor
        note.content_hash = note_content_hash(note)
        note.save()
        audit_record(action="visit_note.sign", actor=actor, patient=access.patient, obj=note,
                     detail={"content_hash": note.content_hash, "kind": note.kind, "sensitive": note.sensitive,
                             "cosign_requested_from": note.supervisor_id})
    return note


def note_discard(*, actor, access: PatientAccess, note_id: int) -> VisitNote:
    """Set a draft aside (it stays on record as a discarded draft, never deleted)."""
    with transaction.atomic():
        note = _draft_of(actor, access, note_id)
        note.status = NoteStatus.DISCARDED
        note.discarded_at = timezone.now()
        note.save()
        audit_record(action="visit_note.discard", actor=actor, patient=access.patient, obj=note)
    return note


def _signed_readable(actor, access: PatientAccess, note_id: int) -> VisitNote:
    _require_writer(actor, access)
    note = VisitNote.objects.get(clinic_id=access.patient.clinic_id, pk=note_id, patient=access.patient)
    if not policy.can_read_content(actor, access, note):
        raise PermissionDenied("This note is restricted to the clinicians who need it.")
    if note.status != NoteStatus.SIGNED:
        raise ValidationError("Only a signed note takes an addendum or a co-signature; edit the draft instead.")
    return note


def addendum_add(*, actor, access: PatientAccess, note_id: int, text: str) -> NoteAddendum:
    """Append an addendum to a signed note; the note itself is unchanged."""
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the addendum before saving it."})
    if len(text) > MAX_ADDENDUM_CHARS:
        raise ValidationError({"text": f"The addendum is {len(text)} characters; the most is {MAX_ADDENDUM_CHARS}."})
    with transaction.atomic():
        note = _signed_readable(actor, access, note_id)
        addendum = NoteAddendum.objects.create(
            clinic=note.clinic, patient=note.patient, note=note, text=text, author=actor,
            content_hash=_digest({"note_hash": note.content_hash, "text": text, "author": actor.pk}))
        audit_record(action="visit_note.addendum", actor=actor, patient=access.patient, obj=addendum,
                     detail={"note": note.pk, "content_hash": addendum.content_hash})
    return addendum


def note_cosign(*, actor, access: PatientAccess, note_id: int, comment: str = "") -> NoteCosignature:
    """Co-sign a signed note as the supervising prescriber its author named."""
    with transaction.atomic():
        note = _signed_readable(actor, access, note_id)
        if actor.role not in policy.COSIGNERS or note.supervisor_id != actor.pk:
            raise PermissionDenied("Only the supervising prescriber named on the note co-signs it.")
        if NoteCosignature.objects.filter(note=note).exists():
            raise ValidationError("This note is already co-signed.")
        cosignature = NoteCosignature.objects.create(clinic=note.clinic, patient=note.patient, note=note,
                                                     cosigner=actor, comment=comment.strip()[:500],
                                                     content_hash=note.content_hash)
        audit_record(action="visit_note.cosign", actor=actor, patient=access.patient, obj=note,
                     detail={"content_hash": note.content_hash})
    return cosignature


def note_template_create(*, actor, name: str, kind: str, section_labels: list[str], description: str = ""
                         ) -> NoteTemplate:
    """Add a clinic's own note template: a name, the kind of note, and its sections in order."""
    if actor.role not in policy.TEMPLATE_EDITORS:
        raise PermissionDenied("Prescribers and clinic admins add note templates.")
    name = " ".join(name.split())
    labels = [" ".join(label.split()) for label in section_labels if label.strip()]
    errors = {}
    if not name:
        errors["name"] = "Name the template."
    if kind not in NoteKind.values:
        errors["kind"] = "Choose the kind of note."
    if not labels:
        errors["sections"] = "List at least one section, one per line."
    elif len(labels) > 30 or any(len(label) > 120 for label in labels):
        errors["sections"] = "At most 30 sections, each at most 120 characters."
    key = slugify(name)[:60]
    if not errors and NoteTemplate.objects.filter(clinic_id=actor.clinic_id, key=key).exists():
        errors["name"] = "This clinic already has a template of that name."
    if errors:
        raise ValidationError(errors)
    sections, used = [], set()
    for label in labels:
        section_key = slugify(label)[:40] or "section"
        while section_key in used:
            section_key += "-2"
        used.add(section_key)
        sections.append({"key": section_key, "label": label, "help": "", "prefill": "", "review": False})
    with transaction.atomic():
        template = NoteTemplate.objects.create(clinic_id=actor.clinic_id, key=key, name=name, kind=kind,
                                               description=description.strip()[:300], sections=sections,
                                               created_by=actor)
        audit_record(action="note_template.create", actor=actor, obj=template, detail={"kind": kind})
    return template


# ---------------------------------------------------------------------------------------
# Letters


def letter_send(*, actor, access: PatientAccess, note_id: int, channel: str, fax_number: str = "",
                pdf: bytes) -> LetterDispatch:
    """Send a signed letter to its addressee by fax (e-mail-to-fax gateway) or secure e-mail, through
    the outbox, and record it. `pdf` is the letter as rendered for the patient's chart."""
    from dosewise.notifications.services import outbox_enqueue_email

    if not access.can("clinical.edit"):
        raise PermissionDenied("Letters are sent by the patient's prescribers and nurses.")
    with transaction.atomic():
        note = _signed_readable(actor, access, note_id)
        if note.kind != NoteKind.LETTER or note.recipient_id is None:
            raise ValidationError("Only a signed letter with an addressee is sent.")
        if note.sensitive:
            raise ValidationError("A sensitive note is never sent out of the clinic.")
        clinic = note.clinic
        recipient = note.recipient.member
        if channel == LetterChannel.FAX:
            gateway = getattr(settings, "DOSEWISE_FAX_EMAIL_GATEWAY", "")
            if not gateway:
                raise ValidationError({"channel": "Faxing is not configured for this installation (an administrator "
                                                  "sets DOSEWISE_FAX_EMAIL_GATEWAY). Send it by secure e-mail or "
                                                  "print it."})
            try:
                number = nanp_fax_validate(fax_number)
            except ValueError as exc:
                raise ValidationError({"fax_number": str(exc)}) from None
            to, destination = gateway.format(number=number), f"fax {mask_fax(number)}"
            purpose, shown = "letter.fax", f"fax {format_fax(number)}"
        elif channel == LetterChannel.EMAIL:
            if not recipient.email:
                raise ValidationError({"channel": "The addressee has no e-mail address on file; fax the letter."})
            to, destination, purpose, shown = recipient.email, f"e-mail to {recipient.display_name}", "letter.email", \
                recipient.email
        else:
            raise ValidationError({"channel": "Choose fax or secure e-mail."})
        # Subject and body are the cover page: the patient is named only in the attached letter.
        message = outbox_enqueue_email(
            to=to, clinic=clinic, purpose=purpose, subject=f"Letter from {clinic.name}",
            body=(f"A letter from {note.signed_by.display_name} at {clinic.name} to {recipient.display_name} is "
                  "attached. If you received it in error, tell the clinic and destroy it.\n"),
            attachment=(f"letter-{note.pk}.pdf", pdf, PDF_MIMETYPE))
        dispatch = LetterDispatch.objects.create(clinic=clinic, patient=note.patient, note=note, channel=channel,
                                                 destination=destination, outbound_message=message,
                                                 created_by=actor)
        audit_record(action="visit_letter.send", actor=actor, patient=access.patient, obj=dispatch,
                     detail={"note": note.pk, "channel": channel, "destination": destination,
                             "content_hash": note.content_hash})
    dispatch.shown_destination = shown
    return dispatch


# ---------------------------------------------------------------------------------------
# Treatment history


@dataclass(frozen=True)
class TrialInput:
    drug: str
    max_dose_mg_per_day: str | Decimal | None = None
    weeks: int | None = None
    weeks_at_max_dose: int | None = None
    adherence: str = TrialAdherence.UNKNOWN
    response: str = TrialResponse.UNKNOWN
    side_effects: str = ""
    stop_reason: str = ""
    current_episode: bool = True
    started_on: date | None = None
    source: str = TrialSource.INTERVIEW
    medication_id: int | None = None


def _dose_value(raw) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValidationError({"max_dose_mg_per_day": "Enter the highest daily dose as a number of mg, e.g. 150."}) \
            from None
    if not value.is_finite() or value <= 0 or value > 100000:
        raise ValidationError({"max_dose_mg_per_day": "Enter a daily dose above 0 mg."})
    return value


def trial_record(*, actor, access: PatientAccess, trial: TrialInput) -> TreatmentTrial:
    """Add one medication trial to the patient's treatment history."""
    if not policy.can_edit_history(actor, access):
        raise PermissionDenied("Treatment history is entered by the patient's prescribers and nurses.")
    errors = {}
    text = " ".join(trial.drug.split())
    if not text:
        errors["drug"] = "Name the medicine."
    try:
        drug, in_formulary = resolve_drug(text, load_kb()), True
    except ClinicalInputError:
        drug, in_formulary = text.lower(), False
    dose = _dose_value(trial.max_dose_mg_per_day)
    for name, value in (("weeks", trial.weeks), ("weeks_at_max_dose", trial.weeks_at_max_dose)):
        if value is not None and not 0 <= value <= 52 * 40:
            errors[name] = "Enter the number of weeks, 0 or more."
    if trial.weeks is not None and trial.weeks_at_max_dose is not None and trial.weeks_at_max_dose > trial.weeks:
        errors["weeks_at_max_dose"] = "Weeks at the highest dose cannot be more than the weeks taken in all."
    if trial.adherence not in TrialAdherence.values:
        errors["adherence"] = "Choose how the medicine was taken."
    if trial.response not in TrialResponse.values:
        errors["response"] = "Choose the response."
    if trial.started_on and trial.started_on > clinic_today(access.patient.clinic):
        errors["started_on"] = "The start date cannot be in the future."
    if errors:
        raise ValidationError(errors)
    medication = None
    if trial.medication_id:
        from dosewise.medications.models import Medication

        medication = Medication.objects.filter(clinic_id=access.patient.clinic_id,
                                               pk=trial.medication_id, patient=access.patient).first()
    with transaction.atomic():
        row = TreatmentTrial.objects.create(
            clinic=access.patient.clinic, patient=access.patient, drug=drug[:120], in_formulary=in_formulary,
            max_dose_mg_per_day=dose, weeks=trial.weeks, weeks_at_max_dose=trial.weeks_at_max_dose,
            adherence=trial.adherence, response=trial.response, side_effects=trial.side_effects.strip()[:300],
            stop_reason=trial.stop_reason.strip()[:300], current_episode=trial.current_episode,
            started_on=trial.started_on, source=trial.source if medication else TrialSource.INTERVIEW,
            medication=medication, recorded_by=actor)
        audit_record(action="treatment_trial.create", actor=actor, patient=access.patient, obj=row,
                     detail={"drug": row.drug, "source": row.source})
    return row


def trial_mark_entered_in_error(*, actor, access: PatientAccess, trial_id: int, reason: str) -> TreatmentTrial:
    """Withdraw a trial entered wrongly; it stays on record, struck through, with the reason."""
    if not policy.can_edit_history(actor, access):
        raise PermissionDenied("Treatment history is corrected by the patient's prescribers and nurses.")
    reason = " ".join(reason.split())
    if len(reason) < 5:
        raise ValidationError({"reason": "Say why this trial is wrong (a few words)."})
    with transaction.atomic():
        row = TreatmentTrial.objects.select_for_update().get(clinic_id=access.patient.clinic_id,
                                                             pk=trial_id, patient=access.patient,
                                                             entered_in_error_at__isnull=True)
        row.entered_in_error_at = timezone.now()
        row.entered_in_error_by = actor
        row.entered_in_error_reason = reason[:200]
        row.save()
        audit_record(action="treatment_trial.entered_in_error", actor=actor, patient=access.patient, obj=row,
                     detail={"reason": row.entered_in_error_reason})
    return row


# ---------------------------------------------------------------------------------------
# Shared decisions

MAX_CANDIDATES = 4


def decision_candidates(raw: list[str]) -> list[str]:
    """Return the candidates as formulary names, in order, or raise ValidationError naming the bad one."""
    kb = load_kb()
    names: list[str] = []
    for text in raw:
        text = " ".join(str(text).split())
        if not text:
            continue
        try:
            name = resolve_drug(text, kb)
        except ClinicalInputError:
            raise ValidationError({"candidate": f"“{text[:60]}” is not in the formulary; check the spelling or "
                                                "use the generic name."}) from None
        if name not in names:
            names.append(name)
    if not 2 <= len(names) <= MAX_CANDIDATES:
        raise ValidationError({"candidate": f"Compare 2 to {MAX_CANDIDATES} different medicines."})
    return names


def decision_record(*, actor, access: PatientAccess, candidates: list[str], priorities: list[str], concerns: str,
                    chosen: str):
    """Record the choice made with the patient, what they said matters and their concerns; linked to
    the current order of the chosen medicine when it is already written."""
    from dosewise.clinical.decision_aid import PRIORITIES
    from dosewise.medications.models import Medication, MedicationStatus
    from dosewise.visits.models import SharedDecision

    if not access.can("medications.prescribe"):
        raise PermissionDenied("Shared decisions about medicines are recorded by the patient's prescribers.")
    names = decision_candidates(candidates)
    errors = {}
    chosen_name = "none" if chosen == "none" else next((n for n in names if n == chosen), "")
    if not chosen_name:
        errors["chosen"] = "Choose one of the medicines compared, or no change."
    unknown = [p for p in priorities if p not in PRIORITIES]
    if unknown:
        errors["priority"] = "Choose what matters from the list."
    concerns = concerns.strip()
    if len(concerns) > 2000:
        errors["concerns"] = "At most 2,000 characters."
    if errors:
        raise ValidationError(errors)
    medication = None
    if chosen_name != "none":
        medication = (Medication.objects.filter(clinic_id=access.patient.clinic_id,
                                                patient=access.patient, ingredient=chosen_name,
                                                status=MedicationStatus.ACTIVE).order_by("-created_at").first())
    with transaction.atomic():
        decision = SharedDecision.objects.create(clinic=access.patient.clinic, patient=access.patient,
                                                 candidates=names, priorities=list(priorities), concerns=concerns,
                                                 chosen=chosen_name, medication=medication, created_by=actor)
        audit_record(action="shared_decision.create", actor=actor, patient=access.patient, obj=decision,
                     detail={"candidates": names, "chosen": chosen_name, "priorities": list(priorities)})
    return decision
