# Text reminders matched to replies, and the visit started from the schedule.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('clinics', '0004_clinic_address'),
        ('notifications', '0003_outbox_send_checks_and_consent_ledger'),
        ('scheduling', '0002_no_double_booking'),
    ]

    operations = [
        migrations.AlterField(
            model_name='appointment',
            name='status',
            field=models.CharField(choices=[('booked', 'Booked'), ('confirmed', 'Confirmed'), ('arrived', 'Arrived'), ('started', 'In progress'), ('completed', 'Completed'), ('cancelled', 'Cancelled'), ('no_show', 'No-show')], default='booked', max_length=10),
        ),
        migrations.CreateModel(
            name='AppointmentText',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('address', models.CharField(max_length=20)),
                ('created_at', models.DateTimeField()),
                ('appointment', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='texts', to='scheduling.appointment')),
                ('clinic', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='clinics.clinic')),
                ('message', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='notifications.outboundmessage')),
            ],
            options={
                'indexes': [models.Index(fields=['address', 'created_at'], name='scheduling__address_19e188_idx')],
            },
        ),
    ]
