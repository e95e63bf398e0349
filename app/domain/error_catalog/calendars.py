"""Codes of calendars: a person's sessions as an iCalendar feed, reached through secret links."""

from __future__ import annotations

from app.domain.error_catalog.entry import ErrorCode, Feature
from app.domain.errors import NotFound

CALENDARS = Feature(
    "calendars",
    "A person's sessions as an iCalendar feed and the secret links that reach it.",
    (
        ErrorCode(
            "calendar_link_not_found",
            NotFound,
            "Calendar link not found",
            "No such calendar link of this person (it may have been revoked).",
        ),
        ErrorCode(
            "calendar_feed_not_found",
            NotFound,
            "Calendar feed not found",
            "The feed's token is unknown, revoked, or belongs to another person's feed.",
        ),
    ),
)
