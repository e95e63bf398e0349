"""Weekly availability windows and the common free slots of two people (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta

import pytest

from app.domain.availability import MAX_WINDOWS, Interval, WeeklyWindow, common_slots, normalize_windows
from app.domain.errors import RuleViolation

MON, TUE, WED, FRI = 0, 1, 2, 4
HOUR = timedelta(hours=1)


def window(weekday: int, start: str, end: str) -> WeeklyWindow:
    return WeeklyWindow(weekday, time.fromisoformat(start), time.fromisoformat(end))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def slots(
    a: tuple[Sequence[WeeklyWindow], str],
    b: tuple[Sequence[WeeklyWindow], str],
    *,
    after: datetime,
    days: int = 7,
    duration: timedelta = HOUR,
    limit: int = 20,
    busy: Sequence[Interval] = (),
    **kw: timedelta,
) -> list[Interval]:
    return common_slots(
        a, b, busy=busy, after=after, until=after + timedelta(days=days), duration=duration, limit=limit, **kw
    )


# --- WeeklyWindow -----------------------------------------------------------------------------


@pytest.mark.parametrize("weekday", [-1, 7])
def test_a_weekday_outside_monday_to_sunday_is_refused(weekday: int) -> None:
    with pytest.raises(RuleViolation) as caught:
        window(weekday, "09:00", "10:00")
    assert caught.value.code == "invalid_weekday" and caught.value.field == "weekday"


@pytest.mark.parametrize(("start", "end"), [("10:00", "09:00"), ("10:00", "10:00")])
def test_a_window_must_end_after_it_starts(start: str, end: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        window(MON, start, end)
    assert caught.value.code == "invalid_window" and caught.value.field == "end"


def test_window_times_are_wall_clock_times_without_offset() -> None:
    with pytest.raises(RuleViolation) as caught:
        WeeklyWindow(MON, time(9, tzinfo=UTC), time(10))
    assert caught.value.code == "invalid_window"


# --- normalize_windows ------------------------------------------------------------------------


def test_overlapping_touching_and_contained_windows_of_a_day_merge() -> None:
    merged = normalize_windows(
        [
            window(TUE, "18:00", "20:00"),
            window(TUE, "17:00", "18:30"),  # overlaps
            window(TUE, "20:00", "21:00"),  # touches
            window(TUE, "18:15", "18:45"),  # contained
        ]
    )
    assert merged == (window(TUE, "17:00", "21:00"),)


def test_windows_of_different_days_stay_apart_and_come_sorted() -> None:
    merged = normalize_windows(
        [window(WED, "09:00", "10:00"), window(MON, "09:00", "10:00"), window(MON, "07:00", "08:00")]
    )
    assert merged == (window(MON, "07:00", "08:00"), window(MON, "09:00", "10:00"), window(WED, "09:00", "10:00"))


def test_more_windows_than_allowed_are_refused_after_merging() -> None:
    many = [window(day, f"{h:02d}:00", f"{h:02d}:30") for day in range(7) for h in range(8)]  # 56 apart
    assert len(many) > MAX_WINDOWS
    with pytest.raises(RuleViolation) as caught:
        normalize_windows(many)
    assert caught.value.code == "too_many_items"
    assert len(normalize_windows([window(MON, "09:00", "10:00")] * (MAX_WINDOWS + 5))) == 1


# --- common_slots -----------------------------------------------------------------------------

BERLIN_TUESDAY_EVENING = ([window(TUE, "17:00", "19:00")], "Europe/Berlin")
NEW_YORK_TUESDAY_NOON = ([window(TUE, "11:00", "13:00")], "America/New_York")
WINTER_MONDAY = utc(2030, 1, 7)  # Berlin is UTC+1, New York UTC-5


def test_people_in_different_time_zones_meet_where_their_windows_overlap_in_utc() -> None:
    found = slots(BERLIN_TUESDAY_EVENING, NEW_YORK_TUESDAY_NOON, after=WINTER_MONDAY)
    assert found == [(utc(2030, 1, 8, 16), utc(2030, 1, 8, 17)), (utc(2030, 1, 8, 17), utc(2030, 1, 8, 18))]


def test_windows_that_do_not_overlap_give_no_slot() -> None:
    early_bird = ([window(TUE, "06:00", "08:00")], "America/New_York")  # 11:00-13:00 UTC
    assert slots(BERLIN_TUESDAY_EVENING, early_bird, after=WINTER_MONDAY) == []


def test_busy_sessions_are_subtracted_from_the_free_time() -> None:
    booked = [(utc(2030, 1, 8, 16, 30), utc(2030, 1, 8, 17))]
    found = slots(BERLIN_TUESDAY_EVENING, NEW_YORK_TUESDAY_NOON, after=WINTER_MONDAY, duration=HOUR, busy=booked)
    assert found == [(utc(2030, 1, 8, 17), utc(2030, 1, 8, 18))]
    halves = slots(BERLIN_TUESDAY_EVENING, NEW_YORK_TUESDAY_NOON, after=WINTER_MONDAY, duration=HOUR / 2, busy=booked)
    assert [start.time() for start, _ in halves] == [time(16), time(17), time(17, 30)]


def test_a_window_keeps_its_wall_clock_time_across_the_daylight_saving_change() -> None:
    """Berlin moves to summer time on Sunday 31 March 2030: 09:00 there is 08:00 UTC, then 07:00."""
    berlin_mornings = ([window(MON, "09:00", "10:00"), window(FRI, "09:00", "10:00")], "Europe/Berlin")
    utc_mornings = ([window(MON, "06:00", "10:00"), window(FRI, "06:00", "10:00")], "UTC")
    found = slots(berlin_mornings, utc_mornings, after=utc(2030, 3, 28))
    assert found == [(utc(2030, 3, 29, 8), utc(2030, 3, 29, 9)), (utc(2030, 4, 1, 7), utc(2030, 4, 1, 8))]


def test_slots_start_on_the_grid_after_the_given_moment_and_stop_at_the_limit() -> None:
    both = ([window(TUE, "16:00", "20:00")], "UTC")
    after = utc(2030, 1, 8, 16, 7)
    quarter = slots(both, both, after=after, duration=HOUR / 2, limit=2)
    assert quarter == [
        (utc(2030, 1, 8, 16, 15), utc(2030, 1, 8, 16, 45)),
        (utc(2030, 1, 8, 16, 45), utc(2030, 1, 8, 17, 15)),
    ]
    half_hours = slots(both, both, after=after, duration=HOUR, limit=1, grid=HOUR / 2)
    assert half_hours == [(utc(2030, 1, 8, 16, 30), utc(2030, 1, 8, 17, 30))]


def test_no_slot_ends_after_the_searched_period() -> None:
    both = ([window(TUE, "16:00", "20:00")], "UTC")
    found = common_slots(
        both, both, busy=[], after=utc(2030, 1, 8, 16), until=utc(2030, 1, 8, 18, 30), duration=HOUR, limit=10
    )
    assert found == [(utc(2030, 1, 8, 16), utc(2030, 1, 8, 17)), (utc(2030, 1, 8, 17), utc(2030, 1, 8, 18))]
