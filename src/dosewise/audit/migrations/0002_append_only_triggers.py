"""Make the audit table append-only in the database itself, not only in the model."""

from django.db import migrations


def _create(apps, schema_editor):
    from dosewise.audit.services import audit_triggers_sql

    create, _ = audit_triggers_sql(schema_editor.connection.vendor)
    for statement in create:
        schema_editor.execute(statement)


def _drop(apps, schema_editor):
    from dosewise.audit.services import audit_triggers_sql

    _, drop = audit_triggers_sql(schema_editor.connection.vendor)
    for statement in drop:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(_create, _drop)]
