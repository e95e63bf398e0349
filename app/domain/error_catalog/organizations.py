"""Codes of organizations (tenants)."""

from __future__ import annotations

from app.domain.error_catalog.entry import ErrorCode, Feature
from app.domain.errors import Conflict, NotFound, RuleViolation

ORGANIZATIONS = Feature(
    "organizations",
    "Tenants: their slug and who may reach them.",
    (
        ErrorCode(
            "organization_not_found",
            NotFound,
            "Organization not found",
            "No such organization, or not one the caller may see.",
        ),
        ErrorCode(
            "invalid_slug",
            RuleViolation,
            "Invalid slug",
            "A slug is 1 to 63 lowercase letters, digits or inner hyphens.",
        ),
        ErrorCode("slug_taken", Conflict, "Slug taken", "Another organization already has this slug."),
    ),
)
