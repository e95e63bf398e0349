"""What the query modules share: a typed field description, and null for what a caller may not see."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry

from app.domain.errors import NotFound, PermissionDenied

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def described(description: str) -> Callable[[F], F]:
    """``strawberry.field`` with a description; typed, as strawberry's overload for it gives Any."""
    decorate: Callable[[F], F] = strawberry.field(description=description)
    return decorate


async def or_none(found: Awaitable[T]) -> T | None:
    """Another tenant's object, or one the caller may not see, is simply absent.

    The use case decides: REST answers its NotFound with 404 and its PermissionDenied with 403;
    a single object here is null in both cases, so its existence is not revealed either.
    """
    try:
        return await found
    except (NotFound, PermissionDenied):
        return None
