"""Who may open and change a prescriber's DEA number and NPI: one row per route, one column per person.

The page shown is Alice's. Alice edits her own; Ada, the clinic admin, edits those of her
clinic's prescribers; every other person of clinic A is refused (403); Carol of clinic B
cannot learn whether Alice exists (404). `test_every_route_has_a_row` keeps it complete.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from dosewise.accounts.models import User
from dosewise.lib.permission_matrix import (
    FORBID,
    GO,
    GONE,
    LOGIN,
    OK,
    ORDER,
    Case,
    assert_case,
    case_id,
    route_names,
    row,
)

OWNER_OR_ADMIN = row(LOGIN, FORBID, OK, FORBID, FORBID, FORBID, FORBID, OK, GONE)
OWNER_OR_ADMIN_WRITE = row(LOGIN, FORBID, GO, FORBID, FORBID, FORBID, FORBID, GO, GONE)


class Ctx:
    def __init__(self, people):
        self.alice = people["prescriber_a"]


CASES = [
    Case("accounts:prescriber_numbers", "get", OWNER_OR_ADMIN, kwargs=lambda c: {"user_id": c.alice.pk}),
    Case("accounts:prescriber_numbers", "post", OWNER_OR_ADMIN_WRITE, kwargs=lambda c: {"user_id": c.alice.pk},
         data=lambda c: {"dea_number": "AA1234563", "npi": "1234567893"},
         effect=lambda c: User.objects.get(pk=c.alice.pk).dea_number == "AA1234563", label="post"),
]


# The staff pages (admin/staff/...) are tried by every person in tests/app/test_permission_matrix.py.
IN_THE_CROSS_APP_MATRIX = {"accounts:staff_list", "accounts:staff_set_active"}


def test_every_route_has_a_row():
    assert route_names("accounts") == {case.route for case in CASES} | IN_THE_CROSS_APP_MATRIX


@pytest.mark.parametrize("person", ORDER)
@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_matrix(case: Case, person: str, people, as_user):
    assert_case(case, Ctx(people), as_user(people[person]), person)


def test_a_page_for_someone_who_is_not_a_prescriber_is_not_found(as_user, admin_a, nurse_a):
    url = reverse("accounts:prescriber_numbers", kwargs={"user_id": nurse_a.pk})
    assert as_user(admin_a).get(url).status_code == 404
