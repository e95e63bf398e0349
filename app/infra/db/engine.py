"""Engine and session factory on asyncpg.

No ``pool_pre_ping``: a round trip on every checkout costs more than the rare dead connection.
A connection found dead instead is handled where it shows: SQLAlchemy invalidates it and every
connection pooled before it (a restarted server left them all dead), and a session whose very
first statement met a dead connection runs it again once on a fresh one. An unreachable database
surfaces as ``DatabaseUnavailable`` within the connect or checkout timeout, never as a hang.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import ORMExecuteState, Session

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
        connect_args={"timeout": connect_timeout},
        echo=echo,
    )


class RecoveringSession(AsyncSession):
    """A session that tells an unreachable database apart and survives a stale pooled connection.

    Every statement and commit raises ``DatabaseUnavailable`` when the database is away. The first
    statement of a transaction is retried once when its connection turned out dead: nothing ran
    in that transaction yet, and the server dropped it with the connection, so nothing is lost or
    done twice. Later statements are not retried: the work before them went with the connection.
    """

    async def execute(self, statement: Any, params: Any = None, **kw: Any) -> Any:  # type: ignore[override]
        with unavailable_as_error():
            if self.in_transaction():
                return await super().execute(statement, params, **kw)
            try:
                return await super().execute(statement, params, **kw)
            except DBAPIError as error:
                if not error.connection_invalidated:
                    raise
                log.info("a pooled database connection was dead; running the first statement on a fresh one")
                await self.rollback()  # forgets the dead connection; the pool has been invalidated
                return await super().execute(statement, params, **kw)

    async def commit(self) -> None:
        with unavailable_as_error():
            await super().commit()

    async def rollback(self) -> None:
        with unavailable_as_error():
            await super().rollback()


class TrackingSession(Session):
    """A session that remembers whether its transaction wrote (or locked) anything, so a unit of
    work shared by a request can roll back a use case that left without committing."""


@event.listens_for(TrackingSession, "do_orm_execute")
def _note_writes(state: ORMExecuteState) -> None:
    if not state.is_select or getattr(state.statement, "_for_update_arg", None) is not None:
        state.session.info[WROTE] = True


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    # objects never outlive a unit of work in the ORM sense: we map rows to domain objects
    return async_sessionmaker(
        engine,
        class_=RecoveringSession,
        sync_session_class=TrackingSession,
        expire_on_commit=False,
        autoflush=False,
    )


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
