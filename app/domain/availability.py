"""Weekly availability in a person's own time zone, and the common free slots of two people.

Windows are wall-clock times ("Tuesdays 17:00-19:00 Berlin"); they are turned into UTC day by
day, so daylight-saving changes land where they should.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.domain.errors import RuleViolation

MAX_WINDOWS = 50
Interval = tuple[datetime, datetime]


@dataclass(frozen=True, slots=True, order=True)
class WeeklyWindow:
    """``weekday`` 0 = Monday … 6 = Sunday; ``start`` < ``end`` on the same day."""

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise RuleViolation("weekday must be 0 (Monday) to 6 (Sunday)", code="invalid_weekday", field="weekday")
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise RuleViolation(
                "window times are wall-clock times without offset", code="invalid_window", field="start"
            )
        if self.start >= self.end:
            raise RuleViolation("a window must end after it starts", code="invalid_window", field="end")


def normalize_windows(windows: Iterable[WeeklyWindow]) -> tuple[WeeklyWindow, ...]:
    """Sort and merge overlapping or touching windows of the same weekday."""
    merged: list[WeeklyWindow] = []
    for window in sorted(windows):
        last = merged[-1] if merged else None
        if last and last.weekday == window.weekday and window.start <= last.end:
            merged[-1] = WeeklyWindow(last.weekday, last.start, max(last.end, window.end))
        else:
            merged.append(window)
    if len(merged) > MAX_WINDOWS:
        raise RuleViolation(f"at most {MAX_WINDOWS} windows", code="too_many_items", field="windows")
    return tuple(merged)


def _utc_intervals(windows: Sequence[WeeklyWindow], zone: str, first: date, last: date) -> list[Interval]:
    tz = ZoneInfo(zone)
    out: list[Interval] = []
    day = first
    while day <= last:
        for w in windows:
            if w.weekday == day.weekday():
                start = datetime.combine(day, w.start, tz).astimezone(UTC)
                end = datetime.combine(day, w.end, tz).astimezone(UTC)
                out.append((start, end))
        day += timedelta(days=1)
    return sorted(out)


def _intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _subtract(free: list[Interval], busy: list[Interval]) -> list[Interval]:
    out = []
    for start, end in free:
        cursor = start
        for b_start, b_end in busy:
            if b_end <= cursor or b_start >= end:
                continue
            if b_start > cursor:
                out.append((cursor, b_start))
            cursor = max(cursor, b_end)
        if cursor < end:
            out.append((cursor, end))
    return out


def _ceil(moment: datetime, step: timedelta) -> datetime:
    epoch = datetime(2000, 1, 1, tzinfo=UTC)
    steps = -((epoch - moment) // step)  # ceiling division on timedeltas
    return epoch + steps * step


def common_slots(
    a: tuple[Sequence[WeeklyWindow], str],
    b: tuple[Sequence[WeeklyWindow], str],
    *,
    busy: Sequence[Interval],
    after: datetime,
    until: datetime,
    duration: timedelta,
    limit: int,
    grid: timedelta = timedelta(minutes=15),
) -> list[Interval]:
    """The next ``limit`` slots of ``duration`` when both people are available and neither is busy.

    Slots start on a ``grid`` (quarter hours) and do not overlap each other.
    """
    first, last = (after - timedelta(days=1)).date(), (until + timedelta(days=1)).date()
    free = _intersect(_utc_intervals(a[0], a[1], first, last), _utc_intervals(b[0], b[1], first, last))
    free = _subtract(free, sorted(busy))
    slots: list[Interval] = []
    for start, end in free:
        cursor = _ceil(max(start, after), grid)
        while cursor + duration <= min(end, until) and len(slots) < limit:
            slots.append((cursor, cursor + duration))
            cursor += duration
    return slots
