"""Codes of SCIM provisioning's /v1 side: the organization's SCIM tokens.

Under ``/scim/v2`` errors are SCIM error documents (RFC 7644 §3.12) with a ``scimType``, not
problem documents: those are the SCIM adapter's, not this catalog's.
"""

from __future__ import annotations

from app.domain.error_catalog.entry import ErrorCode, Feature, Reach
from app.domain.errors import Conflict, NotFound, PermissionDenied, RuleViolation

SCIM = Feature(
    "scim",
    "SCIM 2.0 provisioning from the organization's identity provider: its bearer tokens and users.",
    (
        ErrorCode(
            "scim_token_not_found",
            NotFound,
            "SCIM token not found",
            "No such SCIM token of this organization (it may have been revoked).",
        ),
        ErrorCode(
            "account_deactivated",
            PermissionDenied,
            "Account deactivated",
            "The organization's identity provider deactivated this account (SCIM): it cannot sign in.",
        ),
        ErrorCode(
            "person_deactivated",
            RuleViolation,
            "Person deactivated",
            "The organization's identity provider deactivated the person (SCIM): they cannot be enrolled.",
        ),
        ErrorCode(
            "scim_user_not_found",
            NotFound,
            "SCIM user not found",
            "No provisioned user with this id in the token's organization.",
            Reach.SCIM,
        ),
        ErrorCode(
            "scim_user_exists",
            Conflict,
            "SCIM user exists",
            "Another user of the organization has this userName or sign-in address (scimType uniqueness).",
            Reach.SCIM,
        ),
        ErrorCode(
            "scim_group_not_found",
            NotFound,
            "SCIM group not found",
            "No group with this id in the token's organization.",
            Reach.SCIM,
        ),
        ErrorCode(
            "scim_group_exists",
            Conflict,
            "SCIM group exists",
            "Another group of the organization has this displayName (scimType uniqueness).",
            Reach.SCIM,
        ),
        ErrorCode(
            "invalid_value",
            RuleViolation,
            "Invalid SCIM value",
            "A SCIM attribute is blank, too long, not printable, or a second primary email (scimType invalidValue).",
            Reach.SCIM,
        ),
    ),
)
