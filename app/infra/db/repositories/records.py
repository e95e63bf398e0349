"""Records kept beside the aggregates: the event outbox and the Idempotency-Key store.

Both may hold what a person's erasure must reach: event data about the person's objects, and
stored responses (which echo profiles, goals, notes) of requests about them or made by them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from uuid import UUID

from sqlalchemy import ColumnElement, bindparam, delete, func, or_, text
from sqlalchemy.dialects.postgresql import ARRAY, TEXT
from sqlalchemy.dialects.postgresql import UUID as PG_UUID
from sqlalchemy.ext.asyncio import AsyncSession

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


class EventLogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def keep_only(self, org_id: UUID, subject_ids: Sequence[UUID], keys: Collection[str]) -> int:
        """Reduce the data of the events about ``subject_ids`` to ``keys``; returns the events changed."""
        if not subject_ids:
            return 0
        params = {"org_id": org_id, "subject_ids": list(subject_ids), "keys": sorted(keys)}
        return int((await self.session.execute(_KEEP_ONLY, params)).rowcount)  # type: ignore[attr-defined]


class IdempotencyRecordRepository:
    """The stored responses of Idempotency-Key requests (app/infra/db/idempotency.py writes them)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

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
        return int((await self.session.execute(delete(k).where(or_(*conditions)))).rowcount)  # type: ignore[attr-defined]
