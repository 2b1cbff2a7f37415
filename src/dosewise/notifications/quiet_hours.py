"""When a text message may reach a person: quiet hours in their own time zone and the caps of
the healthcare exemption. Checked by the outbox at send time, so a message queued in the
afternoon for someone two time zones west still waits for their morning.

Each rule names its source. Only windows whose text we have checked are listed; a state
missing here gets the federal window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Window:
    start: time
    end: time
    source: str


FEDERAL = Window(time(8), time(21), "47 CFR 64.1200(c)(1): no calls before 8 a.m. or after 9 p.m., local time at "
                                    "the called party's location")
STATE_WINDOWS = {
    "FL": Window(time(8), time(20), "Fla. Stat. 501.059(8)(a): not before 8 a.m. or after 8 p.m. local time at the "
                                    "called party's location"),
    "OK": Window(time(8), time(20), "Okla. Stat. tit. 15, 775C.4: not before 8 a.m. or after 8 p.m. local time at "
                                    "the called party's location"),
}
# FCC 15-72 (2015 TCPA Declaratory Ruling and Order), para. 147: exempted healthcare messages are
# limited to one a day and three a week from a provider to each patient.
CAP_SOURCE = "FCC 15-72, para. 147 (healthcare exemption: one message a day, three a week)"
CAP_PER_DAY = 1
CAP_PER_WEEK = 3


def window_for(state: str) -> Window:
    """Return the sending window of a US state (two-letter code), the federal one if none is stricter."""
    return STATE_WINDOWS.get((state or "").upper(), FEDERAL)


def next_allowed(now: datetime, zone: str, state: str = "") -> datetime | None:
    """Return None when `now` is inside the window in the recipient's zone, else the next start (UTC-aware).

    Computed on the local wall clock, so the answer stays at 8:00 local across a daylight-saving
    change (the UTC offset of tomorrow's 8:00 may differ from today's).
    """
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    window = window_for(state)
    if window.start <= local.time() < window.end:
        return None
    day = local.date() if local.time() < window.start else local.date() + timedelta(days=1)
    return datetime.combine(day, window.start, tzinfo=tz)


def cap_next_allowed(now: datetime, zone: str, sent_times: list[datetime], state: str = "") -> datetime | None:
    """Return None when one more exempt message fits the caps, else when it will (UTC-aware).

    `sent_times` are the exempt messages already sent to this person by this clinic in the last
    seven days. "A day" is the person's local calendar day; "a week" is the seven days up to now.
    """
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    today = [t for t in sent_times if t.astimezone(tz).date() == local.date()]
    week = sorted(t for t in sent_times if t > now - timedelta(days=7))
    candidates = []
    if len(today) >= CAP_PER_DAY:
        candidates.append(datetime.combine(local.date() + timedelta(days=1), window_for(state).start, tzinfo=tz))
    if len(week) >= CAP_PER_WEEK:
        candidates.append(week[len(week) - CAP_PER_WEEK] + timedelta(days=7))
    if not candidates:
        return None
    when = max(candidates)
    return next_allowed(when, zone, state) or when
