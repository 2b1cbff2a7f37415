"""Seals (each event's link in its chain), the sealer's mark and signed checkpoints (decisions 0039, 0040)."""

import django.db.models.deletion
from django.db import migrations, models


def _triggers(prefixes, create: bool):
    def run(apps, schema_editor):
        from dosewise.audit.services import audit_triggers_sql

        for prefix in prefixes:
            made, dropped = audit_triggers_sql(schema_editor.connection.vendor, prefix)
            for statement in made if create else dropped:
                schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_triggers'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditCheckpoint',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('chain', models.BigIntegerField()),
                ('seq', models.BigIntegerField()),
                ('head_hash', models.CharField(max_length=64)),
                ('created_at', models.DateTimeField()),
                ('key_id', models.CharField(max_length=16)),
                ('signature', models.CharField(max_length=64)),
            ],
            options={
                'indexes': [models.Index(fields=['chain', '-seq'], name='audit_audit_chain_56d971_idx')],
            },
        ),
        migrations.CreateModel(
            name='AuditSeal',
            fields=[
                ('event', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True, related_name='seal', serialize=False, to='audit.auditevent')),
                ('chain', models.BigIntegerField()),
                ('seq', models.BigIntegerField()),
                ('prev_hash', models.CharField(max_length=64)),
                ('hash', models.CharField(max_length=64)),
                ('sealed_at', models.DateTimeField()),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('chain', 'seq'), name='audit_seal_chain_seq_unique')],
            },
        ),
        migrations.CreateModel(
            name='AuditSealMark',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('below_id', models.BigIntegerField(default=0)),
                ('sealed_at', models.DateTimeField(blank=True, null=True)),
            ],
        ),
        migrations.RunPython(_triggers(("audit_seal", "audit_checkpoint"), True),
                             _triggers(("audit_seal", "audit_checkpoint"), False)),
    ]
