"""What each CLI command does. Each one resolves the database once (starting the embedded
server when DATABASE_URL is unset) and stops it again on exit."""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
from collections.abc import Awaitable, Callable
from typing import TypeVar

import uvicorn

from app.api.app import create_app
from app.api.log_config import configure_logging
from app.domain.access import Role
from app.domain.audit import OPERATOR
from app.domain.clock import utcnow
from app.infra.auth.keys import Keyring
from app.infra.auth.secret_box import SecretBox
from app.infra.auth.tokens import TokenIssuer
from app.infra.db.connect import database_url
from app.infra.db.engine import make_db_factory, make_engine
from app.infra.db.migrate import upgrade
from app.infra.db.unit_of_work import SqlUnitOfWork
from app.infra.jobs import WorkerTiming, make_jobs_app, run_worker
from app.infra.settings import Settings, local_issuer
from app.infra.webhooks import RelayConfig, WebhookUrlPolicy
from app.services import identity
from app.services.ports import UnitOfWork
from app.services.tandems import expire_proposals
from app.services.upkeep import UpkeepReport, run_once

log = logging.getLogger("tandem")
T = TypeVar("T")


def serve(host: str | None, port: int | None, *, migrate: bool, demo_if_empty: bool, with_worker: bool = False) -> None:
    settings = Settings()
    configure_logging(settings.log_level)
    url = database_url(settings)
    if migrate:
        upgrade(url)
    if demo_if_empty:
        log.info(asyncio.run(_load_demo(settings, url, if_empty=True)))
    app = create_app(settings, database_url=url, with_worker=with_worker)
    # uvicorn re-raises the signal that stopped it once it has shut down; with the default SIGTERM
    # action the process would die without running atexit, leaving the embedded server running
    signal.signal(signal.SIGTERM, _exit_normally)
    host, port = host or settings.host, port or settings.port
    if settings.issuer == local_issuer(settings.host, settings.port) != local_issuer(host, port):
        # `tandem token` reads HOST/PORT, not these flags: the issuer stays where the two agree
        log.warning(
            "the issuer stays %s (HOST/PORT); set PORT=%d instead of --port, or TANDEM_ISSUER, "
            "for single sign-on callbacks to reach this server",
            settings.issuer,
            port,
        )
    # what exists now (modules, the app, settings) lives as long as the process: out of the
    # garbage collector's sight, so its full collections walk only per-request objects
    gc.collect()
    gc.freeze()
    uvicorn.run(app, host=host, port=port, log_config=None, proxy_headers=True)


def _exit_normally(signum: int, frame: object) -> None:
    raise SystemExit(0)


def worker(*, concurrency: int, once: bool) -> None:
    """Process background jobs from the database's queue; several workers share the work."""
    settings = Settings()
    configure_logging(settings.log_level)
    # batch work yields the CPU to API processes on the same machine: a matching run may take
    # a core for seconds, and requests should not queue behind it. Niceness alone was not enough
    # on 2 CPUs (bench/latency.py: p99 2.1-4.0x of idle); confined to one CPU, 1.5-1.8x in 4 of 5 runs.
    os.nice(settings.worker_niceness)
    if settings.worker_cpus:
        os.sched_setaffinity(0, settings.worker_cpus)
    url = database_url(settings)
    app = make_jobs_app(url, pool_size=concurrency + 3, webhooks=RelayConfig.from_settings(settings))
    log.info("worker started (concurrency %d, niceness %d)", concurrency, settings.worker_niceness)
    relay_every = None if once else settings.webhook_relay_seconds
    asyncio.run(
        run_worker(
            app, concurrency=concurrency, wait=not once, recover_on=url, timing=WorkerTiming(), relay_every=relay_every
        )
    )


def migrate() -> None:
    settings = Settings()
    configure_logging(settings.log_level)
    upgrade(database_url(settings))
    log.info("database migrated to the newest revision")


async def demo(*, if_empty: bool) -> str:
    settings = Settings()
    return await _load_demo(settings, database_url(settings), if_empty=if_empty)


