"""Every problem the API tests receive must be one its operation declares in ``x-problem-codes``.

Installed as a response hook on the tests' HTTP client (``tests/api/conftest.py``): a route
that answers a code its operation does not list fails the test that met it, naming the
operation, so the per-operation lists in ``app/api/rest/problem_codes.py`` stay honest.
GraphQL answers are held to the catalog: every error's ``extensions.code`` is a catalog code.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from functools import cache
from typing import Any

import httpx
from fastapi import FastAPI

from app.api.problem_catalog import BY_CODE

PROBLEM_JSON = "application/problem+json"


def operation_of(app: FastAPI, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
    """The OpenAPI operation (path template, operation) that serves ``method path``, if any.

    Templates with fewer parameters win, as the router tries literal segments first."""
    paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    for template in sorted(paths, key=lambda t: t.count("{")):
        operation = paths[template].get(method.lower())
        if operation is not None and _pattern(template).fullmatch(path):
            return template, operation
    return None


@cache
def _pattern(template: str) -> re.Pattern[str]:
    # a mentor's external_id may hold slashes ({external_id:path} in the route)
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile(
        "".join((".+" if p == "{external_id}" else "[^/]+") if p.startswith("{") else re.escape(p) for p in parts)
    )


def undeclared(app: FastAPI, method: str, path: str, status: int, code: str) -> str | None:
    """Why this answer breaks the declaration, or None when the operation declares it."""
    found = operation_of(app, method, path)
    if found is None:
        return None  # no operation (an unknown path, GraphQL): nothing declares per operation
    template, operation = found
    declared = operation["responses"].get(str(status), {}).get("x-problem-codes", [])
    if code in declared:
        return None
    return (
        f"{method} {template} ({operation['operationId']}) answered {status} {code!r}, which its "
        f"x-problem-codes for {status} do not list ({declared}): declare it in app/api/rest/problem_codes.py"
    )


def declared_codes_only(app: FastAPI) -> Callable[[httpx.Response], Awaitable[None]]:
    async def check(response: httpx.Response) -> None:
        content_type = response.headers.get("content-type", "")
        if content_type.startswith(PROBLEM_JSON):
            await response.aread()
            code = response.json().get("code", "")
            reason = undeclared(app, response.request.method, response.request.url.path, response.status_code, code)
            assert reason is None, reason
        elif response.request.url.path == "/graphql" and content_type.startswith("application/json"):
            await response.aread()
            errors = response.json().get("errors") or []
            codes = {(e.get("extensions") or {}).get("code") for e in errors if isinstance(e, dict)} - {None}
            assert codes <= set(BY_CODE), f"GraphQL error codes outside the catalog: {codes - set(BY_CODE)}"

    return check
