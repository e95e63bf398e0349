"""Background jobs on procrastinate: a PostgreSQL-backed queue that several workers share.

The queue lives in the application's database (its schema comes with migration 0004). The
API defers jobs through ``ProcrastinateJobQueue`` (the ``JobQueue`` port); ``tandem worker``
runs them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from datetime import timedelta
from uuid import UUID

import procrastinate
from procrastinate.exceptions import JobAborted
from procrastinate.job_context import JobContext
from procrastinate.jobs import Status
from procrastinate.retry import RetryStrategy
from psycopg.conninfo import make_conninfo
from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from app.domain.errors import ServiceUnavailable
from app.infra.auth.secret_box import SecretBox
from app.infra.db.engine import make_db_factory, make_engine
from app.infra.db.unit_of_work import SqlUnitOfWork
from app.infra.settings import Settings
from app.infra.webhooks import HttpWebhookSender, RelayConfig
from app.services import audit, matching_runs, upkeep, webhook_relay

log = logging.getLogger(__name__)

MATCHING_QUEUE = "matching"
RUN_MATCHING = "tandem.run_matching"
# a run's job is retried this often when a stopping worker hands it back or its worker dies;
# then the run fails with the reason rather than run forever on workers that keep dying
MATCHING_RETRIES = 2
_RECOVERY_LOCK = 0x7A4D_0001  # one worker at a time looks for jobs of dead workers
WEBHOOK_QUEUE = "webhooks"
RELAY_WEBHOOKS = "tandem.relay_webhooks"
PRUNE_EVENTS = "tandem.prune_events"
PRUNE_EVERY = 3600.0  # seconds between prunings of old events and deliveries
# scheduled upkeep (procrastinate's periodic tasks: every worker's deferrer offers them, the
# database lets one job per tick through); the tasks themselves are safe to run twice at once
UPKEEP_QUEUE = "upkeep"
EXPIRE_PROPOSALS = "tandem.expire_proposals"
SWEEP_HEALTH = "tandem.sweep_health"
COMPLETE_PROGRAMS = "tandem.complete_programs"


class WorkerTiming(BaseSettings):
    """How workers notice each other's death and hand work back (``TANDEM_WORKER_*`` variables)."""

    model_config = SettingsConfigDict(env_prefix="TANDEM_WORKER_", extra="ignore")

    heartbeat_seconds: float = Field(default=10.0, gt=0, description="a worker tells it is alive this often")
    stalled_seconds: float = Field(
        default=30.0, gt=0, description="a worker silent this long is presumed dead: its jobs are retried elsewhere"
    )
    shutdown_grace_seconds: float = Field(
        default=20.0, ge=0, description="on SIGTERM, running jobs get this long to finish, then go back to the queue"
    )

    @model_validator(mode="after")
    def _stalled_after_a_few_heartbeats(self) -> WorkerTiming:
        if self.stalled_seconds < 2 * self.heartbeat_seconds:
            raise ValueError("TANDEM_WORKER_STALLED_SECONDS must be at least twice the heartbeat interval")
        return self

    def options(self) -> dict[str, float]:
        return {
            "update_heartbeat_interval": self.heartbeat_seconds,
            "stalled_worker_timeout": self.stalled_seconds,
            "shutdown_graceful_timeout": self.shutdown_grace_seconds,
        }


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


