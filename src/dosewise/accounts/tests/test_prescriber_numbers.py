"""A prescriber's DEA number and NPI: the checks, the page, who may change them, the audit trail."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from dosewise.accounts import services
from dosewise.accounts.models import User
from dosewise.audit.models import AuditEvent
from dosewise.lib.identifiers import dea_check_digit, dea_validate, npi_is_valid, npi_validate

pytestmark = pytest.mark.django_db

ALICE_DEA = "AA1234563"  # 1+3+5 + 2*(2+4+6) = 33: check digit 3
VALID_NPI = "1234567893"  # the worked example of the CMS check-digit paper


def test_the_dea_check_digit_is_the_last_digit_of_odd_plus_twice_even():
    assert dea_check_digit("123456") == 3
    assert dea_check_digit("987654") == (9 + 7 + 5 + 2 * (8 + 6 + 4)) % 10


@pytest.mark.parametrize("typed", ["AA1234563", "aa1234563", " AA 123-4563 "])
def test_a_dea_number_is_stored_in_capitals_without_spaces(typed):
    assert dea_validate(typed, last_name="Adams").number == ALICE_DEA


@pytest.mark.parametrize(("number", "message"), [
    ("AA1234564", "fails the DEA check digit (the last digit should be 3)"),
    ("AA123456", "two letters followed by seven digits"),
    ("A11234563", "two letters followed by seven digits"),
    ("ZA1234563", "cannot start with Z"),
])
def test_a_malformed_dea_number_is_refused_with_the_reason(number, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        dea_validate(number, last_name="Adams")


def test_a_second_letter_other_than_the_last_initial_is_a_warning_not_an_error():
    check = dea_validate("AB1234563", last_name="Adams")
    assert check.number == "AB1234563"
    assert len(check.warnings) == 1 and "not A, the initial of the last name Adams" in check.warnings[0]
    assert dea_validate("A91234563", last_name="Adams").warnings == ()


def test_the_npi_check_digit_uses_the_80840_prefix():
    assert npi_is_valid(VALID_NPI)
    assert not npi_is_valid("1234567890")
    # Plain Luhn over the ten digits alone would accept this one; the 80840 prefix rejects it.
    assert not npi_is_valid("1234567897")


@pytest.mark.parametrize(("npi", "message"), [("123456789", "ten digits"), ("12345678AB", "ten digits"),
                                              ("1234567890", "fails the NPI check digit")])
def test_a_bad_npi_is_refused_with_the_reason(npi, message):
    with pytest.raises(ValueError, match=message):
        npi_validate(npi)


def test_a_prescriber_saves_their_numbers_and_the_change_is_audited_masked(prescriber_a):
    user, warnings = services.prescriber_numbers_set(actor=prescriber_a, user_id=prescriber_a.pk,
                                                     dea_number="aa1234563", npi=VALID_NPI)
    user.refresh_from_db()
    assert (user.dea_number, user.npi, warnings) == (ALICE_DEA, VALID_NPI, [])
    event = AuditEvent.objects.get(action="prescriber.numbers_change")
    assert event.actor_id == prescriber_a.pk and event.detail["changed"] == ["dea_number", "npi"]
    assert event.detail["after"] == {"dea_number": "…4563", "npi": "…7893"}
    assert ALICE_DEA not in str(event.detail)


def test_saving_the_same_numbers_again_writes_no_event(prescriber_a):
    for _ in range(2):
        services.prescriber_numbers_set(actor=prescriber_a, user_id=prescriber_a.pk, dea_number=ALICE_DEA,
                                        npi=VALID_NPI)
    assert AuditEvent.objects.filter(action="prescriber.numbers_change").count() == 1


def test_a_bad_checksum_loses_nothing_and_names_both_fields(prescriber_a):
    services.prescriber_numbers_set(actor=prescriber_a, user_id=prescriber_a.pk, dea_number=ALICE_DEA, npi="")
    with pytest.raises(ValidationError) as exc:
        services.prescriber_numbers_set(actor=prescriber_a, user_id=prescriber_a.pk, dea_number="AA1234564",
                                        npi="1234567890")
    assert set(exc.value.error_dict) == {"dea_number", "npi"}
    prescriber_a.refresh_from_db()
    assert (prescriber_a.dea_number, prescriber_a.npi) == (ALICE_DEA, "")


def test_a_clinic_admin_may_change_a_prescribers_numbers_and_colleagues_may_not(prescriber_a, colleague_a,
                                                                                nurse_a, admin_a, clinician_b):
    services.prescriber_numbers_set(actor=admin_a, user_id=prescriber_a.pk, dea_number=ALICE_DEA, npi="")
    with pytest.raises(PermissionDenied):
        services.prescriber_numbers_set(actor=colleague_a, user_id=prescriber_a.pk, dea_number="", npi="")
    with pytest.raises(User.DoesNotExist):
        services.prescriber_numbers_set(actor=admin_a, user_id=nurse_a.pk, dea_number=ALICE_DEA, npi="")
    with pytest.raises(User.DoesNotExist):
        services.prescriber_numbers_set(actor=clinician_b, user_id=prescriber_a.pk, dea_number="", npi="")
    prescriber_a.refresh_from_db()
    assert prescriber_a.dea_number == ALICE_DEA


def test_the_page_shows_errors_keeps_the_input_and_saves_with_a_warning(as_user, prescriber_a):
    client = as_user(prescriber_a)
    url = reverse("accounts:prescriber_numbers", kwargs={"user_id": prescriber_a.pk})
    bad = client.post(url, {"dea_number": "AA1234564", "npi": VALID_NPI})
    body = bad.content.decode()
    assert bad.status_code == 400 and "fails the DEA check digit" in body and 'value="AA1234564"' in body
    prescriber_a.refresh_from_db()
    assert prescriber_a.npi == ""
    saved = client.post(url, {"dea_number": "AB1234563", "npi": VALID_NPI}, follow=True)
    assert "Prescriber numbers of Alice Adams saved." in saved.content.decode()
    assert "the initial of the last name Adams" in saved.content.decode()
    prescriber_a.refresh_from_db()
    assert (prescriber_a.dea_number, prescriber_a.npi) == ("AB1234563", VALID_NPI)


def test_prescribers_find_the_page_in_the_header_and_admins_from_the_staff_list(as_user, prescriber_a, admin_a):
    url = reverse("accounts:prescriber_numbers", kwargs={"user_id": prescriber_a.pk})
    assert f'href="{url}"' in as_user(prescriber_a).get(reverse("web:home")).content.decode()
    assert f'href="{url}"' in as_user(admin_a).get(reverse("accounts:staff_list")).content.decode()
