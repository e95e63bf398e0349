"""Security headers on every response, and CORS only for the configured front-end origins."""

from __future__ import annotations

from pathlib import Path

import httpx

from app.api.app import create_app
from app.infra.settings import Settings


def _app(tmp_path: Path, **settings: object):  # no lifespan: these answers need no database
    return create_app(Settings(data_dir=tmp_path, **settings), database_url="postgresql+asyncpg://unused/none")


async def test_every_answer_carries_the_security_headers(client) -> None:
    for response in (
        await client.get("/healthz"),
        await client.get("/v1/me"),  # a 401 problem
        await client.get("/no/such/path"),  # a 404 problem
        await client.post("/v1/programs", content=b"x" * 70_000),  # a 413 from the body limit
    ):
        assert response.headers["x-content-type-options"] == "nosniff", response.url
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["content-security-policy"].startswith("default-src 'none'")
    docs = await client.get("/docs")
    assert "script-src 'self'" in docs.headers["content-security-policy"]  # Swagger UI's own, wider policy
    assert "strict-transport-security" not in docs.headers  # not in tests


async def test_production_adds_hsts(tmp_path: Path) -> None:
    transport = httpx.ASGITransport(app=_app(tmp_path, environment="production", issuer="https://tandem.test"))
    async with httpx.AsyncClient(transport=transport, base_url="https://tandem.test") as http:
        response = await http.get("/.well-known/jwks.json")
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")


async def test_cors_admits_only_the_configured_origins(tmp_path: Path) -> None:
    app = _app(tmp_path, cors_origins=["https://app.example.com"])
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://tandem.test") as http:
        allowed = await http.options("/v1/programs", headers={"Origin": "https://app.example.com", **preflight})
        refused = await http.options("/v1/programs", headers={"Origin": "https://evil.example", **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://app.example.com"
    assert "access-control-allow-origin" not in refused.headers


async def test_without_configured_origins_no_cross_origin_access_is_granted(client) -> None:
    response = await client.get("/healthz", headers={"Origin": "https://app.example.com"})
    assert "access-control-allow-origin" not in response.headers
