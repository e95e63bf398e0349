"""Use cases for organizations (tenants)."""

from __future__ import annotations

from uuid import UUID

from app.domain.access import Caller
from app.domain.errors import Conflict, NotFound
from app.domain.organization import Organization
from app.services import authz
from app.services.pagination import Page, PageRequest
from app.services.ports import UnitOfWork


async def create_organization(uow: UnitOfWork, caller: Caller, *, name: str, slug: str) -> Organization:
    authz.require_platform_admin(caller)
    org = Organization(name=name, slug=slug)
    async with uow:
        if await uow.organizations.get_by_slug(slug):
            raise Conflict(f"the slug {slug!r} is taken", code="slug_taken", field="slug")
        await uow.organizations.add(org)
        await uow.commit()
    return org


async def get_organization(uow: UnitOfWork, caller: Caller, org_id: UUID) -> Organization:
    if not caller.in_org(org_id):
        raise NotFound("organization not found", code="organization_not_found")
    async with uow:
        return authz.found(await uow.organizations.get(org_id), "organization")


async def list_organizations(uow: UnitOfWork, caller: Caller, request: PageRequest) -> Page[Organization]:
    """Platform admins see every tenant; everyone else sees their own."""
    async with uow:
        if caller.is_platform_admin:
            return await uow.organizations.page(request)
        own = await uow.organizations.get(authz.tenant_of(caller))
        return Page(items=[own] if own and request.after is None else [], next_cursor=None)


async def rename_organization(
    uow: UnitOfWork, caller: Caller, org_id: UUID, *, name: str, expected_version: int | None = None
) -> Organization:
    authz.require_org_admin(caller, org_id)
    async with uow:
        org = authz.found(await uow.organizations.get(org_id), "organization")
        authz.check_version(org, expected_version)
        org.rename(name)
        await uow.organizations.save(org)
        await uow.commit()
    return org
