"""Use cases for partner networks: registering them with client credentials, organizations'
grants, and the client-credentials check behind ``POST /oauth/token``.

The mentor pool itself is in app/services/partner_mentors.py.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from uuid import UUID

from app.domain.access import Caller, Role, Scope
from app.domain.errors import NotFound, PermissionDenied, Unauthenticated
from app.domain.partner import ALL_SCOPES, MAX_CLIENT_ID_LENGTH, Partner, PartnerGrant, secret_matches
from app.services import authz
from app.services.pagination import Page, PageRequest
from app.services.partner_mentors import project as project_mentors
from app.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class IssuedCredentials:
    """A partner with its new client secret: shown to the caller once, only its digest is stored."""

    partner: Partner
    client_secret: str


@dataclass(frozen=True, slots=True)
class GrantResult:
    grant: PartnerGrant
    partner: Partner
    created: bool  # False when the organization had already granted the partner


async def create_partner(
    uow: UnitOfWork, caller: Caller, *, name: str, allowed_scopes: frozenset[Scope] = ALL_SCOPES
) -> IssuedCredentials:
    """Register a partner network and issue its client credentials. Platform admins only."""
    authz.require_platform_admin(caller)
    partner, secret = Partner.register(name, allowed_scopes)
    async with uow:
        await uow.partners.add(partner)  # the unique name answers a retried create with a 409
        await uow.commit()
    return IssuedCredentials(partner, secret)


async def rotate_partner_secret(
    uow: UnitOfWork, caller: Caller, partner_id: UUID, *, expected_version: int | None = None
) -> IssuedCredentials:
    """A new client secret. Platform admins only.

    The old secret stops working at once, and so do the access tokens issued with it: a
    rotation is how a leaked secret is contained.
    """
    authz.require_platform_admin(caller)
    async with uow:
        partner = authz.found(await uow.partners.get(partner_id), "partner")
        authz.check_version(partner, expected_version)
        secret = partner.rotate_secret()
        await uow.partners.save(partner)
        await uow.commit()
    return IssuedCredentials(partner, secret)


async def list_partners(uow: UnitOfWork, caller: Caller, request: PageRequest) -> Page[Partner]:
    """Platform admins see every partner, a partner itself, an organization's managers its grantees."""
    async with uow:
        if caller.is_platform_admin:
            return await uow.partners.page(request)
        if caller.role is Role.PARTNER and caller.partner_id is not None:
            own = await uow.partners.get(caller.partner_id)
            return Page(items=[own] if own and request.after is None else [], next_cursor=None)
        return await uow.partners.page(request, granted_by_org=_managed_org(caller))


async def get_partner(uow: UnitOfWork, caller: Caller, partner_id: UUID) -> Partner:
    """Another partner, or one the caller's organization did not grant, is not found."""
    org_id = None if caller.is_platform_admin or caller.role is Role.PARTNER else _managed_org(caller)
    if caller.role is Role.PARTNER and caller.partner_id != partner_id:
        raise NotFound("partner not found", code="partner_not_found")
    async with uow:
        partner = authz.found(await uow.partners.get(partner_id), "partner")
        if org_id is not None and await uow.partners.get_grant(org_id, partner_id) is None:
            raise NotFound("partner not found", code="partner_not_found")
        return partner


async def grant_partner_access(uow: UnitOfWork, caller: Caller, org_id: UUID, partner_id: UUID) -> GrantResult:
    """The organization lets the partner supply mentors (org admins). Granting again changes nothing.

    A new grant gives the organization a Person for every mentor in the partner's pool.
    """
    authz.require_org_admin(caller, org_id)
    async with uow:
        authz.found(await uow.organizations.get(org_id), "organization")
        # exclusive on the partner: running syncs finish first, later ones see this grant
        partner = authz.found(await uow.partners.get(partner_id, lock="update"), "partner")
        created = await uow.partners.add_grant(PartnerGrant(org_id, partner_id, granted_by=caller.user_id))
        grant = authz.found(await uow.partners.get_grant(org_id, partner_id), "partner_grant")
        if created:
            await project_mentors(uow, [org_id], await uow.partner_mentors.active(partner_id))
        await uow.commit()
    return GrantResult(grant, partner, created)


async def get_partner_grant(uow: UnitOfWork, caller: Caller, org_id: UUID, partner_id: UUID) -> GrantResult:
    if not caller.is_platform_admin:
        if caller.org_id != org_id:  # another tenant's (or a tenantless) caller: nothing to see
            raise NotFound("organization not found", code="organization_not_found")
        _managed_org(caller)
    async with uow:
        grant = authz.found(await uow.partners.get_grant(org_id, partner_id), "partner_grant")
        partner = authz.found(await uow.partners.get(partner_id), "partner")
    return GrantResult(grant, partner, created=False)


async def revoke_partner_access(uow: UnitOfWork, caller: Caller, org_id: UUID, partner_id: UUID) -> None:
    """End the grant (org admins). The organization keeps the Persons it got, their tandems too;
    they no longer follow the partner's pool, and the partner no longer sees what happens to them.
    """
    authz.require_org_admin(caller, org_id)
    async with uow:
        if not await uow.partners.remove_grant(org_id, partner_id):
            raise NotFound("partner_grant not found", code="partner_grant_not_found")
        await uow.commit()


async def client_credentials_caller(
    uow: UnitOfWork, *, client_id: str, client_secret: str, scope: str | None
) -> Caller:
    """The caller a client-credentials token is issued to (OAuth 2, RFC 6749 §4.4).

    A wrong client id and a wrong secret fail alike and take the same time. ``scope`` (space-
    separated) narrows the token to some of the partner's scopes; None gives all of them.
    """
    partner = None
    # only printable ASCII can be a client id we issued (a NUL byte would not even reach the database)
    if 0 < len(client_id) <= MAX_CLIENT_ID_LENGTH and client_id.isascii() and client_id.isprintable():
        async with uow:
            partner = await uow.partners.get_by_client_id(client_id)
    if not secret_matches(partner.client_secret_digest if partner else None, client_secret) or partner is None:
        raise Unauthenticated("client authentication failed", code="invalid_client")
    scopes = partner.grant_scopes(scope)
    return Caller(
        user_id=partner.id,
        role=Role.PARTNER,
        partner_id=partner.id,
        scopes=frozenset(s.value for s in scopes),
        credential=partner.credential_tag,
    )


async def credential_is_current(uow: UnitOfWork, partner_id: UUID, credential: str | None) -> bool:
    """Whether a partner token was issued for the partner's current client secret."""
    async with uow:
        partner = await uow.partners.get(partner_id)
    return partner is not None and credential is not None and hmac.compare_digest(partner.credential_tag, credential)


def _managed_org(caller: Caller) -> UUID:
    """Organization callers read partners for their program work: org admins and program managers."""
    org_id = authz.tenant_of(caller)
    if not caller.manages_org:
        raise PermissionDenied("only org admins and program managers may see partners", code="manager_required")
    return org_id
