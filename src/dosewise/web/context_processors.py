from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings


def dosewise(request) -> dict:
    return {"DOSEWISE_VERSION": settings.VERSION, "clinic_timezone": clinic_timezone(request)}


def clinic_timezone(request) -> ZoneInfo | None:
    """Return the signed-in user's clinic time zone, for `{% timezone %}` in the base template.

    Only the rendering moves to the clinic clock: code keeps working in UTC, so dates compared
    in services (care-team membership, due dates) do not change meaning from request to task.
    """
    clinic = getattr(getattr(request, "user", None), "clinic", None)
    try:
        return ZoneInfo(clinic.timezone) if clinic is not None and clinic.timezone else None
    except (ZoneInfoNotFoundError, ValueError):
        return None
