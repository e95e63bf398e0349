"""Alembic environment, async over asyncpg. The URL comes from the caller (``tandem migrate``,
the tests) through ``config.attributes["url"]``, else from the settings."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from app.infra.db import tables  # noqa: F401  (registers every table on the metadata)
from app.infra.db.base import metadata
from app.infra.db.migrate import include_name

config = context.config


def _url() -> str:
    url = config.attributes.get("url")
    if url:
        return str(url)
    from app.infra.db.connect import database_url
    from app.infra.settings import Settings

    return database_url(Settings())


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection, target_metadata=metadata, compare_type=True, include_name=include_name
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_async_engine(_url())
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True, include_name=include_name)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    connection = config.attributes.get("connection")
    if connection is not None:  # called from inside a running event loop (tests): reuse it
        _run(connection)
    else:
        asyncio.run(_run_async())
