"""Codes of the event feed."""

from __future__ import annotations

from app.domain.error_catalog.entry import ErrorCode, Feature
from app.domain.errors import RuleViolation

EVENTS = Feature(
    "events",
    "The caller's events in commit order (the pull alternative to webhooks).",
    (
        ErrorCode(
            "invalid_event_type", RuleViolation, "Unknown event type", "A filter names an event type we do not emit."
        ),
    ),
)
