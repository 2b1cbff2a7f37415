"""What the domain apps contribute to the shell: chart tabs, trajectory overlays, periodic jobs.

An app that adds to a shared page or to the clock says so in its own `contributions.py`,
as module-level tuples named after the slot they fill:

- `CHART_TABS`: `ChartTab`s of the patient chart (the chart frame in `web` shows them);
- `CHART_CARDS`: `ChartCard`s an app adds to another app's tab (the portal's status card on
  the Overview, its dose-log summary on Monitoring);
- `TRAJECTORY_MARKERS`: functions `(patient) -> list[ChartMarker]` of dated events drawn on
  the score trajectories of the Assessments tab (medication starts, dose changes, stops);
- `BURDEN_SERIES`: functions `(access) -> dict[str, list[(date, burden)]]` drawn under them;
- `PERIODIC_JOBS`: `PeriodicJob`s the clock runs;
- `TODAY_SECTIONS`: `TodaySection`s of the Today page (a clinician's schedule, the inbox);
- `PATIENT_MERGE_STEPS`: `PatientMergeStep`s an app runs when a duplicate record is merged
  (clearing its derived rows before the records move, rebuilding them after);
- `SMS_REPLIES`: `SmsReplies` of an app above outreach that texts people and reads their
  replies (the schedule's reminders: C confirms, X cancels), for outreach's one inbound handler;
- `APPOINTMENT_NOTES`: `AppointmentNotes` of the app that writes visit notes, for the schedule
  (open or start the note of an appointment);
- `PORTAL_PATIENT`: the portal's function `(request, scope) -> record` (403 for anyone but a linked
  patient), for the patient pages of apps below the portal (messaging).

The shell and the lower apps collect these with `contributions(name)` instead of importing
the apps above them, so a new app adds a tab or a job without editing `web/` or the clock,
and the import order of docs/architecture.md holds (a test checks it).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from typing import Any

from django.apps import apps
from django.utils.module_loading import module_has_submodule

MODULE = "contributions"


@dataclass(frozen=True)
class ChartTab:
    """One tab of the patient chart.

    `context(request, access)` returns the tab's template context (one selector call of the
    contributing app); the chart frame adds the header, the tab list and the patient.
    """

    key: str  # the URL slug: /patients/<id>/tab/<key>/
    label: str
    capability: str  # what the viewer needs on this patient (`access_patient`)
    order: int  # position in the tab bar, lowest first
    template: str  # extends "web/chart_base.html" and fills {% block tab %}
    context: Callable[[Any, Any], dict]


@dataclass(frozen=True)
class ChartCard:
    """A card an app adds to a chart tab it does not own.

    `context(request, access)` returns the card's template context, or None when the card has
    nothing to show this viewer; the chart frame renders the card with it.
    """

    tab: str  # the key of the tab the card goes on
    order: int
    template: str
    context: Callable[[Any, Any], dict | None]


@dataclass(frozen=True)
class TodaySection:
    """A section an app adds to the Today page, above the worklist.

    `context(request)` returns the section's template context, or None when the section has
    nothing for this user (wrong role, nothing today); it must read a bounded number of rows.
    """

    key: str
    order: int  # lowest first
    template: str
    context: Callable[[Any], dict | None]


@dataclass(frozen=True)
class PeriodicJob:
    """A job the clock runs every `every`; it must be safe to run twice at once."""

    name: str
    every: timedelta
    run: Callable[[], object]


@dataclass(frozen=True)
class PatientMergeStep:
    """What an app does to its own tables when `other` is merged into `keep` (patients.merging).

    `before(keep, other)` runs before the generic move of every row that points at `other` (drop
    what is derived and would clash, e.g. one summary per patient); `after(keep)` runs once the
    rows are on `keep` (rebuild it). Both run inside the merge's transaction.
    """

    name: str
    before: Callable[[Any, Any], None] | None = None
    after: Callable[[Any], None] | None = None


@dataclass(frozen=True)
class SmsReplies:
    """How an app answers the replies to what it texted (outreach's inbound handler calls it).

    `texted(sender)` returns the newest text of the app the sender may be answering, or None;
    `confirm(texted)` and `help(texted)` return the reply; `cancel(texted)` returns
    (reply, whether something was cancelled). `about(texted)` names it for the audit trail.
    """

    texted: Callable[[str], Any]
    confirm: Callable[[Any], str]
    cancel: Callable[[Any], tuple[str, bool]]
    help: Callable[[Any], str]
    clinic: Callable[[Any], Any]
    about: Callable[[Any], dict]


@dataclass(frozen=True)
class AppointmentNotes:
    """The visit-note app's part in starting a visit from the schedule.

    `open(actor, access, appointment_id, template_key, visit_date)` returns (note, created);
    `find(viewer, access, appointment_id)` the note the viewer may open, or None.
    """

    open: Callable[..., tuple[Any, bool]]
    find: Callable[[Any, Any, int], Any]


def sms_replies() -> SmsReplies | None:
    """Return the handler of replies to the texts an app sends (at most one app sends them)."""
    found = contributions("SMS_REPLIES")
    return found[0] if found else None


def appointment_notes() -> AppointmentNotes | None:
    """Return the visit-note app's part in starting a visit, or None when it is not installed."""
    found = contributions("APPOINTMENT_NOTES")
    return found[0] if found else None


@functools.cache
def contributions(name: str) -> tuple:
    """Return everything the installed apps contribute under `name`, in INSTALLED_APPS order."""
    found: list = []
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, MODULE):
            found.extend(getattr(import_module(f"{config.name}.{MODULE}"), name, ()))
    return tuple(found)


def chart_tabs() -> tuple[ChartTab, ...]:
    """Return the patient chart's tabs in tab-bar order."""
    return tuple(sorted(contributions("CHART_TABS"), key=lambda tab: (tab.order, tab.key)))


def chart_cards(tab: str) -> tuple[ChartCard, ...]:
    """Return the cards other apps add to the chart tab `tab`, in order."""
    return tuple(sorted((card for card in contributions("CHART_CARDS") if card.tab == tab),
                        key=lambda card: card.order))


def chart_tab(key: str) -> ChartTab | None:
    """Return the chart tab called `key`, or None."""
    return next((tab for tab in chart_tabs() if tab.key == key), None)


def today_sections() -> tuple[TodaySection, ...]:
    """Return the sections the apps add to the Today page, in order."""
    return tuple(sorted(contributions("TODAY_SECTIONS"), key=lambda section: (section.order, section.key)))


def portal_patient(request, scope: str):
    """Return the portal record this request opens, or refuse (403).

    The apps below the portal whose patient pages live in its layout (messaging, scheduling)
    resolve it through the portal's `PORTAL_PATIENT` contribution. The record has `.patient`,
    `.by` ("patient" or "proxy") and `.is_proxy`; `scope` names the part of the portal the
    page belongs to, and a proxy whose access does not include it is refused.
    """
    from django.core.exceptions import PermissionDenied

    resolvers = contributions("PORTAL_PATIENT")
    if not resolvers:
        raise PermissionDenied("The patient portal is not installed.")
    return resolvers[0](request, scope)
