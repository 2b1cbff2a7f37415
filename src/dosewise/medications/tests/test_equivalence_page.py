"""The dose-equivalence calculator page: a result with its source and warning, errors on the form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dosewise.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
URL = reverse("medications:equivalence")


def test_it_converts_with_the_table_source_and_the_warning(as_user, prescriber_a):
    response = as_user(prescriber_a).get(URL, {"from_drug": "diazepam", "dose_mg": "10", "to_drug": "clonazepam",
                                               "table": "ashton2002"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "10 mg/day diazepam" in body and "0.5 mg/day clonazepam" in body
    assert "ashton2002" in body and "Ashton" in body
    assert "Dose equivalents are approximate" in body


def test_the_blank_form_shows_the_tables_without_a_result(as_user, nurse_a):
    body = as_user(nurse_a).get(URL).content.decode()
    assert "Dose-equivalence calculator" in body and "hayasaka2015" in body and "Result" not in body


def test_drugs_no_table_covers_together_are_refused_on_the_form(as_user, prescriber_a):
    response = as_user(prescriber_a).get(URL, {"from_drug": "sertraline", "dose_mg": "50", "to_drug": "diazepam"})
    assert response.status_code == 400
    assert "No equivalence table covers both sertraline" in response.content.decode()
    assert "only defined within one drug class" in response.content.decode()


def test_a_dose_that_is_not_positive_is_refused(as_user, prescriber_a):
    response = as_user(prescriber_a).get(URL, {"from_drug": "fluoxetine", "dose_mg": "0", "to_drug": "sertraline"})
    assert response.status_code == 400 and "positive number of mg" in response.content.decode()


def test_it_reads_no_patient_data_and_writes_no_audit_event(as_user, prescriber_a):
    as_user(prescriber_a).get(URL, {"from_drug": "fluoxetine", "dose_mg": "20", "to_drug": "sertraline"})
    assert not AuditEvent.objects.filter(actor=prescriber_a, patient__isnull=False).exists()


def test_brand_names_are_resolved_and_unknown_names_get_suggestions(as_user, prescriber_a):
    client = as_user(prescriber_a)
    body = client.get(URL, {"from_drug": "Paxil", "dose_mg": "20", "to_drug": "Zoloft"}).content.decode()
    assert "20 mg/day paroxetine" in body and "hayasaka2015" in body
    response = client.get(URL, {"from_drug": "sertralin", "dose_mg": "50", "to_drug": "paroxetine"})
    assert response.status_code == 400 and "Unknown drug &#x27;sertralin&#x27;; did you mean" in \
        response.content.decode()
