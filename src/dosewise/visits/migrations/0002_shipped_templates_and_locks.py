"""The note templates Dosewise ships, and the triggers that lock signed notes in the database.

On SQLite, a later migration that rebuilds one of these tables (most AlterField/AddField
operations do) drops its triggers with the old table: such a migration must run
`note_triggers_sql` again, as this one does.
"""

from django.db import migrations


def _templates(apps, schema_editor):
    from dosewise.visits.note_types import SHIPPED_TEMPLATES

    NoteTemplate = apps.get_model("visits", "NoteTemplate")
    for spec in SHIPPED_TEMPLATES:
        NoteTemplate.objects.update_or_create(clinic=None, key=spec["key"], defaults={
            "name": spec["name"], "kind": spec["kind"], "description": spec["description"],
            "sections": spec["sections"]})


def _no_templates(apps, schema_editor):
    apps.get_model("visits", "NoteTemplate").objects.filter(clinic=None, notes__isnull=True).delete()


def _locks(apps, schema_editor):
    from dosewise.visits.services import note_triggers_sql

    create, _ = note_triggers_sql(schema_editor.connection.vendor)
    for statement in create:
        schema_editor.execute(statement)


def _unlock(apps, schema_editor):
    from dosewise.visits.services import note_triggers_sql

    _, drop = note_triggers_sql(schema_editor.connection.vendor)
    for statement in drop:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("visits", "0001_notes_trials_letters_decisions")]
    operations = [migrations.RunPython(_templates, _no_templates), migrations.RunPython(_locks, _unlock)]
