"""The demo clinic: one user per role and synthetic patients with plausible histories.

`demo_load()` is idempotent (it does nothing when the demo clinic exists) so `make run` can
call it every time. `generate_patients()` is the reusable generator: the benchmarks call
it for 10,000 patients. Every person here is invented.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from dosewise.accounts.models import User
from dosewise.audit.services import audit_record
from dosewise.clinics.clock import clinic_today
from dosewise.clinics.models import Clinic
from dosewise.clinics.roles import Role
from dosewise.patients.models import (
    Allergy,
    AllergySeverity,
    CareTeamMember,
    ClinicalContextEntry,
    Consent,
    ConsentKind,
    ConsentMethod,
    ConsentText,
    ContextKind,
    Patient,
    PatientNameToken,
    SexAtBirth,
)
from dosewise.patients.services import patient_name_tokens

DEMO_SLUG = "demo"
DEMO_PASSWORD = "dosewise-demo-2026"
DEMO_USERS = (
    ("prescriber@demo.dosewise.test", "Dr Amara Okafor", Role.PRESCRIBER, "MD"),
    ("nurse@demo.dosewise.test", "Liam Chen", Role.NURSE, "RN"),
    ("therapist@demo.dosewise.test", "Sofía Martínez", Role.THERAPIST, "LCSW"),
    ("frontdesk@demo.dosewise.test", "Jordan Blake", Role.FRONT_DESK, ""),
    ("admin@demo.dosewise.test", "Priya Natarajan", Role.CLINIC_ADMIN, ""),
)
CONSENT_TEXTS = {
    ConsentKind.TREATMENT: "I agree to psychiatric evaluation and medication management at this clinic. "
                           "I understand the benefits, risks and alternatives were explained, and that I may "
                           "withdraw this consent at any time.",
    ConsentKind.SMS: "I agree to receive appointment reminders and questionnaire links by text message at the "
                     "number I gave. Message and data rates may apply. Reply STOP to stop at any time.",
    ConsentKind.EMAIL: "I agree to receive appointment reminders, questionnaire links and clinic messages by "
                       "e-mail. Every message has a link to unsubscribe.",
}

GIVEN_FEMALE = ["María", "Aisha", "Emily", "Chloé", "Fatima", "Hannah", "Ingrid", "Mei", "Olivia", "Zoë",
                "Grace", "Nadia", "Renée", "Sakura", "Valentina", "Amelia", "Priyanka", "Léa", "Ava", "Noor"]
GIVEN_MALE = ["José", "Ahmed", "Liam", "Björn", "Kwame", "Noah", "Mateo", "Hiroshi", "Ethan", "François",
              "Omar", "Lucas", "Dmitri", "Elijah", "Rafael", "Samuel", "Tomás", "Yusuf", "Caleb", "Arjun"]
# The names people go by, as they would write them (not the given name cut short).
NICKNAMES = {"María": "Mari", "Aisha": "Ash", "Emily": "Em", "Chloé": "Clo", "Fatima": "Tima", "Hannah": "Hanna", "Ingrid": "Inga",
             "Olivia": "Liv", "Grace": "Gracie", "Nadia": "Nadya", "Renée": "Rennie", "Sakura": "Saku",
             "Valentina": "Vale", "Amelia": "Millie", "Priyanka": "Priya", "Ahmed": "Hamid", "Björn": "Bjössi",
             "Kwame": "Kwam", "Mateo": "Teo", "Hiroshi": "Hiro", "Ethan": "E.J.", "François": "Franck",
             "Lucas": "Luke", "Dmitri": "Dima", "Elijah": "Lijah", "Rafael": "Rafa", "Samuel": "Sammy",
             "Tomás": "Tommy", "Yusuf": "Joe", "Caleb": "Cabe", "Arjun": "Jun"}
FAMILY = ["García", "Nguyen", "Smith", "Johnson", "Müller", "Okafor", "Kowalski", "O'Brien", "Rossi", "Patel",
          "Kim", "Haddad", "Silva", "Andersson", "Dubois", "Moreno", "Walker", "Ivanova", "Tanaka", "Brown",
          "Núñez", "Schmidt", "Cohen", "Mensah", "Lopez", "Wright", "Fischer", "Ramírez", "Hughes", "Larsen"]
ALLERGENS = [("penicillin", "hives"), ("sulfonamide antibiotics", "rash"), ("lamotrigine", "rash"),
             ("carbamazepine", "Stevens-Johnson syndrome"), ("codeine", "nausea and vomiting"),
             ("haloperidol", "acute dystonia"), ("ibuprofen", "angioedema"), ("latex", "contact dermatitis")]
LANGUAGES = ["English"] * 8 + ["Spanish", "Vietnamese", "Arabic", "French"]
# The demo patient-portal login: a dedicated patient with two medicines and a titration plan.
DEMO_PATIENT_EMAIL = "patient@demo.dosewise.test"
# The demo proxy login: Jamie's partner and chosen helper, with appointments and messages only.
DEMO_FAMILY_EMAIL = "family@demo.dosewise.test"
DEMO_ADDRESS = "100 Example Avenue, Suite 0 (demo address), Chicago, IL 60601"
# Invented numbers that pass the format checks (lib.identifiers) so demo prescriptions print: the
# DEA number's check digit is right for "Okafor", 1234567893 is the NPI check-digit worked example.
DEMO_DEA_NUMBER, DEMO_NPI = "AO1234563", "1234567893"


def demo_totp_secret(email: str) -> str:
    """Return the demo account's fixed TOTP secret (printed by `make run`; demo only)."""
    return base64.b32encode(hashlib.sha256(f"dosewise-demo:{email}".encode()).digest()[:20]).decode()


