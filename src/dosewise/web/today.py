"""What the Today page shows each role: the work waiting for them, not an empty list.

Clinicians see their patients and the top of their worklist; front desk and clinic admins,
who are on no care team, see the patients registered lately; admins also see emergency
accesses waiting for review.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.apps import apps

from dosewise.clinics.roles import Capability
from dosewise.lib.urls import url_for
from dosewise.patients.models import Patient
from dosewise.patients.selectors import break_glass_awaiting_review, my_patients, recently_registered

ATTENTION_SHOWN = 5
RECENT_SHOWN = 15


@dataclass(frozen=True)
class TodayPage:
    my_patients: list[Patient] | None = None  # None: the role is on no care team
    attention: list = field(default_factory=list)
    attention_total: int = 0
    attention_urgent: int = 0
    recent_patients: list[Patient] | None = None
    break_glass_to_review: int | None = None


def today_page(user) -> TodayPage:
    """Return the Today page's panels for the user's role (each panel a bounded number of queries)."""
    clinical = user.can(Capability.CLINICAL_VIEW)
    attention, total, urgent = [], 0, 0
    if user.can(Capability.MONITORING_VIEW) and apps.is_installed("dosewise.monitoring"):
        from dosewise.monitoring.selectors import worklist_page

        # The top of the worklist and its counts from aggregates: the same rows read for a
        # clinic of 50 patients or of 10,000.
        top = worklist_page(user, scope="mine", per_page=ATTENTION_SHOWN)
        total, attention, urgent = top.total, top.items, top.urgent
    recent = None
    if not clinical and user.can(Capability.DEMOGRAPHICS_VIEW):
        recent = recently_registered(user, limit=RECENT_SHOWN)
    to_review = None
    if user.can(Capability.AUDIT_VIEW):
        to_review = break_glass_awaiting_review(user)
    mine = my_patients(user) if clinical else None
    for patient in (mine or []) + (recent or []):  # a link a row, without a reverse() each (lib.urls)
        patient.chart_url = url_for("web:patient_chart", patient.pk)
    return TodayPage(my_patients=mine, attention=attention,
                     attention_total=total, attention_urgent=urgent, recent_patients=recent,
                     break_glass_to_review=to_review)
