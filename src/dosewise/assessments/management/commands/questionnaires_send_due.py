from django.core.management.base import BaseCommand

from dosewise.assessments.services import schedules_send_due


class Command(BaseCommand):
    help = "E-mail questionnaire links for every measurement schedule that is due (run daily or hourly)."

    def handle(self, *args, **options):
        count = schedules_send_due()
        self.stdout.write(f"{count} questionnaire link(s) sent")
