"""Working time and free slots, computed in the clinic's zone and returned as UTC instants.

Weekly hours are wall-clock times: 09:00-17:00 on Mondays means 09:00 where the clinic is, on
both sides of a daylight-saving change, so each day's hours are turned into instants with that
day's offset (`datetime.combine(day, time, tzinfo=zone)`), never by adding 24-hour steps to a
UTC instant. A wall-clock time that does not exist (02:30 on the spring-forward night) is
skipped as a slot start; a repeated one (01:30 in the autumn) takes its first occurrence.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

SLOT_STEP = timedelta(minutes=15)


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.start < end and start < self.end

    def covers(self, start: datetime, end: datetime) -> bool:
        return self.start <= start and end <= self.end


def local_instant(day: date, clock, zone: ZoneInfo) -> datetime | None:
    """Return the UTC instant of wall-clock `clock` on `day` in `zone`, or None if it does not exist."""
    local = datetime.combine(day, clock, tzinfo=zone)
    back = local.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) != local.replace(tzinfo=None):
        return None  # skipped by a spring-forward change
    return local.astimezone(UTC)


def day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Return the UTC instants at which `day` begins and ends in `zone` (23 or 25 hours across DST)."""
    start = datetime.combine(day, datetime.min.time(), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone).astimezone(UTC)
    return start, end


def working_intervals(day: date, zone: ZoneInfo, weekly: list, exceptions: list) -> list[Interval]:
    """Return the provider's bookable intervals on `day`: weekly hours plus extra hours, less time off."""
    intervals = []
    for hours in weekly:
        if hours.weekday != day.weekday():
            continue
        start = local_instant(day, hours.start_time, zone) or datetime.combine(
            day, hours.start_time, tzinfo=zone).astimezone(UTC)
        end = local_instant(day, hours.end_time, zone) or datetime.combine(
            day, hours.end_time, tzinfo=zone).astimezone(UTC)
        intervals.append(Interval(start, end))
    day_start, day_end = day_bounds(day, zone)
    for exc in exceptions:
        if exc.kind == "extra" and exc.starts_at < day_end and day_start < exc.ends_at:
            intervals.append(Interval(max(exc.starts_at, day_start), min(exc.ends_at, day_end)))
    intervals = _merge(intervals)
    for exc in exceptions:
        if exc.kind == "time_off":
            intervals = _subtract(intervals, Interval(exc.starts_at, exc.ends_at))
    return intervals


def _merge(intervals: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for item in sorted(intervals, key=lambda i: i.start):
        if merged and item.start <= merged[-1].end:
            merged[-1] = Interval(merged[-1].start, max(merged[-1].end, item.end))
        else:
            merged.append(item)
    return merged


def _subtract(intervals: list[Interval], cut: Interval) -> list[Interval]:
    out = []
    for item in intervals:
        if not item.overlaps(cut.start, cut.end):
            out.append(item)
            continue
        if item.start < cut.start:
            out.append(Interval(item.start, cut.start))
        if cut.end < item.end:
            out.append(Interval(cut.end, item.end))
    return out


def within_working_time(start: datetime, end: datetime, zone: ZoneInfo, weekly: list, exceptions: list) -> bool:
    """Return whether [start, end) lies inside one of the provider's bookable intervals."""
    day = start.astimezone(zone).date()
    return any(i.covers(start, end) for i in working_intervals(day, zone, weekly, exceptions))


class Busy:
    """Busy intervals merged and sorted, so that the first clash with a candidate is a binary search."""

    def __init__(self, intervals):
        starts: list[datetime] = []
        ends: list[datetime] = []
        for start, end in sorted((i.start, i.end) if isinstance(i, Interval) else i for i in intervals):
            if ends and start <= ends[-1]:
                ends[-1] = max(ends[-1], end)
            else:
                starts.append(start)
                ends.append(end)
        self.starts, self.ends = starts, ends

    def clash(self, start: datetime, end: datetime) -> Interval | None:
        """Return the busy interval overlapping [start, end), or None."""
        index = bisect_right(self.ends, start)  # the first interval ending after `start`
        if index < len(self.starts) and self.starts[index] < end:
            return Interval(self.starts[index], self.ends[index])
        return None


@dataclass(frozen=True)
class ProviderCalendar:
    """What the slot search needs of one provider, read once: hours, exceptions, busy intervals."""

    provider_id: int
    weekly: list
    exceptions: list
    busy: list  # Intervals or (start, end) pairs
    index: Busy = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "index", Busy(self.busy))


def first_free_slot(calendars: list[ProviderCalendar], *, after: datetime, length: timedelta, zone: ZoneInfo,
                    days: int, resource_busy: list[Interval] = ()) -> tuple[int, datetime] | None:
    """Return (provider id, start) of the earliest slot of `length` after `after` on any calendar.

    Slots start on the quarter hour of the clinic's clock; a slot must sit inside working time and
    overlap neither the provider's busy intervals nor those of the resources the type needs.
    """
    first_day = after.astimezone(zone).date()
    resource_busy = Busy(resource_busy)
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        best: tuple[int, datetime] | None = None
        for calendar in calendars:
            found = _first_on_day(calendar, day, after, length, zone, resource_busy)
            if found is not None and (best is None or found < best[1]):
                best = (calendar.provider_id, found)
        if best is not None:
            return best
    return None


def _first_on_day(calendar: ProviderCalendar, day: date, after: datetime, length: timedelta, zone: ZoneInfo,
                  resource_busy) -> datetime | None:
    for interval in working_intervals(day, zone, calendar.weekly, calendar.exceptions):
        start = _round_up(max(interval.start, after), zone)
        while start + length <= interval.end:
            clash = calendar.index.clash(start, start + length) or resource_busy.clash(start, start + length)
            if clash is None:
                return start
            start = _round_up(clash.end, zone)
    return None


def _round_up(moment: datetime, zone: ZoneInfo) -> datetime:
    local = moment.astimezone(zone)
    step = int(SLOT_STEP.total_seconds() // 60)
    extra = (local.minute % step) * 60 + local.second + local.microsecond / 1e6
    if extra == 0:
        return moment
    return moment + timedelta(seconds=step * 60 - extra)


def busy_by_provider(rows) -> dict[int, list[tuple[datetime, datetime]]]:
    """Group (provider id, start, blocks until) rows into (start, end) lists per provider."""
    grouped: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for provider_id, start, end in rows:
        grouped[provider_id].append((start, end))
    return grouped
