"""Codes of enrollments: taking part in a program as mentor or mentee."""

from __future__ import annotations

from app.domain.error_catalog.entry import ErrorCode, Feature
from app.domain.errors import Conflict, NotFound, PermissionDenied, RuleViolation

ENROLLMENTS = Feature(
    "enrollments",
    "Taking part in a program as mentor or mentee: needs, offers, capacity and preferences.",
    (
        ErrorCode(
            "enrollment_not_found", NotFound, "Enrollment not found", "No such enrollment in the caller's organization."
        ),
        ErrorCode(
            "not_your_enrollment",
            PermissionDenied,
            "Not your enrollment",
            "Members may only act for their own enrollment.",
        ),
        ErrorCode(
            "already_enrolled", Conflict, "Already enrolled", "The person already has an active enrollment here."
        ),
        ErrorCode(
            "wrong_organization",
            RuleViolation,
            "Wrong organization",
            "The person belongs to another organization than the program.",
        ),
        ErrorCode(
            "invalid_capacity",
            RuleViolation,
            "Invalid capacity",
            "A mentor's capacity is 1 to the maximum; a mentee takes part in one tandem.",
        ),
        ErrorCode("invalid_priority", RuleViolation, "Invalid priority", "A topic's priority is 1 to 5."),
        ErrorCode(
            "capacity_below_open_tandems",
            Conflict,
            "Capacity below open tandems",
            "A mentor's capacity cannot drop below the number of their open tandems.",
        ),
        ErrorCode(
            "enrollment_has_open_tandem",
            Conflict,
            "Enrollment has an open tandem",
            "An enrollment with an open tandem cannot be withdrawn; end the tandem first.",
        ),
        ErrorCode(
            "enrollment_withdrawn",
            RuleViolation,
            "Enrollment withdrawn",
            "A withdrawn enrollment cannot be edited, paired, like or be liked.",
        ),
        ErrorCode(
            "enrollment_not_in_program",
            RuleViolation,
            "Enrollment of another program",
            "The enrollment takes part in another program than the one addressed.",
        ),
        ErrorCode(
            "wrong_role",
            RuleViolation,
            "Wrong role",
            "The enrollment has the other role: a mentor where a mentee is expected, or the reverse.",
        ),
        ErrorCode(
            "mentor_not_digital_native",
            RuleViolation,
            "Mentor not a digital native",
            "The program's rules ask for mentors born 1981 or later.",
        ),
        ErrorCode(
            "mentee_not_digital_immigrant",
            RuleViolation,
            "Mentee not a digital immigrant",
            "The program's rules ask for mentees born before 1981.",
        ),
    ),
)
