from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dosewise.accounts.clinic_settings import clinic_phone_set
from dosewise.clinics.models import Clinic


class Command(BaseCommand):
    help = "Set the phone number patients call for a clinic, e.g. `dosewise manage clinic_phone demo '(312) 555-0100'`."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the clinic's slug")
        parser.add_argument("phone")

    def handle(self, *args, slug: str, phone: str, **options):
        clinic = Clinic.objects.filter(slug=slug).first()
        if clinic is None:
            raise CommandError(f"no clinic with the slug {slug!r}")
        try:
            clinic_phone_set(clinic=clinic, phone=phone)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"{clinic.name}: patients call {clinic.phone}")
