from django.core.management.base import BaseCommand

from dosewise.assessments.services import care_tasks_escalate


class Command(BaseCommand):
    help = ("Escalate urgent risk tasks left unacknowledged for RISK_ESCALATION_MINUTES to each clinic's "
            "on-call role (run every few minutes, e.g. from cron, beside the worker).")

    def handle(self, *args, **options):
        count = care_tasks_escalate()
        self.stdout.write(f"{count} task(s) escalated")
