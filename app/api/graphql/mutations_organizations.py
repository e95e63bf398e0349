"""Organization mutations: create and rename a tenant, configure its SSO, as REST's /v1/organizations.

Each calls the same use case as its REST twin and checks its arguments with the same body
model; a refusal is a Problem value with REST's code.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import strawberry

from app.api.graphql.errors import Problem, attempt
from app.api.graphql.inputs import command, parse
from app.api.graphql.types import Ctx
from app.api.graphql.types_organizations import Organization, Role, Sso
from app.api.schemas.organizations import OrganizationIn, OrganizationPatch, SsoIn
from app.domain import access
from app.services import organizations
from app.services import sso as sso_service


@strawberry.input
class RoleMappingInput:
    claim_value: str = strawberry.field(description="up to 200 characters")
    role: Role  # type: ignore[valid-type]


@strawberry.input(description="bounds as REST's SsoIn; a repeated claim value keeps its last role")
class SsoInput:
    issuer: str = strawberry.field(description="the OpenID provider's issuer URL")
    client_id: str = strawberry.field(description="1 to 500 characters")
    client_secret: str = strawberry.field(description="write-only, 1 to 2000 characters: stored encrypted")
    allowed_email_domains: list[str] = strawberry.field(default_factory=list, description="up to 50")
    role_claim: str = "groups"
    role_mapping: list[RoleMappingInput] = strawberry.field(default_factory=list, description="up to 100")
    default_role: Role = access.Role.MEMBER  # type: ignore[valid-type]
    frontend_url: str | None = strawberry.field(
        default=None, description="where a finished login redirects with a one-time code; unset: tokens as JSON"
    )


OrganizationResult = Annotated[Organization | Problem, strawberry.union("OrganizationResult")]
SsoResult = Annotated[Sso | Problem, strawberry.union("SsoResult")]


@strawberry.type
class OrganizationMutations:
    @command("Create a tenant (platform admins); the slug must be free.")
    async def create_organization(self, info: Ctx, name: str, slug: str) -> OrganizationResult:
        body = parse(OrganizationIn, {"name": name, "slug": slug}, "")
        if isinstance(body, Problem):
            return body
        ctx = info.context
        return await attempt(
            organizations.create_organization(ctx.uow, ctx.caller, name=body.name, slug=body.slug),
            Organization.of,
        )

    @command("Rename the organization (org admins); the slug stays.")
    async def update_organization(
        self, info: Ctx, id: UUID, name: str, expected_version: int | None = None
    ) -> OrganizationResult:
        body = parse(OrganizationPatch, {"name": name}, "")
        if isinstance(body, Problem):
            return body
        ctx = info.context
        return await attempt(
            organizations.rename_organization(
                ctx.uow, ctx.caller, id, name=body.name, expected_version=expected_version
            ),
            Organization.of,
        )

    @command("Store or replace the organization's OpenID provider (org admins).")
    async def configure_sso(
        self, info: Ctx, org_id: UUID, sso: SsoInput, expected_version: int | None = None
    ) -> SsoResult:
        values = {
            "issuer": sso.issuer,
            "client_id": sso.client_id,
            "client_secret": sso.client_secret,
            "allowed_email_domains": sso.allowed_email_domains,
            "role_claim": sso.role_claim,
            "role_mapping": {m.claim_value: m.role for m in sso.role_mapping},
            "default_role": sso.default_role,
            "frontend_url": sso.frontend_url,
        }
        body = parse(SsoIn, values, "sso")
        if isinstance(body, Problem):
            return body
        ctx = info.context
        return await attempt(
            sso_service.configure_sso(
                ctx.uow,
                ctx.caller,
                org_id,
                issuer=body.issuer,
                client_id=body.client_id,
                client_secret=body.client_secret,
                allowed_email_domains=tuple(body.allowed_email_domains),
                role_claim=body.role_claim,
                role_mapping=dict(body.role_mapping),
                default_role=body.default_role,
                frontend_url=body.frontend_url,
                expected_version=expected_version,
            ),
            Sso.of,
        )
