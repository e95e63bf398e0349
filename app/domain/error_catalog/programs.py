"""Codes of programs: their period, rules and life cycle."""

from __future__ import annotations

from app.domain.error_catalog.entry import ErrorCode, Feature
from app.domain.errors import Conflict, InvalidTransition, NotFound, RuleViolation

PROGRAMS = Feature(
    "programs",
    "A program's period, rules and life cycle.",
    (
        ErrorCode("program_not_found", NotFound, "Program not found", "No such program in the caller's organization."),
        ErrorCode(
            "program_invalid_transition",
            InvalidTransition,
            "Program transition not allowed",
            "The program's life cycle does not allow this step from its current status.",
        ),
        ErrorCode(
            "invalid_period",
            RuleViolation,
            "Invalid period",
            "`ends_on` is not after `starts_on`, or the program is shorter or longer than allowed.",
        ),
        ErrorCode("invalid_rule", RuleViolation, "Invalid rule", "A program rule is outside its allowed range."),
        ErrorCode(
            "program_closed", RuleViolation, "Program closed", "A completed or cancelled program cannot be edited."
        ),
        ErrorCode(
            "enrollment_closed",
            RuleViolation,
            "Enrollment closed",
            "The program does not take enrollments in its current status.",
        ),
        ErrorCode(
            "pairing_closed",
            RuleViolation,
            "Pairing closed",
            "Tandems are formed only while the program is in matching or running.",
        ),
        ErrorCode(
            "program_not_running",
            RuleViolation,
            "Program not running",
            "Sessions happen only while the program is running.",
        ),
        ErrorCode(
            "program_not_matching",
            RuleViolation,
            "Program not in matching",
            "A matching run needs the program in its matching phase, or running (a rematch).",
        ),
        ErrorCode(
            "rules_break_open_tandems",
            Conflict,
            "Rules break open tandems",
            "The new rules would break tandems that are open now; end those first or keep the rules.",
        ),
    ),
)
