"""An organization's SCIM tokens: org admins create (secret shown once), list and revoke them;
the SCIM adapter authenticates a request by one."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from app.domain.access import Caller
from app.domain.errors import NotFound
from app.domain.scim_token import SCIM_TOKEN_CREATED, SCIM_TOKEN_REVOKED, ScimToken, digest_of
from app.services import audit, authz
from app.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class IssuedScimToken:
    token: ScimToken
    secret: str  # shown once: only its digest is stored


async def create_scim_token(
    uow: UnitOfWork, caller: Caller, org_id: UUID, *, name: str, description: str = ""
) -> IssuedScimToken:
    authz.require_org_admin(caller, org_id)
    token, secret = ScimToken.issue(org_id, name, description, caller.user_id)
    async with uow:
        authz.found(await uow.organizations.get(org_id), "organization")
        await uow.scim_tokens.add(token)
        await audit.record(uow, caller, SCIM_TOKEN_CREATED, "scim_token", token.id)
        await uow.commit()
    return IssuedScimToken(token, secret)


async def list_scim_tokens(uow: UnitOfWork, caller: Caller, org_id: UUID) -> list[ScimToken]:
    authz.require_org_admin(caller, org_id)
    async with uow:
        authz.found(await uow.organizations.get(org_id), "organization")
        return await uow.scim_tokens.of_org(org_id)


async def revoke_scim_token(uow: UnitOfWork, caller: Caller, org_id: UUID, token_id: UUID) -> None:
    """The token stops working at once: the next SCIM request with it is refused."""
    authz.require_org_admin(caller, org_id)
    async with uow:
        if not await uow.scim_tokens.remove(org_id, token_id):
            raise NotFound("no such SCIM token of this organization", code="scim_token_not_found")
        await audit.record(uow, caller, SCIM_TOKEN_REVOKED, "scim_token", token_id)
        await uow.commit()


async def organization_of(uow: UnitOfWork, secret: str) -> UUID | None:
    """The organization a SCIM request's bearer secret provisions; None for an unknown or revoked one."""
    async with uow:
        token = await uow.scim_tokens.by_digest(digest_of(secret))
    return token.org_id if token else None
