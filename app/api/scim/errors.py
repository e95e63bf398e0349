"""SCIM errors (RFC 7644 §3.12): every failure under /scim/v2 answers an Error message with the
SCIM error schema and, where one applies, a ``scimType`` — never an RFC 9457 problem document."""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from pydantic import ValidationError
from scim2_models import Context, Error, SCIMException

from app.domain.errors import Conflict, DomainError, NotFound, PermissionDenied, RuleViolation, VersionMismatch

MEDIA_TYPE = "application/scim+json"


class ScimProblem(Exception):
    def __init__(self, status: int, detail: str, scim_type: str | None = None, headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status, self.detail, self.scim_type, self.headers = status, detail, scim_type, headers or {}


def unauthorized(detail: str) -> ScimProblem:
    return ScimProblem(401, detail, headers={"WWW-Authenticate": 'Bearer realm="SCIM"'})


def invalid_value(detail: str) -> ScimProblem:
    return ScimProblem(400, detail, "invalidValue")


def scim_json(body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(body), status_code=status, media_type=MEDIA_TYPE, headers=headers)


def error_response(problem: ScimProblem) -> Response:
    error = Error(status=problem.status, scim_type=problem.scim_type, detail=problem.detail)
    return scim_json(error.model_dump(scim_ctx=Context.DEFAULT), problem.status, problem.headers)


def of_domain_error(error: DomainError) -> ScimProblem:
    """A use case's error in SCIM's words: 409 uniqueness, 412 for a stale If-Match, 400 invalidValue."""
    if isinstance(error, NotFound):
        return ScimProblem(404, str(error))
    if isinstance(error, VersionMismatch):
        return ScimProblem(412, str(error))
    if isinstance(error, Conflict):
        return ScimProblem(409, str(error), "uniqueness")
    if isinstance(error, PermissionDenied):
        return ScimProblem(403, str(error))
    if isinstance(error, RuleViolation):
        return invalid_value(f"{error.field}: {error}" if error.field else str(error))
    return ScimProblem(400, str(error))


def of_validation_error(error: ValidationError | RequestValidationError) -> ScimProblem:
    details = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', 'invalid')}" for e in error.errors()[:5]]
    return invalid_value("; ".join(details) or "the request is not a valid SCIM message")


class ScimRoute(APIRoute):
    """Turns every failure of a SCIM operation into a SCIM Error; unexpected ones still propagate
    (the app's 500 handler logs them)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def scim_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except ScimProblem as problem:
                return error_response(problem)
            except DomainError as error:
                return error_response(of_domain_error(error))
            except SCIMException as error:  # scim2-models' own: a patch without target, a bad path
                found = error.to_error()
                status = int(found.status or 400)
                return error_response(ScimProblem(status, found.detail or str(error), found.scim_type))
            except (ValidationError, RequestValidationError) as error:
                return error_response(of_validation_error(error))

        return scim_handler
