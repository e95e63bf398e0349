"""RFC 9457 problem responses: the one place where errors become HTTP.

Domain errors carry a stable ``code``; the table below gives each kind its status, and so each
code of the catalog (``app.domain.error_catalog``) its status; the few codes the edge answers
with no domain kind behind them carry their own (``app.api.edge_codes``). Validation
errors list every bad field. An unreachable database answers 503 with ``Retry-After``, on every
route (GraphQL included, see ``app.api.graphql.error_codes``). Unexpected errors answer 500
without internals (and are logged).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.composition import DatabaseUnavailable, InvalidToken
from app.api.edge_codes import EDGE_BY_CODE
from app.api.rate_limit import TooManyRequests
from app.api.security_headers import api_security_headers
from app.domain import errors as e
from app.domain.error_catalog import BY_CODE

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://tandem.dev/problems/"
DATABASE_RETRY_AFTER_SECONDS = 5  # a restart or failover takes seconds; clients should not hammer it

STATUS_OF: dict[type[e.DomainError], int] = {
    e.NotFound: 404,
    e.PermissionDenied: 403,
    e.RuleViolation: 422,
    e.InvalidTransition: 409,
    e.Conflict: 409,
    e.VersionMismatch: 412,
    e.Unauthenticated: 401,
    e.BadRequest: 400,
    e.ProviderUnavailable: 502,
    e.ServiceUnavailable: 503,
}

TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service unavailable",
}


class FieldError(BaseModel):
    field: str = Field(description="dotted path of the offending field, e.g. body.ends_on")
    message: str
    type: str | None = None


class Problem(BaseModel):
    """An RFC 9457 problem document with Tandem's stable ``code``."""

    type: str
    title: str
    status: int
    detail: str | None = None
    code: str = Field(
        description=(
            "stable, machine-readable error code; each operation lists the codes it can answer under "
            "`x-problem-codes` of its problem responses, and `components.x-problem-catalog` describes them all"
        )
    )
    instance: str | None = None
    errors: list[FieldError] | None = None


def problem_response(
    status: int,
    code: str,
    detail: str | None = None,
    *,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    body = Problem(
        type=TYPE_BASE + code,
        title=TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        code=code,
        errors=errors,
    )
    content = body.model_dump(exclude_none=True) | (extra or {})
    return JSONResponse(content, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def problem_json(status: int, code: str, detail: str) -> bytes:
    """The bytes of a problem document, for pure ASGI middleware that has no FastAPI response."""
    body = Problem(type=TYPE_BASE + code, title=TITLES.get(status, "Error"), status=status, detail=detail, code=code)
    return body.model_dump_json(exclude_none=True).encode()


def problem_for(
    code: str,
    detail: str | None = None,
    *,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    """The problem response of a catalog ``code``, with the status the catalog gives it."""
    return problem_response(status_of_code(code), code, detail, errors=errors, headers=headers, extra=extra)


def status_of_kind(kind: type[e.DomainError]) -> int:
    for base in kind.__mro__:
        if base in STATUS_OF:
            return STATUS_OF[base]  # type: ignore[index]
    return 400


def status_for(error: e.DomainError) -> int:
    return status_of_kind(type(error))


def status_of_code(code: str) -> int:
    """A catalog code's HTTP status: its kind's, or the edge's own for a protocol code."""
    entry = BY_CODE.get(code)
    if entry is not None:
        return status_of_kind(entry.kind)
    status = EDGE_BY_CODE[code].status
    if status is None:
        raise ValueError(f"{code} is a GraphQL error, never an HTTP problem")
    return status


async def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, e.DomainError)
    status = status_for(exc)
    errors = [FieldError(field=exc.field, message=exc.detail, type=exc.code)] if exc.field and status == 422 else None
    headers = extra = None
    if status == 401:
        scheme = "Basic" if request.url.path.startswith("/oauth/") else "Bearer"
        headers = {"WWW-Authenticate": f'{scheme} realm="tandem"'}
    if status == 503:
        headers = {"Retry-After": "30"}
    if request.url.path.startswith("/oauth/"):
        extra = {"error": exc.code, "error_description": exc.detail}  # RFC 6749 §5.2, for OAuth libraries
    return problem_response(status, exc.code, exc.detail, errors=errors, headers=headers, extra=extra)


def database_unavailable(request: Request | None, error: DatabaseUnavailable) -> JSONResponse:
    """The 503 of an unreachable database; also sent by pure ASGI middleware (an ASGI app itself)."""
    extra = None
    if request is not None and request.url.path.startswith("/oauth/"):
        extra = {"error": "temporarily_unavailable", "error_description": error.detail}  # RFC 6749 §4.1.2.1
    return problem_for(
        "database_unavailable",
        error.detail,
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
        extra=extra,
    )


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DatabaseUnavailable)
    log.warning("database unavailable on %s %s: %r", request.method, request.url.path, exc.__cause__ or exc)
    return database_unavailable(request, exc)


async def _too_many_requests(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, TooManyRequests)
    return problem_for("rate_limited", exc.detail, headers=exc.headers())


async def _invalid_token(_: Request, exc: Exception) -> JSONResponse:
    return problem_for(
        "invalid_token",
        "a valid bearer access token is required",
        headers={"WWW-Authenticate": 'Bearer realm="tandem", error="invalid_token"'},
    )


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [_field_error(err) for err in exc.errors()]
    if request.url.path.startswith("/oauth/"):
        # RFC 6749 §5.2 speaks 400 for a malformed token request; a grant type we do not know is
        # unsupported_grant_type, anything else (a missing one included) invalid_request
        unknown_grant = any(err.field == "body.grant_type" and err.type != "missing" for err in errors)
        code = "unsupported_grant_type" if unknown_grant else "invalid_request"
        detail = "the token request has missing or invalid parameters"
        if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            detail += "; send them form-encoded (application/x-www-form-urlencoded), as OAuth 2 requires"
        extra = {"error": code, "error_description": detail}
        return problem_for(code, detail, errors=errors, extra=extra)
    if any(err.type == "json_invalid" for err in errors):
        return problem_for("malformed_json", "the request body is not valid JSON", errors=errors)
    return problem_for("validation_failed", "the request has invalid fields", errors=errors)


def _field_error(err: dict[str, Any]) -> FieldError:
    return FieldError(
        field=".".join(str(p) for p in err.get("loc", ())), message=err.get("msg", ""), type=err.get("type")
    )


# FastAPI's answer to a body it cannot decode at all (invalid UTF-8, nesting past the recursion
# limit), as opposed to JSON with a syntax error, which reaches _validation_error as json_invalid
_UNDECODABLE_BODY = "There was an error parsing the body"


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and exc.detail == _UNDECODABLE_BODY:
        return problem_for("malformed_json", "the request body could not be decoded as JSON (UTF-8, nesting)")
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    detail = exc.detail if isinstance(exc.detail, str) else None
    return problem_response(exc.status_code, code, detail, headers=getattr(exc, "headers", None))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    response = problem_for("internal_error", "something went wrong on our side; it was logged")
    # Starlette answers an unhandled error from its outermost layer, outside every middleware
    # of ours: the security headers are added here, as the middleware adds them to the rest
    settings = getattr(request.app.state, "settings", None)
    for name, value in api_security_headers(hsts=getattr(settings, "environment", "") == "production"):
        response.headers[name.decode()] = value.decode()
    return response


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(e.DomainError, _domain_error)
    app.add_exception_handler(InvalidToken, _invalid_token)
    app.add_exception_handler(DatabaseUnavailable, _database_unavailable)
    app.add_exception_handler(TooManyRequests, _too_many_requests)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
