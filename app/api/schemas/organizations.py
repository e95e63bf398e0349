"""Organizations and their SSO configuration."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import Field, StringConstraints

from app.api.schemas.base import Body, PageOut, Resource
from app.domain.access import Role
from app.domain.organization import Organization
from app.domain.sso import SsoConfig

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Domain = Annotated[str, StringConstraints(min_length=3, max_length=253)]


class OrganizationIn(Body):
    name: Name
    slug: Slug = Field(description="lowercase letters, digits and inner hyphens; used in login URLs")


class OrganizationPatch(Body):
    name: Name


class OrganizationOut(Resource):
    name: str
    slug: str

    @classmethod
    def of(cls, org: Organization) -> Self:
        return cls(id=org.id, name=org.name, slug=org.slug, created_at=org.created_at, updated_at=org.updated_at)


class OrganizationPage(PageOut[OrganizationOut]):
    pass


class SsoIn(Body):
    issuer: Annotated[str, StringConstraints(min_length=1, max_length=500, pattern=r"^https?://[^\s?#]+$")] = Field(
        description="the OpenID provider's issuer URL, exactly as its discovery document names it"
    )
    client_id: Annotated[str, StringConstraints(min_length=1, max_length=500)]
    client_secret: Annotated[str, StringConstraints(min_length=1, max_length=2000)] = Field(
        description="write-only: stored encrypted, never returned"
    )
    allowed_email_domains: list[Domain] = Field(default_factory=list, max_length=50)
    role_claim: Annotated[str, StringConstraints(min_length=1, max_length=100)] = "groups"
    role_mapping: dict[Annotated[str, StringConstraints(max_length=200)], Role] = Field(
        default_factory=dict, max_length=100, description="claim value → Tandem role"
    )
    default_role: Role = Role.MEMBER
    frontend_url: Annotated[str, StringConstraints(min_length=1, max_length=500)] | None = Field(
        default=None,
        description="where a finished login redirects with a one-time `code` for /oauth/token; "
        "unset: the callback answers the tokens as JSON",
    )


class SsoOut(Body):
    issuer: str
    client_id: str
    client_secret_set: bool = Field(description="whether a secret is stored (it is never returned)")
    allowed_email_domains: list[str]
    role_claim: str
    role_mapping: dict[str, Role]
    default_role: Role
    frontend_url: str | None

    @classmethod
    def of(cls, sso: SsoConfig) -> Self:
        return cls(
            issuer=sso.issuer,
            client_id=sso.client_id,
            client_secret_set=bool(sso.client_secret),
            allowed_email_domains=list(sso.allowed_email_domains),
            role_claim=sso.role_claim,
            role_mapping=sso.role_mapping,
            default_role=sso.default_role,
            frontend_url=sso.frontend_url,
        )
