from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dosewise.accounts.clinic_settings import clinic_address_set
from dosewise.clinics.models import Clinic


class Command(BaseCommand):
    help = ("Set the practice address printed on a clinic's prescriptions, e.g. "
            "`dosewise manage clinic_address demo '100 Lake Street, Springfield, IL 62701'`.")

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the clinic's slug")
        parser.add_argument("address")

    def handle(self, *args, slug: str, address: str, **options):
        clinic = Clinic.objects.filter(slug=slug).first()
        if clinic is None:
            raise CommandError(f"no clinic with the slug {slug!r}")
        try:
            clinic_address_set(clinic=clinic, address=address)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"{clinic.name}: prescriptions print {clinic.address}")
