"""/v1/organizations/{org_id}/scim-tokens: the bearer secrets of the organization's SCIM provisioning."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from app.api.deps import CurrentCaller, RequestUow
from app.api.rest.responses import COMMON
from app.api.schemas.scim_tokens import IssuedScimTokenOut, ScimTokenIn, ScimTokenList, ScimTokenOut
from app.services import scim_tokens

router = APIRouter(prefix="/v1/organizations", tags=["organizations"], responses=COMMON)


@router.post("/{org_id}/scim-tokens", operation_id="create_scim_token", status_code=status.HTTP_201_CREATED)
async def create_scim_token(
    org_id: UUID, body: ScimTokenIn, caller: CurrentCaller, uow: RequestUow, request: Request, response: Response
) -> IssuedScimTokenOut:
    """A SCIM bearer token for the organization's identity provider (org admins); shown only now."""
    issued = await scim_tokens.create_scim_token(uow, caller, org_id, name=body.name, description=body.description)
    # the secret provisions and deactivates the organization's people: no cache, nor the
    # Idempotency-Key store (which keeps no answer marked no-store), may keep it
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    response.headers["Location"] = f"/v1/organizations/{org_id}/scim-tokens/{issued.token.id}"
    return IssuedScimTokenOut.issued(issued.token, issued.secret, str(request.base_url))


@router.get("/{org_id}/scim-tokens", operation_id="list_scim_tokens")
async def list_scim_tokens(org_id: UUID, caller: CurrentCaller, uow: RequestUow) -> ScimTokenList:
    """The organization's SCIM tokens, without their secrets."""
    tokens = await scim_tokens.list_scim_tokens(uow, caller, org_id)
    return ScimTokenList(items=[ScimTokenOut.of(t) for t in tokens])


@router.delete(
    "/{org_id}/scim-tokens/{token_id}",
    operation_id="revoke_scim_token",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
)
async def revoke_scim_token(org_id: UUID, token_id: UUID, caller: CurrentCaller, uow: RequestUow) -> Response:
    """Revoke a SCIM token: the provider's next request with it is refused."""
    await scim_tokens.revoke_scim_token(uow, caller, org_id, token_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
