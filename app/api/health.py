"""Operations endpoints: liveness and readiness."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

from app.api.problems import Problem, problem_for
from app.api.rest.responses import PROBLEM_CONTENT

router = APIRouter(tags=["operations"])
READY_TIMEOUT_SECONDS = 2.0


@router.get("/healthz", operation_id="get_health", summary="The process is up")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    operation_id="get_readiness",
    summary="The database is reachable",
    responses={503: {"model": Problem, "content": PROBLEM_CONTENT, "description": "database unreachable"}},
)
async def readyz(request: Request) -> JSONResponse:
    try:
        async with asyncio.timeout(READY_TIMEOUT_SECONDS):
            async with request.app.state.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
    except Exception:  # any failure means "not ready"; the reason goes to the log, not the client
        request.app.state.log.warning("readiness check failed", exc_info=True)
        return problem_for("database_unavailable", "the database is not reachable", headers={"Retry-After": "5"})
    return JSONResponse({"status": "ready"})
