"""Intakes asked for at the front door (a consultation request converted into a patient) and
their booking: the front desk sees the intakes still to book on Today, each with a link that
opens the booking form on the patient and the clinic's intake type; booking an intake for the
patient marks the request scheduled, in the same transaction.
"""

from __future__ import annotations

from django.apps import apps

from dosewise.scheduling.models import AppointmentType
from dosewise.scheduling.permissions import is_desk

SHOWN = 10


def _intake_model():
    if not apps.is_installed("dosewise.outreach"):
        return None
    return apps.get_model("outreach", "IntakeRequest")


def intakes_to_book(user) -> tuple[list, int, AppointmentType | None]:
    """Return the oldest requested intakes of the desk's clinic, how many there are, and the intake type."""
    model = _intake_model()
    if model is None or not is_desk(user):
        return [], 0, None
    waiting = model.objects.filter(clinic_id=user.clinic_id, status="requested")
    rows = list(waiting.select_related("patient").order_by("created_at")[:SHOWN])
    total = len(rows) if len(rows) < SHOWN else waiting.count()
    kind = (AppointmentType.objects.filter(clinic_id=user.clinic_id, active=True, is_intake=True)
            .order_by("name").first())
    return rows, total, kind


def intake_mark_scheduled(appointment) -> int:
    """Mark the patient's requested intakes scheduled once an intake appointment is booked for them."""
    model = _intake_model()
    if model is None or not appointment.type.is_intake:
        return 0
    return model.objects.filter(patient_id=appointment.patient_id, status="requested").update(status="scheduled")
