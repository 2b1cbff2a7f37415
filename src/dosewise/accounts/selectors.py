"""Reads of accounts, permission-checked."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from dosewise.accounts.models import User
from dosewise.clinics.roles import Capability, Role


def clinic_staff(actor: User) -> list[User]:
    """Return the actor's clinic colleagues (clinic admins see the list); patients' portal logins are not staff."""
    if not actor.can(Capability.STAFF_MANAGE):
        raise PermissionDenied
    return list(User.objects.filter(clinic_id=actor.clinic_id).exclude(role=Role.PATIENT)
                .order_by("-is_active", "full_name"))


def clinic_prescribers(actor: User) -> QuerySet[User]:
    """Return the active prescribers of the actor's clinic (for choosing a patient's prescriber)."""
    return User.objects.filter(clinic_id=actor.clinic_id, role=Role.PRESCRIBER, is_active=True).order_by("full_name")


def clinic_colleagues(actor: User) -> QuerySet[User]:
    """Return the active clinical staff of the actor's clinic (for care-team choices)."""
    return User.objects.filter(clinic_id=actor.clinic_id, is_active=True,
                               role__in=[Role.PRESCRIBER, Role.NURSE, Role.THERAPIST]).order_by("full_name")


def prescriber_for_numbers(actor: User, user_id: int) -> User:
    """Return the prescriber whose DEA number and NPI the actor may edit.

    A prescriber edits their own; a clinic admin edits those of the prescribers of their
    clinic. Anyone else of the clinic is refused (PermissionDenied); a prescriber of another
    clinic, or a colleague who is not a prescriber, is not found (User.DoesNotExist).
    """
    if not actor.is_clinic_staff:
        raise PermissionDenied("This page is for clinic staff.")
    user = User.objects.get(pk=user_id, clinic_id=actor.clinic_id, role=Role.PRESCRIBER)
    if user.pk != actor.pk and not actor.can(Capability.STAFF_MANAGE):
        raise PermissionDenied("Only the prescriber or a clinic admin may change a prescriber's DEA number and NPI.")
    return user


def account_sessions(user) -> list:
    """Return the account's signed-in browsers, newest sign-in first (ended or expired ones dropped)."""
    from allauth.usersessions.models import UserSession

    return sorted(UserSession.objects.purge_and_list(user), key=lambda s: s.created_at, reverse=True)
