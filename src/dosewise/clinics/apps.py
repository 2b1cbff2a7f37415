from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "dosewise.clinics"
    label = "clinics"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from dosewise.clinics import row_security

        # Row-level security by clinic on PostgreSQL (docs/decisions/0060).
        connection_created.connect(row_security.connection_prepare, dispatch_uid="clinics_row_security")
        post_migrate.connect(row_security.policies_install, sender=self, dispatch_uid="clinics_row_policies")
