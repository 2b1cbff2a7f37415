"""The number of queries of every staff page, pinned: a change that adds one fails here and must
update the figure on purpose (and bench/RESULTS.md). The budget tests beside each app check that
the count does not grow with the history; this one catches drift at a fixed history.

What each page pays whatever it shows (counted in the figures below): the session and the user,
read with their clinic (2; the clinic was a third query before accounts/backends.py); the audit
event of a PHI read (one INSERT: the sealer chains events after commit, docs/decisions/0039)
plus, inside the test's transaction, the SAVEPOINT and RELEASE of the atomic blocks, which the
benchmarks, run outside a transaction, do not count. A portal page
also reads the records the account opens (its own portal account, then any proxy access:
docs/decisions/0058). The schedule, inbox and portal pages are pinned at an empty history here;
their budget tests check that the count does not grow with appointments or threads.

The drift the benchmarks showed, explained: search 8 to 9 is the user's clinic (the search reads
`clinic_today(user.clinic)` for the ages it shows); chart 16 to 18 is
the active safety overrides in the header (1) and the portal status card on the Overview (1:
the patient's portal account); the worklist's 12 to 15 were kinds added after the figure was
recorded (heavy side effects, plan follow-ups, the acknowledgements of low adherence). The worklist now reads only
the kinds that have something waiting, after one aggregate query counts them all. The chart
overview's 25 to 27 is the contact consent by purpose (the consent ledger's rows for Dana's
e-mail address, and its history; one more for a phone number on file).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db

# page: (who, url name, args, query string) -> pinned query count
PAGES = {
    "today, prescriber": ("prescriber", "web:home", [], {}),
    "today, front desk": ("front_desk", "web:home", [], {}),
    "patient search": ("prescriber", "patients:patient_search", [], {"q": "diaz"}),
    "chart overview": ("prescriber", "web:patient_chart", ["dana"], {}),
    "chart assessments": ("prescriber", "web:patient_chart_tab", ["dana", "assessments"], {}),
    "chart medications": ("prescriber", "web:patient_chart_tab", ["dana", "medications"], {}),
    "chart monitoring": ("prescriber", "web:patient_chart_tab", ["dana", "monitoring"], {}),
    "caseload": ("prescriber", "assessments:caseload", [], {}),
    "care tasks": ("prescriber", "assessments:task_list", [], {}),
    "worklist, mine": ("prescriber", "monitoring:worklist", [], {}),
    "worklist, clinic": ("prescriber", "monitoring:worklist", [], {"scope": "clinic"}),
    "labs to order": ("prescriber", "monitoring:labs_to_order", [], {}),
    "new prescription": ("prescriber", "medications:order", ["dana"], {}),
    "override report": ("prescriber", "medications:override_report", [], {}),
    "emergency access report": ("admin", "patients:break_glass_report", [], {}),
    "audit report": ("admin", "audit:audit_report", [], {}),
    "staff list": ("admin", "accounts:staff_list", [], {}),
    "schedule, day": ("prescriber", "scheduling:schedule", [], {}),
    "schedule, week": ("prescriber", "scheduling:schedule", [], {"view": "week"}),
    "staff inbox": ("prescriber", "messaging:inbox", [], {}),
    "consultation requests": ("front_desk", "outreach:queue", [], {}),
    "portal today": ("patient", "portal:home", [], {}),
    "portal messages": ("patient", "messaging:portal_inbox", [], {}),
    "portal appointments": ("patient", "scheduling:portal_appointments", [], {}),
}
PINNED = {
    'today, prescriber': 10,
    'today, front desk': 8,
    'patient search': 4,
    'chart overview': 22,
    'chart assessments': 13,
    'chart medications': 13,
    'chart monitoring': 13,
    'caseload': 7,
    'care tasks': 4,
    'worklist, mine': 5,
    'worklist, clinic': 5,
    'labs to order': 4,
    'new prescription': 5,
    'override report': 4,
    'emergency access report': 4,
    'audit report': 5,
    'staff list': 3,
    'schedule, day': 6,
    'schedule, week': 6,
    'staff inbox': 6,
    'consultation requests': 6,
    'portal today': 11,
    'portal messages': 7,
    'portal appointments': 8,
}


def _count(client, url, data) -> int:
    assert client.get(url, data).status_code == 200  # warm up: first-view writes happen once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def people(prescriber_a, front_desk_a, admin_a, patient_user, dana):
    from dosewise.portal.tests.conftest import link_portal

    link_portal(patient_user, dana, prescriber_a)  # Pat's portal account for Dana
    return {"prescriber": prescriber_a, "front_desk": front_desk_a, "admin": admin_a, "patient": patient_user}


@pytest.mark.parametrize("page", list(PAGES))
def test_the_page_costs_its_pinned_number_of_queries(page, people, dana, as_user):
    who, name, args, data = PAGES[page]
    url = reverse(name, args=[dana.pk if a == "dana" else a for a in args])
    assert _count(as_user(people[who]), url, data) == PINNED[page]
