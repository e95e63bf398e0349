"""Problem responses documented on every operation, so generated clients know the error shape."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter

from app.api.problems import PROBLEM_JSON, Problem

DESCRIPTIONS = {
    400: "Malformed request (bad JSON, bad cursor, bad Idempotency-Key)",
    401: "Missing or invalid access token",
    403: "The caller's role may not do this",
    404: "Not found (another organization's objects are never visible)",
    409: "Conflicts with the current state, or the same Idempotency-Key is still running",
    412: "If-Match does not match the current version (ETag)",
    413: "Request body too large",
    422: "Invalid fields (see errors) or a broken rule (see code)",
    429: "Too many requests; see Retry-After",
    500: "Unexpected error on our side (logged with the request id)",
    502: "An organization's identity provider did not answer usefully",
    503: "Temporarily unavailable (the database or the job queue); retry after Retry-After seconds",
}

# 429 and 503 always say when to come back
RETRY_AFTER = {
    "Retry-After": {"description": "seconds to wait before retrying", "schema": {"type": "integer", "minimum": 1}}
}


# the media type we really send, with its schema: typed clients (openapi-typescript) read errors from it
PROBLEM_CONTENT = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: _problem(status) for status in statuses}


def _problem(status: int) -> dict[str, Any]:
    response: dict[str, Any] = {
        "model": Problem,
        "content": PROBLEM_CONTENT,
        "description": DESCRIPTIONS.get(status, "Error"),
    }
    if status in (429, 503):
        response["headers"] = RETRY_AFTER
    return response


# every /v1 operation: authenticated, addressed by id or validated input
COMMON = problems(400, 401, 403, 404, 422)


def add_transition_route(
    router: APIRouter, path: str, endpoint: Callable[..., Any], operation_id: str, doc: str
) -> None:
    """A state transition: POST on ``path``, If-Match honoured, 409 when the machine forbids it."""
    router.add_api_route(
        path,
        endpoint,
        methods=["POST"],
        operation_id=operation_id,
        description=doc,
        summary=operation_id.replace("_", " ").capitalize(),
        responses=problems(409, 412),
    )
