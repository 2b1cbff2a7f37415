from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "dosewise.notifications"
    label = "notifications"
