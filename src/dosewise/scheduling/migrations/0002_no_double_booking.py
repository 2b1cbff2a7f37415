"""Double booking refused by the database itself, whatever writes the rows.

PostgreSQL: exclusion constraints (btree_gist, so that a provider or resource id can be
compared with = in a GiST index next to the time range): no two live appointments of one
provider, and no two active holds of one resource, may overlap in [start, blocks_until).
SQLite has no exclusion constraints: triggers refuse the overlapping insert or update, and
since every write transaction begins IMMEDIATE (config/settings.py) writers are serialised,
so the trigger's check and the write cannot interleave with another booking.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

PG_FORWARD = [
    """ALTER TABLE scheduling_appointment ADD CONSTRAINT appointment_provider_no_overlap
       EXCLUDE USING gist (provider_id WITH =, tstzrange(starts_at, blocks_until, '[)') WITH &&)
       WHERE (status <> 'cancelled')""",
    """ALTER TABLE scheduling_resourcehold ADD CONSTRAINT resource_hold_no_overlap
       EXCLUDE USING gist (resource_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
       WHERE (active)""",
]
PG_BACKWARD = [
    "ALTER TABLE scheduling_appointment DROP CONSTRAINT appointment_provider_no_overlap",
    "ALTER TABLE scheduling_resourcehold DROP CONSTRAINT resource_hold_no_overlap",
]

_APPOINTMENT_CLASH = """
    SELECT RAISE(ABORT, 'appointment_provider_no_overlap')
    WHERE NEW.status <> 'cancelled' AND EXISTS (
        SELECT 1 FROM scheduling_appointment other
        WHERE other.provider_id = NEW.provider_id AND other.id IS NOT NEW.id AND other.status <> 'cancelled'
          AND other.starts_at < NEW.blocks_until AND NEW.starts_at < other.blocks_until);
"""
_HOLD_CLASH = """
    SELECT RAISE(ABORT, 'resource_hold_no_overlap')
    WHERE NEW.active AND EXISTS (
        SELECT 1 FROM scheduling_resourcehold other
        WHERE other.resource_id = NEW.resource_id AND other.id IS NOT NEW.id AND other.active
          AND other.starts_at < NEW.ends_at AND NEW.starts_at < other.ends_at);
"""
SQLITE_FORWARD = [
    f"CREATE TRIGGER appointment_no_overlap_insert BEFORE INSERT ON scheduling_appointment BEGIN {_APPOINTMENT_CLASH} END",
    f"CREATE TRIGGER appointment_no_overlap_update BEFORE UPDATE ON scheduling_appointment BEGIN {_APPOINTMENT_CLASH} END",
    f"CREATE TRIGGER resource_hold_no_overlap_insert BEFORE INSERT ON scheduling_resourcehold BEGIN {_HOLD_CLASH} END",
    f"CREATE TRIGGER resource_hold_no_overlap_update BEFORE UPDATE ON scheduling_resourcehold BEGIN {_HOLD_CLASH} END",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER appointment_no_overlap_insert", "DROP TRIGGER appointment_no_overlap_update",
    "DROP TRIGGER resource_hold_no_overlap_insert", "DROP TRIGGER resource_hold_no_overlap_update",
]


def _run(statements: dict):
    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_schedule")]

    operations = [
        BtreeGistExtension(),
        migrations.RunPython(_run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
                             _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD})),
    ]
