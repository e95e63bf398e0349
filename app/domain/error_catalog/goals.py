"""Codes of goals: a tandem's learning journey."""

from __future__ import annotations

from app.domain.error_catalog.entry import ErrorCode, Feature
from app.domain.errors import InvalidTransition, NotFound, RuleViolation

GOALS = Feature(
    "goals",
    "A tandem's learning journey.",
    (
        ErrorCode("goal_not_found", NotFound, "Goal not found", "No such goal in the caller's organization."),
        ErrorCode(
            "goal_invalid_transition",
            InvalidTransition,
            "Goal transition not allowed",
            "The goal's status cannot change this way.",
        ),
        ErrorCode(
            "goal_not_in_tandem",
            RuleViolation,
            "Not a goal of this tandem",
            "goals_covered names a goal that is not on the learning journey of the session's tandem.",
        ),
        ErrorCode("tandem_closed", RuleViolation, "Tandem closed", "Goals are added and changed in open tandems only."),
    ),
)
