"""The OpenID provider harness on its own: a relying party built from authlib and joserfc, no Tandem app."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import httpx
import pytest
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.oidc.fixtures import OidcProviderFactory
from tests.oidc.harness import (
    DEFAULT_REDIRECT_URI,
    Account,
    OidcProvider,
    OidcProviderError,
    browser_login,
    callback_params,
)

SCOPE = "openid email profile"


def relying_party(provider: OidcProvider, scope: str = SCOPE) -> OAuth2Client:
    return OAuth2Client(
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        token_endpoint_auth_method="client_secret_basic",
        scope=scope,
        redirect_uri=DEFAULT_REDIRECT_URI,
        code_challenge_method="S256",
    )


def sign_in(provider: OidcProvider, login: str, scope: str = SCOPE) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run the code flow with PKCE as a relying party; return the validated ID token's header and claims."""
    metadata = provider.metadata()
    verifier, nonce = generate_token(48), generate_token(20)
    with relying_party(provider, scope) as rp:
        url, state = rp.create_authorization_url(
            metadata["authorization_endpoint"], code_verifier=verifier, nonce=nonce
        )
        with httpx.Client() as browser:
            callback = browser_login(browser, url, login=login)
        assert callback.headers["location"].startswith(DEFAULT_REDIRECT_URI + "?")
        params = callback_params(callback)
        assert params["state"] == state
        assert params["iss"] == provider.issuer  # RFC 9207
        token = rp.fetch_token(metadata["token_endpoint"], code=params["code"], code_verifier=verifier)

    jwks = httpx.get(metadata["jwks_uri"]).json()
    id_token = jwt.decode(token["id_token"], KeySet.import_key_set(jwks), algorithms=["RS256"])
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": provider.issuer},
        aud={"essential": True, "value": provider.client_id},
        nonce={"essential": True, "value": nonce},
        exp={"essential": True},
        sub={"essential": True},
    ).validate(id_token.claims)
    assert id_token.header["kid"] in {key["kid"] for key in jwks["keys"]}
    return id_token.header, id_token.claims


def test_discovery_advertises_the_harness_settings(oidc_provider_factory: OidcProviderFactory) -> None:
    provider = oidc_provider_factory()
    metadata = provider.metadata()
    assert metadata["issuer"] == provider.issuer == f"http://127.0.0.1:{provider.port}"
    assert metadata["authorization_response_iss_parameter_supported"] is True
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert {"openid", "email", "profile", "groups"} <= set(metadata["scopes_supported"])
    assert {"email", "email_verified", "name", "groups"} <= set(metadata["claims_supported"])
    assert httpx.get(provider.jwks_uri).json() == provider.public_jwks()


def test_code_flow_with_pkce_then_key_rotation(oidc_provider_factory: OidcProviderFactory) -> None:
    provider = oidc_provider_factory()
    port = provider.port

    header, claims = sign_in(provider, "alice")
    assert claims["sub"] == "alice"
    assert claims["email"] == "alice@example.org"
    assert claims["email_verified"] is True
    assert claims["name"] == "Alice Example"
    assert claims["groups"] == ["mentors", "staff"]
    assert header["kid"] == provider.signing_kid

    old_kid = header["kid"]
    new_kid = provider.rotate_keys()
    assert provider.port == port
    assert [key["kid"] for key in httpx.get(provider.jwks_uri).json()["keys"]] == [new_kid]

    header, claims = sign_in(provider, "alice")
    assert header["kid"] == new_kid != old_kid
    assert claims["groups"] == ["mentors", "staff"]

    kept_kid = provider.rotate_keys(keep_old=True)
    assert [key["kid"] for key in httpx.get(provider.jwks_uri).json()["keys"]] == [kept_kid, new_kid]
    header, _ = sign_in(provider, "alice")
    assert header["kid"] == kept_kid


def test_groups_scope_alone_and_accounts_of_the_caller(oidc_provider_factory: OidcProviderFactory) -> None:
    provider = oidc_provider_factory(
        accounts=[{"sub": "carol-1", "email": "carol@example.org", "name": "Carol", "groups": ["admins"]}]
    )
    provider.add_account(Account(sub="dave", email="dave@example.org", name="Dave", email_verified=False))

    _, claims = sign_in(provider, "carol-1", scope="openid groups")
    assert claims["groups"] == ["admins"]
    assert "email" not in claims and "name" not in claims

    _, claims = sign_in(provider, "dave")
    assert claims["email_verified"] is False
    assert claims["groups"] == []


def test_providers_of_one_factory_are_separate(oidc_provider_factory: OidcProviderFactory) -> None:
    first, second = oidc_provider_factory(), oidc_provider_factory(client_id="other")
    assert first.port != second.port
    assert first.signing_kid != second.signing_kid
    assert second.metadata()["issuer"] == second.issuer


def test_pkce_is_required(oidc_provider_factory: OidcProviderFactory) -> None:
    provider = oidc_provider_factory()
    with OAuth2Client(provider.client_id, provider.client_secret, scope=SCOPE, redirect_uri=DEFAULT_REDIRECT_URI) as rp:
        url, _ = rp.create_authorization_url(provider.metadata()["authorization_endpoint"], nonce="n")
    with httpx.Client() as browser:
        params = callback_params(browser_login(browser, url, login="alice"))
    assert params["error"] == "invalid_request"
    assert "PKCE" in params["error_description"]
    assert params["iss"] == provider.issuer


def test_an_unknown_login_is_refused(oidc_provider_factory: OidcProviderFactory) -> None:
    provider = oidc_provider_factory()
    with relying_party(provider) as rp:
        url, _ = rp.create_authorization_url(
            provider.metadata()["authorization_endpoint"], code_verifier=generate_token(48), nonce="n"
        )
    with httpx.Client() as browser, pytest.raises(OidcProviderError, match="login again"):
        browser_login(browser, url, login="mallory")


def test_the_email_is_a_login_too(oidc_provider_factory: OidcProviderFactory) -> None:
    provider = oidc_provider_factory()
    _, claims = sign_in(provider, "Bob@Example.org")
    assert claims["sub"] == "bob"
    assert claims["groups"] == ["mentees"]


def test_a_failed_start_shows_the_log(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        provider = OidcProvider(workdir=tmp_path, port=taken.getsockname()[1], startup_timeout=10)
        try:
            with pytest.raises(OidcProviderError, match="exited with code 1") as failure:
                provider.start()
        finally:
            provider.stop()
    assert str(provider.log_path) in str(failure.value)
    assert "EADDRINUSE" in str(failure.value)
    assert not provider.running
