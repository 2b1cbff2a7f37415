"""The clinic's phone, the number every triage advice, handout and portal page gives."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from dosewise.accounts.clinic_settings import clinic_phone_set
from dosewise.audit.models import AuditEvent


def test_a_clinic_phone_is_set_and_audited(clinic_a):
    clinic_phone_set(clinic=clinic_a, phone="  (312)  555-0142 ")
    clinic_a.refresh_from_db()
    assert clinic_a.phone == "(312) 555-0142"
    assert AuditEvent.objects.get(action="clinic.phone_set").detail == {"old": "", "new": "(312) 555-0142"}


@pytest.mark.parametrize("phone", ["call us", "555", "12345678901234567890", "(312) 555-0142 ext. 4"])
def test_a_malformed_phone_is_refused(clinic_a, phone):
    with pytest.raises(ValidationError, match="is not a phone number"):
        clinic_phone_set(clinic=clinic_a, phone=phone)
    clinic_a.refresh_from_db()
    assert clinic_a.phone == ""


def test_the_command_sets_it_and_refuses_an_unknown_clinic(clinic_a, capsys):
    call_command("clinic_phone", "northside", "+1 312 555 0142")
    assert "patients call +1 312 555 0142" in capsys.readouterr().out
    with pytest.raises(CommandError, match="no clinic"):
        call_command("clinic_phone", "nowhere", "312 555 0142")
    with pytest.raises(CommandError, match="not a phone number"):
        call_command("clinic_phone", "northside", "soon")
