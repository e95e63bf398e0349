"""Engine and database handle factory on asyncpg.

No ``pool_pre_ping``: a round trip on every checkout costs more than the rare dead connection.
A connection found dead instead is handled where it shows: SQLAlchemy invalidates it and every
connection pooled before it (a restarted server left them all dead), and a database handle whose very
first statement met a dead connection runs it again once on a fresh one. An unreachable database
surfaces as ``DatabaseUnavailable`` within the connect or checkout timeout, never as a hang.

JIT compilation is off for our connections: PostgreSQL switches it on by estimated cost, and the
few wide aggregate statements (a program's insights) were estimated expensive enough to spend
1.5 s compiling a query that runs in 40 ms. Short OLTP statements never gain from it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from app.infra.db.errors import unavailable_as_error

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 5.0
POOL_TIMEOUT_SECONDS = 5.0
WROTE = "tandem_wrote"  # key in Session.info: a statement of this transaction wrote or locked rows


def make_engine(
    url: str,
    *,
    pool_size: int = 10,
    echo: bool = False,
    connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
    pool_timeout: float = POOL_TIMEOUT_SECONDS,
) -> AsyncEngine:
    """``connect_timeout`` bounds opening a connection, ``pool_timeout`` waiting for a free one."""
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=pool_timeout,
        connect_args={"timeout": connect_timeout, "server_settings": {"jit": "off"}},
        echo=echo,
    )


class RecoveringDbHandle(AsyncSession):
    """The unit of work's database handle: Core statements on its connection, outages told apart, a stale
    pooled connection survived, and writes noted.

    - Statements run on the transaction's connection, not through ``AsyncSession.execute``: the
      repositories send Core statements only, and the ORM's execution layer cost as much again
      as the rest of SQLAlchemy's path for them (measured in-process). The transaction, commit
      and rollback stay the handle's.
    - Every statement and commit raises ``DatabaseUnavailable`` when the database is away. The
      first statement of a transaction is retried once when its connection turned out dead:
      nothing ran in that transaction yet, and the server dropped it with the connection, so
      nothing is lost or done twice. Later statements are not retried: the work before them went
      with the connection.
    - A statement that is not a SELECT, or locks rows, marks the transaction (``info[WROTE]``),
      so a unit of work shared by a request can roll back a use case that left without
      committing.
    """

    _core: AsyncConnection | None = None
    _core_for: object = None  # the handle's transaction ``_core`` belongs to

    async def execute(self, statement: Any, params: Any = None, **kw: Any) -> Any:  # type: ignore[override]
        if not getattr(statement, "is_select", False) or getattr(statement, "_for_update_arg", None) is not None:
            self.info[WROTE] = True
        with unavailable_as_error():
            if kw:  # execution options: the handle's own path
                return await super().execute(statement, params, **kw)
            if self._core is not None and self._core_for is self.get_transaction():
                return await self._core.execute(statement, params)
            first = not self.in_transaction()
            try:
                connection = await self.connection()
                result = await connection.execute(statement, params)
            except DBAPIError as error:
                if not (first and error.connection_invalidated):
                    raise
                log.info("a pooled database connection was dead; running the first statement on a fresh one")
                await self.rollback()  # forgets the dead connection; the pool has been invalidated
                connection = await self.connection()
                result = await connection.execute(statement, params)
            self._core, self._core_for = connection, self.get_transaction()
            return result

    async def commit(self) -> None:
        self._core = None
        with unavailable_as_error():
            await super().commit()

    async def rollback(self) -> None:
        self._core = None
        with unavailable_as_error():
            await super().rollback()

    async def close(self) -> None:
        self._core = None
        await super().close()


def make_db_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # objects never outlive a unit of work in the ORM sense: we map rows to domain objects
    return async_sessionmaker(engine, class_=RecoveringDbHandle, expire_on_commit=False, autoflush=False)


def count_statements(
    engine: AsyncEngine, on_statement: Callable[[], None], on_transaction: Callable[[], None]
) -> Callable[[], None]:
    """Call back for every statement and every transaction the engine sends (for metrics).

    Returns the function that stops counting: tests share one engine between many apps.
    """

    def statement(*_: Any) -> None:
        on_statement()

    def transaction(*_: Any) -> None:
        on_transaction()

    event.listen(engine.sync_engine, "before_cursor_execute", statement)
    event.listen(engine.sync_engine, "begin", transaction)

    def stop() -> None:
        event.remove(engine.sync_engine, "before_cursor_execute", statement)
        event.remove(engine.sync_engine, "begin", transaction)

    return stop
