"""A tiny helper for the aggregates' state machines."""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import TypeVar

from app.domain.errors import InvalidTransition

S = TypeVar("S", bound=Enum)


def ensure_transition(what: str, current: S, target: S, allowed: Mapping[S, frozenset[S]]) -> S:
    """Return ``target`` when ``current -> target`` is an edge of the machine, else raise."""
    if target not in allowed.get(current, frozenset()):
        raise InvalidTransition(
            f"a {what} cannot go from {current.value} to {target.value}",
            code=f"{what}_invalid_transition",
        )
    return target
