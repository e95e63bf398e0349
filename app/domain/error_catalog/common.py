"""Codes any operation may answer: the request's shape, the caller's token and role, versions, outages."""

from __future__ import annotations

from app.domain.error_catalog.entry import ErrorCode, Feature, Reach
from app.domain.errors import (
    BadRequest,
    Conflict,
    NotFound,
    PermissionDenied,
    RuleViolation,
    ServiceUnavailable,
    Unauthenticated,
    VersionMismatch,
)

COMMON = Feature(
    "common",
    "The request's shape, the caller's token and role, versions, retries and outages.",
    (
        ErrorCode(
            "validation_failed",
            RuleViolation,
            "Invalid fields",
            "A parameter or body field is missing, of the wrong type or out of bounds; `errors` names each one.",
        ),
        ErrorCode("malformed_json", BadRequest, "Malformed JSON", "The request body is not valid JSON."),
        ErrorCode(
            "invalid_cursor", RuleViolation, "Invalid cursor", "The `cursor` is not one this API issued for the list."
        ),
        ErrorCode("invalid_limit", RuleViolation, "Invalid page size", "The page size is outside 1 to the maximum."),
        ErrorCode("blank_value", RuleViolation, "Blank value", "A required text is empty or only whitespace."),
        ErrorCode("too_long", RuleViolation, "Text too long", "A text is longer than its field allows."),
        ErrorCode(
            "too_many_items", RuleViolation, "Too many items", "A list holds more entries than its field allows."
        ),
        ErrorCode("invalid_timezone", RuleViolation, "Unknown time zone", "The time zone is not an IANA zone name."),
        ErrorCode(
            "invalid_token",
            Unauthenticated,
            "Invalid access token",
            "The bearer access token is missing, malformed, expired or signed by a key we do not know.",
        ),
        ErrorCode(
            "organization_token_required",
            PermissionDenied,
            "Organization token required",
            "The operation acts inside an organization, and the token belongs to none (a platform admin's).",
        ),
        ErrorCode(
            "manager_required",
            PermissionDenied,
            "Manager role required",
            "Only program managers and org admins may do this.",
        ),
        ErrorCode(
            "org_admin_required", PermissionDenied, "Org admin required", "Only the organization's admins may do this."
        ),
        ErrorCode(
            "platform_admin_required", PermissionDenied, "Platform admin required", "Only platform admins may do this."
        ),
        ErrorCode(
            "version_mismatch",
            VersionMismatch,
            "Version mismatch",
            "`If-Match` names another version than the stored one; read the object again and retry.",
        ),
        ErrorCode(
            "concurrent_update",
            VersionMismatch,
            "Concurrent update",
            "Another request changed the same object at the same moment; retry.",
        ),
        ErrorCode(
            "reference_not_found",
            NotFound,
            "Referenced object not found",
            "An id in the request names an object that does not exist (any longer).",
        ),
        ErrorCode(
            "not_found",
            NotFound,
            "Not found",
            "No operation answers this path.",
            Reach.ANY_REQUEST,
        ),
        ErrorCode(
            "invalid_idempotency_key",
            BadRequest,
            "Invalid Idempotency-Key",
            "The `Idempotency-Key` header is empty or longer than 200 characters.",
        ),
        ErrorCode(
            "idempotency_key_reused",
            RuleViolation,
            "Idempotency-Key reused",
            "The `Idempotency-Key` was already used by this caller with another request.",
        ),
        ErrorCode(
            "idempotency_request_in_progress",
            Conflict,
            "Request still in progress",
            "The first request with this `Idempotency-Key` still runs; retry after `Retry-After`.",
        ),
        ErrorCode(
            "database_unavailable",
            ServiceUnavailable,
            "Database unavailable",
            "The database cannot serve the request right now; nothing was changed, retry after `Retry-After`.",
        ),
        ErrorCode(
            "job_queue_unavailable",
            ServiceUnavailable,
            "Job queue unavailable",
            "The background job queue cannot take the work right now; retry after `Retry-After`.",
        ),
    ),
)
