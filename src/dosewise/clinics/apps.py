from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "dosewise.clinics"
    label = "clinics"
