"""API tests go through the real ASGI app (lifespan included) over httpx."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from app.api.app import create_app
from app.domain.access import Caller
from app.infra.auth.keys import Keyring
from app.infra.auth.tokens import TokenIssuer
from app.infra.settings import Settings
from tests.api.problem_check import declared_codes_only


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data_dir: Path = tmp_path_factory.mktemp("api-data")
    # the suite signs in far more often than a person would; the limit itself has its own test
    return Settings(
        environment="test",
        data_dir=data_dir,
        max_body_bytes=64 * 1024,
        login_rate_limit="10000/minute",
        token_rate_limit="10000/minute",
    )


@pytest.fixture(scope="session")
async def app(settings: Settings, database_url: str) -> AsyncIterator[FastAPI]:
    application = create_app(settings, database_url=database_url)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    # every problem a test receives must be declared by its operation (x-problem-codes)
    hooks = {"response": [declared_codes_only(app)]}
    async with httpx.AsyncClient(transport=transport, base_url="http://tandem.test", event_hooks=hooks) as http:
        yield http


@pytest.fixture(scope="session")
def issuer(settings: Settings) -> TokenIssuer:
    keys = Keyring.open(settings.signing_keys_dir, publish_ahead_seconds=settings.key_publish_ahead_seconds)
    return TokenIssuer(keys, settings.issuer, settings.audience, ttl_seconds=300)


@pytest.fixture
def bearer(issuer: TokenIssuer) -> Callable[[Caller], dict[str, str]]:
    return lambda caller: {"Authorization": f"Bearer {issuer.issue(caller)}"}
