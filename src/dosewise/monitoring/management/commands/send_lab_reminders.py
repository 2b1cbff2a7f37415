from django.core.management.base import BaseCommand

from dosewise.monitoring.reminders import lab_reminders_send


class Command(BaseCommand):
    help = "Remind patients of due and overdue monitoring by SMS or e-mail, as they consented (run daily)."

    def handle(self, *args, **options):
        run = lab_reminders_send()
        self.stdout.write(f"{run.sent} patient(s) reminded; not reminded: {run.no_consent} without consent, "
                          f"{run.no_contact} without contact details for the consented channel")