@dataclass(frozen=True)
class DemoResult:
    created: bool
    patients: int

    @property
    def summary(self) -> str:
        if self.created:
            return f"Demo clinic created with {self.patients} synthetic patients."
        return f"Demo clinic already present ({self.patients} patients); data kept."


def demo_load(*, patients: int = 50, seed: int = 2026) -> DemoResult:
    """Create the demo clinic, its staff and synthetic patients, unless it exists."""
    from dosewise.accounts.credentials import user_authenticators_create
    from dosewise.demo_stories import DEMO_TIMEZONE, demo_stories_load

    existing = Clinic.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        return DemoResult(False, Patient.objects.filter(clinic=existing).count())
    with transaction.atomic():
        # 555-01xx numbers are reserved for fiction: the demo clinic's phone reaches no one; the
        # address is as invented as the clinic.
        clinic = Clinic.objects.create(name="Riverside Psychiatry (demo)", slug=DEMO_SLUG, timezone=DEMO_TIMEZONE,
                                       phone="(312) 555-0100", address=DEMO_ADDRESS)
        consent_texts_create(clinic)
        users = {}
        for email, name, role, credentials in DEMO_USERS:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, full_name=name, role=role,
                                            credentials=credentials, clinic=clinic)
            user_authenticators_create(user, totp_secret=demo_totp_secret(email))
            users[role] = user
        users[Role.PRESCRIBER].dea_number, users[Role.PRESCRIBER].npi = DEMO_DEA_NUMBER, DEMO_NPI
        users[Role.PRESCRIBER].save(update_fields=["dea_number", "npi"])
        count = generate_patients(clinic, patients, seed=seed, staff=users)
        stories = demo_stories_load(clinic, users)
        portal_patient = demo_portal_patient_create(users)
        demo_schedule_load(clinic, users)
        demo_consultation_requests_create(clinic, users[Role.FRONT_DESK])
        demo_messages_create(portal_patient, users)
        demo_proxy_create(portal_patient, users)
        audit_record(action="demo.load", actor=None, clinic=clinic, detail={"patients": count, "stories": stories})
    database_analyze()
    return DemoResult(True, count)