async def token(
    role: Role, org: str | None, email: str | None, minutes: int, *, force_role: bool = False
) -> tuple[str, str | None]:
    """A signed access token, and a notice for the operator when issuing it created or changed a user."""
    settings = Settings()
    url = database_url(settings)

    async def issue(uow: Callable[[], UnitOfWork]) -> tuple[str, str | None]:
        found = await identity.operator_user(uow(), role=role, org_slug=org, email=email, force_role=force_role)
        issuer = TokenIssuer(
            keyring(settings),
            settings.issuer,
            settings.audience,
            settings.access_token_minutes * 60,
        )
        return issuer.issue(found.user.as_caller(), ttl_seconds=minutes * 60), _token_notice(found, org)

    return await _with_uow(url, issue)


def _token_notice(found: identity.OperatorUser, org: str | None) -> str | None:
    user = found.user
    where = f" in {org}" if org else ""
    if found.created:
        return f"created user {user.email} ({user.role.value}{where})"
    if found.previous_role is not None:
        return f"changed the role of {user.email} from {found.previous_role.value} to {user.role.value}"
    return None


def keyring(settings: Settings) -> Keyring:
    return Keyring.open(
        settings.signing_keys_dir,
        publish_ahead_seconds=settings.key_publish_ahead_seconds,
        legacy_key=settings.signing_key_path,
    )


def rotate_keys() -> str:
    ring = keyring(Settings())
    added = ring.rotate()
    return f"added signing key {added.kid}; it is published now and signs in {ring.publish_ahead:.0f} s"


def prune_keys() -> str:
    settings = Settings()
    removed = keyring(settings).prune(token_lifetime_seconds=settings.access_token_minutes * 60)
    return f"removed {len(removed)} retired signing key(s): {', '.join(k.kid for k in removed) or '-'}"


def list_keys() -> str:
    ring = keyring(Settings())
    signer = ring.signing_key().kid
    lines = [f"{k.kid}  created {int(k.created)}{'  (signing)' if k.kid == signer else ''}" for k in ring.entries()]
    return "\n".join(lines)


async def expire() -> int:
    async def run(uow: Callable[[], UnitOfWork]) -> int:
        return await expire_proposals(uow())

    return await _with_uow(database_url(Settings()), run)


async def upkeep() -> UpkeepReport:
    """The worker's scheduled upkeep, once: for deployments that run no worker."""
    return await _with_uow(database_url(Settings()), run_once)


async def purge_logins() -> int:
    async def run(uow_factory: Callable[[], UnitOfWork]) -> int:
        async with uow_factory() as uow:
            removed = await uow.signins.purge_expired(utcnow())
            await uow.commit()
        return removed

    return await _with_uow(database_url(Settings()), run)


async def _load_demo(settings: Settings, url: str, *, if_empty: bool) -> str:
    from app.cli.demo import demo_exists, load_demo

    async def load(uow: Callable[[], UnitOfWork]) -> str:
        if if_empty and await demo_exists(uow):
            return "demo already loaded"
        urls = WebhookUrlPolicy(allow_private=settings.private_provider_urls_allowed)
        return f"demo loaded: {await load_demo(uow, webhook_urls=urls)}"

    # the demo's webhook endpoint keeps its signing secret sealed with the deployment's key
    return await _with_uow(url, load, secrets=SecretBox.from_file(settings.secret_box_path))


async def _with_uow(
    url: str, work: Callable[[Callable[[], UnitOfWork]], Awaitable[T]], *, secrets: SecretBox | None = None
) -> T:
    """Run ``work`` with a unit-of-work factory on a short-lived engine."""
    engine = make_engine(url, pool_size=2)
    try:
        factory = make_db_factory(engine)
        # what an operator's command changes is the operator's in the audit trail
        return await work(lambda: SqlUnitOfWork(factory, secrets, actor=OPERATOR))
    finally:
        await engine.dispose()
