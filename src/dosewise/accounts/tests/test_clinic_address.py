"""The practice address printed on prescriptions is set by a command, checked and audited."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from dosewise.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_clinic_address_is_set_and_audited(clinic_a, capsys):
    call_command("clinic_address", "northside", "  100 Lake Street,   Springfield, IL 62701 ")
    clinic_a.refresh_from_db()
    assert clinic_a.address == "100 Lake Street, Springfield, IL 62701"
    assert AuditEvent.objects.filter(action="clinic.address_set").exists()
    assert "prescriptions print 100 Lake Street" in capsys.readouterr().out


def test_something_that_is_not_an_address_is_refused(clinic_a):
    with pytest.raises(CommandError, match="not a street address"):
        call_command("clinic_address", "northside", "somewhere")
    clinic_a.refresh_from_db()
    assert clinic_a.address == ""


def test_the_staff_list_leaves_out_patients_portal_logins(admin_a, patient_user, prescriber_a, as_user):
    from django.urls import reverse

    page = as_user(admin_a).get(reverse("accounts:staff_list")).content.decode()
    assert "Alice Adams" in page and "Pat Person" not in page
