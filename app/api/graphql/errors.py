"""Typed errors for mutations: the same stable ``code`` (and HTTP-like status) as REST problems."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry

from app.api.problems import status_for
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
