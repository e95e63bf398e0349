"""Typed errors for mutations: the same stable ``code`` (and HTTP-like status) as REST problems."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry

from app.api.problems import status_for
from app.api.rate_limit import TooManyRequests
from app.domain.errors import DomainError

T = TypeVar("T")
R = TypeVar("R")


@strawberry.type(description="Why a command was refused; `code` is the same as in REST problem documents")
class Problem:
    code: str
    message: str
    # not `status`: that name has another type on Program, Tandem, …, and GraphQL refuses one field
    # name with two types in a `Program | Problem` selection
    http_status: int = strawberry.field(description="the HTTP status REST answers for this error")
    field: str | None = None

    @classmethod
    def of(cls, error: DomainError) -> Problem:
        return cls(code=error.code, message=error.detail, http_status=status_for(error), field=error.field)


async def attempt(command: Awaitable[T], shape: Callable[[T], R]) -> R | Problem:
    """Run a use case; a domain error becomes a Problem value, anything else stays an error."""
    try:
        return shape(await command)
    except DomainError as error:
        return Problem.of(error)


async def flow_limited(info: Any, flow: str) -> Problem | None:
    """A sensitive business flow over GraphQL counts against the tenant's limit as over REST
    (app.api.rate_limit.FLOWS); over it, a Problem with REST's 429."""
    try:
        await info.context.request.app.state.write_limiter.check_flow(flow, info.context.caller)
    except TooManyRequests as error:
        return Problem(code="rate_limited", message=error.detail, http_status=429)
    return None
