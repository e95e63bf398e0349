"""Use cases for an organization's SSO configuration (the login itself: app/services/sso_login.py)."""

from __future__ import annotations

from uuid import UUID

from app.domain.access import Caller, Role
from app.domain.clock import utcnow
from app.domain.sso import SsoConfig
from app.services import authz
from app.services.ports import UnitOfWork


async def configure_sso(
    uow: UnitOfWork,
    caller: Caller,
    org_id: UUID,
    *,
    issuer: str,
    client_id: str,
    client_secret: str,
    allowed_email_domains: tuple[str, ...] = (),
    role_claim: str = "groups",
    role_mapping: dict[str, Role] | None = None,
    default_role: Role = Role.MEMBER,
    frontend_url: str | None = None,
    expected_version: int | None = None,
) -> SsoConfig:
    """Store (or replace) the organization's OpenID provider. Org admins only."""
    authz.require_org_admin(caller, org_id)
    async with uow:
        authz.found(await uow.organizations.get(org_id), "organization")
        current = await uow.sso_configs.get(org_id)
        if current is not None:
            authz.check_version(current, expected_version)
        config = SsoConfig(
            org_id=org_id,
            issuer=issuer,
            client_id=client_id,
            client_secret=client_secret,
            allowed_email_domains=allowed_email_domains,
            role_claim=role_claim,
            role_mapping=role_mapping or {},
            default_role=default_role,
            frontend_url=frontend_url,
            version=current.version + 1 if current else 1,
            created_at=current.created_at if current else utcnow(),
        )
        await uow.sso_configs.save(config)
        await uow.commit()
    return config


async def get_sso(uow: UnitOfWork, caller: Caller, org_id: UUID) -> SsoConfig:
    authz.require_org_admin(caller, org_id)
    async with uow:
        return authz.found(await uow.sso_configs.get(org_id), "sso_config")
