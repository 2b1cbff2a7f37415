"""Reads of patient data, permission-checked by construction.

A view never calls `Patient.objects.get`: it calls `access_patient(user, patient_id,
capability)`, which answers 404 for anyone outside the patient's clinic (so a record's
existence does not leak across clinics) and raises `BreakGlassRequired` for a colleague
in the same clinic who is not on the care team and has no current break-glass grant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Lower, Replace
from django.http import Http404
from django.utils import timezone

from dosewise.clinics.clock import clinic_today
from dosewise.clinics.roles import CARE_TEAM_CAPABILITIES, CLINICAL_ROLES, ROLE_CAPABILITIES, Capability
from dosewise.clinics.scoping import joined_in_clinic
from dosewise.lib.text import name_words
from dosewise.notifications import consent as ledger
from dosewise.notifications.models import Channel, ConsentAction, ConsentPurpose
from dosewise.patients.models import (
    Allergy,
    BreakGlassAccess,
    CareTeamMember,
    ClinicalContextEntry,
    Consent,
    ConsentKind,
    ContextKind,
    Patient,
    PatientNameToken,
    PharmacogenomicResult,
)


class BreakGlassRequired(PermissionDenied):
    """The user may see this kind of record, but not for this patient without break-glass."""

    def __init__(self, patient: Patient):
        super().__init__("not on this patient's care team")
        self.patient = patient


class PatientMerged(Exception):
    """The record asked for was merged into another: the caller is sent to that one."""

    def __init__(self, patient: Patient):
        super().__init__(f"merged into patient {patient.merged_into_id}")
        self.patient = patient


def _clinic_patients(user, *, include_merged: bool = False) -> QuerySet[Patient]:
    if not (user.is_authenticated and user.is_active and user.is_clinic_staff):
        return Patient.objects.none()
    patients = Patient.objects.filter(clinic_id=user.clinic_id)
    # A merged duplicate holds nothing any more: lists and searches show only the record kept.
    return patients if include_merged else patients.filter(merged_into__isnull=True)


def _memberships_in_force(user, patient, today) -> QuerySet:
    """The user's care-team memberships of `patient` (a patient or an OuterRef) in force on `today`.

    One filter() chain on the membership itself: a single row must be the user's, started and
    not ended (filtering through the patient's relation twice would join two rows).
    """
    return CareTeamMember.objects.filter(clinic_id=user.clinic_id,
                                         patient=patient, member=user, since__lte=today).filter(
        Q(until__isnull=True) | Q(until__gt=today))


def on_care_team(user, patient: Patient) -> bool:
    """Return whether the user is a current member of the patient's care team."""
    return _memberships_in_force(user, patient, clinic_today(patient.clinic)).exists()


def active_break_glass(user, patient: Patient) -> BreakGlassAccess | None:
    return BreakGlassAccess.objects.filter(clinic_id=patient.clinic_id,
                                           user=user, patient=patient, expires_at__gt=timezone.now()).first()


@dataclass(frozen=True)
class PatientAccess:
    patient: Patient
    capabilities: frozenset[str]
    via: str  # "care_team", "break_glass" or "clinic"
    # What this request has already read of the record, by name (see `remembered`).
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    def can(self, capability: str) -> bool:
        return capability in self.capabilities

    def remembered(self, name: str, read):
        """Return `read()`, called once for this access: the chart header and a tab that show the
        same rows (the care team, the clinical context) share one query. An access lives for one
        request and is made after any write of it, so what it remembers cannot be stale."""
        if name not in self.memo:
            self.memo[name] = read()
        return self.memo[name]


def access_patient(user, patient_id: int, capability: str = Capability.DEMOGRAPHICS_VIEW) -> PatientAccess:
    """Return the patient with what the user may do, or refuse.

    Raises Http404 outside the clinic or without the role capability, and
    BreakGlassRequired when a clinician is not on the care team (nor has emergency access).
    """
    role_caps = ROLE_CAPABILITIES.get(getattr(user, "role", ""), frozenset())
    if capability not in role_caps:
        raise Http404("no such patient")
    # The patient and whether the user is on their care team in one query, the membership
    # judged on the day of the user's clinic, which is the patient's (its time zone is checked:
    # a user object kept from before a change of zone is asked again).
    today = clinic_today(user.clinic) if getattr(user, "clinic_id", None) else None
    patients = _clinic_patients(user, include_merged=True).select_related("clinic")
    if today is not None:
        patients = patients.annotate(user_on_care_team=Exists(_memberships_in_force(user, OuterRef("pk"), today)))
    try:
        patient = patients.get(pk=patient_id)
    except (Patient.DoesNotExist, ValueError, TypeError):
        raise Http404("no such patient") from None
    if patient.merged_into_id is not None:
        raise PatientMerged(patient)
    if today is not None and patient.clinic.timezone == user.clinic.timezone:
        on_team = patient.user_on_care_team
    else:
        on_team = on_care_team(user, patient)
    if on_team:
        return PatientAccess(patient, role_caps, "care_team")
    if active_break_glass(user, patient) is not None:
        return PatientAccess(patient, role_caps, "break_glass")
    # Clinicians work on their care team's patients; anything else is emergency access.
    # Front desk and admins see every patient of the clinic, but never the clinical record.
    if capability in CARE_TEAM_CAPABILITIES or user.role in CLINICAL_ROLES:
        raise BreakGlassRequired(patient)
    return PatientAccess(patient, role_caps - CARE_TEAM_CAPABILITIES, "clinic")


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_US_DATE_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _parse_query_date(query: str) -> date | None:
    try:
        if _DATE_RE.match(query):
            return date.fromisoformat(query)
        match = _US_DATE_RE.match(query)
        if match:
            month, day, year = (int(g) for g in match.groups())
            return date(year, month, day)
    except ValueError:
        return None
    return None


def patient_search(user, query: str, *, limit: int | None = None) -> list[Patient]:
    """Return the clinic's patients matching a name prefix, a date of birth or an MRN.

    Names match by word prefix, ignoring case and accents ("jos gar" finds "José
    García-López"); every word of the query must match. Results carry an
    `on_my_care_team` flag for the list page.
    """
    if not (getattr(user, "can", None) and user.can(Capability.PATIENT_SEARCH)):
        return []
    query = " ".join(query.split())[:100]
    if not query:
        return []
    limit = limit or settings.PATIENT_SEARCH_LIMIT
    patients = _clinic_patients(user)
    birth_date = _parse_query_date(query)
    if birth_date is not None:
        patients = patients.filter(date_of_birth=birth_date)
    elif any(ch.isdigit() for ch in query):
        # MRNs are stored upper-case, so an exact match can use the unique index.
        patients = patients.filter(mrn=query.strip().upper())
    else:
        for word in name_words(query):
            words = PatientNameToken.objects.filter(clinic_id=user.clinic_id, token__gte=word,
                                                    token__lt=word[:-1] + chr(ord(word[-1]) + 1))
            patients = patients.filter(pk__in=words.values("patient_id"))
    membership = _memberships_in_force(user, OuterRef("pk"), clinic_today(user.clinic))
    # Sorting on lower-cased names (no index) makes PostgreSQL match the few name words
    # first and sort those, instead of walking the whole name index until `limit` rows match
    # (8.8 ms instead of 3.1 ms for a late-alphabet name at 10,000 patients).
    return list(
        patients.annotate(on_my_care_team=Exists(membership))
        .order_by(Lower("legal_family_name"), Lower("legal_given_name"), "pk")[:limit]
    )


def my_patients(user, *, limit: int = 100) -> list[Patient]:
    """Return the patients on whose care team the user currently is."""
    # An Exists on one membership row: two filter() calls on the relation joined it twice, so
    # another member's open membership kept a patient on the list of a user whose own had
    # ended, and the DISTINCT sorted the whole caseload (57 ms of Today on PostgreSQL at 3,200).
    membership = _memberships_in_force(user, OuterRef("pk"), clinic_today(user.clinic))
    return list(
        _clinic_patients(user).filter(Exists(membership))
        .order_by("legal_family_name", "legal_given_name", "pk")[:limit]
    )


@dataclass(frozen=True)
class ChartHeader:
    patient: Patient
    age: int
    allergies: list[Allergy]
    care_team: list[CareTeamMember]
    context: dict[str, ClinicalContextEntry]
    # Safety overrides still in force (see medications.PrescriptionOverride): visible until resolved.
    overrides: list = field(default_factory=list)


def chart_header(access: PatientAccess) -> ChartHeader:
    """Return what the chart header shows, in a constant number of queries."""
    patient = access.patient
    today = clinic_today(patient.clinic)
    # From the whole history, which the Overview lists too (one query for both); the sort is
    # stable, so members of a role keep the history's order by name.
    care_team = sorted((m for m in care_team_history_of(access)
                        if m.since <= today and (m.until is None or m.until > today)), key=lambda m: m.team_role)
    allergies: list[Allergy] = []
    context: dict[str, ClinicalContextEntry] = {}
    if access.can(Capability.CLINICAL_VIEW):
        allergies = list(patient.allergies.filter(clinic_id=patient.clinic_id,
                                                  entered_in_error_at__isnull=True).order_by("substance"))
        context = _newest_of_each_kind(clinical_context_history_of(access))
    overrides = []
    if access.can(Capability.MEDICATIONS_VIEW) and apps.is_installed("dosewise.medications"):
        overrides = list(apps.get_model("medications", "PrescriptionOverride").objects
                         .filter(clinic_id=patient.clinic_id,
                                 patient=patient, resolved_at__isnull=True).exclude(medication__status="discontinued")
                         .select_related("medication").order_by("-created_at", "-pk"))
    return ChartHeader(patient=patient, age=patient.age_on(today), allergies=allergies,
                       care_team=care_team, context=context, overrides=overrides)


def clinical_context_current(patient: Patient) -> dict[str, ClinicalContextEntry]:
    """Return the newest entry of each context kind (one query)."""
    return _newest_of_each_kind(ClinicalContextEntry.objects.filter(
        clinic_id=patient.clinic_id, patient=patient).order_by("kind", "-effective_date", "-recorded_at"))


def _newest_of_each_kind(entries) -> dict[str, ClinicalContextEntry]:
    """The first of `entries` (newest first within a kind) of each kind, by kind."""
    newest: dict[str, ClinicalContextEntry] = {}
    for entry in entries:
        newest.setdefault(entry.kind, entry)
    return dict(sorted(newest.items()))


def pgx_results(patient: Patient, *, include_entered_in_error: bool = False) -> list[PharmacogenomicResult]:
    """Return the patient's pharmacogenomic results by gene, newest first (one query)."""
    results = PharmacogenomicResult.objects.filter(clinic_id=patient.clinic_id,
                                                   patient=patient).select_related("recorded_by")
    if not include_entered_in_error:
        results = results.filter(entered_in_error_at__isnull=True)
    return list(results.order_by("gene", "-result_date", "-recorded_at"))


def pgx_current(patient: Patient) -> dict[str, PharmacogenomicResult]:
    """Return the newest valid result of each gene, the one the safety check uses (one query)."""
    current: dict[str, PharmacogenomicResult] = {}
    for result in PharmacogenomicResult.objects.filter(clinic_id=patient.clinic_id,
                                                       patient=patient, entered_in_error_at__isnull=True).order_by(
            "gene", "-result_date", "-recorded_at"):
        current.setdefault(result.gene, result)
    return current


def clinical_context_history(patient: Patient, kind: str | None = None) -> list[ClinicalContextEntry]:
    entries = ClinicalContextEntry.objects.filter(clinic_id=patient.clinic_id,
                                                  patient=patient).select_related("recorded_by")
    if kind:
        entries = entries.filter(kind=kind)
    return list(entries.order_by("-effective_date", "-recorded_at"))


def patient_consents(patient: Patient) -> list[Consent]:
    return list(
        Consent.objects.filter(joined_in_clinic(patient.clinic_id, "text_version"), clinic_id=patient.clinic_id,
                               patient=patient)
        .select_related("text_version", "recorded_by", "revoked_by").order_by("kind", "-given_at")
    )


def active_consent(patient: Patient, kind: str) -> Consent | None:
    """Return the current unrevoked consent of a kind (reminders go only to those who agreed)."""
    return Consent.objects.filter(clinic_id=patient.clinic_id,
                                  patient=patient, kind=kind, revoked_at__isnull=True).order_by("-given_at").first()


# The chart's contact consent that stands for each messaging channel.
CONTACT_CONSENT_KIND = {Channel.SMS: ConsentKind.SMS, Channel.EMAIL: ConsentKind.EMAIL}


def contact_address(patient: Patient, channel: str) -> str:
    """Return the patient's address for a messaging channel as on the record ("" when none)."""
    return (patient.phone if channel == Channel.SMS else patient.email).strip()


def ledger_answer(standing: ledger.Standing) -> bool | None:
    """Return what a ledger standing decides: False after a STOP, the recorded choice, or None
    when the ledger holds no answer (the chart's contact consent then decides)."""
    if standing.stopped_at is not None:
        return False
    return standing.allowed if standing.recorded else None


def ledger_choice(patient: Patient, channel: str, purpose: str) -> bool | None:
    """Return the patient's own choice for a purpose on a channel in the consent ledger: True or
    False, or None when the ledger has no answer (or there is no address on the record)."""
    address = contact_address(patient, channel)
    if not address:
        return None
    return ledger_answer(ledger.consent_standings(clinic=patient.clinic, channel=channel, address=address,
                                                  purposes=[purpose])[purpose])


def ledger_choices(patients, purpose: str) -> dict[int, dict[str, bool | None]]:
    """Return `ledger_choice` of each channel for many patients: {patient id: {channel: choice}},
    one query per clinic and channel (a daily job's batch)."""
    by_clinic: dict[int, list[Patient]] = {}
    for patient in patients:
        by_clinic.setdefault(patient.clinic_id, []).append(patient)
    found: dict[int, dict[str, bool | None]] = {patient.pk: {} for patient in patients}
    for clinic_id, group in by_clinic.items():
        for channel in CONTACT_CONSENT_KIND:
            standings = ledger.consent_standings_many(
                clinic_id=clinic_id, channel=channel, purpose=purpose,
                addresses=[contact_address(patient, channel) for patient in group])
            for patient in group:
                address = contact_address(patient, channel)
                found[patient.pk][channel] = ledger_answer(standings[address]) if address else None
    return found


def may_message(patient: Patient, channel: str, purpose: str) -> bool:
    """Return whether the patient may be sent a message of a ledger purpose on a channel now.

    The patient's own choice in the consent ledger (the portal's texts-and-e-mails page, a text
    reply, an unsubscribe link) decides when there is one, a STOP above all; otherwise the chart's
    contact consent recorded by the clinic does. Apps check this before they queue a message; the
    outbox checks the ledger again when it sends.
    """
    if not contact_address(patient, channel):
        return False
    chosen = ledger_choice(patient, channel, purpose)
    if chosen is not None:
        return chosen
    return active_consent(patient, CONTACT_CONSENT_KIND[channel]) is not None


@dataclass(frozen=True)
class ContactChannelConsent:
    """One channel of the patient's contact consent by purpose, as the consent ledger has it."""

    channel: str
    label: str
    address: str
    # (purpose label, state in words) per purpose the clinic sends.
    purposes: list[tuple[str, str]]


def contact_consent_by_purpose(patient: Patient, consents: list[Consent]) -> list[ContactChannelConsent]:
    """Return the ledger's state of each purpose for the patient's phone and e-mail (read-only, for the chart).

    `consents` are the chart's consents already loaded for the page: a purpose the ledger holds
    no answer to follows the chart's contact consent, as the outbox does.
    """
    zone = ZoneInfo(patient.clinic.timezone)
    addresses = {channel: contact_address(patient, channel) for channel in CONTACT_CONSENT_KIND}
    events = ledger.consent_history(clinic=patient.clinic, addresses=[a for a in addresses.values() if a]) \
        if any(addresses.values()) else []
    last = {(e.consent.channel, e.consent.purpose): e for e in events}
    active_kinds = {c.kind for c in consents if c.revoked_at is None}

    def said(event) -> str:
        return f"{event.get_source_display().lower()}, {timezone.localtime(event.at, zone):%Y-%m-%d %H:%M}"

    by_channel = ledger.consent_standings_by_channel(clinic=patient.clinic, addresses=addresses,
                                                     purposes=ledger.DEFAULT_PURPOSES)
    found = []
    for channel, word in ((Channel.SMS, "text-message"), (Channel.EMAIL, "e-mail")):
        address, kind = addresses[channel], CONTACT_CONSENT_KIND[channel]
        purposes = []
        if address:
            for purpose, standing in by_channel[channel].items():
                event = last.get((channel, purpose))
                if standing.stopped_at is not None:
                    stop = last.get((channel, ConsentPurpose.ALL))
                    state = "off: everything stopped" + (f" ({said(stop)})" if stop else "")
                elif standing.recorded and event is not None:
                    state = f"{'on' if event.action == ConsentAction.GRANT else 'off'} ({said(event)})"
                elif kind in active_kinds:
                    state = f"not chosen (the {word} consent on the chart applies)"
                else:
                    state = "not chosen (none sent)"
                purposes.append((ConsentPurpose(purpose).label, state))
        found.append(ContactChannelConsent(channel=channel, label=Channel(channel).label, address=address,
                                           purposes=purposes))
    return found


def patient_allergies(patient: Patient, *, include_entered_in_error: bool = False) -> list[Allergy]:
    allergies = Allergy.objects.filter(clinic_id=patient.clinic_id,
                                       patient=patient).select_related("recorded_by")
    if not include_entered_in_error:
        allergies = allergies.filter(entered_in_error_at__isnull=True)
    return list(allergies.order_by("substance"))


def care_team_history(patient: Patient) -> list[CareTeamMember]:
    return list(
        CareTeamMember.objects.filter(clinic_id=patient.clinic_id,
                                      patient=patient).select_related("member", "added_by")
        .order_by("until", "team_role", "member__full_name")
    )


def care_team_history_of(access: PatientAccess) -> list[CareTeamMember]:
    """Return `care_team_history` of the accessed patient, read once per request."""
    return access.remembered("care_team_history", lambda: care_team_history(access.patient))


def clinical_context_history_of(access: PatientAccess) -> list[ClinicalContextEntry]:
    """Return `clinical_context_history` of the accessed patient (every kind), read once per request."""
    return access.remembered("clinical_context_history", lambda: clinical_context_history(access.patient))


def break_glass_report(user, *, limit: int = 500) -> list[BreakGlassAccess]:
    """Return the clinic's break-glass grants, newest first (clinic admins only)."""
    if not user.can(Capability.AUDIT_VIEW):
        raise PermissionDenied
    return list(
        BreakGlassAccess.objects.filter(joined_in_clinic(user.clinic_id, "patient"), clinic_id=user.clinic_id)
        .select_related("user", "patient", "reviewed_by").order_by("-created_at")[:limit]
    )



def break_glass_awaiting_review(user) -> int:
    """Return how many of the clinic's break-glass grants nobody has reviewed (clinic admins only)."""
    if not user.can(Capability.AUDIT_VIEW):
        raise PermissionDenied
    return BreakGlassAccess.objects.filter(clinic_id=user.clinic_id, reviewed_at__isnull=True).count()


def recently_registered(user, *, limit: int = 15) -> list[Patient]:
    """Return the clinic's newest patients, for roles that see every patient's demographics."""
    if not user.can(Capability.DEMOGRAPHICS_VIEW):
        raise PermissionDenied
    return list(_clinic_patients(user).order_by("-created_at", "-pk")[:limit])


CONTEXT_KINDS_SHOWN_IN_HEADER = (ContextKind.PREGNANCY, ContextKind.LACTATION, ContextKind.EGFR,
                                 ContextKind.CHILD_PUGH, ContextKind.WEIGHT, ContextKind.SMOKING)


DUPLICATE_LIMIT = 5


def _digits_of(field: str):
    """Return the field with the separators people type in phone numbers removed (in SQL)."""
    expression = F(field)
    for separator in (" ", "-", "(", ")", ".", "+", "/"):
        expression = Replace(expression, Value(separator), Value(""))
    return expression


def possible_duplicates(user, data: dict) -> list[Patient]:
    """Return the clinic's patients who may be the person being registered: the same legal name and
    date of birth, or the same phone number or e-mail address (one query, at most five)."""
    match = Q()
    given, family = (data.get("legal_given_name") or "").strip(), (data.get("legal_family_name") or "").strip()
    if given and family and data.get("date_of_birth"):
        match |= Q(legal_given_name__iexact=given, legal_family_name__iexact=family,
                   date_of_birth=data["date_of_birth"])
    digits = "".join(c for c in (data.get("phone") or "") if c.isdigit())
    if len(digits) >= 7:
        match |= Q(phone_digits__endswith=digits[-10:])
    if (data.get("email") or "").strip():
        match |= Q(email__iexact=data["email"].strip())
    if not match:
        return []
    rows = _clinic_patients(user).annotate(phone_digits=_digits_of("phone")) if digits else _clinic_patients(user)
    return list(rows.filter(match).order_by("legal_family_name", "legal_given_name", "pk")[:DUPLICATE_LIMIT])


def merge_candidate(user, mrn: str) -> Patient | None:
    """Return the clinic's (unmerged) patient with this MRN for a merge, or None; admins only."""
    if not user.can(Capability.PATIENT_MERGE):
        raise PermissionDenied
    return _clinic_patients(user).filter(mrn=(mrn or "").strip().upper()).first()
