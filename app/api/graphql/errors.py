"""Typed errors for mutations: the same stable ``code`` (and HTTP-like status) as REST problems.

``ProblemCode`` is generated from the error catalog (``app.api.problem_catalog``): its values are
the codes themselves, so a client switches on the same strings over REST and GraphQL.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Any, TypeVar, cast

import strawberry

from app.api.problem_catalog import CATALOG
from app.api.problems import status_for, status_of_code
from app.api.rate_limit import TooManyRequests
from app.domain.errors import DomainError

T = TypeVar("T")
R = TypeVar("R")


# the functional Enum API: its members come from the catalog, not from a literal mypy could read
_CODES = cast(
    type[Enum],
    Enum(  # type: ignore[misc]
        "ProblemCode",
        {
            entry.code: strawberry.enum_value(entry.code, description=f"{entry.title}: {entry.meaning}")
            for entry in CATALOG
        },
    ),
)
ProblemCode = strawberry.enum(
    _CODES, description="Every stable error code (docs/errors.md); the same strings as REST's problem `code`"
)


def problem_code(code: str) -> Enum:
    """The enum member of a catalog code; a KeyError names a code missing from the catalog."""
    member: Enum = ProblemCode[code]
    return member


@strawberry.type(description="Why a command was refused; `code` is the same as in REST problem documents")
class Problem:
    code: Enum = strawberry.field(graphql_type=ProblemCode)
    message: str
    # not `status`: that name has another type on Program, Tandem, …, and GraphQL refuses one field
    # name with two types in a `Program | Problem` selection
    http_status: int = strawberry.field(description="the HTTP status REST answers for this error")
    field: str | None = None

    @classmethod
    def of(cls, error: DomainError) -> Problem:
        return cls(
            code=problem_code(error.code), message=error.detail, http_status=status_for(error), field=error.field
        )


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
        return Problem(
            code=problem_code("rate_limited"), message=error.detail, http_status=status_of_code("rate_limited")
        )
    return None
