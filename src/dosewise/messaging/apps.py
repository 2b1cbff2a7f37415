from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "dosewise.messaging"
    label = "messaging"
    verbose_name = "Secure messages"
