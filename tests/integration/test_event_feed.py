"""The event feed under concurrent writers: every committed event exactly once, in one order.

Writers here insert outbox rows directly, each in its own transaction, and commit in an order
unlike the one they started in (and some roll back): exactly what would make a feed ordered by
insert sequence or by time skip events.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from app.domain.events import FeedPosition
from app.infra.db import tables as tb
from app.services import events
from tests.factories import new_org

WRITERS = 20
TRANSACTIONS_PER_WRITER = 5
SETTLE_SECONDS = 30.0  # the feed waits for every transaction of the server: other test runs may hold one briefly


async def _write(conn: AsyncConnection, org_id: UUID, count: int = 1) -> list[UUID]:
    rows = [
        {
            "id": uuid.uuid4(),
            "org_id": org_id,
            "type": "tandem.proposed",
            "subject_id": uuid.uuid4(),
            "data": {},
            "occurred_at": datetime.now(UTC),
        }
        for _ in range(count)
    ]
    await conn.execute(insert(tb.outbox).values(rows))
    return [r["id"] for r in rows]


async def _read_all(uow_factory, caller, after: FeedPosition | None, *, want: int) -> list:
    seen: list = []
    deadline = asyncio.get_running_loop().time() + SETTLE_SECONDS
    while len(seen) < want and asyncio.get_running_loop().time() < deadline:
        page = await events.list_events(uow_factory(), caller, after=after, limit=7)
        seen += page.items
        after = page.next_after
        if not page.items:
            await asyncio.sleep(0.02)
    return seen


async def test_an_event_committed_late_by_an_older_transaction_is_not_skipped(uow_factory, engine: AsyncEngine) -> None:
    org, manager = await new_org(uow_factory)
    start = (await events.list_events(uow_factory(), manager)).next_after
    async with engine.connect() as older, engine.connect() as newer:
        await older.begin()
        first = await _write(older, org.id)  # takes the smaller transaction id
        async with newer.begin():
            second = await _write(newer, org.id)
        # committed, but an older transaction may still commit before it: not served yet
        assert (await events.list_events(uow_factory(), manager, after=start)).items == []
        await older.commit()
    seen = await _read_all(uow_factory, manager, start, want=2)
    assert [e.id for e in seen] == first + second


async def test_twenty_concurrent_writers_and_a_paging_reader_see_every_committed_event_once_in_order(
    uow_factory, engine: AsyncEngine
) -> None:
    org, manager = await new_org(uow_factory)
    start = (await events.list_events(uow_factory(), manager)).next_after
    committed: list[UUID] = []
    rolled_back: list[UUID] = []
    rng = random.Random(12)

    async def writer(n: int) -> None:
        for i in range(TRANSACTIONS_PER_WRITER):
            async with engine.connect() as conn:
                await conn.begin()
                ids = await _write(conn, org.id, count=1 + (n + i) % 3)
                await asyncio.sleep(rng.random() * 0.03)  # commit out of start order
                if (n + i) % 7 == 0:
                    await conn.rollback()
                    rolled_back.extend(ids)
                else:
                    await conn.commit()
                    committed.extend(ids)

    seen: list = []
    after = start
    writers = asyncio.gather(*(writer(n) for n in range(WRITERS)))
    while not writers.done():  # the reader pages while the writers write
        page = await events.list_events(uow_factory(), manager, after=after, limit=7)
        seen += page.items
        after = page.next_after
        await asyncio.sleep(0.005)
    await writers
    seen += await _read_all(uow_factory, manager, after, want=len(committed) - len(seen))

    ids = [e.id for e in seen]
    assert len(ids) == len(set(ids)), "an event was served twice"
    assert set(ids) == set(committed), "an event was lost, or a rolled-back one served"
    assert not set(ids) & set(rolled_back)
    positions = [e.position for e in seen]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
