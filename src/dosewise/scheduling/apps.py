from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "dosewise.scheduling"
    label = "scheduling"
    verbose_name = "Scheduling"