DEMO_REQUESTS = (
    ({"given_name": "Jamie", "family_name": "Ortiz", "phone": "(312) 555-0131", "email": "jamie.ortiz@example.org",
      "preferred_channel": "email", "reason": "Panic attacks at work for the last two months.",
      "preferred_times": "weekday mornings", "state": "IL"}, True, True, None),
    ({"given_name": "Morgan", "family_name": "Lee", "phone": "(312) 555-0132", "email": "",
      "preferred_channel": "phone", "reason": "My doctor suggested a review of my antidepressant.",
      "preferred_times": "after 5 pm", "state": "IL"}, False, False, ("contacted", "Left a voicemail")),
    ({"given_name": "Casey", "family_name": "Nguyen", "phone": "(312) 555-0133", "email": "casey.n@example.org",
      "preferred_channel": "sms", "reason": "Trouble sleeping and low mood since the spring.",
      "preferred_times": "", "state": "IN"}, True, False, None),
)


def demo_consultation_requests_create(clinic: Clinic, front_desk) -> None:
    """Put three requests from the public form in the front desk's queue (fictional 555-01xx numbers)."""
    from dosewise.outreach.services import consultation_request_submit, request_status_set

    for data, sms, email, status in DEMO_REQUESTS:
        request = consultation_request_submit(clinic=clinic, data=data, sms_consent=sms, email_consent=email,
                                              ip="192.0.2.10", user_agent="demo")
        if status:
            request_status_set(actor=front_desk, request=request, status=status[0], note=status[1])


def database_analyze() -> None:
    """Refresh the query planner's statistics after a bulk load.

    Without them SQLite walks the name index for a date-of-birth search (10 ms instead
    of 1 ms at 10,000 patients); PostgreSQL's autovacuum would get there later.
    """
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def demo_logins_text() -> str:
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD})",
             "Two-factor: add the secret to an authenticator app, or run `dosewise manage demo_totp EMAIL`."]
    for email, _name, role, _credentials in DEMO_USERS:
        lines.append(f"  {role.label:<13} {email:<32} TOTP secret {demo_totp_secret(email)}")
    lines.append(f"  {Role.PATIENT.label:<13} {DEMO_PATIENT_EMAIL:<32} patient portal at /portal/ (two-factor optional)")
    lines.append(f"  {'Family':<13} {DEMO_FAMILY_EMAIL:<32} the patient's helper: appointments and messages only")
    return "\n".join(lines)


def demo_portal_patient_create(staff: dict) -> Patient:
    """Register the demo portal patient (Jamie Rivera, invented) with consents, sertraline,
    lamotrigine and a lamotrigine titration in its second week, and link the portal login."""
    from dosewise.medications.services import medication_start, plan_create
    from dosewise.patients.selectors import access_patient
    from dosewise.patients.services import consent_record, patient_register
    from dosewise.portal.models import PortalAccount, PortalStatus

    prescriber, front_desk = staff[Role.PRESCRIBER], staff[Role.FRONT_DESK]
    patient = patient_register(actor=front_desk, prescriber=prescriber, data={
        "legal_given_name": "Jamie", "legal_family_name": "Rivera", "pronouns": "they/them",
        "date_of_birth": date(1991, 6, 14), "sex_at_birth": SexAtBirth.FEMALE, "email": DEMO_PATIENT_EMAIL,
        "preferred_language": "English"})
    desk_access = access_patient(front_desk, patient.pk)
    for kind in (ConsentKind.TREATMENT, ConsentKind.EMAIL):
        consent_record(actor=front_desk, access=desk_access, kind=kind, method=ConsentMethod.ELECTRONIC)
    access = access_patient(prescriber, patient.pk, "medications.prescribe")
    started = clinic_today(patient.clinic) - timedelta(days=10)
    medication_start(actor=prescriber, access=access, drug="sertraline", dose_mg_per_day=Decimal(100),
                     frequency="once daily", instructions="Take one 100 mg tablet in the morning with food.",
                     start_date=started,
                     indication="depression")
    plan_create(actor=prescriber, access=access, kind="titration", drug="lamotrigine", start_date=started)
    medication_start(actor=prescriber, access=access, drug="lamotrigine", dose_mg_per_day=Decimal(25),
                     frequency="once daily", instructions="Follow your plan calendar for the dose.",
                     start_date=started,
                     indication="bipolar depression")
    user = User.objects.create_user(email=DEMO_PATIENT_EMAIL, password=DEMO_PASSWORD, full_name=patient.display_name,
                                    role=Role.PATIENT, clinic=patient.clinic)
    PortalAccount.objects.create(clinic=patient.clinic, patient=patient, user=user, status=PortalStatus.ACTIVE,
                                 invited_at=timezone.now(), invited_by=front_desk, activated_at=timezone.now())
    return patient


