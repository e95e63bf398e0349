"""Records kept beside the aggregates: the event outbox and the Idempotency-Key store.

Both may hold what a person's erasure must reach: event data about the person's objects, and
stored responses (which echo profiles, goals, notes) of requests about them or made by them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, bindparam, delete, func, or_, text
from sqlalchemy.dialects.postgresql import ARRAY, TEXT
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession

from app.domain.events import Audience, FeedPosition, StoredEvent
from app.infra.db import tables as tb

# the keys of an event's data that are not among :keys, dropped in one statement
_KEEP_ONLY = text(
    """
    UPDATE outbox SET data = data - ARRAY(SELECT k FROM jsonb_object_keys(data) AS k WHERE k <> ALL(:keys))
    WHERE org_id = :org_id AND subject_id = ANY(:subject_ids)
      AND EXISTS (SELECT 1 FROM jsonb_object_keys(data) AS k WHERE k <> ALL(:keys))
    """
).bindparams(
    bindparam("keys", type_=ARRAY(TEXT)),
    bindparam("subject_ids", type_=ARRAY(PG_UUID(as_uuid=True))),
)

# the same for a partner's events about its pool mentors, wherever they happened
_KEEP_ONLY_OF_PARTNER = text(
    """
    UPDATE outbox SET data = data - ARRAY(SELECT k FROM jsonb_object_keys(data) AS k WHERE k <> ALL(:keys))
    WHERE partner_id = :partner_id AND subject_id = ANY(:subject_ids)
      AND EXISTS (SELECT 1 FROM jsonb_object_keys(data) AS k WHERE k <> ALL(:keys))
    """
).bindparams(
    bindparam("keys", type_=ARRAY(TEXT)),
    bindparam("subject_ids", type_=ARRAY(PG_UUID(as_uuid=True))),
)


# Only positions below the oldest transaction still running are served: a transaction with a
# smaller id may yet commit, and a reader past its position would never see its events.
_FEED = """
    SELECT id, type, org_id, partner_id, subject_id, data, occurred_at,
           xact_id::text::bigint AS xact, seq
    FROM outbox
    WHERE {audience}
      AND xact_id < pg_snapshot_xmin(pg_current_snapshot())
      AND (xact_id, seq) > (CAST(CAST(:xact AS text) AS xid8), :seq)
      {types}
    ORDER BY xact_id, seq
    LIMIT :limit
"""
_ORG = "org_id = :org_id AND partner_id IS NULL"
_PARTNER = "partner_id = :partner_id"


def event_of(row: Any) -> StoredEvent:
    return StoredEvent(
        id=row["id"],
        type=row["type"],
        org_id=row["org_id"],
        partner_id=row["partner_id"],
        subject_id=row["subject_id"],
        data=dict(row["data"]),
        occurred_at=row["occurred_at"],
        position=FeedPosition(int(row["xact"]), int(row["seq"])),
    )


class EventLogRepository:
    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    async def feed(
        self, audience: Audience, after: FeedPosition | None, *, types: Collection[str] = (), limit: int
    ) -> list[StoredEvent]:
        """The audience's committed events after ``after``, in feed order (see ``_FEED``)."""
        params: dict[str, Any] = {
            "org_id": audience.org_id,
            "partner_id": audience.partner_id,
            "xact": str(after.xact if after else 0),
            "seq": after.seq if after else 0,
            "limit": limit,
        }
        sql = _FEED.format(
            audience=_ORG if audience.partner_id is None else _PARTNER,
            types="AND type = ANY(:types)" if types else "",
        )
        statement = text(sql)
        if types:
            statement = statement.bindparams(bindparam("types", type_=ARRAY(TEXT)))
            params["types"] = sorted(types)
        rows = (await self.db.execute(statement, params)).mappings().all()
        return [event_of(row) for row in rows]

    async def keep_only(self, org_id: UUID, subject_ids: Sequence[UUID], keys: Collection[str]) -> int:
        """Reduce the data of the events about ``subject_ids`` to ``keys``; returns the events changed."""
        if not subject_ids:
            return 0
        params = {"org_id": org_id, "subject_ids": list(subject_ids), "keys": sorted(keys)}
        return int((await self.db.execute(_KEEP_ONLY, params)).rowcount)  # type: ignore[attr-defined]

    async def keep_only_of_partner(self, partner_id: UUID, subject_ids: Sequence[UUID], keys: Collection[str]) -> int:
        """``keep_only`` for the events addressed to ``partner_id`` (its pool and its mentors' placements)."""
        if not subject_ids:
            return 0
        params = {"partner_id": partner_id, "subject_ids": list(subject_ids), "keys": sorted(keys)}
        return int((await self.db.execute(_KEEP_ONLY_OF_PARTNER, params)).rowcount)  # type: ignore[attr-defined]


class IdempotencyRecordRepository:
    """The stored responses of Idempotency-Key requests (app/infra/db/idempotency.py writes them)."""

    def __init__(self, db: AsyncSession) -> None:
        self.db = db

    async def forget(self, callers: Sequence[UUID], mentioning: Sequence[UUID]) -> int:
        """Drop the records of ``callers`` and those whose stored response names any of ``mentioning``.

        A dropped record only means that a retry of that request runs again instead of replaying.
        """
        k = tb.idempotency_keys
        conditions: list[ColumnElement[bool]] = [k.c.scope.in_([str(c) for c in callers])] if callers else []
        # JSON bodies are ASCII where ids are, so the escaped text holds them as they are
        conditions += [func.strpos(func.encode(k.c.response_body, "escape"), str(i)) > 0 for i in mentioning]
        if not conditions:
            return 0
        return int((await self.db.execute(delete(k).where(or_(*conditions)))).rowcount)  # type: ignore[attr-defined]
