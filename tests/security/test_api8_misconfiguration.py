"""API8:2023 Security Misconfiguration: no internals in errors, CORS by allow-list, security
headers, and production refuses to start with development defaults.

The security headers on every kind of answer (and HSTS in production) are
tests/api/test_security_headers.py; here the ones a token response and a problem need besides.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import ValidationError

from app.api.app import create_app
from app.api.rest import me as me_route
from app.domain.access import Role
from app.domain.signin import Lifetimes
from app.infra.settings import Settings
from app.services import identity, signin
from tests.api import route_matrix_world as w
from tests.api.route_matrix_world import MANAGER
from tests.factories import new_org

SECRET = "hunter2-at-db.internal:5432"  # what an unexpected exception's message might hold
INTERNALS = ("Traceback", "RuntimeError", SECRET, 'File "', "/app/", "sqlalchemy", "asyncpg")
ORIGIN = "https://app.example.com"
PUBLIC_URL = "https://tandem.example.com"


def _no_internals(response: httpx.Response, context: str) -> None:
    for text in INTERNALS:
        assert text not in response.text, f"{context} leaks {text!r}: {response.text[:300]}"


@pytest.fixture
async def bare(tmp_path: Path) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """An app with CORS for ORIGIN and no lifespan: these answers need no database."""
    app = create_app(
        Settings(data_dir=tmp_path, cors_origins=[ORIGIN]), database_url="postgresql+asyncpg://unused/none"
    )
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://tandem.test") as http:
        yield app, http


async def test_an_unexpected_exception_is_a_500_problem_without_internals(bare: Any) -> None:
    app, http = bare

    async def broken() -> None:
        raise RuntimeError(f"connection to {SECRET} failed")

    app.add_api_route("/v1/__broken", broken, methods=["GET", "POST"])
    for method in ("GET", "POST"):
        response = await http.request(method, "/v1/__broken", headers={"Origin": ORIGIN})
        assert response.status_code == 500, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "internal_error"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-security-policy"].startswith("default-src 'none'")
        _no_internals(response, f"{method} /v1/__broken")


@pytest.mark.db
async def test_a_failing_use_case_leaks_nothing_over_rest_or_graphql(
    client: httpx.AsyncClient, world: w.World, bearer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def who_am_i(*_: Any, **__: Any) -> None:
        raise RuntimeError(f"connection to {SECRET} failed")

    monkeypatch.setattr(identity, "who_am_i", who_am_i)
    monkeypatch.setattr(me_route, "who_am_i", who_am_i)
    headers = bearer(world.callers[MANAGER])
    rest = await client.get("/v1/me", headers=headers)
    assert rest.status_code == 500 and rest.json()["code"] == "internal_error", rest.text
    _no_internals(rest, "GET /v1/me")
    graphql = await client.post("/graphql", json={"query": "{ me { userId } }"}, headers=headers)
    assert graphql.status_code == 200 and graphql.json()["data"] is None, graphql.text
    assert [e["extensions"]["code"] for e in graphql.json()["errors"]] == ["internal_error"]
    _no_internals(graphql, "POST /graphql")


@pytest.mark.db
async def test_cors_answers_only_the_listed_origin(app_with: Any) -> None:
    async with app_with(cors_origins=[ORIGIN]) as (_, http):
        for method, path in (("GET", "/v1/programs"), ("POST", "/v1/programs"), ("PATCH", f"/v1/goals/{uuid.uuid4()}")):
            allowed = await http.request(method, path, headers={"Origin": ORIGIN})
            assert allowed.status_code == 401, allowed.text  # no token; CORS still says who may read it
            assert allowed.headers["access-control-allow-origin"] == ORIGIN
            for origin in (
                "https://evil.example",
                "https://app.example.com.evil.example",
                "null",
                "http://app.example.com",
            ):
                refused = await http.request(method, path, headers={"Origin": origin})
                assert refused.status_code == 401
                assert "access-control-allow-origin" not in refused.headers, (method, origin)


@pytest.mark.parametrize(
    ("origin", "method", "allowed"),
    [
        (ORIGIN, "PATCH", True),
        (ORIGIN, "TRACE", False),
        (ORIGIN, "CONNECT", False),
        ("https://evil.example", "GET", False),
    ],
)
async def test_a_preflight_of_a_disallowed_method_or_origin_fails(
    origin: str, method: str, allowed: bool, bare: Any
) -> None:
    _, http = bare
    headers = {"Origin": origin, "Access-Control-Request-Method": method}
    response = await http.options("/v1/programs", headers=headers)
    if allowed:
        assert response.status_code == 200 and method in response.headers["access-control-allow-methods"]
    else:
        assert response.status_code == 400, response.text
        if origin == ORIGIN:
            assert method not in response.headers.get("access-control-allow-methods", "")
        else:
            assert "access-control-allow-origin" not in response.headers


@pytest.mark.db
async def test_token_responses_are_not_cached_and_carry_the_security_headers(client: httpx.AsyncClient) -> None:
    response = await client.post("/oauth/token", data={"grant_type": "refresh_token", "refresh_token": "unknown"})
    assert response.status_code == 400
    jwks = await client.get("/.well-known/jwks.json")
    for answer in (response, jwks):
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["content-security-policy"].startswith("default-src 'none'")
    assert "private" not in jwks.text and '"d"' not in jwks.text  # public keys only


@pytest.mark.db
async def test_an_issued_token_is_no_store(client: httpx.AsyncClient, uow_factory: Any) -> None:
    org, _ = await new_org(uow_factory)
    user = (await identity.operator_user(uow_factory(), role=Role.ORG_ADMIN, org_slug=org.slug, email=None)).user
    async with uow_factory() as uow:
        grant = await signin.open_signin(uow, user, Lifetimes())
        await uow.commit()
    data = {"grant_type": "refresh_token", "refresh_token": grant.refresh_token}
    response = await client.post("/oauth/token", data=data)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store" and response.headers["pragma"] == "no-cache"
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({}, "TANDEM_ISSUER is required in production"),
        ({"issuer": "http://tandem.example.com"}, "must be an https:// URL in production"),
        ({"issuer": PUBLIC_URL, "allow_private_provider_urls": True}, "TANDEM_ALLOW_PRIVATE_PROVIDER_URLS"),
        ({"issuer": PUBLIC_URL, "cors_origins": ["*"]}, "TANDEM_CORS_ORIGINS may not be \\*"),
        ({"issuer": PUBLIC_URL, "cors_origins": [ORIGIN, "*"]}, "TANDEM_CORS_ORIGINS may not be \\*"),
    ],
    ids=["no issuer", "http issuer", "private provider URLs", "CORS *", "CORS * among others"],
)
def test_production_refuses_to_start_with_development_defaults(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Settings(environment="production", **settings)


def test_production_with_its_own_settings_starts_safe() -> None:
    """What the refusals leave: no GraphiQL, no private providers unless opted into (GraphiQL only)."""
    settings = Settings(environment="production", issuer=PUBLIC_URL, cors_origins=[ORIGIN])
    assert not settings.graphiql_served and not settings.private_provider_urls_allowed
    assert Settings(environment="production", issuer=PUBLIC_URL, graphiql=True).graphiql_served  # explicit opt-in
    # a loopback issuer over http is a local smoke test of the production image (ops/image/test.sh)
    assert Settings(environment="production", issuer="http://127.0.0.1:8000").issuer == "http://127.0.0.1:8000"
    # development keeps its conveniences
    assert Settings(environment="development", cors_origins=["*"], allow_private_provider_urls=True)
