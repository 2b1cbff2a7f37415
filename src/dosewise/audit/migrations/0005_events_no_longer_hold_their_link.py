"""Events no longer hold their place in the chain: seals do (decision 0039).

The single-column indexes of chain, created_at, action, actor, clinic and patient go too: every
audited page view inserts a row, nobody reads events by chain any more, and the (x, -created_at)
indexes serve the audit report (always one clinic's) and the lookups by actor, clinic and patient. On SQLite, these changes rebuild the table, which
drops its triggers: they are put back.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


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
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ('clinics', '0001_initial'),
        ('patients', '0001_initial'),
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
        migrations.AlterField(
            model_name='auditevent',
            name='actor',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='chain',
            field=models.BigIntegerField(),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='created_at',
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(max_length=60),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='clinic',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.clinic'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='patient',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='patients.patient'),
        ),
        migrations.RunPython(_triggers(True), _triggers(False)),
    ]
