"""`dosewise manage populate --patients 10000 --years 5`: a synthetic clinic at scale."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from dosewise.clinics.models import Clinic
from dosewise.demo import DEMO_SLUG, database_analyze, demo_load
from dosewise.web.population import population_load


class Command(BaseCommand):
    help = ("Add synthetic patients with years of medicines, fills, results and questionnaires to a clinic "
            "(the demo clinic by default, created when missing). Every person is invented.")

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, default=1000, help="patients to add (default 1000)")
        parser.add_argument("--years", type=int, default=5, help="years of history per patient (1-20, default 5)")
        parser.add_argument("--clinic", default=DEMO_SLUG, help="the clinic's slug (default: the demo clinic)")
        parser.add_argument("--seed", type=int, default=16, help="random seed, for a repeatable population")

    def handle(self, *args, patients: int, years: int, clinic: str, seed: int, **options):
        if clinic == DEMO_SLUG:
            demo_load(patients=0)
        found = Clinic.objects.filter(slug=clinic).first()
        if found is None:
            raise CommandError(f"no clinic with the slug {clinic!r}")
        try:
            counts = population_load(found, patients=patients, years=years, seed=seed,
                                     progress=lambda line: self.stdout.write(line))
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        database_analyze()
        total = counts.seconds["total"]
        self.stdout.write(self.style.SUCCESS(
            f"Added {counts.patients} patients to {found.name} in {total:.1f} s: {counts.medications} medicines, "
            f"{counts.medication_events} medication events ({counts.dose_changes} dose-history rows, "
            f"{counts.fills} pharmacy fills), {counts.observations} results, {counts.responses} questionnaire "
            f"answers, {counts.summaries} score summaries."))
