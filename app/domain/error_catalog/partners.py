"""Codes of partner networks: their clients, grants and mentor pools."""

from __future__ import annotations

from app.domain.error_catalog.entry import ErrorCode, Feature, Reach
from app.domain.errors import Conflict, NotFound, PermissionDenied, RuleViolation

PARTNERS = Feature(
    "partners",
    "Partner networks: their OAuth clients, the organizations' grants and the mentor pools they sync.",
    (
        ErrorCode("partner_not_found", NotFound, "Partner not found", "No such partner network for this caller."),
        ErrorCode(
            "partner_mentor_not_found",
            NotFound,
            "Partner mentor not found",
            "The partner's pool has no mentor with this `external_id`.",
        ),
        ErrorCode(
            "partner_grant_not_found",
            NotFound,
            "Partner grant not found",
            "The organization has not granted this partner access.",
        ),
        ErrorCode(
            "partner_token_required",
            PermissionDenied,
            "Partner token required",
            "The operation needs a partner's client-credentials token.",
        ),
        ErrorCode(
            "insufficient_scope",
            PermissionDenied,
            "Insufficient scope",
            "The partner's token lacks the scope the operation needs (RFC 6750); request it at /oauth/token.",
        ),
        ErrorCode(
            "partner_name_taken", Conflict, "Partner name taken", "Another partner network already has this name."
        ),
        ErrorCode(
            "unknown_scope", RuleViolation, "Unknown scope", "`allowed_scopes` names a scope Tandem does not know."
        ),
        ErrorCode("scopes_required", RuleViolation, "Scopes required", "A partner needs at least one allowed scope."),
        ErrorCode(
            "invalid_external_id",
            RuleViolation,
            "Invalid external id",
            "An `external_id` is 1 to 200 characters without NUL: a sync row's error, or a lookup's answer.",
        ),
        ErrorCode(
            "external_id_taken",
            Conflict,
            "External id taken",
            "Another person of the organization already stands for this partner mentor.",
        ),
        ErrorCode(
            "not_a_digital_native",
            RuleViolation,
            "Not a digital native",
            "Partner mentors must be digital natives (born 1981 or later).",
            Reach.IN_RESULTS,
        ),
        ErrorCode("batch_too_large", RuleViolation, "Batch too large", "A sync batch holds more rows than allowed."),
    ),
)
