"""Every statement of the everyday pages and writes stays inside one clinic (docs/multi-clinic.md).

Distributed by clinic (Citus), a statement is answered by one shard only when each clinic
table in it is filtered on `clinic_id`; the check is `sql_clinic_filter.unfiltered_references`.
The pages are those whose query counts are pinned in test_page_queries.py; the writes are the
everyday ones of a med check. What is left is pinned below with the reason, so a new statement
that forgets its clinic fails here.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from tests.app.sql_clinic_filter import distributed_tables, unfiltered_references
from tests.app.test_page_queries import PAGES, people  # noqa: F401 (fixture)

from dosewise.patients.selectors import access_patient

pytestmark = pytest.mark.django_db

# A row read through a nullable foreign key is joined with LEFT OUTER JOIN; filtering the joined
# table on the clinic in WHERE would drop the rows without one, and Django puts no extra
# condition in the ON clause of a select_related join. These wait for a composite foreign key
# (clinic_id, id): docs/multi-clinic.md, "What has to change".
NULLABLE_JOINS = {
    "today, front desk": ["patients_patient (join)"],                  # a requested intake's patient, if any
    "chart overview": ["notifications_consentdisclosure (join)",      # a consent event's disclosure text
                       "medications_medication (join)"],               # a safety override's medicine
    "chart assessments": ["assessments_questionnaireresponse (join)", "medications_medication (join)"],
    "chart medications": ["medications_medication (join)"],
    "chart monitoring": ["medications_medication (join)"],
    "care tasks": ["assessments_questionnaireresponse (join)"],        # a care task's response
    "override report": ["medications_medication (join)"],
    "audit report": ["patients_patient (join)"],                       # an audit event's patient
    "portal appointments": ["scheduling_appointmenttype (join)"],      # a waiting-list entry's kind
}


def _unfiltered_while(run) -> list[str]:
    tables = distributed_tables()
    found: list[str] = []

    def check(execute, sql, params, many, context):
        found.extend(unfiltered_references(sql, tables))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(check):
        run()
    return sorted(set(found))


@pytest.mark.parametrize("page", list(PAGES))
def test_the_page_reads_each_clinic_table_for_its_clinic(page, people, dana, as_user):  # noqa: F811
    who, name, args, data = PAGES[page]
    url = reverse(name, args=[dana.pk if a == "dana" else a for a in args])
    client = as_user(people[who])
    assert client.get(url, data).status_code == 200  # first-view writes happen once
    unfiltered = _unfiltered_while(lambda: client.get(url, data))
    assert unfiltered == sorted(NULLABLE_JOINS.get(page, [])), unfiltered


def test_a_med_check_writes_and_reads_for_its_clinic_only(prescriber_a, dana):
    from dosewise.assessments.services import response_submit
    from dosewise.medications.services import medication_start
    from dosewise.messaging.services import thread_start_by_staff
    from dosewise.monitoring.services import observation_record

    access = access_patient(prescriber_a, dana.pk, "medications.prescribe")

    def med_check():
        medication_start(actor=prescriber_a, access=access, drug="lithium", dose_mg_per_day=Decimal(900),
                         frequency="450 mg twice daily", indication="bipolar I disorder")
        observation_record(actor=prescriber_a, access=access, test="lithium-level", value="0.8", unit="mmol/L",
                           effective_at=timezone.now() - timedelta(hours=2))
        response_submit(patient=dana, questionnaire="phq9", answers=[1, 1, 1, 0, 0, 1, 0, 0, 0], source="clinic",
                        actor=prescriber_a, access=access)
        thread_start_by_staff(actor=prescriber_a, access=access, subject="Your lithium level",
                              body="The level is in range; keep the same dose.")

    unfiltered = _unfiltered_while(med_check)
    # The overrides re-checked after each write read their medicine through a nullable key (see
    # NULLABLE_JOINS); a thread is saved by its primary key (Model.save() updates WHERE id = ...).
    assert unfiltered == ["medications_medication (join)", "messaging_thread"], unfiltered


def test_the_imports_read_and_write_for_their_clinic_only(prescriber_a, dana):
    from dosewise.medications.models import Medication
    from dosewise.monitoring import fill_imports, imports

    Medication.objects.create(clinic=dana.clinic, patient=dana, ingredient="lithium", created_by=prescriber_a,
                              start_date=timezone.localdate() - timedelta(days=200))
    day = timezone.localdate() - timedelta(days=30)
    results = f"mrn,test,value,unit,date\n{dana.mrn},lithium-level,0.8,mmol/L,{day} 08:00\n"
    fills = f"mrn,drug,fill_date,days_supply,quantity,pharmacy\n{dana.mrn},lithium,{day},30,60,Main St\n"
    outcomes = []

    def run_both():
        job = imports.result_import_create(actor=prescriber_a, filename="results.csv", data=results.encode())
        outcomes.append(imports.result_import_run(job.pk))
        job = fill_imports.fill_import_create(actor=prescriber_a, filename="fills.csv", data=fills.encode())
        outcomes.append(fill_imports.fill_import_run(job.pk))

    unfiltered = _unfiltered_while(run_both)
    assert outcomes == ["done", "done"]
    # The worker claims a job by the id the task queue hands it, before it has read the job.
    assert unfiltered == ["monitoring_fillimport", "monitoring_resultimport"], unfiltered


@pytest.mark.parametrize(("sql", "unfiltered"), [
    ('SELECT "t"."id" FROM "medications_medication" "t" WHERE "t"."patient_id" = 1', ["medications_medication"]),
    ('SELECT "medications_medication"."clinic_id" FROM "medications_medication" '
     'WHERE "medications_medication"."patient_id" = 1', ["medications_medication"]),
    ('SELECT "medications_medication"."id" FROM "medications_medication" '
     'WHERE ("medications_medication"."clinic_id" = 1 AND "medications_medication"."patient_id" = 1)', []),
    ('SELECT 1 FROM "monitoring_adherencespan" INNER JOIN "medications_medication" ON '
     '("monitoring_adherencespan"."medication_id" = "medications_medication"."id") '
     'WHERE "monitoring_adherencespan"."clinic_id" = 1', ["medications_medication (join)"]),
    ('SELECT 1 FROM "patients_patient" LEFT OUTER JOIN "assessments_scoresummary" s ON '
     '("patients_patient"."id" = s."patient_id" AND s."clinic_id" = 1) WHERE "patients_patient"."clinic_id" = 1', []),
    ('SELECT U0."patient_id" FROM "patients_careteammember" U0 WHERE U0."member_id" = 1',
     ["patients_careteammember"]),
    ("SELECT patients_careteammember.patient_id FROM patients_careteammember "
     "WHERE patients_careteammember.clinic_id = %s", []),
    ('UPDATE "monitoring_monitoringdue" SET "acknowledged_at" = NULL WHERE "monitoring_monitoringdue"."id" = 3',
     ["monitoring_monitoringdue"]),
    ('INSERT INTO "monitoring_observation" ("clinic_id", "patient_id") VALUES (1, 1)', []),
    ('SELECT "accounts_user"."id" FROM "accounts_user" WHERE "accounts_user"."id" = 1', []),  # a reference table
])
def test_the_check_finds_a_clinic_table_read_without_its_clinic(sql, unfiltered):
    assert unfiltered_references(sql, distributed_tables()) == unfiltered
