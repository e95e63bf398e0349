"""Shared fixtures: one real PostgreSQL database per test run, migrated once.

Without TEST_DATABASE_URL the embedded server starts in a temporary folder; with it, a fresh
database is created on that server and dropped afterwards. Tests isolate themselves by tenant:
each builds its own organization, exactly as production keeps tenants apart.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from app.infra.db.embedded import start_embedded
from app.infra.db.engine import make_db_factory, make_engine
from app.infra.db.migrate import upgrade
from app.infra.db.unit_of_work import SqlUnitOfWork

DB_DIRS = ("integration", "api", "e2e")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if any(f"/tests/{d}/" in str(item.path) for d in DB_DIRS):
            item.add_marker(pytest.mark.db)


async def _admin(url: str, sql: str) -> None:
    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.exec_driver_sql(sql)
    await engine.dispose()


def embedded_home(purpose: str) -> Path:
    """A folder for an embedded server, outside pytest's temp root.

    The server runs as an unprivileged system user that must traverse the folder's parents;
    pytest resets its own root to mode 0700 whenever another pytest run starts.
    """
    return Path(tempfile.mkdtemp(prefix=f"tandem-{purpose}-"))


@pytest.fixture
def home_outside_pytest() -> Iterator[Path]:
    path = embedded_home("e2e")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def server_url() -> str:
    """A server URL pointing at its maintenance database ``postgres``."""
    external = os.environ.get("TEST_DATABASE_URL")
    if external:
        url = make_url(external.replace("postgresql://", "postgresql+asyncpg://", 1))
        return url.set(database="postgres").render_as_string(hide_password=False)
    data_dir = embedded_home("pg")
    # registered before the server starts, so it runs after the server's own stop at exit
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    return start_embedded(data_dir, database="postgres")


def fresh_database(server_url: str, prefix: str = "tandem_test") -> tuple[str, Callable[[], None]]:
    """Create an empty database on the server; return its URL and a function that drops it."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(server_url, f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        asyncio.run(_admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    return url, drop


@pytest.fixture(scope="session")
def database_url(server_url: str) -> Iterator[str]:
    """A database for this run, migrated to head once."""
    url, drop = fresh_database(server_url)
    upgrade(url)
    yield url
    drop()


@pytest.fixture(scope="session")
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(database_url, pool_size=25)
    yield engine
    await engine.dispose()


@pytest.fixture
def uow_factory(engine: AsyncEngine) -> Callable[[], SqlUnitOfWork]:
    """A fresh unit of work per use case call, as the API gives one per request."""
    factory = make_db_factory(engine)
    return lambda: SqlUnitOfWork(factory)
