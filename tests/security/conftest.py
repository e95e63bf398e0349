"""OWASP API Security Top 10 (2023): one module per risk, through the real ASGI app.

The fixtures are the API suite's (tests/api/conftest.py): one app per run, a client over ASGI
and bearer tokens for any caller. ``world`` is the authorization matrices' world
(tests/api/route_matrix_world.py): organization A with one of every object, strangers of B.
``app_with`` builds another app with settings of its own (low rate limits, production-like).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.api.app import create_app
from app.infra.settings import Settings
from tests.api import route_matrix_world as w
from tests.api.conftest import app, bearer, client, issuer, settings

__all__ = ["app", "bearer", "client", "issuer", "settings"]

AppWith = Callable[..., Any]


@pytest.fixture(scope="session")
async def world(app: FastAPI, engine: Any) -> w.World:
    return await w.build_world(w.uow_factory_of(engine, app.state.secret_box), app.state.jobs)


@pytest.fixture
def app_with(settings: Settings, database_url: str) -> AppWith:
    """``async with app_with(write_rate_limit="3/minute") as (app, client):`` an app of its own."""

    @asynccontextmanager
    async def started(**overrides: Any) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
        own = settings.model_copy(update=overrides)
        application = create_app(own, database_url=database_url)
        async with application.router.lifespan_context(application):
            transport = httpx.ASGITransport(app=application, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://tandem.test") as http:
                yield application, http

    return started
