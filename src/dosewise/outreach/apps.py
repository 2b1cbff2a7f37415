from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "dosewise.outreach"
    label = "outreach"
