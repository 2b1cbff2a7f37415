from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "dosewise.patients"
    label = "patients"
