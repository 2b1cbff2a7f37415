from django.apps import AppConfig, apps
from django.db.models.signals import post_save


class MonitoringConfig(AppConfig):
    name = "dosewise.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring"

    def ready(self) -> None:
        if apps.is_installed("dosewise.medications"):
            from dosewise.monitoring.receivers import dose_change_saved

            post_save.connect(dose_change_saved, sender="medications.DoseChange",
                              dispatch_uid="monitoring_due_on_dose_change")
