"""Storage of Idempotency-Key requests: claim a key, then store its response for replays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from app.infra.db.errors import unavailable_as_error
from app.infra.db.tables import idempotency_keys as keys

KEEP_FOR = timedelta(hours=24)
STALE_AFTER = timedelta(minutes=2)  # a claim this old was abandoned by a crashed process


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status_code: int
    headers: list[tuple[str, str]]
    body: bytes


@dataclass(frozen=True, slots=True)
class Claim:
    outcome: Literal["new", "replay", "mismatch", "in_progress"]
    response: StoredResponse | None = None


class IdempotencyStore:
    """Every method raises ``DatabaseUnavailable`` when the database cannot be reached."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def claim(self, scope: str, key: str, request_hash: str) -> Claim:
        """``new`` when this request may run; otherwise what the first request left behind."""
        with unavailable_as_error():
            return await self._claim(scope, key, request_hash)

    async def _claim(self, scope: str, key: str, request_hash: str) -> Claim:
        async with self.engine.begin() as conn:
            inserted = await conn.execute(
                insert(keys)
                .values(scope=scope, key=key, request_hash=request_hash, response_headers=[], created_at=func.now())
                .on_conflict_do_nothing()
                .returning(keys.c.key)
            )
            if inserted.first() is not None:
                return Claim("new")
            row = (
                (
                    await conn.execute(
                        select(keys, (func.now() - keys.c.created_at).label("age"))
                        .where(keys.c.scope == scope, keys.c.key == key)
                        .with_for_update()
                    )
                )
                .mappings()
                .one()
            )
            expired = row["age"] > KEEP_FOR
            abandoned = row["completed_at"] is None and row["age"] > STALE_AFTER
            if expired or abandoned:
                await conn.execute(
                    update(keys)
                    .where(keys.c.scope == scope, keys.c.key == key)
                    .values(
                        request_hash=request_hash,
                        status_code=None,
                        response_headers=[],
                        response_body=None,
                        created_at=func.now(),
                        completed_at=None,
                    )
                )
                return Claim("new")
            if row["request_hash"] != request_hash:
                return Claim("mismatch")
            if row["completed_at"] is None:
                return Claim("in_progress")
            headers = [(name, value) for name, value in row["response_headers"]]
            return Claim("replay", StoredResponse(row["status_code"], headers, row["response_body"] or b""))

    async def complete(self, scope: str, key: str, response: StoredResponse) -> None:
        with unavailable_as_error():
            async with self.engine.begin() as conn:
                await conn.execute(
                    update(keys)
                    .where(keys.c.scope == scope, keys.c.key == key)
                    .values(
                        status_code=response.status_code,
                        response_headers=[list(h) for h in response.headers],
                        response_body=response.body,
                        completed_at=func.now(),
                    )
                )

    async def release(self, scope: str, key: str) -> None:
        """Forget a claim whose request failed on our side, so that a retry may run again."""
        with unavailable_as_error():
            async with self.engine.begin() as conn:
                await conn.execute(delete(keys).where(keys.c.scope == scope, keys.c.key == key))
