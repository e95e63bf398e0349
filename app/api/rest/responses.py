"""Problem responses documented on every operation, so generated clients know the error shape."""

from __future__ import annotations

from typing import Any

from app.api.problems import PROBLEM_JSON, Problem


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        400: "Malformed request",
        401: "Missing or invalid access token",
        403: "The caller's role may not do this",
        404: "Not found (or another organization's)",
        409: "Conflicts with the current state",
        412: "If-Match does not match the current version",
        422: "Invalid fields or a broken rule",
        429: "Too many requests",
    }
    return {
        status: {"model": Problem, "content": {PROBLEM_JSON: {}}, "description": descriptions.get(status, "Error")}
        for status in statuses
    }
