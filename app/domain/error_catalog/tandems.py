"""Codes of tandems: pairing, each side's answers, the life cycle and the fit check."""

from __future__ import annotations

from app.domain.error_catalog.entry import ErrorCode, Feature
from app.domain.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, RuleViolation

TANDEMS = Feature(
    "tandems",
    "Pairing a mentor with a mentee, each side's answers, the tandem's life cycle and free slots.",
    (
        ErrorCode("tandem_not_found", NotFound, "Tandem not found", "No such tandem in the caller's organization."),
        ErrorCode(
            "not_your_tandem", PermissionDenied, "Not your tandem", "Members may only see the tandems they are part of."
        ),
        ErrorCode(
            "participant_required",
            PermissionDenied,
            "Participant required",
            "Only the tandem's mentor or mentee may do this (accept, decline, the fit check, feedback).",
        ),
        ErrorCode(
            "tandem_invalid_transition",
            InvalidTransition,
            "Tandem transition not allowed",
            "The tandem's life cycle does not allow this step from its current status.",
        ),
        ErrorCode(
            "tandem_not_active",
            RuleViolation,
            "Tandem not active",
            "Only an active tandem has sessions, slot suggestions and a fit check.",
        ),
        ErrorCode("same_person", RuleViolation, "Same person", "A person cannot mentor themselves."),
        ErrorCode(
            "same_department",
            RuleViolation,
            "Same department",
            "The program's rules forbid pairing people of the same department.",
        ),
        ErrorCode(
            "generation_gap_too_small",
            RuleViolation,
            "Generation gap too small",
            "The two are fewer generations apart than the program's rules ask for.",
        ),
        ErrorCode(
            "mentee_already_paired",
            Conflict,
            "Mentee already paired",
            "The mentee already has an open tandem in this program.",
        ),
        ErrorCode(
            "mentor_capacity_exceeded",
            Conflict,
            "Mentor capacity exceeded",
            "The mentor's open tandems already use up their capacity.",
        ),
        ErrorCode(
            "proposal_expired", RuleViolation, "Proposal expired", "The proposal was not answered before it expired."
        ),
        ErrorCode("reason_required", RuleViolation, "Reason required", "Dissolving a tandem needs a reason."),
        ErrorCode(
            "fit_check_too_early",
            RuleViolation,
            "Fit check too early",
            "The fit check opens after the tandem's first held session.",
        ),
        ErrorCode("invalid_days", RuleViolation, "Invalid days", "Slot suggestions look 1 to the maximum days ahead."),
    ),
)
