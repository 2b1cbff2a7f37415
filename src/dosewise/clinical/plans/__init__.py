"""Dose-plan engines: titration from labelled templates, tapering, switching, calendars.

- `plan_titration` (titration.py): a schedule from `kb/titrations.json`, with modifiers for
  co-medication and per-patient overrides checked against the label.
- `plan_taper` and `pause_taper` (taper.py): hyperbolic or percentage tapers from
  `kb/tapering.json`, rounded to deliverable doses.
- `plan_switch` (switch.py): cross-taper or direct switch with washout, safety-checked on
  every day.
- `pause_schedules`, `slow_titration`, `slow_taper` (revise.py): revise a plan under way
  from a given day, leaving the past as it was.
- `calendar` (common.py): any plan as one row per day.
"""

from dosewise.clinical.plans.common import CalendarDay, Step, calendar, dose_on
from dosewise.clinical.plans.revise import pause_schedules, remaining_steps, slow_taper, slow_titration
from dosewise.clinical.plans.switch import (
    METHODS_HELP,
    DayCheck,
    SwitchPlan,
    Washout,
    plan_switch,
    washout_for,
)
from dosewise.clinical.plans.taper import (
    HYPERBOLIC,
    PERCENTAGE,
    OccupancyModel,
    TaperOptions,
    TaperPlan,
    hyperbolic_doses,
    occupancy_model,
    pause_taper,
    percentage_doses,
    plan_taper,
    taper_options,
)
from dosewise.clinical.plans.titration import TitrationPlan, plan_titration, template_ids

__all__ = [
    "HYPERBOLIC",
    "METHODS_HELP",
    "PERCENTAGE",
    "CalendarDay",
    "DayCheck",
    "OccupancyModel",
    "Step",
    "SwitchPlan",
    "TaperOptions",
    "TaperPlan",
    "TitrationPlan",
    "Washout",
    "calendar",
    "dose_on",
    "hyperbolic_doses",
    "occupancy_model",
    "pause_schedules",
    "pause_taper",
    "percentage_doses",
    "plan_switch",
    "plan_taper",
    "plan_titration",
    "remaining_steps",
    "slow_taper",
    "taper_options",
    "slow_titration",
    "template_ids",
    "washout_for",
]
