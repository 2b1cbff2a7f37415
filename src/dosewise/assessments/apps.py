from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "dosewise.assessments"
    label = "assessments"
    verbose_name = "Measurement-based care"
