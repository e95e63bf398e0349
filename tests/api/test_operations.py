"""Health, readiness, problem responses, request ids, body limits, tokens."""

from __future__ import annotations

import uuid

from app.api.app import create_app
from app.domain.access import Caller, Role
from tests.factories import member, pair_world


async def test_healthz_answers_while_the_process_is_up(client) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_is_200_when_the_database_answers(client) -> None:
    response = await client.get("/readyz")
    assert response.status_code == 200


async def test_readyz_is_a_503_problem_with_retry_after_when_the_database_is_gone(settings) -> None:
    import httpx

    app = create_app(settings, database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            response = await http.get("/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
    assert response.json()["code"] == "database_unavailable"


async def test_every_response_carries_a_request_id_and_honours_a_sane_incoming_one(client) -> None:
    generated = await client.get("/healthz")
    assert len(generated.headers["x-request-id"]) == 32
    echoed = await client.get("/healthz", headers={"X-Request-ID": "lb-1234"})
    assert echoed.headers["x-request-id"] == "lb-1234"
    refused = await client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
    assert refused.headers["x-request-id"] != "bad id\twith spaces"


async def test_an_unknown_path_is_a_404_problem(client) -> None:
    response = await client.get("/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404 and body["code"] == "not_found" and body["type"].endswith("/not_found")


async def test_a_body_over_the_limit_is_refused_with_413(client, settings) -> None:
    response = await client.post("/healthz", content=b"x" * (settings.max_body_bytes + 1))
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


async def test_me_without_a_token_is_401_with_www_authenticate(client) -> None:
    response = await client.get("/v1/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["code"] == "invalid_token"


async def test_me_shows_a_member_their_own_profile(client, bearer, uow_factory) -> None:
    world = await pair_world(uow_factory)
    response = await client.get("/v1/me", headers=bearer(member(world["mentee"])))
    assert response.status_code == 200
    body = response.json()
    assert body["role"] == "member"
    assert body["person"]["id"] == str(world["mentee"].id)
    assert body["person"]["generation"] == "gen_x" and body["person"]["digital_native"] is False


async def test_jwks_publishes_only_the_public_keys(client, issuer) -> None:
    keys = (await client.get("/.well-known/jwks.json")).json()["keys"]
    assert [k["kid"] for k in keys] == [k.kid for k in issuer.keys.entries()]
    assert issuer.keys.signing_key().kid in [k["kid"] for k in keys]
    assert all("d" not in k for k in keys)


async def test_a_platform_admin_token_has_no_person(client, bearer) -> None:
    response = await client.get("/v1/me", headers=bearer(Caller(uuid.uuid4(), Role.PLATFORM_ADMIN)))
    assert response.json()["person"] is None and response.json()["role"] == "platform_admin"
