"""Medication history records the day a change took effect, as the clinician gave it.

Existing rows get the clinic-local date of when they were typed (the best that is known);
a start takes the medicine's start date.
"""

from zoneinfo import ZoneInfo

from django.db import migrations, models


def fill_effective_dates(apps, schema_editor):
    DoseChange = apps.get_model("medications", "DoseChange")
    Clinic = apps.get_model("clinics", "Clinic")
    zones = {c.pk: ZoneInfo(c.timezone) for c in Clinic.objects.all()}
    for change in DoseChange.objects.select_related("medication").iterator(chunk_size=2000):
        if change.kind == "start":
            change.effective_date = change.medication.start_date
        else:
            change.effective_date = change.changed_at.astimezone(zones[change.clinic_id]).date()
        change.save(update_fields=["effective_date"])


class Migration(migrations.Migration):

    dependencies = [
        ("clinics", "0001_initial"),
        ("medications", "0005_structured_overrides_resolution_and_review"),
    ]

    operations = [
        migrations.AddField(
            model_name="dosechange",
            name="effective_date",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(fill_effective_dates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="dosechange",
            name="effective_date",
            field=models.DateField(help_text="the day the change took effect, as the clinician gave it (the clinic's date); due monitoring counts from it"),
        ),
        migrations.AlterField(
            model_name="dosechange",
            name="changed_at",
            field=models.DateTimeField(auto_now_add=True, help_text="when it was typed"),
        ),
    ]
