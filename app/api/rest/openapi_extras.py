"""Additions to the generated OpenAPI document that FastAPI cannot infer from the routes."""

from __future__ import annotations

import json
from copy import deepcopy
from typing import Any

from fastapi import FastAPI

from app.api.problem_catalog import CATALOG
from app.api.problems import status_of_code
from app.api.rate_limit import SAFE_METHODS
from app.api.rest.problem_codes import NEEDS_THE_DATABASE, OPERATION_CODES, shape_codes
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


def document_problem_codes(app: FastAPI) -> None:
    """Each problem response of each operation lists the codes the operation can answer with that
    status (``x-problem-codes``), from its declaration and its shape (``problem_codes``); the whole
    catalog, with status, title and meaning, is in ``components.x-problem-catalog``."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                codes = shape_codes(method, path, operation) | set(OPERATION_CODES.get(operation["operationId"], ()))
                _list_codes_per_status(operation["responses"], codes)
        schema.setdefault("components", {})["x-problem-catalog"] = {
            entry.code: {
                "status": entry.status,
                "title": entry.title,
                "meaning": entry.meaning,
                "feature": entry.feature,
                "reach": entry.reach.value,
            }
            for entry in CATALOG
        }
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _list_codes_per_status(responses: dict[str, Any], codes: set[str]) -> None:
    by_status: dict[int, list[str]] = {}
    for code in sorted(codes):
        by_status.setdefault(status_of_code(code), []).append(code)
    for status, listed in sorted(by_status.items()):
        response = responses.get(str(status)) or {
            "description": DESCRIPTIONS.get(status, "Error"),
            "content": deepcopy(PROBLEM_CONTENT),
        }
        responses[str(status)] = {**response, "x-problem-codes": listed}
