"""Codes of sessions: the meetings of a tandem and their feedback."""

from __future__ import annotations

from app.domain.error_catalog.entry import ErrorCode, Feature
from app.domain.errors import Conflict, InvalidTransition, NotFound, RuleViolation

SESSIONS = Feature(
    "sessions",
    "A tandem's meetings: scheduling, holding, cancelling, and each side's feedback.",
    (
        ErrorCode("session_not_found", NotFound, "Session not found", "No such session in the caller's organization."),
        ErrorCode(
            "session_invalid_transition",
            InvalidTransition,
            "Session transition not allowed",
            "The session's life cycle does not allow this step from its current status.",
        ),
        ErrorCode(
            "session_not_scheduled",
            RuleViolation,
            "Session not scheduled",
            "Only a scheduled session can be changed.",
        ),
        ErrorCode(
            "session_not_started",
            RuleViolation,
            "Session not started",
            "A session cannot be held or missed before it starts.",
        ),
        ErrorCode("session_not_held", RuleViolation, "Session not held", "Feedback is given on held sessions only."),
        ErrorCode(
            "feedback_already_given",
            Conflict,
            "Feedback already given",
            "This participant already gave feedback on the session.",
        ),
        ErrorCode(
            "invalid_duration", RuleViolation, "Invalid duration", "The duration is outside the allowed minutes."
        ),
        ErrorCode(
            "invalid_format", RuleViolation, "Invalid format", "The session format is not one of the known formats."
        ),
        ErrorCode("invalid_rating", RuleViolation, "Invalid rating", "A rating is 1 to 5."),
        ErrorCode("naive_datetime", RuleViolation, "Time zone missing", "`starts_at` needs a UTC offset."),
        ErrorCode(
            "outside_program_period",
            RuleViolation,
            "Outside the program period",
            "The session must lie inside the program's period.",
        ),
    ),
)
