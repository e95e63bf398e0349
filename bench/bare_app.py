"""The baseline of ``bench.api``: FastAPI + asyncpg with nothing in between, on the same database.

- ``GET /tandems/{id}``: ``select * from tandems where id = $1`` as JSON;
- ``GET /tandems?program_id=…&limit=50``: the same rows the list endpoint returns (its order);
- ``POST /sessions``: one INSERT of a valid session row, answered 201 with the row as JSON.

Served like ``tandem serve`` serves (``app/cli/commands.py``): one uvicorn process, its default
loop and HTTP implementation, ``log_config=None`` with the root logger at INFO (so access lines
are written, as tandem's are), ``proxy_headers=True``.

    python -m bench.bare_app --port 8001 --dsn postgresql://…
"""

from __future__ import annotations

import argparse
import json
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
import uvicorn
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

POOL_SIZE = 10  # tandem's default TANDEM_DB_POOL_SIZE


class SessionIn(BaseModel):
    org_id: uuid.UUID
    tandem_id: uuid.UUID
    starts_at: datetime
    duration_minutes: int = Field(ge=5, le=720)
    format: str = Field(max_length=16)
    location: str | None = None
    video_link: str | None = None
    agenda: str = ""


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(record: asyncpg.Record) -> dict[str, Any]:
    return {k: _plain(v) for k, v in record.items()}


async def _codecs(conn: asyncpg.Connection) -> None:
    for kind in ("json", "jsonb"):
        await conn.set_type_codec(kind, encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


def create_app(dsn: str) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.pool = await asyncpg.create_pool(dsn, min_size=1, max_size=POOL_SIZE, init=_codecs)
        try:
            yield
        finally:
            await app.state.pool.close()

    app = FastAPI(lifespan=lifespan, openapi_url=None, docs_url=None, redoc_url=None)

    @app.get("/tandems/{tandem_id}")
    async def get_tandem(tandem_id: uuid.UUID, request: Request) -> JSONResponse:
        row = await request.app.state.pool.fetchrow("select * from tandems where id = $1", tandem_id)
        if row is None:
            raise HTTPException(404)
        return JSONResponse(_row(row))

    @app.get("/tandems")
    async def list_tandems(program_id: uuid.UUID, request: Request, limit: int = 50) -> JSONResponse:
        rows = await request.app.state.pool.fetch(
            "select * from tandems where program_id = $1 order by created_at, id limit $2", program_id, limit
        )
        return JSONResponse({"items": [_row(r) for r in rows], "next_cursor": None})

    @app.post("/sessions", status_code=201)
    async def add_session(body: SessionIn, request: Request) -> JSONResponse:
        now = datetime.now(UTC)
        row = await request.app.state.pool.fetchrow(
            "insert into sessions (id, version, created_at, updated_at, org_id, tandem_id, starts_at,"
            " duration_minutes, format, location, video_link, agenda, notes, goals_covered, status)"
            " values ($1, 1, $2, $2, $3, $4, $5, $6, $7, $8, $9, $10, '', '[]'::jsonb, 'scheduled') returning *",
            uuid.uuid4(),
            now,
            body.org_id,
            body.tandem_id,
            body.starts_at,
            body.duration_minutes,
            body.format,
            body.location,
            body.video_link,
            body.agenda,
        )
        return JSONResponse(_row(row), status_code=201)

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="bare FastAPI + asyncpg baseline for bench.api")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dsn", required=True, help="postgresql://… (asyncpg)")
    args = parser.parse_args()
    # as tandem's configure_logging: one stream handler on the root logger at INFO
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    uvicorn.run(create_app(args.dsn), host=args.host, port=args.port, log_config=None, proxy_headers=True)


if __name__ == "__main__":
    main()
