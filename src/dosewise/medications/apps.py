from django.apps import AppConfig


class MedicationsConfig(AppConfig):
    name = "dosewise.medications"
    label = "medications"
    verbose_name = "Medications"
