from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "dosewise.portal"
    label = "portal"
    verbose_name = "Patient portal"

    def ready(self) -> None:
        from dosewise.portal import receivers  # noqa: F401
