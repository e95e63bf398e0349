"""GET /v1/me: who the token belongs to."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter
from pydantic import BaseModel, Field

from app.api.deps import CurrentCaller, RequestUow
from app.api.rest.responses import problems
from app.services.identity import who_am_i

router = APIRouter(prefix="/v1", tags=["identity"], responses=problems(401))


class MeProfile(BaseModel):
    id: UUID
    display_name: str
    email: str | None
    generation: str
    digital_native: bool


class MeOut(BaseModel):
    user_id: UUID
    role: str
    org_id: UUID | None
    email: str | None = Field(description="the user's sign-in address; null for a partner's client")
    display_name: str | None = Field(
        description="the profile's name, else the name the identity provider gave at the last sign-in"
    )
    sso_issuer: str | None = Field(
        description="the identity provider (issuer URL) the user last signed in through; null for operator tokens"
    )
    person: MeProfile | None


@router.get("/me", operation_id="get_me", response_model=MeOut)
async def get_me(caller: CurrentCaller, uow: RequestUow) -> MeOut:
    """The caller's user (address, name, identity provider), role, organization and (when bound
    to a person) profile."""
    me = await who_am_i(uow, caller)
    person = me.person
    return MeOut(
        user_id=caller.user_id,
        role=caller.role.value,
        org_id=caller.org_id,
        email=me.email,
        display_name=me.display_name,
        sso_issuer=me.sso_issuer,
        person=MeProfile(
            id=person.id,
            display_name=person.display_name,
            email=person.email,
            generation=person.generation.value,
            digital_native=person.digital_native,
        )
        if person
        else None,
    )
