"""The app factory: settings in, a FastAPI app out. No globals; tests pass their own settings."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Response
from fastapi.middleware.cors import CORSMiddleware
from sqlalchemy.ext.asyncio import AsyncEngine

from app.api import auth, composition, health, metrics
from app.api.allow_header import AllowHeaderMiddleware
from app.api.composition import Keyring, Settings
from app.api.docs_pages import install_docs_pages
from app.api.graphql.router import graphql_router
from app.api.middleware import BodySizeLimitMiddleware, RequestIdMiddleware
from app.api.problems import install_problem_handlers
from app.api.rate_limit import LoginRateLimiter, WriteRateLimit, WriteRateLimiter
from app.api.rest import OWN_AUTH_ROUTERS, ROUTERS, oauth
from app.api.rest.idempotency import IdempotencyMiddleware
from app.api.rest.openapi_extras import document_idempotency_keys, document_problem_codes, document_rate_limits
from app.api.rest.partners import is_mentor_stream
from app.api.rest.responses import problems
from app.api.scim.router import router as scim_router
from app.api.security_headers import SecurityHeadersMiddleware

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
        counters = app.state.metrics
        async with composition.connected(
            app.state,
            settings,
            database_url=database_url,
            engine=engine,
            with_worker=with_worker,
            on_statement=counters.db_statements.inc,
            on_transaction=counters.db_transactions.inc,
        ):
            yield

    app = FastAPI(
        title="Tandem API",
        version="1.0.0",
        summary="Reverse mentoring programs over REST and GraphQL",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # install_docs_pages serves /docs without a CDN
        redoc_url=None,
        # one schema per model: no -Input/-Output twins in generated clients
        separate_input_output_schemas=False,
        # any operation may fail on our side; it still answers a problem document
        responses=problems(500),
    )
    app.state.settings = settings
    app.state.log = log
    keyring = composition.wire_tokens(app.state, settings)
    app.state.metrics = metrics.Metrics()
    app.state.login_limiter = LoginRateLimiter(
        settings.login_rate_limit, settings.rate_limit_storage, token_limit=settings.token_rate_limit
    )
    app.state.write_limiter = WriteRateLimiter(
        settings.write_rate_limit, settings.flow_rate_limit, settings.rate_limit_storage
    )

    install_problem_handlers(app)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(auth.router)
    app.include_router(oauth.router)
    for router in ROUTERS:
        app.include_router(router, dependencies=[WriteRateLimit])
    for router in OWN_AUTH_ROUTERS:
        app.include_router(router)
    document_idempotency_keys(app)
    document_rate_limits(app)
    document_problem_codes(app)  # last: it lists codes on the responses the others add
    app.include_router(graphql_router(ide=settings.graphiql_served), prefix="/graphql")
    app.include_router(scim_router)  # SCIM errors, its own token, not in the OpenAPI document
    install_docs_pages(app)
    app.add_api_route(
        "/.well-known/jwks.json",
        _jwks(keyring),
        methods=["GET"],
        operation_id="get_jwks",
        tags=["identity"],
        summary="Public keys that verify Tandem access tokens",
    )
    app.add_middleware(AllowHeaderMiddleware)
    app.add_middleware(IdempotencyMiddleware)
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes, streamed=is_mentor_stream)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.environment == "production")
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "If-Match", "Idempotency-Key", "X-Request-ID"],
            expose_headers=["ETag", "Location", "Retry-After", "X-Request-ID"],
            max_age=600,
        )
    app.add_middleware(metrics.MetricsMiddleware, metrics=app.state.metrics)
    app.add_middleware(RequestIdMiddleware)  # outermost: even a 413 carries a request id
    return app


def _jwks(keyring: Keyring) -> Any:
    async def get_jwks(response: Response) -> dict[str, Any]:
        # caches must not outlive the head start a new key gets before it signs
        response.headers["Cache-Control"] = f"public, max-age={min(300, keyring.publish_ahead // 2):.0f}"
        return dict(keyring.public_keys().as_dict())

    return get_jwks
