from django.conf import settings


def dosewise(request) -> dict:
    return {"DOSEWISE_VERSION": settings.VERSION}
