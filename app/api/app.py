"""The app factory: settings in, a FastAPI app out. No globals; tests pass their own settings."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from app.api import health
from app.api.graphql.router import graphql_router
from app.api.middleware import BodySizeLimitMiddleware, RequestIdMiddleware
from app.api.problems import install_problem_handlers
from app.api.rest import ROUTERS
from app.api.rest.idempotency import IdempotencyMiddleware
from app.api.rest.openapi_extras import document_idempotency_keys
from app.api.rest.responses import problems
from app.infra.auth.keys import load_or_create_signing_key, public_key_set
from app.infra.auth.secret_box import SecretBox
from app.infra.auth.tokens import TokenVerifier
from app.infra.db.engine import make_engine, make_session_factory
from app.infra.jobs import ProcrastinateJobQueue, in_process_worker, make_jobs_app
from app.infra.settings import Settings

DESCRIPTION = """Tandem runs reverse mentoring programs: senior leaders learn from digital natives.

Errors are RFC 9457 problem documents with a stable `code`. Authenticate with
`Authorization: Bearer <access token>`."""


def create_app(
    settings: Settings, *, database_url: str, engine: AsyncEngine | None = None, with_worker: bool = False
) -> FastAPI:
    """Build the service. ``database_url`` is resolved by the caller (embedded or external).

    ``with_worker`` also processes background jobs inside this process: handy for one-command
    demos; production runs ``tandem worker`` processes instead.
    """
    log = logging.getLogger("tandem")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own_engine = engine is None
        app.state.engine = engine or make_engine(database_url, pool_size=settings.db_pool_size)
        app.state.session_factory = make_session_factory(app.state.engine)
        jobs_app = make_jobs_app(database_url)
        try:
            async with jobs_app.open_async():
                app.state.jobs = ProcrastinateJobQueue(jobs_app)
                async with in_process_worker(jobs_app, enabled=with_worker):
                    yield
        finally:
            if own_engine:
                await app.state.engine.dispose()

    app = FastAPI(
        title="Tandem API",
        version="1.0.0",
        summary="Reverse mentoring programs over REST and GraphQL",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url=None,
        # one schema per model: no -Input/-Output twins in generated clients
        separate_input_output_schemas=False,
        # any operation may fail on our side; it still answers a problem document
        responses=problems(500),
    )
    signing_key = load_or_create_signing_key(settings.signing_key_path)
    app.state.settings = settings
    app.state.log = log
    app.state.token_verifier = TokenVerifier(public_key_set(signing_key), settings.issuer, settings.audience)
    app.state.jwks = public_key_set(signing_key).as_dict()
    app.state.secret_box = SecretBox.from_file(settings.secret_box_path)

    install_problem_handlers(app)
    app.include_router(health.router)
    for router in ROUTERS:
        app.include_router(router)
    document_idempotency_keys(app)
    app.include_router(graphql_router(development=settings.environment == "development"), prefix="/graphql")
    app.add_api_route(
        "/.well-known/jwks.json",
        _jwks(app.state.jwks),
        methods=["GET"],
        operation_id="get_jwks",
        tags=["identity"],
        summary="Public keys that verify Tandem access tokens",
    )
    app.add_middleware(IdempotencyMiddleware)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(RequestIdMiddleware)  # outermost: even a 413 carries a request id
    return app


def _jwks(jwks: dict[str, Any]) -> Any:
    async def get_jwks() -> dict[str, Any]:
        return jwks

    return get_jwks
