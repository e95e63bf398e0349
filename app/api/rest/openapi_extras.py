"""Additions to the generated OpenAPI document that FastAPI cannot infer from the routes."""

from __future__ import annotations

import json
from copy import deepcopy
from typing import Any

from fastapi import FastAPI

from app.api.rate_limit import SAFE_METHODS
from app.api.rest.responses import DESCRIPTIONS, PROBLEM_CONTENT, RETRY_AFTER

IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Retry-safe POST: the first response to this key is stored and replayed to retries by the same "
        "caller for 24 hours. The same key with another body is a 422; while the first request runs, a 409."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}


NEEDS_THE_DATABASE = ("/v1/", "/auth/", "/oauth/", "/scim/")


def _database_unavailable() -> dict[str, Any]:
    """The 503 of app.api.problems.database_unavailable, as FastAPI renders ``problems(503)``."""
    return {
        "description": DESCRIPTIONS[503],
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/Problem"}},
            **deepcopy(PROBLEM_CONTENT),
        },
        "headers": deepcopy(RETRY_AFTER),
    }


def document_idempotency_keys(app: FastAPI) -> None:
    """Every POST under /v1 accepts an Idempotency-Key (handled by IdempotencyMiddleware); the
    OAuth endpoints document the statuses they really answer; every operation that needs the
    database documents the 503 it answers while the database is away."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        for path, operations in schema["paths"].items():
            post = operations.get("post")
            if path.startswith("/v1/") and post is not None:
                post.setdefault("parameters", []).append(dict(IDEMPOTENCY_KEY))
            if path.startswith("/oauth/"):
                for operation in operations.values():
                    # the token endpoint answers bad parameters with 400 (RFC 6749 §5.2), never 422
                    operation["responses"].pop("422", None)
            if path.startswith(NEEDS_THE_DATABASE):
                for operation in operations.values():
                    operation["responses"].setdefault("503", _database_unavailable())
        schemas = schema.get("components", {}).get("schemas", {})
        if "HTTPValidationError" not in json.dumps(schema["paths"]):
            # FastAPI adds these for the 422s dropped above; every other 422 is a Problem
            schemas.pop("HTTPValidationError", None)
            schemas.pop("ValidationError", None)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def document_rate_limits(app: FastAPI) -> None:
    """The 429 of ``limit_writes`` on every write operation under /v1, with its headers."""
    generate = app.openapi
    headers = RETRY_AFTER | {
        "RateLimit": {
            "description": 'the limit that was hit: `"<policy>";r=<remaining>;t=<seconds until reset>`',
            "schema": {"type": "string"},
        },
        "RateLimit-Policy": {
            "description": 'the policy: `"<policy>";q=<quota>;w=<window in seconds>`',
            "schema": {"type": "string"},
        },
    }

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        for path, operations in schema["paths"].items():
            if not path.startswith("/v1/"):
                continue
            for method, operation in operations.items():
                if method.upper() not in SAFE_METHODS:
                    operation["responses"]["429"] = {
                        "description": DESCRIPTIONS[429],
                        "content": deepcopy(PROBLEM_CONTENT),
                        "headers": deepcopy(headers),
                    }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
