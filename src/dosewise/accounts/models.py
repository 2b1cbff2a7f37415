"""Staff (and later patient) accounts: one e-mail, one clinic, one role."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from dosewise.clinics.roles import STAFF_ROLES, Role, role_can


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("an e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password) if password else user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.update(is_staff=True, is_superuser=True, role=Role.CLINIC_ADMIN)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True, max_length=254)
    full_name = models.CharField(max_length=150)
    clinic = models.ForeignKey("clinics.Clinic", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="users")
    role = models.CharField(max_length=20, choices=Role.choices)
    credentials = models.CharField(max_length=40, blank=True, help_text="e.g. MD, PMHNP-BC, RN")
    # Printed on prescriptions; checked by dosewise.lib.identifiers when a prescriber saves them.
    dea_number = models.CharField("DEA registration number", max_length=9, blank=True)
    npi = models.CharField("NPI", max_length=10, blank=True, help_text="National Provider Identifier")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="may use the Django admin site")
    date_joined = models.DateTimeField(default=timezone.now)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    deactivated_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="+")

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        indexes = [models.Index(fields=["clinic", "role"])]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_clinic_staff(self) -> bool:
        return self.role in STAFF_ROLES and self.clinic_id is not None

    def can(self, capability: str) -> bool:
        """Return whether this user's role carries the capability (care-team rules aside)."""
        return self.is_active and self.is_clinic_staff and role_can(self.role, capability)

    @property
    def display_name(self) -> str:
        return f"{self.full_name}, {self.credentials}" if self.credentials else self.full_name