def demo_proxy_create(patient: Patient, staff: dict) -> None:
    """Give the demo portal patient a helper (Sam Rivera, invented) who opens appointments and messages."""
    from dosewise.patients.selectors import access_patient
    from dosewise.portal.models import PortalStatus, ProxyAccess
    from dosewise.portal.services import proxy_grant

    front_desk = staff[Role.FRONT_DESK]
    proxy = proxy_grant(actor=front_desk, access=access_patient(front_desk, patient.pk), name="Sam Rivera",
                        email=DEMO_FAMILY_EMAIL, relationship="helper", relationship_detail="partner",
                        scopes=["appointments", "messages"], consent_by="patient",
                        expires_on=clinic_today(patient.clinic) + timedelta(days=365),
                        consent_words="Jamie signed the proxy form at the front desk: Sam may handle appointments "
                                      "and messages.")
    proxy.user.set_password(DEMO_PASSWORD)
    proxy.user.save(update_fields=["password"])
    ProxyAccess.objects.filter(pk=proxy.pk).update(status=PortalStatus.ACTIVE, activated_at=timezone.now())


def demo_messages_create(patient: Patient, staff: dict) -> None:
    """Give the demo portal patient an answered question and a refill request waiting for the prescriber."""
    from dosewise.medications.models import Medication
    from dosewise.messaging import services as messaging
    from dosewise.patients.selectors import access_patient

    user, prescriber = User.objects.get(email=DEMO_PATIENT_EMAIL), staff[Role.PRESCRIBER]
    question = messaging.thread_start_by_patient(
        actor=user, patient=patient, subject="Sertraline and coffee",
        body="Is it all right to take my sertraline with my morning coffee?")
    messaging.message_send_by_staff(
        actor=prescriber, access=access_patient(prescriber, patient.pk, "clinical.view"), thread_id=question.thread_id,
        body="Yes, coffee is fine with sertraline. Take it at the same time each morning, with food if it upsets "
             "your stomach.")
    messaging.thread_read_by_patient(actor=user, patient=patient, thread=question.thread, message_ids=[question.pk])
    sertraline = Medication.objects.get(clinic_id=patient.clinic_id, patient=patient, ingredient="sertraline")
    messaging.refill_request(actor=user, patient=patient, medication_id=sertraline.pk, days_left=5,
                             note="Same pharmacy as before.")


def consent_texts_create(clinic: Clinic) -> None:
    for kind, text in CONSENT_TEXTS.items():
        ConsentText.objects.create(clinic=clinic, kind=kind, version="1.0", text=text,
                                   effective_from=date(2026, 1, 1))


