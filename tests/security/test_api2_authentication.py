"""API2:2023 Broken Authentication: a forged or broken bearer token reaches no data anywhere.

Every forgery of the token matrix (tests/api/test_token_matrix.py: expired, signed by a key we
do not have, ``alg: none``, HS256 with our public key, wrong audience, issuer or ``typ``,
garbage, ...) and the token of a sign-in that has ended are sent to a read route, a
write route and /graphql: each answers 401 with ``WWW-Authenticate: Bearer`` and no data, and
the same request with a good token succeeds (so the check can fail). A refused write writes
nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from app.domain.access import Caller, Role
from app.domain.signin import Lifetimes
from app.infra.auth.keys import generate_key
from app.infra.auth.tokens import TokenIssuer
from app.infra.settings import Settings
from app.services import identity, signin
from tests.api import route_matrix_world as w
from tests.api.route_matrix_world import MANAGER
from tests.api.test_token_matrix import FORGERIES
from tests.factories import new_org

pytestmark = pytest.mark.db

MARK = "api2-forged"  # the display name a refused write would have stored

REQUESTS: dict[str, dict[str, Any]] = {
    "read GET /v1/people": {"method": "GET", "url": "/v1/people"},
    "write POST /v1/people": {
        "method": "POST",
        "url": "/v1/people",
        "json": {"display_name": MARK, "birth_year": 1990},
    },
    "graphql": {
        "method": "POST",
        "url": "/graphql",
        "json": {"query": "{ me { __typename } programs { edges { node { id } } } }"},
    },
}


async def _refused(client: httpx.AsyncClient, token: str, context: str) -> None:
    for name, request in REQUESTS.items():
        response = await client.request(**request, headers={"Authorization": f"Bearer {token}"})
        detail = f"{context} on {name}: {response.status_code} {response.text[:300]}"
        assert response.status_code == 401, detail
        assert response.headers["www-authenticate"].startswith("Bearer"), detail
        body = response.json()
        assert body["code"] == "invalid_token" and "items" not in body and "data" not in body, detail


async def _accepted(client: httpx.AsyncClient, token: str) -> None:
    for name, request in REQUESTS.items():
        if request["method"] == "POST" and request["url"] == "/v1/people":
            request = request | {"json": {"display_name": "api2-genuine", "birth_year": 1990}}
        response = await client.request(**request, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code in (200, 201), f"a good token on {name}: {response.text[:300]}"
        assert "errors" not in response.json(), response.text[:300]


@pytest.mark.parametrize("how", FORGERIES)
async def test_a_forged_or_broken_token_gets_no_data_on_read_write_and_graphql(
    how: str, client: httpx.AsyncClient, issuer: TokenIssuer, settings: Settings, world: w.World
) -> None:
    manager = world.callers[MANAGER]
    assert manager is not None
    await _accepted(client, issuer.issue(manager))
    await _refused(client, FORGERIES[how](issuer, settings, manager), how)
    people = await client.get(
        "/v1/people", params={"limit": 200}, headers={"Authorization": f"Bearer {issuer.issue(manager)}"}
    )
    assert MARK not in people.text, f"{how}: a refused write was stored"


async def test_a_token_for_an_unknown_tenant_role_is_still_checked_for_its_signature(
    client: httpx.AsyncClient, settings: Settings, world: w.World
) -> None:
    """A token claiming platform admin, signed by a key of its own, is no more than garbage."""
    forged = TokenIssuer(generate_key(), settings.issuer, settings.audience, 60).issue(
        Caller(uuid.uuid4(), Role.PLATFORM_ADMIN)
    )
    await _refused(client, forged, "a self-made platform admin")


async def test_the_token_of_an_ended_sign_in_session_is_401(
    client: httpx.AsyncClient, issuer: TokenIssuer, uow_factory: Any
) -> None:
    org, _ = await new_org(uow_factory)
    user = (await identity.operator_user(uow_factory(), role=Role.ORG_ADMIN, org_slug=org.slug, email=None)).user
    async with uow_factory() as uow:
        grant = await signin.open_signin(uow, user, Lifetimes())
        await uow.commit()
    token = issuer.issue(grant.caller)
    await _accepted(client, token)
    signed_out = await client.post("/auth/logout", headers={"Authorization": f"Bearer {token}"})
    assert signed_out.status_code in (200, 204), signed_out.text
    await _refused(client, token, "after sign-out")
