"""Base classes of request and response bodies."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, ConfigDict


class Body(BaseModel):
    """Request bodies refuse unknown fields, so a misspelt field is a 422, not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class Resource(BaseModel):
    """Every resource has an id and timestamps; its version travels as the ETag header."""

    id: UUID
    created_at: datetime
    updated_at: datetime
