"""Partner networks get their tokens from POST /oauth/token (client credentials, RFC 6749 §4.4)."""

from __future__ import annotations

import base64
import uuid
from typing import Any

import httpx
import pytest

from app.domain.access import Caller, Role
from tests.api.helpers import problem
from tests.factories import PLATFORM_ADMIN

pytestmark = pytest.mark.db
TOKEN = "/oauth/token"


async def _partner(client: httpx.AsyncClient, bearer: Any) -> dict[str, Any]:
    created = await client.post(
        "/v1/partners", json={"name": f"Talents {uuid.uuid4().hex[:8]}"}, headers=bearer(PLATFORM_ADMIN)
    )
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body


def _basic(partner: dict[str, Any], secret: str | None = None) -> dict[str, str]:
    pair = f"{partner['client_id']}:{secret or partner['client_secret']}"
    return {"Authorization": "Basic " + base64.b64encode(pair.encode()).decode()}


async def _token(client: httpx.AsyncClient, partner: dict[str, Any], scope: str | None = None) -> dict[str, str]:
    data = {"grant_type": "client_credentials"} | ({"scope": scope} if scope else {})
    response = await client.post(TOKEN, data=data, headers=_basic(partner))
    assert response.status_code == 200, response.text
    assert response.json().get("refresh_token") is None  # a machine asks again instead
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_client_credentials_give_a_scoped_partner_token(client, bearer) -> None:
    partner = await _partner(client, bearer)
    response = await client.post(TOKEN, data={"grant_type": "client_credentials"}, headers=_basic(partner))
    assert response.status_code == 200, response.text
    assert response.json()["scope"] == "mentors:read mentors:sync webhooks:manage"
    assert response.headers["cache-control"] == "no-store"

    # the credentials may also come in the form (client_secret_post)
    form = {
        "grant_type": "client_credentials",
        "client_id": partner["client_id"],
        "client_secret": partner["client_secret"],
    }
    assert (await client.post(TOKEN, data=form)).status_code == 200

    headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
    me = await client.get("/v1/me", headers=headers)
    assert me.status_code == 200 and me.json()["role"] == "partner"
    assert (await client.get(f"/v1/partners/{partner['id']}/mentors", headers=headers)).status_code == 200


async def test_wrong_credentials_and_unknown_scopes_are_refused(client, bearer) -> None:
    partner = await _partner(client, bearer)
    data = {"grant_type": "client_credentials"}
    wrong = await client.post(TOKEN, data=data, headers=_basic(partner, secret="not-the-secret"))
    assert problem(wrong, 401, "invalid_client")["error"] == "invalid_client"
    assert wrong.headers["www-authenticate"].startswith("Basic")
    unknown = {"Authorization": "Basic " + base64.b64encode(b"ptn_nobody:secret").decode()}
    problem(await client.post(TOKEN, data=data, headers=unknown), 401, "invalid_client")
    problem(
        await client.post(TOKEN, data=data | {"scope": "people:write"}, headers=_basic(partner)), 400, "invalid_scope"
    )


async def test_a_read_only_token_cannot_sync_and_no_token_reaches_another_pool(client, bearer) -> None:
    partner, other = await _partner(client, bearer), await _partner(client, bearer)
    reader = await _token(client, partner, scope="mentors:read")
    pool = f"/v1/partners/{partner['id']}/mentors"
    assert (await client.get(pool, headers=reader)).status_code == 200
    row = {"external_id": "m-1", "display_name": "Mia", "birth_year": 2000, "languages": ["de"]}
    problem(await client.put(pool, json={"items": [row]}, headers=reader), 403, "insufficient_scope")

    syncer = await _token(client, partner)
    assert (await client.put(pool, json={"items": [row]}, headers=syncer)).status_code == 200
    foreign = f"/v1/partners/{other['id']}/mentors"
    problem(await client.get(foreign, headers=syncer), 404)
    problem(await client.put(foreign, json={"items": [row]}, headers=syncer), 404)
    # and no organization's data: a partner acts in no tenant
    problem(await client.get("/v1/programs", headers=syncer), 403)
    problem(await client.get("/v1/people", headers=syncer), 403)


async def test_rotating_the_secret_ends_the_tokens_obtained_with_the_old_one(client, bearer) -> None:
    """A leaked secret is contained by rotating it: its tokens die with it, not 15 minutes later."""
    partner = await _partner(client, bearer)
    before = await _token(client, partner)
    pool = f"/v1/partners/{partner['id']}/mentors"
    assert (await client.get(pool, headers=before)).status_code == 200

    rotated = await client.post(f"/v1/partners/{partner['id']}/rotate-secret", headers=bearer(PLATFORM_ADMIN))
    assert rotated.status_code == 200, rotated.text
    ended = await client.get(pool, headers=before)
    problem(ended, 401)
    assert ended.headers["www-authenticate"].startswith("Bearer")
    graphql = await client.post("/graphql", json={"query": "{ me { role } }"}, headers=before)
    assert graphql.status_code == 401

    after = await _token(client, partner | {"client_secret": rotated.json()["client_secret"]})
    assert (await client.get(pool, headers=after)).status_code == 200


async def test_a_partner_token_that_names_no_secret_is_refused(client, bearer, issuer) -> None:
    """Tokens from before secret binding (or forged without it) carry no ``cred`` claim."""
    partner = await _partner(client, bearer)
    unbound = Caller(uuid.UUID(partner["id"]), Role.PARTNER, partner_id=uuid.UUID(partner["id"]))
    headers = {"Authorization": f"Bearer {issuer.issue(unbound)}"}
    problem(await client.get(f"/v1/partners/{partner['id']}/mentors", headers=headers), 401)
