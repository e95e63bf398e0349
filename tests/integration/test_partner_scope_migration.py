"""Migration 0011: partners that held every scope before webhooks:manage existed get it; partners
narrowed on purpose keep exactly their scopes."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from app.infra.db.migrate import downgrade, upgrade
from tests.conftest import fresh_database

BEFORE = {
    "everything": ["mentors:read", "mentors:sync"],
    "read only": ["mentors:read"],
    "sync only": ["mentors:sync"],
    "already": ["mentors:read", "mentors:sync", "webhooks:manage"],
}


@pytest.fixture
def at_0010(server_url: str) -> Iterator[str]:
    url, drop = fresh_database(server_url, prefix="tandem_scope_migration")
    upgrade(url, "0010")
    yield url
    drop()


async def _insert(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        for name, scopes in BEFORE.items():
            await conn.execute(
                text(
                    "INSERT INTO partners (id, version, created_at, updated_at, name, client_id,"
                    " client_secret_digest, allowed_scopes)"
                    " VALUES (:id, 1, now(), now(), :name, :client_id, :digest, CAST(:scopes AS jsonb))"
                ),
                {
                    "id": uuid.uuid4(),
                    "name": name,
                    "client_id": f"ptn_{uuid.uuid4().hex[:12]}",
                    "digest": "0" * 64,
                    "scopes": json.dumps(scopes),
                },
            )
    await engine.dispose()


async def _scopes(url: str) -> dict[str, tuple[list[str], int]]:
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        rows = await conn.execute(text("SELECT name, allowed_scopes, version FROM partners"))
        found = {row.name: (row.allowed_scopes, row.version) for row in rows}
    await engine.dispose()
    return found


def test_partners_with_every_earlier_scope_get_webhooks_manage_and_narrowed_ones_do_not(at_0010: str) -> None:
    asyncio.run(_insert(at_0010))
    upgrade(at_0010, "0011")
    assert asyncio.run(_scopes(at_0010)) == {
        "everything": (["mentors:read", "mentors:sync", "webhooks:manage"], 2),
        "read only": (["mentors:read"], 1),
        "sync only": (["mentors:sync"], 1),
        "already": (["mentors:read", "mentors:sync", "webhooks:manage"], 1),
    }
    # going back leaves the scopes as they are (the scope is valid there), and up again changes nothing
    downgrade(at_0010, "0010")
    upgrade(at_0010, "0011")
    assert asyncio.run(_scopes(at_0010))["everything"] == (["mentors:read", "mentors:sync", "webhooks:manage"], 2)
