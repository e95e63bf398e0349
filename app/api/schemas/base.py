"""Base classes of request and response bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar, Generic, TypeVar
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic.json_schema import SkipJsonSchema

T = TypeVar("T")


class PageOut(BaseModel, Generic[T]):
    """A page of a list. Pass ``next_cursor`` back as ``cursor`` for the next page; null at the end."""

    items: list[T]
    next_cursor: str | None = Field(description="opaque; null on the last page")


class Body(BaseModel):
    """Request bodies refuse unknown fields, so a misspelt field is a 422, not silently ignored,
    and text with a NUL character, which PostgreSQL cannot store (it would fail as a 500)."""

    model_config = ConfigDict(extra="forbid")
    nul_checked_in_parts: ClassVar[bool] = False  # a batch whose rows check themselves, each alone

    @model_validator(mode="before")
    @classmethod
    def _no_nul_characters(cls, data: object) -> object:
        where = None if cls.nul_checked_in_parts else _nul_in(data)
        if where is not None:
            raise ValueError(f"{where or 'the body'} contains a NUL character (\\u0000), which text may not hold")
        return data


def _nul_in(value: object, path: str = "") -> str | None:
    """The path of the first string holding a NUL character, or None."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and "\x00" in key:
                return f"{path}.{key!r}".lstrip(".")
            found = _nul_in(item, f"{path}.{key}".lstrip("."))
            if found is not None:
                return found
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = _nul_in(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None


class Resource(BaseModel):
    """Every resource has an id and timestamps; its version travels as the ETag header."""

    id: UUID
    created_at: datetime
    updated_at: datetime


def _refuse_null(value: object) -> object:
    if value is None:
        raise ValueError("may be left out to keep the value, but not null: the field cannot be empty")
    return value


Keep = Annotated[T | SkipJsonSchema[None], BeforeValidator(_refuse_null)]
"""A PATCH field that may be left out (keep the stored value) but not set to null."""