def generate_patients(clinic: Clinic, count: int, *, seed: int, staff: dict, batch_size: int = 2000) -> int:
    """Create `count` synthetic patients with care teams, allergies, context and consents.

    Uses bulk inserts so 10,000 patients take seconds; MRNs continue the clinic's counter.
    """
    rng = random.Random(seed)
    today = clinic_today(clinic)
    creator = staff.get(Role.FRONT_DESK) or next(iter(staff.values()))
    prescriber = staff.get(Role.PRESCRIBER)
    nurse, therapist = staff.get(Role.NURSE), staff.get(Role.THERAPIST)
    texts = {t.kind: t for t in ConsentText.objects.filter(clinic=clinic)}
    made = 0
    while made < count:
        n = min(batch_size, count - made)
        Clinic.objects.filter(pk=clinic.pk).update(mrn_next=clinic.mrn_next + n)
        first_number = clinic.mrn_next
        clinic.mrn_next += n
        batch = []
        for i in range(n):
            sex = rng.choice([SexAtBirth.FEMALE, SexAtBirth.MALE])
            given = rng.choice(GIVEN_FEMALE if sex == SexAtBirth.FEMALE else GIVEN_MALE)
            family = rng.choice(FAMILY)
            if rng.random() < 0.15:
                family = f"{family}-{rng.choice(FAMILY)}"
            preferred = rng.choice(["", "", "", "", NICKNAMES.get(given, "")]) if len(given) > 4 else ""
            born = today - timedelta(days=rng.randint(18 * 365, 85 * 365))
            patient = Patient(
                clinic=clinic, mrn=f"{clinic.mrn_prefix}{first_number + i:06d}", legal_given_name=given,
                legal_family_name=family, preferred_name=preferred,
                pronouns="she/her" if sex == SexAtBirth.FEMALE else "he/him",
                date_of_birth=born, sex_at_birth=sex, preferred_language=rng.choice(LANGUAGES),
                email=f"patient{first_number + i}@example.org", phone=f"+1-555-01{rng.randint(10, 99)}",
                emergency_contact_name=f"{rng.choice(GIVEN_FEMALE + GIVEN_MALE)} {family}",
                emergency_contact_relationship=rng.choice(["spouse", "parent", "sibling", "friend"]),
                emergency_contact_phone=f"+1-555-02{rng.randint(10, 99)}", created_by=creator,
            )
            batch.append(patient)
        Patient.objects.bulk_create(batch)
        if batch[0].pk is None:  # backends that do not return ids from bulk inserts
            batch = list(Patient.objects.filter(clinic=clinic, mrn__in=[p.mrn for p in batch]))
        PatientNameToken.objects.bulk_create([token for p in batch for token in patient_name_tokens(p)])
        _generate_histories(rng, clinic, batch, today, prescriber, nurse, therapist, creator, texts)
        made += n
    return made


def _generate_histories(rng, clinic, patients, today, prescriber, nurse, therapist, creator, texts) -> None:
    members, allergies, context, consents = [], [], [], []
    for patient in patients:
        since = today - timedelta(days=rng.randint(7, 900))
        if prescriber and rng.random() < 0.9:
            members.append(CareTeamMember(clinic=clinic, patient=patient, member=prescriber, team_role="prescriber",
                                          since=since, added_by=creator))
        if nurse and rng.random() < 0.5:
            members.append(CareTeamMember(clinic=clinic, patient=patient, member=nurse, team_role="nurse",
                                          since=since, added_by=creator))
        if therapist and rng.random() < 0.4:
            members.append(CareTeamMember(clinic=clinic, patient=patient, member=therapist, team_role="therapist",
                                          since=since, added_by=creator))
        recorder = prescriber or creator
        for substance, reaction in rng.sample(ALLERGENS, k=rng.choice([0, 0, 0, 1, 1, 2])):
            allergies.append(Allergy(clinic=clinic, patient=patient, substance=substance, reaction=reaction,
                                     severity=rng.choice(list(AllergySeverity.values)),
                                     verified=rng.random() < 0.6, recorded_by=recorder))
        height = Decimal(rng.randint(150, 195))
        weight = Decimal(rng.randint(48, 120))
        context += [
            ClinicalContextEntry(clinic=clinic, patient=patient, kind=ContextKind.HEIGHT, value_number=height,
                                 unit="cm", effective_date=since, recorded_by=recorder),
            ClinicalContextEntry(clinic=clinic, patient=patient, kind=ContextKind.WEIGHT, value_number=weight,
                                 unit="kg", effective_date=since, recorded_by=recorder),
            ClinicalContextEntry(clinic=clinic, patient=patient, kind=ContextKind.SMOKING,
                                 value_code=rng.choice(["never", "never", "former", "current"]),
                                 effective_date=since, recorded_by=recorder),
        ]
        if rng.random() < 0.3:
            context.append(ClinicalContextEntry(
                clinic=clinic, patient=patient, kind=ContextKind.EGFR, value_number=Decimal(rng.randint(25, 115)),
                unit="mL/min/{1.73_m2}", effective_date=since, recorded_by=recorder))
        if patient.sex_at_birth == SexAtBirth.FEMALE and patient.age_on(today) < 45 and rng.random() < 0.08:
            context.append(ClinicalContextEntry(clinic=clinic, patient=patient, kind=ContextKind.PREGNANCY,
                                                value_code="pregnant", effective_date=since, recorded_by=recorder))
        given_at = timezone.now() - timedelta(days=(today - since).days)
        for kind in (ConsentKind.TREATMENT, ConsentKind.SMS, ConsentKind.EMAIL):
            if kind in texts and (kind == ConsentKind.TREATMENT or rng.random() < 0.7):
                consents.append(Consent(clinic=clinic, patient=patient, kind=kind, text_version=texts[kind],
                                        given_at=given_at, method=rng.choice([ConsentMethod.PAPER,
                                                                              ConsentMethod.ELECTRONIC]),
                                        recorded_by=creator))
    CareTeamMember.objects.bulk_create(members)
    Allergy.objects.bulk_create(allergies)
    ClinicalContextEntry.objects.bulk_create(context)
    Consent.objects.bulk_create(consents)


