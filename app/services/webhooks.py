"""Use cases for webhook endpoints: an organization's admins manage its endpoints, a partner
network (scope webhooks:manage) its own. Another owner's endpoint or delivery is not found."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from app.domain.access import Caller, Role, Scope
from app.domain.clock import utcnow
from app.domain.delivery import Delivery
from app.domain.errors import NotFound, PermissionDenied
from app.domain.events import PING, Audience
from app.domain.webhook import WebhookEndpoint
from app.services import authz
from app.services.pagination import Page, PageRequest
from app.services.ports import UnitOfWork, WebhookUrlCheck


@dataclass(frozen=True, slots=True)
class EndpointChanges:
    """A PATCH: None leaves a field as it is."""

    url: str | None = None
    description: str | None = None
    event_types: frozenset[str] | None = None
    enabled: bool | None = None


def owner_of(caller: Caller) -> Audience:
    """An organization's endpoints are its admins' business; a partner's, its token's with webhooks:manage."""
    owner = _scope(caller, authz.tenant_of(caller) if caller.role is not Role.PARTNER else None)
    _require_admin(caller)
    return owner


def _scope(caller: Caller, org_id: UUID | None) -> Audience:
    if caller.role is Role.PARTNER and caller.partner_id is not None:
        authz.require_partner(caller, caller.partner_id, Scope.WEBHOOKS_MANAGE)
        return Audience(partner_id=caller.partner_id)
    return Audience(org_id=org_id)


def _require_admin(caller: Caller) -> None:
    if caller.role not in (Role.ORG_ADMIN, Role.PARTNER):
        raise PermissionDenied("only the organization's admins manage webhook endpoints", code="org_admin_required")


async def _find(uow: UnitOfWork, caller: Caller, endpoint_id: UUID, *, for_update: bool = False) -> WebhookEndpoint:
    """The caller's endpoint; another tenant's (and any, for a caller without one) is not found
    before the caller's role is looked at."""
    owner = _scope(caller, authz.scope_of(caller, "webhook_endpoint") if caller.role is not Role.PARTNER else None)
    endpoint = await uow.webhook_endpoints.get(owner, endpoint_id, for_update=for_update)
    if endpoint is None:
        raise _not_found()
    _require_admin(caller)
    return endpoint


def _not_found() -> NotFound:
    return NotFound("webhook endpoint not found", code="webhook_endpoint_not_found")


async def create_endpoint(
    uow: UnitOfWork,
    urls: WebhookUrlCheck,
    caller: Caller,
    *,
    url: str,
    description: str = "",
    event_types: frozenset[str] = frozenset(),
) -> WebhookEndpoint:
    """A new endpoint with its signing secret, which the caller shows once."""
    endpoint = WebhookEndpoint.create(owner_of(caller), url, description=description, event_types=event_types)
    await urls.check_url(endpoint.url)
    async with uow:
        await uow.webhook_endpoints.add(endpoint)
        await uow.commit()
    return endpoint


async def list_endpoints(uow: UnitOfWork, caller: Caller, request: PageRequest) -> Page[WebhookEndpoint]:
    owner = owner_of(caller)
    async with uow:
        return await uow.webhook_endpoints.page(owner, request)


async def get_endpoint(uow: UnitOfWork, caller: Caller, endpoint_id: UUID) -> WebhookEndpoint:
    async with uow:
        return await _find(uow, caller, endpoint_id)


async def update_endpoint(
    uow: UnitOfWork,
    urls: WebhookUrlCheck,
    caller: Caller,
    endpoint_id: UUID,
    changes: EndpointChanges,
    *,
    expected_version: int | None = None,
) -> WebhookEndpoint:
    async with uow:
        endpoint = await _find(uow, caller, endpoint_id, for_update=True)
        authz.check_version(endpoint, expected_version)
        endpoint.change(
            url=changes.url, description=changes.description, event_types=changes.event_types, enabled=changes.enabled
        )
        if changes.url is not None:
            await urls.check_url(endpoint.url)
        await uow.webhook_endpoints.save(endpoint)
        await uow.commit()
    return endpoint


async def delete_endpoint(uow: UnitOfWork, caller: Caller, endpoint_id: UUID) -> None:
    """Delete the endpoint and its delivery log; nothing more is sent to it."""
    async with uow:
        endpoint = await _find(uow, caller, endpoint_id, for_update=True)
        await uow.webhook_endpoints.delete(endpoint.owner, endpoint.id)
        await uow.commit()


async def rotate_secret(
    uow: UnitOfWork, caller: Caller, endpoint_id: UUID, *, expected_version: int | None = None
) -> WebhookEndpoint:
    """A new secret, shown once; deliveries are signed with the old one too for 24 hours."""
    async with uow:
        endpoint = await _find(uow, caller, endpoint_id, for_update=True)
        authz.check_version(endpoint, expected_version)
        endpoint.rotate_secret()
        await uow.webhook_endpoints.save(endpoint)
        await uow.commit()
    return endpoint


async def send_test(uow: UnitOfWork, caller: Caller, endpoint_id: UUID) -> Delivery:
    """Queue a ``ping`` to the endpoint (enabled or not: testing is how a fix is checked)."""
    async with uow:
        endpoint = await _find(uow, caller, endpoint_id)
        ping = Delivery(endpoint_id=endpoint.id, event_id=uuid4(), event_type=PING)
        await uow.webhook_deliveries.add([ping])
        await uow.commit()
    return ping


async def list_deliveries(uow: UnitOfWork, caller: Caller, endpoint_id: UUID, request: PageRequest) -> Page[Delivery]:
    async with uow:
        await _find(uow, caller, endpoint_id)
        return await uow.webhook_deliveries.page(endpoint_id, request)


async def redeliver(uow: UnitOfWork, caller: Caller, delivery_id: UUID) -> Delivery:
    """Try a finished delivery again now, with a fresh retry schedule."""
    async with uow:
        delivery = await uow.webhook_deliveries.get(delivery_id, for_update=True)
        if delivery is None:
            raise NotFound("delivery not found", code="webhook_delivery_not_found")
        try:
            await _find(uow, caller, delivery.endpoint_id)
        except NotFound:
            raise NotFound("delivery not found", code="webhook_delivery_not_found") from None
        delivery.redeliver(utcnow())
        await uow.webhook_deliveries.save(delivery)
        await uow.commit()
    return delivery
