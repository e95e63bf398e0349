"""Value objects shared by several aggregates. Frozen; they validate themselves."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.domain.errors import RuleViolation

MAX_TEXT_LIST = 50


class MeetingFormat(StrEnum):
    ON_SITE = "on_site"
    SHADOWING_DAY = "shadowing_day"
    VIDEO_CALL = "video_call"
    PHONE = "phone"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Topic:
    """A subject a mentee wants to learn or a mentor offers; ``priority`` 1 (low) to 5 (high)."""

    name: str
    priority: int = 3

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise RuleViolation("a topic needs a name", code="blank_value", field="topics")
        if not 1 <= self.priority <= 5:
            raise RuleViolation("topic priority must be 1 to 5", code="invalid_priority", field="priority")


def clean_labels(values: list[str] | tuple[str, ...], field_name: str) -> tuple[str, ...]:
    """Trim, drop blanks and duplicates (case-insensitively), keep order; bound the size."""
    seen: set[str] = set()
    cleaned: list[str] = []
    for value in values:
        label = value.strip()
        if label and label.casefold() not in seen:
            seen.add(label.casefold())
            cleaned.append(label)
    if len(cleaned) > MAX_TEXT_LIST:
        raise RuleViolation(
            f"{field_name} holds at most {MAX_TEXT_LIST} entries", code="too_many_items", field=field_name
        )
    return tuple(cleaned)


def validate_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise RuleViolation(f"unknown time zone {name!r}", code="invalid_timezone", field="timezone") from exc
    return name
