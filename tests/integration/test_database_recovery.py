"""Without pool_pre_ping, a pooled connection the server dropped is found out by the statement
that uses it: the first statement of a transaction runs again on a fresh connection, a later
one fails as ``DatabaseUnavailable`` (the transaction's earlier work went with the connection).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.infra.db.engine import make_db_factory, make_engine
from app.infra.db.errors import DatabaseUnavailable


@pytest.fixture
async def small_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url, pool_size=1)
    yield engine
    await engine.dispose()


async def _terminate(database_url: str, pid: int) -> None:
    """What a server restart does to every connection: the backend ends, the client learns late."""
    admin = create_async_engine(database_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        assert (await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})).scalar()
    await admin.dispose()
    await asyncio.sleep(0.1)


async def _backend_pid(session) -> int:  # type: ignore[no-untyped-def]
    return int((await session.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def test_a_pooled_connection_the_server_dropped_costs_no_error(small_engine, database_url) -> None:
    factory = make_db_factory(small_engine)
    async with factory() as session:
        first_pid = await _backend_pid(session)
    await _terminate(database_url, first_pid)

    async with factory() as session:  # the pool hands out the dead connection: no ping any more
        second_pid = await _backend_pid(session)
        assert await session.execute(text("SELECT 1")) is not None
    assert second_pid != first_pid


async def test_a_connection_lost_inside_a_transaction_is_not_retried(small_engine, database_url) -> None:
    factory = make_db_factory(small_engine)
    async with factory() as session:
        pid = await _backend_pid(session)
        await _terminate(database_url, pid)
        with pytest.raises(DatabaseUnavailable):
            await session.execute(text("SELECT 1"))

    async with factory() as session:  # and the pool recovered behind it
        assert await _backend_pid(session) != pid


async def test_an_unreachable_server_is_database_unavailable_within_the_connect_timeout() -> None:
    engine = make_engine("postgresql+asyncpg://nobody@127.0.0.1:1/none", pool_size=1, connect_timeout=1)
    try:
        async with make_db_factory(engine)() as session:
            with pytest.raises(DatabaseUnavailable):
                await asyncio.wait_for(session.execute(text("SELECT 1")), timeout=5)
    finally:
        await engine.dispose()


async def test_a_full_pool_is_database_unavailable_after_the_checkout_timeout(database_url) -> None:
    engine = make_engine(database_url, pool_size=1, pool_timeout=0.2)
    factory = make_db_factory(engine)
    try:
        # pool_size 1 plus 1 overflow: both taken
        async with engine.connect(), engine.connect(), factory() as session:
            with pytest.raises(DatabaseUnavailable):
                await session.execute(text("SELECT 1"))
    finally:
        await engine.dispose()