def demo_schedule_load(clinic: Clinic, users: dict) -> int:
    """Write the demo clinic's schedule through the scheduling services: types and rooms, each
    clinician's hours, and appointments from the last working day to three weeks ahead (intakes, follow-ups,
    esketamine sessions, a video visit about to begin, a late cancellation and a no-show)."""
    from datetime import datetime, time

    from dosewise.clinics.clock import clinic_today, clinic_zone
    from dosewise.patients.selectors import access_patient
    from dosewise.scheduling import services as schedule
    from dosewise.scheduling.models import WeeklyHours

    admin, desk = users[Role.CLINIC_ADMIN], users[Role.FRONT_DESK]
    prescriber, nurse, therapist = users[Role.PRESCRIBER], users[Role.NURSE], users[Role.THERAPIST]
    room_1 = schedule.resource_create(actor=admin, name="Room 1", kind="room")
    schedule.resource_create(actor=admin, name="Room 2", kind="room")
    chair = schedule.resource_create(actor=admin, name="Treatment chair", kind="chair")
    kind = {
        "intake": schedule.appointment_type_create(
            actor=admin, name="Intake evaluation", duration_minutes=60, buffer_minutes=10, mode="in_person",
            bookable_by="staff", reminder_offsets=[2880, 120], is_intake=True, resources=[room_1]),
        "follow_up": schedule.appointment_type_create(
            actor=admin, name="Medication follow-up", duration_minutes=30, buffer_minutes=0, mode="in_person",
            bookable_by="patient", reminder_offsets=[1440, 120]),
        "video": schedule.appointment_type_create(
            actor=admin, name="Video follow-up", duration_minutes=30, buffer_minutes=0, mode="video",
            bookable_by="patient", reminder_offsets=[1440, 15]),
        "esketamine": schedule.appointment_type_create(
            actor=admin, name="Esketamine session", duration_minutes=120, buffer_minutes=15, mode="in_person",
            bookable_by="staff", reminder_offsets=[1440], resources=[chair]),
        "therapy": schedule.appointment_type_create(
            actor=admin, name="Therapy session", duration_minutes=50, buffer_minutes=10, mode="in_person",
            bookable_by="staff", reminder_offsets=[1440]),
    }
    for provider, days, start, end in ((prescriber, range(5), 8, 17), (nurse, range(5), 8, 16),
                                       (therapist, range(4), 10, 18)):
        for weekday in days:
            WeeklyHours.objects.create(clinic=clinic, provider=provider, weekday=weekday, start_time=time(start),
                                       end_time=time(end))
    zone, today, now = clinic_zone(clinic), clinic_today(clinic), timezone.now()
    patients = list(Patient.objects.filter(clinic=clinic).order_by("pk")[:40])
    if not patients:
        return 0
    # Each clinician sees their own care team's patients (booking someone else's would put them
    # on that team); one with no patients yet takes a few of the clinic's.
    on_team = set(CareTeamMember.objects.filter(patient__in=patients, until__isnull=True).values_list(
        "member_id", "patient_id"))
    picks = {}
    for provider in (prescriber, nurse, therapist):
        team = [p for p in patients if (provider.pk, p.pk) in on_team]
        picks[provider.pk] = itertools.cycle(team or patients[:max(1, len(patients) // 4)])
    # (clinician, local time, type) for an ordinary weekday; weekends stay empty.
    day_plan = ((prescriber, (8, 30), "intake"), (prescriber, (9, 45), "follow_up"), (prescriber, (10, 15), "video"),
                (prescriber, (11, 0), "follow_up"), (prescriber, (13, 0), "intake"), (prescriber, (14, 30), "follow_up"),
                (prescriber, (15, 30), "video"), (nurse, (9, 0), "esketamine"), (nurse, (13, 0), "esketamine"),
                (therapist, (10, 0), "therapy"), (therapist, (14, 0), "therapy"))
    booked, missed = [], []

    def book(provider, start, key, **options):
        access = access_patient(desk, next(picks[provider.pk]).pk)
        booked.append(schedule.appointment_book(actor=desk, access=access, provider=provider, kind=kind[key],
                                                starts_at=start, notify=False, **options))
        return booked[-1]

    # A video visit that is about to begin, whatever the hour `make run` is started at: booked
    # first, so that the day's plan gives way to it (a planned visit it overlaps is skipped).
    book(prescriber, now + timedelta(minutes=15 - now.minute % 15), "video", outside_hours=True)
    # From the last working day before today (Friday, seen on a Monday or a weekend), so the
    # demo always has yesterday's visits, among them a no-show.
    first = today - timedelta(days=1)
    while first.weekday() >= 5:
        first -= timedelta(days=1)
    for offset in range((first - today).days, 22):
        day = today + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for provider, (hour, minute), key in day_plan:
            if provider == therapist and day.weekday() == 4:
                continue
            start = datetime.combine(day, time(hour, minute), tzinfo=zone)
            past = start < now
            try:
                appointment = book(provider, start, key, record_past=past, outside_hours=past)
            except schedule.SlotTaken:
                continue
            if past and start + timedelta(hours=1) < now:
                if key == "follow_up" and not missed:  # yesterday's first follow-up did not come
                    missed.append(schedule.appointment_no_show(actor=desk, appointment=appointment, reason="unknown"))
                else:
                    schedule.appointment_set_status(actor=desk, appointment=appointment, status="completed")
    # The next follow-up was cancelled late by the patient, by phone: one starting within the
    # type's late-cancellation window. On a Friday afternoon or a weekend the plan's next one is
    # days away, so a follow-up is booked a few hours ahead for it (outside hours if need be).
    window = timedelta(hours=kind["follow_up"].late_cancel_hours)
    coming = [a for a in booked if a.type == kind["follow_up"] and now + timedelta(hours=2) < a.starts_at < now + window]
    if not coming:
        start = now + timedelta(hours=3, minutes=15 - now.minute % 15)
        for _ in range(8):
            try:
                coming = [book(prescriber, start, "follow_up", outside_hours=True)]
                break
            except schedule.SlotTaken:
                start += timedelta(minutes=30)
    if coming:
        schedule.appointment_cancel(actor=desk, appointment=coming[0], reason="transport", by_patient=True,
                                    offer_to_waitlist=False)
    return len(booked)
