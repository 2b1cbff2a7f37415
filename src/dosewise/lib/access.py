"""The one check every staff page makes before anything else."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


def require_clinic_staff(request) -> None:
    """Refuse (403) anyone signed in who is not clinic staff, such as a portal patient."""
    if not request.user.is_clinic_staff:
        raise PermissionDenied("This page is for clinic staff.")
