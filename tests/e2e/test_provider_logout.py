"""Back-channel logout (OpenID Connect Back-Channel Logout 1.0) against a real ``tandem serve``
and a real provider: a logout token signed with the provider's own key ends the person's
Tandem sessions; tokens that are not exactly that are refused with 400 and end nothing.

The tokens are signed here with the provider's private key (the harness makes its keys), so
each way a logout token can be wrong is tested on its own, against the JWKS Tandem fetches
from the running provider.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from joserfc import jwt

from tests.e2e.sso import Tandem, configured, login
from tests.oidc.fixtures import OidcProviderFactory
from tests.oidc.harness import OidcProvider, new_signing_key

pytestmark = pytest.mark.db


def _logout_token(provider: OidcProvider, subject: str, **changes: Any) -> str:
    """A logout token as the provider sends it; ``changes`` replace claims (None removes one)."""
    claims = provider.logout_claims(sub=subject, sid=uuid.uuid4().hex) | changes
    return provider.sign({name: value for name, value in claims.items() if value is not None}, {"typ": "logout+jwt"})


def _signed_by_a_stranger(provider: OidcProvider, subject: str) -> str:
    stranger = new_signing_key()
    header = {"alg": "RS256", "kid": stranger.kid, "typ": "logout+jwt"}
    return jwt.encode(header, provider.logout_claims(sub=subject), stranger)


def _signed_in(tandem: Tandem, slug: str, account: str) -> dict[str, Any]:
    browser, callback = login(tandem, slug, account)
    done = browser.get(callback)
    assert done.status_code == 200, done.text
    tokens: dict[str, Any] = done.json()
    return tokens


def _me(tandem: Tandem, tokens: dict[str, Any]) -> int:
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    return httpx.get(f"{tandem.base}/v1/me", headers=headers).status_code


def _post(tandem: Tandem, slug: str, token: str) -> httpx.Response:
    return httpx.post(f"{tandem.base}/auth/{slug}/backchannel-logout", data={"logout_token": token})


def test_a_logout_at_the_provider_ends_every_tandem_session_of_that_person(
    oidc_provider_factory: OidcProviderFactory, tandem: Tandem
) -> None:
    provider, slug = configured(oidc_provider_factory, tandem)
    laptop, phone = _signed_in(tandem, slug, "alice"), _signed_in(tandem, slug, "alice")
    colleague = _signed_in(tandem, slug, "bob")
    assert _me(tandem, laptop) == _me(tandem, phone) == _me(tandem, colleague) == 200

    answered = _post(tandem, slug, _logout_token(provider, "alice"))
    assert answered.status_code == 200, answered.text
    assert answered.headers["cache-control"] == "no-store"

    assert _me(tandem, laptop) == _me(tandem, phone) == 401  # access tokens refused at once
    refreshed = httpx.post(
        f"{tandem.base}/oauth/token", data={"grant_type": "refresh_token", "refresh_token": laptop["refresh_token"]}
    )
    assert refreshed.status_code == 400 and refreshed.json()["code"] == "invalid_grant"
    assert _me(tandem, colleague) == 200  # someone else's sessions stay
    assert _me(tandem, _signed_in(tandem, slug, "alice")) == 200  # and alice may sign in again

    # a person who never signed in to Tandem: nothing to end, still a success for the provider
    assert _post(tandem, slug, _logout_token(provider, "nobody-here")).status_code == 200


def test_the_provider_itself_sends_the_logout_when_the_person_signs_out_there(
    oidc_provider_factory: OidcProviderFactory, tandem: Tandem
) -> None:
    provider, slug = configured(oidc_provider_factory, tandem)
    provider.restart(backchannel_logout_uri=f"{tandem.base}/auth/{slug}/backchannel-logout")
    browser, callback = login(tandem, slug, "alice")
    tokens = browser.get(callback).json()
    assert _me(tandem, tokens) == 200

    provider.end_session(browser)  # alice signs out at her company's provider
    assert [line.split()[1] for line in provider.backchannel_log()] == ["ok"], provider.read_log()
    assert _me(tandem, tokens) == 401


def test_a_one_time_code_not_yet_exchanged_dies_with_the_logout(
    oidc_provider_factory: OidcProviderFactory, tandem: Tandem
) -> None:
    provider, slug = configured(oidc_provider_factory, tandem, frontend_url="https://app.example.org/signed-in")
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    browser, callback = login(tandem, slug, "alice", query=f"?code_challenge={challenge}")
    code = parse_qs(urlsplit(browser.get(callback).headers["location"]).query)["code"][0]

    assert _post(tandem, slug, _logout_token(provider, "alice")).status_code == 200
    exchange = {"grant_type": "authorization_code", "code": code, "code_verifier": verifier}
    late = httpx.post(f"{tandem.base}/oauth/token", data=exchange)
    assert late.status_code == 400 and late.json()["error"] == "invalid_grant"


def test_tokens_that_are_not_a_valid_logout_token_are_refused(
    oidc_provider_factory: OidcProviderFactory, tandem: Tandem
) -> None:
    provider, slug = configured(oidc_provider_factory, tandem)
    alice = _signed_in(tandem, slug, "alice")
    wrong = {
        "another key": _signed_by_a_stranger(provider, "alice"),
        "another audience": _logout_token(provider, "alice", aud="someone-else"),
        "another issuer": _logout_token(provider, "alice", iss="http://127.0.0.1:1"),
        "no logout event": _logout_token(provider, "alice", events=None),
        "another event": _logout_token(provider, "alice", events={"urn:example:other": {}}),
        "a nonce (an id token)": _logout_token(provider, "alice", nonce="n"),
        "no jti": _logout_token(provider, "alice", jti=None),
        "no iat": _logout_token(provider, "alice", iat=None),
        "issued an hour ago": _logout_token(provider, "alice", iat=int(time.time()) - 3600),
        "expired": _logout_token(provider, "alice", exp=int(time.time()) - 3600),
        "only a sid": _logout_token(provider, "alice", sub=None),
        "not a JWT": "not-a-token",
    }
    for how, token in wrong.items():
        refused = _post(tandem, slug, token)
        assert refused.status_code == 400, f"{how}: {refused.status_code} {refused.text}"
        assert refused.json()["code"] == "invalid_logout_token", how
    assert _me(tandem, alice) == 200  # none of them ended anything

    # another organization's provider cannot end this organization's sessions
    other, other_slug = configured(oidc_provider_factory, tandem)
    assert _post(tandem, slug, _logout_token(other, "alice")).status_code == 400
    assert _post(tandem, other_slug, _logout_token(other, "alice")).status_code == 200
    assert _me(tandem, alice) == 200
