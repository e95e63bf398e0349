"""The token negative matrix on a protected route: every way a bearer token can be wrong is a 401
with ``WWW-Authenticate``, and a correct token next to them is a 200 (so the matrix can fail)."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey

from app.domain.access import Caller, Role
from app.domain.signin import Lifetimes
from app.infra.auth.keys import generate_key
from app.infra.auth.tokens import TokenIssuer
from app.infra.settings import Settings
from app.services import identity, signin
from tests.factories import new_org

pytestmark = pytest.mark.db
Forge = Callable[[TokenIssuer, Settings, Caller], str]


def _b64(part: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


def _claims(settings: Settings, caller: Caller, **extra: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {"iss": settings.issuer, "aud": settings.audience, "sub": str(caller.user_id), "roles": [caller.role.value]}
    return base | {"org": str(caller.org_id), "iat": now, "exp": now + 60} | extra


def _signed(issuer: TokenIssuer, claims: dict[str, Any], **header: Any) -> str:
    key = issuer.keys.signing_key()  # the app's own current key: only the claims or header are wrong
    full = {"alg": "ES256", "typ": "at+jwt", "kid": key.kid} | header
    return jwt.encode(full, claims, key, algorithms=["ES256"])


def _hs256_with_public_key(issuer: TokenIssuer, settings: Settings, caller: Caller) -> str:
    public = json.dumps(issuer.keys.signing_key().as_dict(private=False))
    header = {"alg": "HS256", "typ": "at+jwt"}
    return jwt.encode(header, _claims(settings, caller), OctKey.import_key(public), algorithms=["HS256"])


FORGERIES: dict[str, Forge] = {
    "expired": lambda issuer, s, c: issuer.issue(c, ttl_seconds=-120),
    "not yet valid (nbf)": lambda issuer, s, c: _signed(issuer, _claims(s, c, nbf=int(time.time()) + 600)),
    "wrong iss": lambda issuer, s, c: TokenIssuer(issuer.keys, "https://evil.example", s.audience, 60).issue(c),
    "wrong aud": lambda issuer, s, c: TokenIssuer(issuer.keys, s.issuer, "someone-else", 60).issue(c),
    "alg none": lambda issuer, s, c: f"{_b64({'alg': 'none', 'typ': 'at+jwt'})}.{_b64(_claims(s, c))}.",
    "HS256 signed with the public key": _hs256_with_public_key,
    "unknown kid": lambda issuer, s, c: TokenIssuer(generate_key(), s.issuer, s.audience, 60).issue(c),
    "not an access token (typ)": lambda issuer, s, c: _signed(issuer, _claims(s, c), typ="JWT"),
    "no expiry": lambda issuer, s, c: _signed(issuer, {k: v for k, v in _claims(s, c).items() if k != "exp"}),
    "garbage": lambda issuer, s, c: "not-a-jwt",
}


@pytest.fixture
async def manager(uow_factory) -> Caller:
    _, manager = await new_org(uow_factory)
    return manager


async def _expect_401(client, headers: dict[str, str]) -> None:
    response = await client.get("/v1/me", headers=headers)
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["code"] == "invalid_token"


@pytest.mark.parametrize("how", FORGERIES)
async def test_a_wrong_token_is_401(how: str, client, issuer, settings, manager) -> None:
    assert (await client.get("/v1/me", headers={"Authorization": f"Bearer {issuer.issue(manager)}"})).status_code == 200
    await _expect_401(client, {"Authorization": f"Bearer {FORGERIES[how](issuer, settings, manager)}"})


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Basic dXNlcjpwdw=="}, {"Authorization": "Bearer"}])
async def test_no_bearer_token_is_401(headers: dict[str, str], client) -> None:
    await _expect_401(client, headers)


async def test_a_token_of_a_session_revoked_for_refresh_token_reuse_is_401(client, issuer, uow_factory) -> None:
    org, _ = await new_org(uow_factory)
    user = (await identity.operator_user(uow_factory(), role=Role.ORG_ADMIN, org_slug=org.slug, email=None)).user
    async with uow_factory() as uow:
        grant = await signin.open_signin(uow, user, Lifetimes())
        await uow.commit()
    headers = {"Authorization": f"Bearer {issuer.issue(grant.caller)}"}
    assert (await client.get("/v1/me", headers=headers)).status_code == 200
    data = {"grant_type": "refresh_token", "refresh_token": grant.refresh_token}
    assert (await client.post("/oauth/token", data=data)).status_code == 200
    reused = await client.post("/oauth/token", data=data)
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    await _expect_401(client, headers)
