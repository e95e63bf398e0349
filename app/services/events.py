"""The pull feed: a caller's events in commit order, for consumers that cannot receive webhooks."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from app.domain.access import Caller, Role, Scope
from app.domain.errors import PermissionDenied
from app.domain.events import Audience, FeedPosition, StoredEvent, parse_event_types
from app.services import authz
from app.services.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from app.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class FeedPage:
    """``next_after`` is where to continue: after the last event, or where the caller started."""

    items: list[StoredEvent]
    next_after: FeedPosition | None


def audience_of(caller: Caller, *, partner_scope: Scope) -> Audience:
    """The events a caller may see: an organization's (its admins and program managers) or a
    partner network's projection (its client-credentials token with ``partner_scope``)."""
    if caller.role is Role.PARTNER and caller.partner_id is not None:
        authz.require_partner(caller, caller.partner_id, partner_scope)
        return Audience(partner_id=caller.partner_id)
    org_id = authz.tenant_of(caller)
    if not caller.manages_org:
        raise PermissionDenied("only org admins and program managers may see events", code="manager_required")
    return Audience(org_id=org_id)


async def list_events(
    uow: UnitOfWork,
    caller: Caller,
    *,
    after: FeedPosition | None = None,
    types: Collection[str] = (),
    limit: int = DEFAULT_PAGE_SIZE,
) -> FeedPage:
    """Events after ``after`` in commit order: each committed event exactly once, with no gaps
    when concurrent writers commit out of order (newest ones wait until older ones settle)."""
    audience = audience_of(caller, partner_scope=Scope.MENTORS_READ)
    wanted = parse_event_types(tuple(types), field_name="types")
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    async with uow:
        items = await uow.events.feed(audience, after, types=wanted, limit=limit)
    return FeedPage(items, items[-1].position if items else after)