def make_jobs_app(database_url: str, *, pool_size: int = 4, webhooks: RelayConfig | None = None) -> procrastinate.App:
    """The procrastinate app on ``database_url``, with Tandem's tasks registered.

    Its pool opens no connection up front (``min_size=0``): the API starts, and answers
    ``/readyz`` with a 503, while the database is away. ``webhooks`` configures the relay
    (default: from the environment's settings, read when a relay job first runs).
    """
    connector = procrastinate.PsycopgConnector(conninfo=conninfo(database_url), min_size=0, max_size=pool_size)
    app = procrastinate.App(connector=connector)

    # cancelled by a stopping worker after its grace period: back to the queue for another worker
    handed_back = RetryStrategy(max_attempts=MATCHING_RETRIES, retry_exceptions=[JobAborted, asyncio.CancelledError])  # type: ignore[list-item]

    @app.task(name=RUN_MATCHING, queue=MATCHING_QUEUE, pass_context=True, retry=handed_back)
    async def run_matching(context: JobContext, run_id: str) -> None:
        # a short-lived engine per job: matching runs are rare and heavy, connections cheap beside them
        engine = make_engine(database_url, pool_size=2)
        try:
            factory = make_db_factory(engine)
            resume = context.job.attempts > 0  # an earlier attempt stopped: its run is left running
            run = await matching_runs.execute_run(lambda: SqlUnitOfWork(factory), UUID(run_id), resume=resume)
            log.info("matching run %s: %s", run_id, run.status.value if run else "not found")
        finally:
            await engine.dispose()

    # a queueing lock keeps one relay job waiting at most, however often workers ask for one
    @app.task(name=RELAY_WEBHOOKS, queue=WEBHOOK_QUEUE, queueing_lock=RELAY_WEBHOOKS)
    async def relay_webhooks() -> None:
        config = webhooks or RelayConfig.from_settings(Settings())
        async with _relay_resources(database_url, config) as (uow, sender):
            report = await webhook_relay.relay(uow, sender, config.policy, budget=config.budget)
        if report.fanned_out or report.outcomes:
            log.info("webhooks: %d events fanned out, deliveries %s", report.fanned_out, report.outcomes)

    @app.task(name=PRUNE_EVENTS, queue=WEBHOOK_QUEUE, queueing_lock=PRUNE_EVENTS)
    async def prune_events() -> None:
        config = webhooks or RelayConfig.from_settings(Settings())
        async with _relay_resources(database_url, config) as (uow, _):
            events, deliveries = await webhook_relay.prune(uow(), retention=config.retention)
            # the audit trail's own retention, usually far longer than the events'
            entries = await audit.prune(uow(), retention=timedelta(days=Settings().audit_retention_days))
        log.info(
            "pruned %d events, %d webhook deliveries and %d audit entries past retention", events, deliveries, entries
        )

    _register_upkeep(app, database_url)
    return app


def _register_upkeep(app: procrastinate.App, database_url: str) -> None:
    """Proposals expire and health moves with time: every quarter of an hour; programs end on
    a date: hourly. ``timestamp`` is the tick procrastinate deferred the job for."""

    async def run(job: Callable[[Callable[[], SqlUnitOfWork]], Awaitable[object]]) -> None:
        engine = make_engine(database_url, pool_size=2)
        try:
            factory = make_db_factory(engine)
            await job(lambda: SqlUnitOfWork(factory))
        finally:
            await engine.dispose()

    @app.periodic(cron="*/15 * * * *")
    @app.task(name=EXPIRE_PROPOSALS, queue=UPKEEP_QUEUE, queueing_lock=EXPIRE_PROPOSALS)
    async def expire_proposals_task(timestamp: int) -> None:
        await run(upkeep.expire_due_proposals)

    @app.periodic(cron="*/15 * * * *")
    @app.task(name=SWEEP_HEALTH, queue=UPKEEP_QUEUE, queueing_lock=SWEEP_HEALTH)
    async def sweep_health_task(timestamp: int) -> None:
        await run(upkeep.sweep_health)

    @app.periodic(cron="5 * * * *")
    @app.task(name=COMPLETE_PROGRAMS, queue=UPKEEP_QUEUE, queueing_lock=COMPLETE_PROGRAMS)
    async def complete_programs_task(timestamp: int) -> None:
        await run(upkeep.complete_ended_programs)


@asynccontextmanager
async def _relay_resources(
    database_url: str, config: RelayConfig
) -> AsyncIterator[tuple[Callable[[], SqlUnitOfWork], HttpWebhookSender]]:
    """A short-lived engine and HTTP client per relay job, as for matching runs."""
    engine = make_engine(database_url, pool_size=4)
    box = SecretBox.from_file(config.secret_box_path)
    sender = HttpWebhookSender(allow_private=config.allow_private, timeout_seconds=config.timeout_seconds)
    try:
        factory = make_db_factory(engine)
        yield (lambda: SqlUnitOfWork(factory, box)), sender
    finally:
        await sender.aclose()
        await engine.dispose()


async def ask_for_relay(app: procrastinate.App, task: str = RELAY_WEBHOOKS) -> bool:
    """Queue a relay (or pruning) job unless one is already waiting; True when queued."""
    try:
        await app.configure_task(task).defer_async()
    except procrastinate.exceptions.AlreadyEnqueued:
        return False
    return True


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


