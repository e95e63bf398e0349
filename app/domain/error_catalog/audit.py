"""Codes of the audit trail's filters."""

from __future__ import annotations

from app.domain.error_catalog.entry import ErrorCode, Feature
from app.domain.errors import RuleViolation

AUDIT = Feature(
    "audit",
    "Who did what, when, to which object: the organization's append-only audit trail.",
    (
        ErrorCode(
            "invalid_action",
            RuleViolation,
            "Invalid action",
            "An action filter is an object and a verb, e.g. tandem.status_changed.",
        ),
        ErrorCode(
            "invalid_target_type", RuleViolation, "Invalid target type", "A target type is an object name, e.g. tandem."
        ),
        ErrorCode(
            "invalid_time_range",
            RuleViolation,
            "Invalid time range",
            "from and to need a time zone offset, and to must be after from.",
        ),
    ),
)
