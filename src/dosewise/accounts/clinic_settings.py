"""Writes of a clinic's own settings by its staff, audited in the same transaction (they sit above the
audit trail, so not in `clinics`, which every app imports)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction

from dosewise.audit.services import audit_record
from dosewise.clinics.models import Clinic

_PHONE = re.compile(r"^\+?[0-9 ()./-]+$")
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 7, 15


def clinic_phone_set(*, clinic: Clinic, phone: str, actor=None) -> Clinic:
    """Set the number patients call (shown with triage advice, handouts and every portal page)."""
    phone = " ".join(phone.split())
    digits = sum(c.isdigit() for c in phone)
    if not _PHONE.match(phone) or not MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS:
        raise ValidationError({"phone": f"{phone!r} is not a phone number: use digits with spaces, dashes or "
                                        "parentheses, e.g. (312) 555-0100 or +1 312 555 0100."})
    with transaction.atomic():
        old = clinic.phone
        clinic.phone = phone
        clinic.save(update_fields=["phone"])
        audit_record(action="clinic.phone_set", actor=actor, clinic=clinic, obj=clinic,
                     detail={"old": old, "new": phone})
    return clinic


def clinic_address_set(*, clinic: Clinic, address: str, actor=None) -> Clinic:
    """Set the practice's street address, printed with the prescriber's name on every prescription."""
    address = " ".join(address.split())
    if len(address) < 10 or not any(c.isdigit() for c in address):
        raise ValidationError({"address": f"{address!r} is not a street address: give the number, street, city, "
                                          "state and ZIP code, e.g. 100 Lake Street, Springfield, IL 62701."})
    with transaction.atomic():
        old = clinic.address
        clinic.address = address[:300]
        clinic.save(update_fields=["address"])
        audit_record(action="clinic.address_set", actor=actor, clinic=clinic, obj=clinic,
                     detail={"old": old, "new": clinic.address})
    return clinic
