from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_counter_from_time, hotp_value
from django.core.management.base import BaseCommand, CommandError

from dosewise.demo import DEMO_USERS, demo_totp_secret


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account (demo clinic only)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        if email not in {row[0] for row in DEMO_USERS}:
            raise CommandError(f"{email} is not a demo account")
        code = format_hotp_value(hotp_value(demo_totp_secret(email), hotp_counter_from_time()))
        self.stdout.write(code)
