"""/v1/organizations: tenants (platform admins create, org admins edit) and their SSO settings."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response, status

from app.api.deps import CurrentCaller, RequestUow
from app.api.rest.conventions import IfMatch, Paging, page_out, set_etag
from app.api.rest.responses import COMMON, problems
from app.api.schemas.organizations import (
    OrganizationIn,
    OrganizationOut,
    OrganizationPage,
    OrganizationPatch,
    SsoIn,
    SsoOut,
)
from app.services import organizations, sso

router = APIRouter(prefix="/v1/organizations", tags=["organizations"], responses=COMMON)


@router.post("", operation_id="create_organization", status_code=status.HTTP_201_CREATED, responses=problems(409))
async def create_organization(
    body: OrganizationIn, caller: CurrentCaller, uow: RequestUow, response: Response
) -> OrganizationOut:
    """Create a tenant. Platform admins only; the slug must be free."""
    org = await organizations.create_organization(uow, caller, name=body.name, slug=body.slug)
    set_etag(response, org)
    response.headers["Location"] = f"/v1/organizations/{org.id}"
    return OrganizationOut.of(org)


@router.get("", operation_id="list_organizations")
async def list_organizations(caller: CurrentCaller, uow: RequestUow, paging: Paging) -> OrganizationPage:
    """Platform admins see every tenant; everyone else their own."""
    page = await organizations.list_organizations(uow, caller, paging)
    return OrganizationPage.model_validate(page_out(page, OrganizationOut))


@router.get("/{org_id}", operation_id="get_organization")
async def get_organization(org_id: UUID, caller: CurrentCaller, uow: RequestUow, response: Response) -> OrganizationOut:
    org = await organizations.get_organization(uow, caller, org_id)
    set_etag(response, org)
    return OrganizationOut.of(org)


@router.patch("/{org_id}", operation_id="update_organization", responses=problems(412))
async def update_organization(
    org_id: UUID,
    body: OrganizationPatch,
    caller: CurrentCaller,
    uow: RequestUow,
    if_match: IfMatch,
    response: Response,
) -> OrganizationOut:
    """Rename the organization (org admins). The slug is fixed: login URLs depend on it."""
    org = await organizations.rename_organization(uow, caller, org_id, name=body.name, expected_version=if_match)
    set_etag(response, org)
    return OrganizationOut.of(org)


@router.put("/{org_id}/sso", operation_id="configure_sso", responses=problems(412))
async def configure_sso(
    org_id: UUID, body: SsoIn, caller: CurrentCaller, uow: RequestUow, if_match: IfMatch, response: Response
) -> SsoOut:
    """Store the organization's OpenID provider (org admins). The client secret is write-only."""
    config = await sso.configure_sso(
        uow,
        caller,
        org_id,
        issuer=body.issuer,
        client_id=body.client_id,
        client_secret=body.client_secret,
        allowed_email_domains=tuple(body.allowed_email_domains),
        role_claim=body.role_claim,
        role_mapping=dict(body.role_mapping),
        default_role=body.default_role,
        frontend_url=body.frontend_url,
        expected_version=if_match,
    )
    set_etag(response, config)
    return SsoOut.of(config)


@router.get("/{org_id}/sso", operation_id="get_sso")
async def get_sso(org_id: UUID, caller: CurrentCaller, uow: RequestUow, response: Response) -> SsoOut:
    config = await sso.get_sso(uow, caller, org_id)
    set_etag(response, config)
    return SsoOut.of(config)
