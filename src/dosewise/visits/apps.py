from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "dosewise.visits"
    label = "visits"
    verbose_name = "Visits"
