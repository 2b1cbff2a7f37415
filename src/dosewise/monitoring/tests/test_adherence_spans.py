"""Low adherence on the worklist is read from spans the fills keep: the same medicines as the PDC
of every fill, on the day of the fill and on later days, at a cost that does not grow with the
clinic's fills."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dosewise.clinical.adherence import Fill, is_low, proportion_of_days_covered
from dosewise.clinics.clock import clinic_today
from dosewise.medications.models import Medication
from dosewise.monitoring import selectors, services
from dosewise.monitoring.models import AdherenceSpan, PharmacyFill

pytestmark = pytest.mark.django_db

DRUGS = ("lithium", "sertraline", "quetiapine", "lamotrigine", "bupropion", "aripiprazole")


def _medicines(patient, prescriber, n):
    today = clinic_today(patient.clinic)
    return [Medication.objects.create(clinic=patient.clinic, patient=patient, ingredient=DRUGS[k % len(DRUGS)],
                                      start_date=today - timedelta(days=400), created_by=prescriber)
            for k in range(n)]


def _fill_irregularly(rng, access, prescriber, medicine):
    """A year of fills, each late by 0 to 40 days: some medicines end above 80%, some below."""
    today = clinic_today(access.patient.clinic)
    day = today - timedelta(days=360)
    while day <= today:
        supply = rng.choice((30, 30, 90))
        services.pharmacy_fill_record(actor=prescriber, access=access, medication_id=medicine.pk, filled_on=day,
                                      days_supply=supply)
        day += timedelta(days=supply + rng.choice((0, 0, 3, 10, 25, 40)))


def _low_by_pdc(medicines, day):
    """The medicines low on `day` computed the slow way, from every fill."""
    low = set()
    for medicine in medicines:
        fills = [Fill(f.filled_on, f.days_supply) for f in PharmacyFill.objects.filter(medication=medicine)]
        if is_low(proportion_of_days_covered(fills, end=day, period_days=selectors.ADHERENCE_WORKLIST_DAYS)):
            low.add(medicine.pk)
    return low


def _low_on_worklist(user):
    count, items = selectors._low_adherence(user, selectors.Q(), None)
    assert count == len(items)
    return {i.object_id for i in items}


def test_the_worklist_names_the_medicines_the_pdc_finds_low_today_and_on_later_days(prescriber_a, dana,
                                                                                  dana_access):
    rng = random.Random(16)
    medicines = _medicines(dana, prescriber_a, 6)
    for medicine in medicines:
        _fill_irregularly(rng, dana_access, prescriber_a, medicine)
    today = clinic_today(dana.clinic)
    expected_today = _low_by_pdc(medicines, today)
    assert 0 < len(expected_today) < len(medicines), "the fills should leave some medicines low and some not"
    assert _low_on_worklist(prescriber_a) == expected_today
    for days in (12, 45, 130):  # no further fills: medicines fall below 80% as their supply runs out
        with time_machine.travel(timezone.now() + timedelta(days=days), tick=False):
            assert _low_on_worklist(prescriber_a) == _low_by_pdc(medicines, clinic_today(dana.clinic)), days


def test_a_fill_that_brings_the_medicine_back_above_80_percent_takes_it_off_the_worklist(prescriber_a, dana,
                                                                                         dana_access):
    (medicine,) = _medicines(dana, prescriber_a, 1)
    today = clinic_today(dana.clinic)
    services.pharmacy_fill_record(actor=prescriber_a, access=dana_access, medication_id=medicine.pk,
                                  filled_on=today - timedelta(days=89), days_supply=30)
    assert _low_on_worklist(prescriber_a) == {medicine.pk}
    services.pharmacy_fill_record(actor=prescriber_a, access=dana_access, medication_id=medicine.pk,
                                  filled_on=today - timedelta(days=59), days_supply=60)
    assert _low_on_worklist(prescriber_a) == set()
    assert AdherenceSpan.objects.filter(medication=medicine).exists()  # it will be low once this supply ends


def test_a_stopped_medicine_leaves_the_worklist(prescriber_a, dana, dana_access):
    (medicine,) = _medicines(dana, prescriber_a, 1)
    services.pharmacy_fill_record(actor=prescriber_a, access=dana_access, medication_id=medicine.pk,
                                  filled_on=clinic_today(dana.clinic) - timedelta(days=80), days_supply=20)
    assert _low_on_worklist(prescriber_a) == {medicine.pk}
    Medication.objects.filter(pk=medicine.pk).update(status="discontinued")
    assert _low_on_worklist(prescriber_a) == set()


def test_today_reads_the_fills_of_the_items_it_shows_only(prescriber_a, dana, dana_access, as_user):
    """Twelve medicines low: Today shows five and reads the fills of those five, in as many
    queries as with one medicine low."""
    def today_page():
        with CaptureQueriesContext(connection) as captured:
            assert as_user(prescriber_a).get("/").status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    medicines = _medicines(dana, prescriber_a, 12)
    day = clinic_today(dana.clinic) - timedelta(days=85)
    services.pharmacy_fill_record(actor=prescriber_a, access=dana_access, medication_id=medicines[0].pk,
                                  filled_on=day, days_supply=10)
    one = today_page()
    for medicine in medicines[1:]:
        services.pharmacy_fill_record(actor=prescriber_a, access=dana_access, medication_id=medicine.pk,
                                      filled_on=day, days_supply=10)
    twelve = today_page()
    assert len(one) == len(twelve)
    (fill_read,) = [sql for sql in twelve if 'FROM "monitoring_pharmacyfill"' in sql]
    ids = re.search(r'"medication_id" IN \(([^)]*)\)', fill_read).group(1).split(",")
    assert len(ids) == 5


def test_an_acknowledgement_after_an_old_fill_recorded_late_takes_the_item_off_until_a_new_fill(
        prescriber_a, dana, dana_access):
    (medicine,) = _medicines(dana, prescriber_a, 1)
    today = clinic_today(dana.clinic)
    services.pharmacy_fill_record(actor=prescriber_a, access=dana_access, medication_id=medicine.pk,
                                  filled_on=today - timedelta(days=80), days_supply=20)
    # A fill from two years ago, typed in now: the newest row, but it says nothing about today.
    services.pharmacy_fill_record(actor=prescriber_a, access=dana_access, medication_id=medicine.pk,
                                  filled_on=today - timedelta(days=700), days_supply=30)
    assert _low_on_worklist(prescriber_a) == {medicine.pk}
    services.low_adherence_acknowledge(actor=prescriber_a, access=dana_access, medication_id=medicine.pk,
                                       note="Discussed the cost; switching pharmacy")
    assert _low_on_worklist(prescriber_a) == set()
    # A new fill that leaves the medicine below 80% brings it back.
    services.pharmacy_fill_record(actor=prescriber_a, access=dana_access, medication_id=medicine.pk,
                                  filled_on=today - timedelta(days=10), days_supply=10)
    assert _low_on_worklist(prescriber_a) == {medicine.pk}


def test_the_first_items_of_a_page_come_with_the_count_of_all_of_them(prescriber_a, dana, dana_access,
                                                                       django_assert_num_queries):
    """A page's first few low medicines and the count of every one in one query (then their rows
    and fills): the same count and the same first items as reading them all."""
    medicines = _medicines(dana, prescriber_a, 7)
    today = clinic_today(dana.clinic)
    for offset, medicine in enumerate(medicines):  # each low, filled on a different day
        services.pharmacy_fill_record(actor=prescriber_a, access=dana_access, medication_id=medicine.pk,
                                      filled_on=today - timedelta(days=80 + offset), days_supply=10)
    every_count, every = selectors._low_adherence(prescriber_a, selectors.Q(), None)
    with django_assert_num_queries(3):  # picked with the count, read with patient and medicine, their fills
        count, first = selectors._low_adherence(prescriber_a, selectors.Q(), 3)
    assert every_count == count == 7
    assert [i.object_id for i in first] == [i.object_id for i in every[:3]] == [m.pk for m in medicines[:3]]
    assert selectors._low_adherence(prescriber_a, selectors.Q(), 0) == (7, [])
    Medication.objects.filter(pk__in=[m.pk for m in medicines]).update(status="discontinued")
    assert selectors._low_adherence(prescriber_a, selectors.Q(), 3) == (0, [])
