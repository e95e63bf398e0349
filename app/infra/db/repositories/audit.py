"""The audit trail's table: appended to, paged through, and pruned past retention, never updated."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import and_, delete, insert, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.access import Role
from app.domain.audit import Actor, ActorType, AuditEntry, AuditFilter
from app.infra.db import tables as tb
from app.services.pagination import Cursor, Page, PageRequest


def row_of(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "org_id": entry.org_id,
        "occurred_at": entry.occurred_at,
        "actor_type": entry.actor.type.value,
        "actor_id": entry.actor.id,
        "actor_role": entry.actor.role.value if entry.actor.role else None,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "request_id": entry.request_id,
    }


def _to_domain(row: Any) -> AuditEntry:
    return AuditEntry(
        org_id=row.org_id,
        actor=Actor(ActorType(row.actor_type), row.actor_id, Role(row.actor_role) if row.actor_role else None),
        action=row.action,
        target_type=row.target_type,
        target_id=row.target_id,
        request_id=row.request_id,
        occurred_at=row.occurred_at,
        id=row.id,
    )


class AuditTrailRepository:
    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    async def add(self, entries: Sequence[AuditEntry]) -> None:
        if entries:
            await self.db.execute(insert(tb.audit_events).values([row_of(e) for e in entries]))

    async def page(self, org_id: UUID, where: AuditFilter, request: PageRequest) -> Page[AuditEntry]:
        """Oldest first by (occurred_at, id), strictly after the cursor, as every list."""
        c = tb.audit_events.c
        stmt = select(tb.audit_events).where(c.org_id == org_id)
        if where.actor_id is not None:
            stmt = stmt.where(c.actor_id == where.actor_id)
        if where.target_type is not None:
            stmt = stmt.where(c.target_type == where.target_type)
        if where.target_id is not None:
            stmt = stmt.where(c.target_id == where.target_id)
        if where.action is not None:
            stmt = stmt.where(c.action == where.action)
        if where.since is not None:
            stmt = stmt.where(c.occurred_at >= where.since)
        if where.until is not None:
            stmt = stmt.where(c.occurred_at < where.until)
        if request.after is not None:
            a = request.after
            stmt = stmt.where(or_(c.occurred_at > a.created_at, and_(c.occurred_at == a.created_at, c.id > a.id)))
        rows = (await self.db.execute(stmt.order_by(c.occurred_at, c.id).limit(request.limit + 1))).all()
        items = [_to_domain(row) for row in rows[: request.limit]]
        more = len(rows) > request.limit
        return Page(items, Cursor(items[-1].occurred_at, items[-1].id) if more else None)

    async def prune(self, before: datetime) -> int:
        """The one way entries leave: past retention. The table's trigger lets this transaction
        delete because it says so (``SET LOCAL`` ends with the transaction)."""
        await self.db.execute(text("SET LOCAL tandem.audit_prune = 'on'"))
        result = await self.db.execute(delete(tb.audit_events).where(tb.audit_events.c.occurred_at < before))
        return int(result.rowcount)  # type: ignore[attr-defined]
