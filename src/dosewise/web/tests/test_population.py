"""The population generator: histories that look like a clinic's, in bulk, through one command."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from dosewise.assessments.models import QuestionnaireResponse, ScoreSummary
from dosewise.audit.models import AuditEvent
from dosewise.medications.models import DoseChange, Medication
from dosewise.monitoring.models import Observation, PharmacyFill
from dosewise.patients.models import Patient
from dosewise.web.population import population_load

pytestmark = pytest.mark.django_db


def test_it_loads_patients_with_medicines_fills_results_and_scores(clinic_a, prescriber_a, nurse_a):
    counts = population_load(clinic_a, patients=60, years=3, seed=5)
    assert Patient.objects.filter(clinic=clinic_a).count() == counts.patients == 60
    assert Medication.objects.filter(clinic=clinic_a).count() == counts.medications >= 60
    assert DoseChange.objects.filter(clinic=clinic_a).count() == counts.dose_changes
    assert PharmacyFill.objects.filter(clinic=clinic_a).count() == counts.fills
    assert Observation.objects.filter(clinic=clinic_a).count() == counts.observations > 60 * 10
    assert QuestionnaireResponse.objects.filter(clinic=clinic_a).count() == counts.responses
    # Most results in range, a few out; old out-of-range ones already reviewed.
    flagged = Observation.objects.exclude(flag="normal").count()
    assert 0 < flagged < counts.observations * 0.08
    assert Observation.objects.filter(review_priority__isnull=False).count() < flagged
    # Scores: most patients improve, some do not.
    summaries = ScoreSummary.objects.filter(clinic=clinic_a)
    assert summaries.count() == counts.summaries
    assert summaries.filter(change__lt=0).count() > summaries.count() / 2 > summaries.filter(change__gte=0).count() > 0
    # The dose history keeps its historic dates, and a fill never precedes its medicine's start.
    assert DoseChange.objects.filter(changed_at__year__lt=2026).exists()
    assert not any(f.filled_on < f.medication.start_date for f in PharmacyFill.objects.select_related("medication"))
    assert AuditEvent.objects.get(action="population.load").detail["patients"] == 60


def test_the_same_seed_gives_the_same_population(clinic_a, clinic_b, prescriber_a, clinician_b):
    first = population_load(clinic_a, patients=5, years=2, seed=9)
    second = population_load(clinic_b, patients=5, years=2, seed=9)
    assert (first.observations, first.fills, first.responses) == (second.observations, second.fills, second.responses)


def test_the_command_reports_what_it_added_and_refuses_nonsense(clinic_a, prescriber_a):
    out = StringIO()
    call_command("populate", "--patients", "3", "--years", "1", "--clinic", clinic_a.slug, stdout=out)
    assert "Added 3 patients to Northside Psychiatry" in out.getvalue()
    with pytest.raises(CommandError, match="years between 1 and 20"):
        call_command("populate", "--patients", "3", "--years", "50", "--clinic", clinic_a.slug, stdout=out)
    with pytest.raises(CommandError, match="no clinic"):
        call_command("populate", "--patients", "3", "--clinic", "nowhere", stdout=out)
