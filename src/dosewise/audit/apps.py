from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _create_audit_key(sender, **kwargs) -> None:
    # The checkpoint signing key lives beside the data, never in the database (decision 0040).
    from dosewise.audit.checkpoints import audit_key_ensure

    audit_key_ensure()


class AuditConfig(AppConfig):
    name = "dosewise.audit"
    label = "audit"

    def ready(self) -> None:
        post_migrate.connect(_create_audit_key, sender=self, dispatch_uid="dosewise.audit.key")
