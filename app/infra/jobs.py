"""Background jobs on procrastinate: a PostgreSQL-backed queue that several workers share.

The queue lives in the application's database (its schema comes with migration 0004). The
API defers jobs through ``ProcrastinateJobQueue`` (the ``JobQueue`` port); ``tandem worker``
runs them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from uuid import UUID

import procrastinate
from psycopg.conninfo import make_conninfo
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from app.domain.errors import ServiceUnavailable
from app.infra.db.engine import make_engine, make_session_factory
from app.infra.db.unit_of_work import SqlUnitOfWork
from app.services import matching_runs

log = logging.getLogger(__name__)

MATCHING_QUEUE = "matching"
RUN_MATCHING = "tandem.run_matching"


def conninfo(database_url: str) -> str:
    """``postgresql+asyncpg://user:pw@host:port/db?host=/socket`` as a libpq conninfo for psycopg."""
    url = make_url(database_url)
    params: dict[str, str | int] = {}
    if url.database:
        params["dbname"] = url.database
    if url.username:
        params["user"] = url.username
    if url.password is not None:
        params["password"] = str(url.password)
    host = url.query.get("host") or url.host
    if host:
        params["host"] = host if isinstance(host, str) else host[0]
    if url.port:
        params["port"] = url.port
    return make_conninfo(**params)  # type: ignore[arg-type]


def make_jobs_app(database_url: str, *, pool_size: int = 4) -> procrastinate.App:
    """The procrastinate app on ``database_url``, with Tandem's tasks registered.

    Its pool opens no connection up front (``min_size=0``): the API starts, and answers
    ``/readyz`` with a 503, while the database is away.
    """
    connector = procrastinate.PsycopgConnector(conninfo=conninfo(database_url), min_size=0, max_size=pool_size)
    app = procrastinate.App(connector=connector)

    @app.task(name=RUN_MATCHING, queue=MATCHING_QUEUE)
    async def run_matching(run_id: str) -> None:
        # a short-lived engine per job: matching runs are rare and heavy, connections cheap beside them
        engine = make_engine(database_url, pool_size=2)
        try:
            factory = make_session_factory(engine)
            run = await matching_runs.execute_run(lambda: SqlUnitOfWork(factory), UUID(run_id))
            log.info("matching run %s: %s", run_id, run.status.value if run else "not found")
        finally:
            await engine.dispose()

    return app


class ProcrastinateJobQueue:
    """The ``JobQueue`` port over an opened procrastinate app."""

    def __init__(self, app: procrastinate.App) -> None:
        self.app = app

    async def run_matching(self, run_id: UUID) -> None:
        try:
            await self.app.configure_task(RUN_MATCHING).defer_async(run_id=str(run_id))
        except (procrastinate.exceptions.ProcrastinateException, OSError) as error:
            raise ServiceUnavailable(
                "the job queue cannot take work right now; retry shortly", code="job_queue_unavailable"
            ) from error


async def run_worker(app: procrastinate.App, *, concurrency: int = 1, wait: bool = True) -> None:
    """Process jobs until stopped (``wait=False``: until the queue is empty)."""
    async with app.open_async():
        await app.run_worker_async(
            queues=[MATCHING_QUEUE], concurrency=concurrency, wait=wait, install_signal_handlers=wait
        )


@asynccontextmanager
async def in_process_worker(app: procrastinate.App, *, enabled: bool) -> AsyncIterator[None]:
    """Run a worker as a task of this (already opened) app's event loop while the block runs."""
    if not enabled:
        yield
        return
    task = asyncio.create_task(
        app.run_worker_async(queues=[MATCHING_QUEUE], concurrency=1, wait=True, install_signal_handlers=False)
    )
    try:
        yield
    finally:
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task


# open work only (both small: finished jobs and runs are not counted)
_OPEN_JOBS = text("SELECT status::text, count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing') GROUP BY 1")
_OPEN_RUNS = text("SELECT status, count(*) FROM matching_runs WHERE status IN ('queued', 'running') GROUP BY 1")


async def open_work(engine: AsyncEngine) -> tuple[dict[str, int], dict[str, int]]:
    """Queue depths for monitoring: jobs to do or doing, and matching runs queued or running."""
    async with engine.connect() as conn:
        jobs = {str(status): int(n) for status, n in (await conn.execute(_OPEN_JOBS)).all()}
        runs = {str(status): int(n) for status, n in (await conn.execute(_OPEN_RUNS)).all()}
    return jobs, runs
