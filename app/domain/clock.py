"""Time in one place: aware UTC datetimes only."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return utcnow().date()


def require_aware(value: datetime) -> datetime:
    """Naive datetimes are ambiguous across time zones; the domain refuses them."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("datetime must carry a time zone")
    return value.astimezone(UTC)
