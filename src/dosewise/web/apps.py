from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "dosewise.web"
    label = "web"
