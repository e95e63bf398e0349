"""Tandem's own tokens after a sign-in: one-time login codes, rotating refresh tokens with reuse
detection, revocation, logout, and the token endpoint's OAuth errors."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import secrets

import httpx
import pytest

from app.api.rate_limit import LoginRateLimiter
from app.domain.access import Role
from app.domain.signin import Lifetimes
from app.infra.auth.tokens import TokenIssuer
from app.services import identity, signin
from tests.api.helpers import problem
from tests.factories import new_org

pytestmark = pytest.mark.db
TOKEN = "/oauth/token"


async def _signed_in(uow_factory, issuer: TokenIssuer) -> tuple[dict[str, str], str]:
    """A manager who has just signed in: (Authorization header, refresh token)."""
    org, _ = await new_org(uow_factory)
    user = (await identity.operator_user(uow_factory(), role=Role.PROGRAM_MANAGER, org_slug=org.slug, email=None)).user
    async with uow_factory() as uow:
        grant = await signin.open_signin(uow, user, Lifetimes())
        await uow.commit()
    return {"Authorization": f"Bearer {issuer.issue(grant.caller)}"}, grant.refresh_token or ""


async def _refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": token})


async def test_a_refresh_token_rotates_and_the_new_access_token_works(client, uow_factory, issuer) -> None:
    _, refresh_token = await _signed_in(uow_factory, issuer)
    response = await _refresh(client, refresh_token)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] > 0
    assert body["refresh_token"].startswith("rt_") and body["refresh_token"] != refresh_token
    assert response.headers["cache-control"] == "no-store"
    me = await client.get("/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200 and me.json()["role"] == "program_manager"


async def test_reusing_a_refresh_token_revokes_the_whole_session(client, uow_factory, issuer) -> None:
    first_access, stolen = await _signed_in(uow_factory, issuer)
    rotated = (await _refresh(client, stolen)).json()

    reuse = await _refresh(client, stolen)
    body = problem(reuse, 400, "invalid_grant")
    assert body["error"] == "invalid_grant" and "error_description" in body

    # the legitimate holder's newer tokens die with the session, access tokens included
    problem(await _refresh(client, rotated["refresh_token"]), 400, "invalid_grant")
    for access in (first_access, {"Authorization": f"Bearer {rotated['access_token']}"}):
        response = await client.get("/v1/me", headers=access)
        problem(response, 401, "invalid_token")
        assert response.headers["www-authenticate"].startswith("Bearer")


async def test_two_simultaneous_refreshes_with_one_token_leave_no_usable_family(client, uow_factory, issuer) -> None:
    _, refresh_token = await _signed_in(uow_factory, issuer)
    first, second = await asyncio.gather(_refresh(client, refresh_token), _refresh(client, refresh_token))
    assert sorted([first.status_code, second.status_code]) == [200, 400]
    winner = first if first.status_code == 200 else second
    # the loser looked like a thief: the session is revoked, so the winner's token is dead too
    problem(await _refresh(client, winner.json()["refresh_token"]), 400, "invalid_grant")


async def test_revoking_a_refresh_token_ends_its_session(client, uow_factory, issuer) -> None:
    access, refresh_token = await _signed_in(uow_factory, issuer)
    response = await client.post("/oauth/revoke", data={"token": refresh_token})
    assert response.status_code == 200
    problem(await _refresh(client, refresh_token), 400, "invalid_grant")
    problem(await client.get("/v1/me", headers=access), 401)
    # RFC 7009: an unknown token is no error (nothing to reveal)
    assert (await client.post("/oauth/revoke", data={"token": "rt_unknown"})).status_code == 200


async def test_logout_ends_the_session(client, uow_factory, issuer) -> None:
    access, refresh_token = await _signed_in(uow_factory, issuer)
    assert (await client.get("/v1/me", headers=access)).status_code == 200
    assert (await client.post("/auth/logout", headers=access)).status_code == 204
    problem(await client.get("/v1/me", headers=access), 401, "invalid_token")
    problem(await _refresh(client, refresh_token), 400, "invalid_grant")
    problem(await client.post("/auth/logout"), 401)


async def test_a_login_code_works_once_and_honours_the_front_ends_pkce(client, uow_factory) -> None:
    org, _ = await new_org(uow_factory)
    user = (await identity.operator_user(uow_factory(), role=Role.ORG_ADMIN, org_slug=org.slug, email=None)).user
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    async with uow_factory() as uow:
        plain = await signin.issue_login_code(uow, user, Lifetimes(), None)
        bound = await signin.issue_login_code(uow, user, Lifetimes(), challenge)
        await uow.commit()

    # a front end presenting its verifier with a code issued without a challenge got a planted code
    planted = {"grant_type": "authorization_code", "code": plain, "code_verifier": verifier}
    problem(await client.post(TOKEN, data=planted), 400, "invalid_grant")
    redeemed = await client.post(TOKEN, data={"grant_type": "authorization_code", "code": plain})
    assert redeemed.status_code == 200 and redeemed.json()["refresh_token"]
    problem(await client.post(TOKEN, data={"grant_type": "authorization_code", "code": plain}), 400, "invalid_grant")

    wrong = secrets.token_urlsafe(48)
    data = {"grant_type": "authorization_code", "code": bound}
    problem(await client.post(TOKEN, data=data | {"code_verifier": wrong}), 400, "invalid_grant")
    # a failed attempt does not burn the code for its rightful owner
    assert (await client.post(TOKEN, data=data | {"code_verifier": verifier})).status_code == 200


async def test_malformed_token_requests_are_oauth_errors(client) -> None:
    body = problem(await client.post(TOKEN, data={"grant_type": "password"}), 400, "unsupported_grant_type")
    assert body["error"] == "unsupported_grant_type"
    problem(await client.post(TOKEN, data={"grant_type": "authorization_code"}), 400, "invalid_request")
    problem(await client.post(TOKEN, data={"grant_type": "refresh_token"}), 400, "invalid_request")
    missing = problem(await client.post(TOKEN, data={"scope": "x"}), 400, "invalid_request")  # RFC 6749 §5.2
    assert "form-encoded" not in missing["detail"]
    as_json = problem(await client.post(TOKEN, json={"grant_type": "client_credentials"}), 400, "invalid_request")
    assert "application/x-www-form-urlencoded" in as_json["detail"]  # the usual mistake, named
    problem(await client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": "x"}), 400, "invalid_grant")
    unauthenticated = await client.post(TOKEN, data={"grant_type": "client_credentials"})
    problem(unauthenticated, 401, "invalid_client")
    assert unauthenticated.headers["www-authenticate"].startswith("Basic")


async def test_sign_in_endpoints_are_rate_limited_per_address(app, client) -> None:
    original = app.state.login_limiter
    app.state.login_limiter = LoginRateLimiter("2/minute", "memory://", token_limit="3/minute")
    try:
        for _ in range(3):
            assert (await client.post("/oauth/revoke", data={"token": "x"})).status_code == 200
        limited = await client.post("/oauth/revoke", data={"token": "x"})
        problem(limited, 429, "rate_limited")
        assert int(limited.headers["retry-after"]) >= 1
        # browser logins count on their own, tighter bucket
        for _ in range(2):
            problem(await client.get("/auth/no-such-org/login"), 404, "organization_not_found")
        problem(await client.get("/auth/no-such-org/login"), 429, "rate_limited")
    finally:
        app.state.login_limiter = original


async def test_a_member_who_signed_in_without_a_profile_creates_their_own(client, uow_factory, issuer) -> None:
    org, _ = await new_org(uow_factory)
    user = (
        await identity.operator_user(uow_factory(), role=Role.ORG_ADMIN, org_slug=org.slug, email="neu@acme.example")
    ).user
    user.role = Role.MEMBER  # as single sign-on would provision someone in no mapped group
    async with uow_factory() as uow:
        await uow.users.save(user)
        grant = await signin.open_signin(uow, user, Lifetimes())
        await uow.commit()
    headers = {"Authorization": f"Bearer {issuer.issue(grant.caller)}"}
    assert (await client.get("/v1/me", headers=headers)).json()["person"] is None

    profile = {"display_name": "Nele Neu", "birth_year": 1996, "email": "someone.else@acme.example"}
    created = await client.post("/v1/people", json=profile, headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["email"] == "neu@acme.example"  # the login's address, not a chosen one
    assert (await client.get("/v1/me", headers=headers)).json()["person"]["id"] == created.json()["id"]
    problem(await client.post("/v1/people", json=profile, headers=headers), 409, "profile_exists")

    refreshed = (await _refresh(client, grant.refresh_token or "")).json()
    me = await client.get("/v1/me", headers={"Authorization": f"Bearer {refreshed['access_token']}"})
    assert me.json()["person"]["display_name"] == "Nele Neu"


async def test_crafted_credentials_are_refused_not_crashed_on(client) -> None:
    grant = {"grant_type": "client_credentials"}
    not_utf8 = {"Authorization": "Basic " + base64.b64encode(b"\xff\xfe:\xff").decode()}
    problem(await client.post(TOKEN, data=grant, headers=not_utf8), 401, "invalid_client")
    nul_basic = {"Authorization": "Basic " + base64.b64encode(b"ptn_%00:secret").decode()}
    problem(await client.post(TOKEN, data=grant, headers=nul_basic), 401, "invalid_client")
    nul_form = grant | {"client_id": "ptn_\x00", "client_secret": "secret"}
    problem(await client.post(TOKEN, data=nul_form), 401, "invalid_client")
    challenge = "%00" * 43
    problem(await client.get(f"/auth/acme/login?code_challenge={challenge}"), 422, "validation_failed")
    bad_verifier = {"grant_type": "authorization_code", "code": "x", "code_verifier": "\x00" * 43}
    problem(await client.post(TOKEN, data=bad_verifier), 400, "invalid_request")
