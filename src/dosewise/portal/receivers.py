"""An invited patient's first sign-in makes their portal account active; a message from the care
team alerts the patient by push when they asked for it."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from dosewise.clinics.roles import Role
from dosewise.notifications.signals import patient_message_posted


@receiver(user_logged_in, dispatch_uid="portal_activate_on_login")
def _activate_on_login(sender, request, user, **kwargs) -> None:
    if user.role == Role.PATIENT:
        from dosewise.portal.services import portal_activate

        portal_activate(user=user)


@receiver(patient_message_posted, dispatch_uid="portal_message_alert")
def _message_alert(sender, patient, **kwargs) -> None:
    from dosewise.portal.services import patient_alert_message

    patient_alert_message(patient=patient)
