"""Clinics are the tenants: every row of health information carries one."""

from __future__ import annotations

from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.db import models


def _validate_timezone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(f"{value!r} is not a time zone name such as America/Chicago")


class Clinic(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    timezone = models.CharField(max_length=64, default="America/Chicago", validators=[_validate_timezone])
    mrn_prefix = models.CharField(max_length=8, default="DW")
    # The next MRN number; taken under a row lock by patient_register.
    mrn_next = models.PositiveIntegerField(default=1)
    address = models.CharField(
        max_length=300, blank=True,
        help_text="The practice's street address, printed with the prescriber's name on prescriptions (21 CFR 1306.05).",
    )
    phone = models.CharField(
        max_length=30, blank=True,
        help_text="The number patients call; shown with every triage advice, handout and portal page.",
    )
    crisis_resources = models.TextField(
        default="If you are in crisis, call or text 988 (Suicide & Crisis Lifeline, US) or call 911.",
        help_text="Shown to patients who give a risk answer.",
    )
    # Unacknowledged urgent tasks go to this role after settings.RISK_ESCALATION_MINUTES.
    on_call_role = models.CharField(
        max_length=20, default="prescriber",
        choices=[("prescriber", "Prescriber"), ("nurse", "Nurse"), ("therapist", "Therapist")],
        help_text="Who receives urgent risk tasks that the care team has not acknowledged in time.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name
