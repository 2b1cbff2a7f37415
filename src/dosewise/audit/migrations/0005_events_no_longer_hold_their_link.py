"""Events no longer hold their place in the chain: seals do (decision 0039).

On SQLite, dropping columns rebuilds the table, which drops its triggers: they are put back.
"""

from django.db import migrations


def _triggers(create: bool):
    def run(apps, schema_editor):
        from dosewise.audit.services import audit_triggers_sql

        made, dropped = audit_triggers_sql(schema_editor.connection.vendor, "audit_event")
        for statement in made if create else dropped:
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_seal_the_events_of_the_old_chains'),
    ]

    operations = [
        migrations.RunPython(_triggers(False), _triggers(True)),
        migrations.RemoveConstraint(
            model_name='auditevent',
            name='audit_event_chain_seq_unique',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='hash',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='prev_hash',
        ),
        migrations.RemoveField(
            model_name='auditevent',
            name='seq',
        ),
        migrations.RunPython(_triggers(True), _triggers(False)),
    ]
