"""Queries of tenants: organizations and their SSO settings, as REST's /v1/organizations."""

from __future__ import annotations

from uuid import UUID

import strawberry

from app.api.graphql.pagination import Connection, page_request
from app.api.graphql.queries_support import described, or_none
from app.api.graphql.types import Ctx
from app.api.graphql.types_organizations import Organization, Sso
from app.services import organizations, sso


@strawberry.type
class OrganizationQueries:
    @described("an organization: the caller's own, or any for a platform admin")
    async def organization(self, info: Ctx, id: UUID) -> Organization | None:
        found = await or_none(organizations.get_organization(info.context.uow, info.context.caller, id))
        return Organization.of(found) if found else None

    @described("platform admins see every tenant; everyone else their own")
    async def organizations(self, info: Ctx, first: int = 50, after: str | None = None) -> Connection[Organization]:
        ctx = info.context
        page = await organizations.list_organizations(ctx.uow, ctx.caller, page_request(first, after))
        return Connection.of(page, Organization.of)

    @described("the organization's OpenID provider (org admins); also Organization.ssoSettings")
    async def sso_settings(self, info: Ctx, org_id: UUID) -> Sso | None:
        found = await or_none(sso.get_sso(info.context.uow, info.context.caller, org_id))
        return Sso.of(found) if found else None
