from django.core.management.base import BaseCommand

from dosewise.monitoring.imports import import_jobs_reclaim


class Command(BaseCommand):
    help = ("Queue again the imports whose worker stopped renewing its lease (it died), or mark them stopped "
            "after their last attempt (the clock does this every minute; for cron, run it every few minutes).")

    def handle(self, *args, **options):
        counts = import_jobs_reclaim()
        self.stdout.write(f"{counts['requeued']} import(s) queued again, {counts['failed']} given up")
