from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dosewise.accounts"
    label = "accounts"

    def ready(self) -> None:
        from dosewise.accounts import signals  # noqa: F401  (connects the audit receivers)
