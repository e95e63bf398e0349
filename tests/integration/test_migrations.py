"""Migrations: up, down and up again on an empty database; and no drift from the models."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import create_async_engine

from app.infra.db import tables  # noqa: F401  (registers the tables)
from app.infra.db.base import metadata
from app.infra.db.migrate import downgrade, include_name, upgrade
from tests.conftest import fresh_database


@pytest.fixture
def empty_database(server_url: str) -> Iterator[str]:
    url, drop = fresh_database(server_url, prefix="tandem_migrations")
    yield url
    drop()


def _table_names(url: str) -> set[str]:
    async def read() -> set[str]:
        engine = create_async_engine(url)
        async with engine.connect() as conn:
            names = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
        await engine.dispose()
        return names

    return asyncio.run(read())


def _drift(url: str) -> list[object]:
    async def compare() -> list[object]:
        engine = create_async_engine(url)
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True, "include_name": include_name}),
                    metadata,
                )
            )
        await engine.dispose()
        return list(diff)

    return asyncio.run(compare())


def test_migrations_go_up_down_and_up_again(empty_database: str) -> None:
    upgrade(empty_database)
    assert set(metadata.tables) <= _table_names(empty_database)
    downgrade(empty_database, "base")
    assert _table_names(empty_database) == {"alembic_version"}
    upgrade(empty_database)
    assert set(metadata.tables) <= _table_names(empty_database)


def test_the_migrated_schema_matches_the_models(empty_database: str) -> None:
    upgrade(empty_database)
    assert _drift(empty_database) == []


def test_the_drift_check_notices_a_schema_that_differs(empty_database: str) -> None:
    upgrade(empty_database)

    async def drop_index() -> None:
        engine = create_async_engine(empty_database)
        async with engine.begin() as conn:
            await conn.exec_driver_sql("DROP INDEX uq_tandems_open_mentee")
        await engine.dispose()

    asyncio.run(drop_index())
    assert any("uq_tandems_open_mentee" in str(change) for change in _drift(empty_database))
