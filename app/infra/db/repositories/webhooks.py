"""Webhook endpoints (secrets sealed at rest), their deliveries, and the relay's place in the feed."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, delete, exists, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.delivery import Delivery, DeliveryStatus
from app.domain.errors import VersionMismatch
from app.domain.events import Audience, FeedPosition, StoredEvent
from app.domain.webhook import WebhookEndpoint
from app.infra.auth.secret_box import SecretBox
from app.infra.db import tables as tb
from app.infra.db.bulk import rows_select
from app.infra.db.repositories.records import event_of
from app.services.pagination import Cursor, Page, PageRequest

log = logging.getLogger(__name__)

# events after the relay's place, committed for good (see the feed), the relay's row held meanwhile
_NEXT_EVENTS = text(
    """
    SELECT o.id, o.type, o.org_id, o.partner_id, o.subject_id, o.data, o.occurred_at,
           o.xact_id::text::bigint AS xact, o.seq
    FROM outbox o, (SELECT xact_id, seq FROM webhook_relay WHERE id = 1) r
    WHERE o.xact_id < pg_snapshot_xmin(pg_current_snapshot()) AND (o.xact_id, o.seq) > (r.xact_id, r.seq)
    ORDER BY o.xact_id, o.seq
    LIMIT :limit
    """
)


async def _keyset_page(
    db: AsyncSession, table: Any, request: PageRequest, *where: ColumnElement[bool]
) -> tuple[list[Any], Cursor | None]:
    """Rows ordered by (created_at, id), strictly after the cursor; the next cursor when more follow."""
    stmt = select(table).where(*where)
    if request.after is not None:
        a = request.after
        stmt = stmt.where(
            or_(table.c.created_at > a.created_at, and_(table.c.created_at == a.created_at, table.c.id > a.id))
        )
    rows = (await db.execute(stmt.order_by(table.c.created_at, table.c.id).limit(request.limit + 1))).mappings().all()
    more = len(rows) > request.limit
    rows = rows[: request.limit]
    last = rows[-1] if rows and more else None
    return list(rows), Cursor(last["created_at"], last["id"]) if last else None


def _owned_by(owner: Audience) -> ColumnElement[bool]:
    t = tb.webhook_endpoints
    return t.c.org_id == owner.org_id if owner.org_id is not None else t.c.partner_id == owner.partner_id


class WebhookEndpointRepository:
    def __init__(self, db: AsyncSession, box: SecretBox) -> None:
        self.db = db
        self.box = box

    def _to_domain(self, row: Any) -> WebhookEndpoint:
        previous = row["previous_secret_sealed"]
        return WebhookEndpoint(
            owner=Audience(org_id=row["org_id"], partner_id=row["partner_id"]),
            url=row["url"],
            secret=self.box.open(row["secret_sealed"]),
            description=row["description"],
            event_types=frozenset(row["event_types"]),
            enabled=row["enabled"],
            disabled_reason=row["disabled_reason"],
            previous_secret=self.box.open(previous) if previous else None,
            previous_secret_expires_at=row["previous_secret_expires_at"],
            failing_since=row["failing_since"],
            id=row["id"],
            version=row["version"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
        )

    def _to_row(self, e: WebhookEndpoint) -> dict[str, Any]:
        return {
            "id": e.id,
            "version": e.version,
            "created_at": e.created_at,
            "updated_at": e.updated_at,
            "org_id": e.owner.org_id,
            "partner_id": e.owner.partner_id,
            "url": e.url,
            "description": e.description,
            "event_types": sorted(e.event_types),
            "enabled": e.enabled,
            "disabled_reason": e.disabled_reason,
            "secret_sealed": self.box.seal(e.secret),
            "previous_secret_sealed": self.box.seal(e.previous_secret) if e.previous_secret else None,
            "previous_secret_expires_at": e.previous_secret_expires_at,
            "failing_since": e.failing_since,
        }

    async def _select(
        self, *where: ColumnElement[bool], for_update: bool = False, skip_unreadable: bool = False
    ) -> list[WebhookEndpoint]:
        """``skip_unreadable``: for the relay, which serves every owner, an endpoint whose secret no
        longer opens (the deployment's key was replaced) is left out with a warning, not a stop."""
        stmt = select(tb.webhook_endpoints).where(*where)
        if for_update:
            stmt = stmt.with_for_update()
        endpoints = []
        for row in (await self.db.execute(stmt)).mappings().all():
            try:
                endpoints.append(self._to_domain(row))
            except ValueError:
                if not skip_unreadable:
                    raise
                log.warning("webhook endpoint %s: its secret does not open with this deployment's key", row["id"])
        return endpoints

    async def get(self, owner: Audience, endpoint_id: UUID, *, for_update: bool = False) -> WebhookEndpoint | None:
        found = await self._select(tb.webhook_endpoints.c.id == endpoint_id, _owned_by(owner), for_update=for_update)
        return found[0] if found else None

    async def get_many(self, endpoint_ids: Sequence[UUID]) -> dict[UUID, WebhookEndpoint]:
        found = await self._select(tb.webhook_endpoints.c.id.in_(list(endpoint_ids)), skip_unreadable=True)
        return {e.id: e for e in found}

    async def enabled(self) -> list[WebhookEndpoint]:
        return await self._select(tb.webhook_endpoints.c.enabled.is_(True), skip_unreadable=True)

    async def add(self, endpoint: WebhookEndpoint) -> None:
        await self.db.execute(pg_insert(tb.webhook_endpoints).values(self._to_row(endpoint)))

    async def save(self, endpoint: WebhookEndpoint) -> None:
        t = tb.webhook_endpoints
        values = self._to_row(endpoint)
        read = values.pop("version")
        result = await self.db.execute(
            update(t).where(t.c.id == values.pop("id"), t.c.version == read).values(**values, version=read + 1)
        )
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise VersionMismatch("the endpoint was changed by someone else meanwhile", code="concurrent_update")
        endpoint.version = read + 1

    async def delete(self, owner: Audience, endpoint_id: UUID) -> bool:
        t = tb.webhook_endpoints
        result = await self.db.execute(delete(t).where(t.c.id == endpoint_id, _owned_by(owner)))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def page(self, owner: Audience, request: PageRequest) -> Page[WebhookEndpoint]:
        rows, cursor = await _keyset_page(self.db, tb.webhook_endpoints, request, _owned_by(owner))
        return Page(items=[self._to_domain(r) for r in rows], next_cursor=cursor)


def _delivery(row: Any) -> Delivery:
    return Delivery(
        endpoint_id=row["endpoint_id"],
        event_id=row["event_id"],
        event_type=row["event_type"],
        status=DeliveryStatus(row["status"]),
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        last_attempt_at=row["last_attempt_at"],
        last_status_code=row["last_status_code"],
        last_duration_ms=row["last_duration_ms"],
        last_error=row["last_error"],
        id=row["id"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def _delivery_row(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.id,
        "endpoint_id": d.endpoint_id,
        "event_id": d.event_id,
        "event_type": d.event_type,
        "status": d.status.value,
        "attempts": d.attempts,
        "next_attempt_at": d.next_attempt_at,
        "last_attempt_at": d.last_attempt_at,
        "last_status_code": d.last_status_code,
        "last_duration_ms": d.last_duration_ms,
        "last_error": d.last_error[:500] if d.last_error else None,
        "created_at": d.created_at,
        "updated_at": d.updated_at,
    }


class WebhookDeliveryRepository:
    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    async def add(self, deliveries: Sequence[Delivery]) -> None:
        if deliveries:
            # one array a column: a relay's fan-out (events times endpoints) can pass the 32,767 bind
            # parameters a VALUES list of 13 columns a row allows
            rows = [_delivery_row(d) for d in deliveries]
            t = tb.webhook_deliveries
            stmt = pg_insert(t).from_select(list(rows[0]), rows_select(t, rows)).on_conflict_do_nothing()
            await self.db.execute(stmt)

    async def get(self, delivery_id: UUID, *, for_update: bool = False) -> Delivery | None:
        stmt = select(tb.webhook_deliveries).where(tb.webhook_deliveries.c.id == delivery_id)
        if for_update:
            stmt = stmt.with_for_update()
        row = (await self.db.execute(stmt)).mappings().first()
        return _delivery(row) if row else None

    async def save(self, delivery: Delivery) -> None:
        t = tb.webhook_deliveries
        values = _delivery_row(delivery)
        await self.db.execute(update(t).where(t.c.id == values.pop("id")).values(**values))

    async def page(self, endpoint_id: UUID, request: PageRequest) -> Page[Delivery]:
        t = tb.webhook_deliveries
        rows, cursor = await _keyset_page(self.db, t, request, t.c.endpoint_id == endpoint_id)
        return Page(items=[_delivery(r) for r in rows], next_cursor=cursor)

    async def take_events(self, limit: int) -> list[StoredEvent] | None:
        held = await self.db.execute(text("SELECT 1 FROM webhook_relay WHERE id = 1 FOR UPDATE SKIP LOCKED"))
        if held.first() is None:
            return None
        rows = (await self.db.execute(_NEXT_EVENTS, {"limit": limit})).mappings().all()
        return [event_of(r) for r in rows]

    async def move_past(self, position: FeedPosition) -> None:
        await self.db.execute(
            text("UPDATE webhook_relay SET xact_id = CAST(CAST(:xact AS text) AS xid8), seq = :seq WHERE id = 1"),
            {"xact": str(position.xact), "seq": position.seq},
        )

    async def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[Delivery]:
        d, e = tb.webhook_deliveries, tb.webhook_endpoints
        due = (
            select(d.c.id)
            .join(e, e.c.id == d.c.endpoint_id)
            .where(d.c.status == DeliveryStatus.PENDING.value, d.c.next_attempt_at <= now, e.c.enabled.is_(True))
            .order_by(d.c.next_attempt_at, d.c.seq)
            .limit(limit)
            .with_for_update(of=d, skip_locked=True)
        )
        claimed = await self.db.execute(
            update(d).where(d.c.id.in_(due.scalar_subquery())).values(next_attempt_at=lease_until).returning(d)
        )
        rows = sorted(claimed.mappings().all(), key=lambda r: r["seq"])
        return [_delivery(r) for r in rows]

    async def events(self, event_ids: Sequence[UUID]) -> dict[UUID, StoredEvent]:
        if not event_ids:
            return {}
        stmt = text(
            "SELECT id, type, org_id, partner_id, subject_id, data, occurred_at, xact_id::text::bigint AS xact, seq "
            "FROM outbox WHERE id = ANY(:ids)"
        )
        rows = (await self.db.execute(stmt, {"ids": list(event_ids)})).mappings().all()
        return {r["id"]: event_of(r) for r in rows}

    async def mark_published(self, event_ids: Sequence[UUID], now: datetime) -> None:
        if not event_ids:
            return
        o, d = tb.outbox, tb.webhook_deliveries
        unfinished = exists().where(d.c.event_id == o.c.id, d.c.status != DeliveryStatus.SUCCEEDED.value)
        await self.db.execute(
            update(o)
            .where(o.c.id.in_(list(event_ids)), o.c.published_at.is_(None), ~unfinished)
            .values(published_at=now)
        )

    async def prune(self, before: datetime) -> tuple[int, int]:
        d, o = tb.webhook_deliveries, tb.outbox
        finished = d.c.status != DeliveryStatus.PENDING.value
        deliveries = await self.db.execute(delete(d).where(d.c.created_at < before, finished))
        events = await self.db.execute(delete(o).where(o.c.occurred_at < before))
        return int(events.rowcount), int(deliveries.rowcount)  # type: ignore[attr-defined]
