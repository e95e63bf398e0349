"""Base classes of request and response bodies."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, TypeVar
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic.json_schema import SkipJsonSchema

T = TypeVar("T")


class Body(BaseModel):
    """Request bodies refuse unknown fields, so a misspelt field is a 422, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


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
