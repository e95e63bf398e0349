"""An organization's SCIM tokens: the bearer secrets its identity provider provisions people with."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints

from app.api.schemas.base import Body
from app.domain.scim_token import MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH, ScimToken

SCIM_BASE_PATH = "/scim/v2"


class ScimTokenIn(Body):
    name: Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME_LENGTH)] = Field(
        description="which provider or connection holds the token, e.g. 'Entra ID production'"
    )
    description: Annotated[str, StringConstraints(max_length=MAX_DESCRIPTION_LENGTH)] = ""


class ScimTokenOut(BaseModel):
    id: UUID
    org_id: UUID
    name: str
    description: str
    created_at: datetime

    @classmethod
    def of(cls, token: ScimToken) -> Self:
        return cls(
            id=token.id,
            org_id=token.org_id,
            name=token.name,
            description=token.description,
            created_at=token.created_at,
        )


class IssuedScimTokenOut(ScimTokenOut):
    token: str = Field(description="the bearer secret for the provider's SCIM connection; shown once")
    scim_base_url: str = Field(description="the tenant URL to give the provider")

    @classmethod
    def issued(cls, token: ScimToken, secret: str, base_url: str) -> Self:
        return cls(
            **ScimTokenOut.of(token).model_dump(),
            token=secret,
            scim_base_url=f"{base_url.rstrip('/')}{SCIM_BASE_PATH}",
        )


class ScimTokenList(BaseModel):
    items: list[ScimTokenOut]
