"""Codes of people: profiles, privacy and weekly availability."""

from __future__ import annotations

from app.domain.error_catalog.entry import ErrorCode, Feature
from app.domain.errors import Conflict, NotFound, PermissionDenied, RuleViolation

PEOPLE = Feature(
    "people",
    "Profiles, their erasure and their weekly availability.",
    (
        ErrorCode("person_not_found", NotFound, "Person not found", "No such person in the caller's organization."),
        ErrorCode(
            "not_your_profile",
            PermissionDenied,
            "Not your profile",
            "Members may only read or change their own profile.",
        ),
        ErrorCode(
            "invalid_birth_year",
            RuleViolation,
            "Invalid birth year",
            "The birth year is before the earliest accepted year or in the future.",
        ),
        ErrorCode("invalid_email", RuleViolation, "Invalid email", "The email address is not a valid address."),
        ErrorCode("email_taken", Conflict, "Email taken", "Another person of the organization already has this email."),
        ErrorCode(
            "profile_exists",
            Conflict,
            "Profile exists",
            "The caller already has a profile; a member creates only their own, once.",
        ),
        ErrorCode(
            "not_editable", RuleViolation, "Field not editable", "The change names fields that cannot be edited."
        ),
        ErrorCode(
            "person_erased",
            RuleViolation,
            "Person erased",
            "The person's data was erased (GDPR); they can no longer be edited, enrolled or paired.",
        ),
        ErrorCode("invalid_weekday", RuleViolation, "Invalid weekday", "A weekday is 0 (Monday) to 6 (Sunday)."),
        ErrorCode(
            "invalid_window",
            RuleViolation,
            "Invalid window",
            "An availability window must end after it starts, in wall-clock times without an offset.",
        ),
    ),
)
