"""The API's composition root: the one module of ``app.api`` that imports ``app.infra``.

Here the driven adapters are built and plugged into the ports the use cases take (a unit of
work per request, the job queue, the identity providers), and the few infra types the API
layer names are re-exported: the settings, the token issuer and verifier, ``InvalidToken``,
``DatabaseUnavailable``, the idempotency store. An import-linter contract keeps every other
module of ``app.api`` away from ``app.infra``, so replacing an adapter touches this file only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.datastructures import State

from app.infra.auth.keys import Keyring
from app.infra.auth.secret_box import SecretBox
from app.infra.auth.tokens import InvalidToken, TokenIssuer, TokenVerifier
from app.infra.db.engine import count_statements, make_db_factory, make_engine
from app.infra.db.errors import DatabaseUnavailable, is_unavailable
from app.infra.db.idempotency import IdempotencyStore, StoredResponse
from app.infra.db.unit_of_work import SqlUnitOfWork
from app.infra.jobs import ProcrastinateJobQueue, in_process_worker, make_jobs_app, open_work
from app.infra.oidc.metadata import ProviderDirectory
from app.infra.oidc.relying_party import OidcRelyingParty
from app.infra.oidc.url_guard import provider_client
from app.infra.settings import Settings
from app.infra.webhooks import RelayConfig, WebhookUrlPolicy, webhook_backlog

__all__ = [
    "DatabaseUnavailable",
    "IdempotencyStore",
    "InvalidToken",
    "Keyring",
    "Settings",
    "StoredResponse",
    "TokenIssuer",
    "TokenVerifier",
    "connected",
    "is_unavailable",
    "open_work",
    "request_unit_of_work",
    "webhook_backlog",
    "webhook_url_check",
    "wire_tokens",
]


def wire_tokens(state: State, settings: Settings) -> Keyring:
    """The signing keys, the token issuer and verifier, and the box that seals stored secrets.

    Built when the app is, before any request: a key ring that cannot be read stops the start.
    """
    keyring = Keyring.open(
        settings.signing_keys_dir,
        publish_ahead_seconds=settings.key_publish_ahead_seconds,
        legacy_key=settings.signing_key_path,
    )
    state.keyring = keyring
    state.token_issuer = TokenIssuer(keyring, settings.issuer, settings.audience, settings.access_token_minutes * 60)
    state.token_verifier = TokenVerifier(keyring, settings.issuer, settings.audience)
    state.secret_box = SecretBox.from_file(settings.secret_box_path)
    return keyring


@asynccontextmanager
async def connected(
    state: State,
    settings: Settings,
    *,
    database_url: str,
    engine: AsyncEngine | None,
    with_worker: bool,
    on_statement: Callable[[], None],
    on_transaction: Callable[[], None],
) -> AsyncIterator[None]:
    """The app's life: the database engine (``engine`` when a test shares one), the job queue
    (and a worker inside this process when ``with_worker``, relaying webhooks too), and the
    identity providers' client.

    Sets ``state.engine``, ``state.db_factory``, ``state.jobs`` and
    ``state.identity_providers``; a borrowed engine is left open at the end, our own disposed.
    """
    own_engine = engine is None
    state.engine = engine or make_engine(
        database_url,
        pool_size=settings.db_pool_size,
        connect_timeout=settings.db_connect_timeout_seconds,
        pool_timeout=settings.db_pool_timeout_seconds,
    )
    state.db_factory = make_db_factory(state.engine)
    stop_counting = count_statements(state.engine, on_statement, on_transaction)
    jobs_app = make_jobs_app(database_url, webhooks=RelayConfig.from_settings(settings))
    provider_http = provider_client(allow_private=settings.private_provider_urls_allowed)
    state.identity_providers = OidcRelyingParty(
        ProviderDirectory(
            provider_http,
            allow_private=settings.private_provider_urls_allowed,
            min_refetch=settings.provider_key_refetch_seconds,
        )
    )
    try:
        async with provider_http, jobs_app.open_async():
            state.jobs = ProcrastinateJobQueue(jobs_app)
            async with in_process_worker(jobs_app, enabled=with_worker, relay_every=settings.webhook_relay_seconds):
                yield
    finally:
        stop_counting()
        if own_engine:
            await state.engine.dispose()


def request_unit_of_work(state: State, request_id: str | None = None) -> SqlUnitOfWork:
    """A unit of work over the app's database, for one request (the caller keeps it open).

    Until the request's caller is known (``act_for``) the audit trail names the system."""
    return SqlUnitOfWork(state.db_factory, state.secret_box, request_id=request_id)


def webhook_url_check(settings: Settings) -> WebhookUrlPolicy:
    """Where webhook deliveries may go: the SSRF guard of provider URLs, https outside development."""
    return WebhookUrlPolicy(allow_private=settings.private_provider_urls_allowed)
