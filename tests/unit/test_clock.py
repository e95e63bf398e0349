"""Time in one place: the domain accepts aware datetimes only and keeps them in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.domain.clock import require_aware, utcnow


def test_the_clock_reads_aware_utc_time() -> None:
    assert utcnow().utcoffset() == timedelta(0)


def test_an_aware_datetime_is_converted_to_utc() -> None:
    tokyo = timezone(timedelta(hours=9))
    assert require_aware(datetime(2030, 1, 1, 9, 0, tzinfo=tokyo)) == datetime(2030, 1, 1, 0, 0, tzinfo=UTC)


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        require_aware(datetime(2030, 1, 1, 9, 0))
