"""Sign-in backend: allauth's, with the signed-in user read together with their clinic."""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth import get_user_model


class ClinicAuthenticationBackend(AuthenticationBackend):
    """Load the user of each request with their clinic in one query.

    Every staff page reads `request.user.clinic` (the clinic's time zone for the base template,
    its day for care-team checks): fetched lazily, that was one more query on every page.
    """

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related("clinic").get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
