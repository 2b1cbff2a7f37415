"""When a text message may be sent: quiet hours in the recipient's zone and the healthcare caps.

Both are checked by the worker at the moment of sending (a reminder queued at 20:55 for a
Florida number waits until 08:00), and a message that may not go now gets the next moment it
may, computed in the recipient's local wall time so a daylight-saving change moves nothing.

Quiet hours. Federal: no telephone solicitation before 8 a.m. or after 9 p.m. at the called
party's location (47 CFR 64.1200(c)(1)). Several states set a narrower window for telephone
solicitations, text messages included (table below, each with its statute). These laws are
written for solicitations; the clinic applies the narrowest window that may apply to every
text it sends, because a reminder at 21:30 is unwelcome whatever the law calls it. When the
person's state is not known, the intersection of all the windows below applies.

Caps. The FCC's 2015 TCPA Declaratory Ruling and Order (FCC 15-72, CG Docket 02-278, released
10 July 2015, paragraph 147) exempts healthcare-treatment calls and texts from prior express
consent only if, among other conditions, the provider sends at most one message per day and at
most three per week to a patient. Reminders sent under that exemption (appointment, lab,
refill, questionnaire) are held to it: the next one waits for the next local day, or until the
oldest of the last three is a week old.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone


@dataclass(frozen=True)
class Window:
    start: time
    end: time  # exclusive


@dataclass(frozen=True)
class RegionRule:
    """Allowed sending windows by weekday (Monday = 0); None on a day means no window that day."""

    windows: tuple[Window | None, ...]
    source: str


def _every_day(start: int, end: int) -> tuple[Window, ...]:
    return tuple(Window(time(start), time(end)) for _ in range(7))


FEDERAL = RegionRule(_every_day(8, 21), "47 CFR 64.1200(c)(1): not before 8 a.m. or after 9 p.m. local time")

STATE_RULES: dict[str, RegionRule] = {
    "FL": RegionRule(_every_day(8, 20), "Fla. Stat. 501.059(8)(a) (Florida Telephone Solicitation Act): 8 a.m. to 8 p.m."),
    "OK": RegionRule(_every_day(8, 20), "Okla. Stat. tit. 15, 775C.4 (Telephone Solicitation Act of 2022): 8 a.m. to 8 p.m."),
    "MD": RegionRule(_every_day(8, 20), "Md. Code, Com. Law 14-4503 (Stop the Spam Calls Act of 2023): 8 a.m. to 8 p.m."),
    "CT": RegionRule(_every_day(9, 20), "Conn. Gen. Stat. 42-288a (Public Act 23-98): 9 a.m. to 8 p.m."),
    "TX": RegionRule(tuple([Window(time(9), time(21))] * 6 + [Window(time(12), time(21))]),
                     "Tex. Bus. & Com. Code 301.051: 9 a.m. to 9 p.m. Monday to Saturday, noon to 9 p.m. Sunday"),
}


def _narrowest(a: Window | None, b: Window | None) -> Window | None:
    if a is None or b is None:
        return None
    start, end = max(a.start, b.start), min(a.end, b.end)
    return Window(start, end) if start < end else None


def rule_for(region: str) -> RegionRule:
    """Return the sending windows for a recipient in `region` (blank: not known, so the narrowest)."""
    region = (region or "").upper()
    rules = [STATE_RULES[region]] if region in STATE_RULES else (list(STATE_RULES.values()) if not region else [])
    windows = list(FEDERAL.windows)
    for rule in rules:
        windows = [_narrowest(w, r) for w, r in zip(windows, rule.windows, strict=True)]
    source = FEDERAL.source if not rules else (
        "; ".join([FEDERAL.source, *[r.source for r in rules]]) if region else
        "state not known: the narrowest of the federal and state windows")
    return RegionRule(tuple(windows), source)


def _window_on(rule: RegionRule, day: date) -> Window | None:
    return rule.windows[day.weekday()]


def next_allowed(moment: datetime, zone: ZoneInfo, region: str = "") -> datetime:
    """Return `moment` if a text may be sent then, else the next moment one may (aware, UTC)."""
    rule = rule_for(region)
    local = moment.astimezone(zone)
    for offset in range(8):
        day = local.date() + timedelta(days=offset)
        window = _window_on(rule, day)
        if window is None:
            continue
        # Wall-clock times in the recipient's zone: zoneinfo gives each day its own UTC offset.
        opens = datetime.combine(day, window.start, tzinfo=zone)
        closes = datetime.combine(day, window.end, tzinfo=zone)
        if local < opens:
            return opens.astimezone(timezone.UTC if hasattr(timezone, "UTC") else ZoneInfo("UTC"))
        if local < closes:
            return moment
    raise ValueError(f"no sending window in a week for region {region!r}")


def start_of_next_day(moment: datetime, zone: ZoneInfo) -> datetime:
    """Return local midnight after `moment` in `zone`, as an aware datetime."""
    day = moment.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=zone)


DAILY_CAP = 1
WEEKLY_CAP = 3
WEEK = timedelta(days=7)


def cap_next_allowed(moment: datetime, zone: ZoneInfo, sent_times: list[datetime]) -> datetime | None:
    """Return when the next healthcare-exempt text may go, given the times of those already sent
    to the person (any order), or None when it may go now (FCC 15-72, paragraph 147)."""
    recent = sorted(t for t in sent_times if t > moment - WEEK)
    waits = []
    today = moment.astimezone(zone).date()
    if sum(1 for t in recent if t.astimezone(zone).date() == today) >= DAILY_CAP:
        waits.append(start_of_next_day(moment, zone))
    if len(recent) >= WEEKLY_CAP:
        waits.append(recent[-WEEKLY_CAP] + WEEK)
    return max(waits) if waits else None