async def run_worker(
    app: procrastinate.App,
    *,
    concurrency: int = 1,
    wait: bool = True,
    recover_on: str | None = None,
    timing: WorkerTiming | None = None,
    relay_every: float | None = None,
) -> None:
    """Process jobs until stopped (``wait=False``: until the queue is empty). With ``recover_on``
    (the database URL), also give jobs of dead workers (silent for ``timing.stalled_seconds``)
    another attempt; with ``relay_every`` (seconds), ask for a webhook relay job that often."""
    timing = timing or WorkerTiming()
    async with app.open_async():
        worker = app.run_worker_async(
            queues=[MATCHING_QUEUE, WEBHOOK_QUEUE, UPKEEP_QUEUE],
            concurrency=concurrency,
            wait=wait,
            install_signal_handlers=wait,
            **timing.options(),  # type: ignore[arg-type]
        )
        if not wait or recover_on is None:
            await worker
            return
        side_tasks = [asyncio.create_task(_recover_forever(app, recover_on, timing))]
        if relay_every is not None:
            side_tasks.append(asyncio.create_task(_relay_forever(app, relay_every)))
        try:
            await worker
        finally:
            for task in side_tasks:
                task.cancel()
                with suppress(asyncio.CancelledError):
                    await task


async def _relay_forever(app: procrastinate.App, every: float) -> None:
    """Ask for a relay job every ``every`` seconds, and a pruning job every hour; whichever worker
    is free runs them (the queueing locks keep one of each waiting)."""
    loop = asyncio.get_running_loop()
    next_prune = loop.time()
    while True:
        try:
            await ask_for_relay(app)
            if loop.time() >= next_prune:
                await ask_for_relay(app, PRUNE_EVENTS)
                next_prune = loop.time() + PRUNE_EVERY
        except Exception:  # the database away for a moment: ask again next round
            log.warning("asking for a webhook relay failed", exc_info=True)
        await asyncio.sleep(every)


async def _recover_forever(app: procrastinate.App, database_url: str, timing: WorkerTiming) -> None:
    engine = make_engine(database_url, pool_size=1)
    try:
        while True:
            try:
                await recover_stalled_jobs(app, engine, timing.stalled_seconds)
            except Exception:  # the database away for a moment: try again next round
                log.warning("looking for jobs of dead workers failed", exc_info=True)
            await asyncio.sleep(timing.heartbeat_seconds)
    finally:
        await engine.dispose()


async def recover_stalled_jobs(app: procrastinate.App, engine: AsyncEngine, stalled_seconds: float) -> int:
    """Matching jobs whose worker stopped sending heartbeats (killed, its machine gone) are
    retried, and their runs resumed by the next attempt; out of retries, the run fails visibly.
    One worker at a time (an advisory lock), so a job is never retried twice. The count handled."""
    async with engine.connect() as conn:
        if not await conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": _RECOVERY_LOCK}):
            return 0
        try:
            stalled = list(
                await app.job_manager.get_stalled_jobs(task_name=RUN_MATCHING, seconds_since_heartbeat=stalled_seconds)
            )
            factory = make_db_factory(engine)
            for job in stalled:
                run_id = UUID(str(job.task_kwargs["run_id"]))
                if job.attempts < MATCHING_RETRIES:
                    log.warning("matching run %s: its worker died; the job is retried", run_id)
                    await app.job_manager.retry_job(job)
                else:
                    await matching_runs.fail_abandoned(
                        lambda: SqlUnitOfWork(factory), run_id, "the workers running it stopped; start a new run"
                    )
                    await app.job_manager.finish_job(job, status=Status.FAILED, delete_job=False)
            return len(stalled)
        finally:
            await conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _RECOVERY_LOCK})


@asynccontextmanager
async def in_process_worker(
    app: procrastinate.App, *, enabled: bool, relay_every: float | None = None
) -> AsyncIterator[None]:
    """Run a worker as a task of this (already opened) app's event loop while the block runs:
    matching runs and, with ``relay_every`` (seconds), webhook relays asked for that often, as
    ``tandem worker`` does. One worker per queue, each one job at a time: a relay waiting on slow
    receivers does not hold back a matching run, and matching runs do not share the CPU.

    Stopping it hands running jobs back to the queue after the grace period (``WorkerTiming``)."""
    if not enabled:
        yield
        return
    tasks = [
        asyncio.create_task(
            app.run_worker_async(
                queues=[queue],
                concurrency=1,
                wait=True,
                install_signal_handlers=False,
                **WorkerTiming().options(),  # type: ignore[arg-type]
            )
        )
        for queue in (
            [MATCHING_QUEUE, WEBHOOK_QUEUE, UPKEEP_QUEUE] if relay_every is not None else [MATCHING_QUEUE, UPKEEP_QUEUE]
        )
    ]
    if relay_every is not None:
        tasks.append(asyncio.create_task(_relay_forever(app, relay_every)))
    try:
        yield
    finally:
        for task in tasks:
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
