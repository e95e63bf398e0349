"""Arguments of mutations, checked against the very request schemas REST uses, and their declaration.

GraphQL input types name the fields; the bounds (lengths, list sizes, ranges, patterns) live in
one place, the REST body models, so both adapters accept and refuse exactly the same input. A
refusal is a ``Problem`` with REST's code ``validation_failed`` (status 422) naming the field.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import strawberry
from pydantic import BaseModel, ValidationError

from app.api.graphql.errors import Problem
from app.domain.errors import RuleViolation

M = TypeVar("M", bound=BaseModel)
F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")

VALIDATION_FAILED = "validation_failed"


def command(description: str) -> Callable[[F], F]:
    """``strawberry.mutation`` with a description; typed, as strawberry's overload for it gives Any."""
    decorate: Callable[[F], F] = strawberry.mutation(description=description)
    return decorate


async def deferred(call: Callable[[], Awaitable[T]]) -> T:
    """Build and run a use case call only when awaited, inside ``errors.attempt``.

    For calls whose arguments are domain values built from the input (windows, topics, rules):
    a rule those values break is then a Problem, as REST answers it with a problem document.
    """
    return await call()


def values_of(data: object) -> Any:
    """Plain values of an argument: inputs become dicts of the fields the client sent.

    A field left out (``UNSET``) is dropped, so PATCH-like inputs keep REST's meaning: left
    out keeps the stored value, an explicit null clears it (or is refused where REST refuses it).
    """
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        return {
            f.name: values_of(value)
            for f in dataclasses.fields(data)
            if (value := getattr(data, f.name)) is not strawberry.UNSET
        }
    if isinstance(data, dict):
        return {key: values_of(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [values_of(item) for item in data]
    return data


def parse(model: type[M], data: object, argument: str) -> M | Problem:
    """``data`` (an input object or a dict of arguments) validated by the REST body ``model``.

    Returns the model, or a 422 ``validation_failed`` Problem whose ``field`` is the GraphQL
    path of the first offending value (``person.displayName``) and whose message lists them all.
    """
    try:
        return model.model_validate(values_of(data))
    except ValidationError as error:
        issues = [(_path(argument, e["loc"]), e["msg"]) for e in error.errors()]
        message = "; ".join(f"{path}: {msg}" for path, msg in issues)
        return Problem.of(RuleViolation(message, code=VALIDATION_FAILED, field=issues[0][0]))


def _path(argument: str, loc: tuple[int | str, ...]) -> str:
    parts = [argument] if argument else []
    parts.extend(_camel(str(part)) for part in loc)
    return ".".join(parts)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.capitalize() for word in rest)
