"""GraphQL object types of tenants: the organization and its OpenID provider (never the secret).

The same shapes as REST's ``schemas/organizations.py``.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from app.api.graphql.queries_support import described, or_none
from app.api.graphql.types import Ctx
from app.domain import access
from app.domain import organization as org
from app.domain import sso as ss
from app.services import sso

Role = strawberry.enum(access.Role)


@strawberry.type(description="a claim value of the identity provider and the Tandem role it grants")
class RoleMapping:
    claim_value: str
    role: Role  # type: ignore[valid-type]


@strawberry.type(description="the organization's OpenID provider; the client secret is never returned")
class Sso:
    org_id: UUID
    version: int = strawberry.field(description="pass as expectedVersion to configureSso (REST's ETag)")
    issuer: str
    client_id: str
    client_secret_set: bool = strawberry.field(description="whether a secret is stored")
    allowed_email_domains: list[str]
    role_claim: str
    role_mapping: list[RoleMapping]
    default_role: Role  # type: ignore[valid-type]
    frontend_url: str | None = strawberry.field(description="where a login lands with a one-time code")

    @classmethod
    def of(cls, c: ss.SsoConfig) -> Sso:
        return cls(
            org_id=c.org_id,
            version=c.version,
            issuer=c.issuer,
            client_id=c.client_id,
            client_secret_set=bool(c.client_secret),
            allowed_email_domains=list(c.allowed_email_domains),
            role_claim=c.role_claim,
            role_mapping=[RoleMapping(claim_value=k, role=v) for k, v in sorted(c.role_mapping.items())],
            default_role=c.default_role,
            frontend_url=c.frontend_url,
        )


@strawberry.type
class Organization:
    id: UUID
    version: int = strawberry.field(description="pass as expectedVersion to commands (REST's ETag)")
    name: str
    slug: str = strawberry.field(description="fixed once created: login URLs depend on it")
    created_at: datetime
    updated_at: datetime

    @described(
        "the OpenID provider (org admins, platform admins); null when none is configured or the caller may not see it"
    )
    async def sso_settings(self, info: Ctx) -> Sso | None:
        # one read per organization: a caller sees one organization, a platform admin a page of them
        found = await or_none(sso.get_sso(info.context.uow, info.context.caller, self.id))
        return Sso.of(found) if found else None

    @classmethod
    def of(cls, o: org.Organization) -> Organization:
        return cls(
            id=o.id, version=o.version, name=o.name, slug=o.slug, created_at=o.created_at, updated_at=o.updated_at
        )
