"""Who may do what with the schedule (on top of the patient rules of `access_patient`).

Front desk and clinic admins book, move and cancel for every provider of their clinic and see
the whole clinic's calendar. Clinicians see and work on their own calendar, for patients whose
care team they are on; they may not book on a colleague's calendar. Only clinic admins
configure appointment types and resources.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from dosewise.clinics.roles import CLINICAL_ROLES, Role

DESK_ROLES = frozenset({Role.FRONT_DESK, Role.CLINIC_ADMIN})


def is_desk(user) -> bool:
    """Return whether the user books for everyone (front desk, clinic admin)."""
    return user.is_active and user.is_clinic_staff and user.role in DESK_ROLES


def is_clinician(user) -> bool:
    return user.is_active and user.is_clinic_staff and user.role in CLINICAL_ROLES


def require_schedule_user(user) -> None:
    """Refuse (403) anyone who has no calendar to see: patients and accounts outside a clinic."""
    if not (is_desk(user) or is_clinician(user)):
        raise PermissionDenied("The schedule is for clinic staff.")


def may_work_on(user, provider) -> bool:
    """Return whether the user may book or change appointments on `provider`'s calendar."""
    if provider.clinic_id != user.clinic_id:
        return False
    return is_desk(user) or (is_clinician(user) and provider.pk == user.pk)


def require_work_on(user, provider) -> None:
    if not may_work_on(user, provider):
        raise PermissionDenied("You may change only your own calendar; the front desk books for colleagues.")


def require_admin(user) -> None:
    if not (user.is_active and user.is_clinic_staff and user.role == Role.CLINIC_ADMIN):
        raise PermissionDenied("Appointment types and resources are set by a clinic admin.")
