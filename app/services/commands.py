"""What partial-update commands share: a value left out is ``UNSET``, which is not ``None``.

A PATCH may clear a nullable field (``None``) or leave it as it is (left out); the use cases
need to tell the two apart, so their commands default every field to ``UNSET``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import Enum
from typing import Literal, TypeAlias, TypeVar

T = TypeVar("T")


class Unset(Enum):
    """The one value of a field the caller did not send."""

    UNSET = "UNSET"

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Literal[Unset.UNSET] = Unset.UNSET
Maybe: TypeAlias = T | Literal[Unset.UNSET]  # a TypeVar alias: mypy reads it on Python 3.11


def given_or_none(value: Maybe[T]) -> T | None:
    """The value, or None when it was not given: for domain methods where None means "keep"."""
    return None if value is UNSET else value


@dataclass(frozen=True, slots=True)
class Changes:
    """Base of partial-update commands: frozen dataclasses whose fields default to ``UNSET``."""

    def given(self) -> dict[str, object]:
        """The fields the caller sent, by name (``None`` included: it clears a nullable field)."""
        return {f.name: value for f in fields(self) if (value := getattr(self, f.name)) is not UNSET}

    @property
    def fields_set(self) -> frozenset[str]:
        return frozenset(self.given())
