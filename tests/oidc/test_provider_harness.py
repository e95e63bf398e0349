"""The OpenID provider harness on its own: a relying party built from authlib and joserfc, no Tandem app."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from joserfc import jwt
from joserfc.jwk import KeySet

from tests.oidc.fixtures import OidcProviderFactory
from tests.oidc.harness import (
    BACKCHANNEL_LOGOUT_EVENT,
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


def sign_in(
    provider: OidcProvider, login: str, scope: str = SCOPE, browser: httpx.Client | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run the code flow with PKCE as a relying party; return the validated ID token's header and claims.

    ``browser`` keeps the provider's session for later (``end_session``); a fresh one is used by default.
    """
    token = sign_in_raw(provider, login, scope, browser)
    return validate_id_token(provider, token["id_token"], token["nonce"])


def sign_in_raw(
    provider: OidcProvider, login: str, scope: str = SCOPE, browser: httpx.Client | None = None
) -> dict[str, str]:
    """Run the code flow with PKCE; return the token response, with the ``nonce`` that was sent added."""
    metadata = provider.metadata()
    verifier, nonce = generate_token(48), generate_token(20)
    with relying_party(provider, scope) as rp:
        url, state = rp.create_authorization_url(
            metadata["authorization_endpoint"], code_verifier=verifier, nonce=nonce
        )
        if browser is None:
            with httpx.Client() as fresh:
                callback = browser_login(fresh, url, login=login)
        else:
            callback = browser_login(browser, url, login=login)
        assert callback.headers["location"].startswith(DEFAULT_REDIRECT_URI + "?")
        params = callback_params(callback)
        assert params["state"] == state
        assert params["iss"] == provider.issuer  # RFC 9207
        token = rp.fetch_token(metadata["token_endpoint"], code=params["code"], code_verifier=verifier)
    return {**token, "nonce": nonce}


def validate_id_token(provider: OidcProvider, raw: str, nonce: str) -> tuple[dict[str, Any], dict[str, Any]]:
    jwks = httpx.get(provider.jwks_uri).json()
    id_token = jwt.decode(raw, KeySet.import_key_set(jwks), algorithms=["RS256"])
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


# ---------------------------------------------------------------------------------------------
# back-channel logout


@dataclass
class Received:
    path: str
    content_type: str
    form: dict[str, list[str]]


class LogoutReceiver:
    """A relying party's backchannel_logout_uri on loopback: records each POST, answers ``status``."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0"))).decode()
                receiver.received.append(Received(self.path, self.headers.get("content-type", ""), parse_qs(body)))
                self.send_response(receiver.status)
                self.send_header("cache-control", "no-store")
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/backchannel-logout"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def logout_receiver() -> Iterator[LogoutReceiver]:
    receiver = LogoutReceiver()
    yield receiver
    receiver.close()


def decode_logout_token(provider: OidcProvider, raw: str) -> tuple[dict[str, Any], dict[str, Any]]:
    token = jwt.decode(raw, KeySet.import_key_set(httpx.get(provider.jwks_uri).json()), algorithms=["RS256"])
    return token.header, token.claims


def test_end_session_sends_a_logout_token(
    oidc_provider_factory: OidcProviderFactory, logout_receiver: LogoutReceiver
) -> None:
    provider = oidc_provider_factory(backchannel_logout_uri=logout_receiver.url)
    metadata = provider.metadata()
    assert metadata["backchannel_logout_supported"] is True
    assert metadata["backchannel_logout_session_supported"] is True
    assert metadata["end_session_endpoint"] == f"{provider.issuer}/session/end"

    with httpx.Client() as browser:
        _, id_claims = sign_in(provider, "alice", browser=browser)
        sid = id_claims["sid"]
        assert logout_receiver.received == []

        answer = provider.end_session(browser)

    assert answer.headers["location"] == f"{provider.issuer}/session/end/success"
    # the provider answered after the back-channel request: nothing to wait for
    assert provider.backchannel_log() == [f"BACKCHANNEL ok {provider.client_id} alice {sid}"]
    [received] = logout_receiver.received
    assert received.path == "/backchannel-logout"
    assert received.content_type == "application/x-www-form-urlencoded"
    assert list(received.form) == ["logout_token"]

    header, claims = decode_logout_token(provider, received.form["logout_token"][0])
    assert header == {"alg": "RS256", "typ": "logout+jwt", "kid": provider.signing_kid}
    assert claims["iss"] == provider.issuer
    assert claims["aud"] == provider.client_id
    assert claims["sub"] == "alice"
    assert claims["sid"] == sid
    assert claims["events"] == {BACKCHANNEL_LOGOUT_EVENT: {}}
    assert "nonce" not in claims
    assert claims["exp"] - claims["iat"] == 120
    assert set(claims) == set(provider.logout_claims(sub="alice", sid=sid))

    # the provider session is gone: the next login asks for the login again, and logs nobody out
    with relying_party(provider) as rp:
        url, _ = rp.create_authorization_url(
            metadata["authorization_endpoint"], code_verifier=generate_token(48), nonce="n"
        )
    with httpx.Client() as browser:
        callback_params(browser_login(browser, url, login="bob"))
        provider.end_session(browser)
        provider.end_session(browser)  # no session left
    assert len(logout_receiver.received) == 2
    _, claims = decode_logout_token(provider, logout_receiver.received[1].form["logout_token"][0])
    assert claims["sub"] == "bob"


def test_end_session_with_an_id_token_hint_and_a_failing_relying_party(
    oidc_provider_factory: OidcProviderFactory, logout_receiver: LogoutReceiver
) -> None:
    provider = oidc_provider_factory(backchannel_logout_uri=logout_receiver.url)
    logout_receiver.status = 500
    with httpx.Client() as browser:
        token = sign_in_raw(provider, "alice", browser=browser)
        _, id_claims = validate_id_token(provider, token["id_token"], token["nonce"])
        provider.end_session(browser, id_token_hint=token["id_token"])
    assert len(logout_receiver.received) == 1
    [line] = provider.backchannel_log()
    assert line.startswith(f"BACKCHANNEL error {provider.client_id} alice {id_claims['sid']} expected 200 OK")
    assert "500" in line


def test_sid_only_with_session_required_logout(
    oidc_provider_factory: OidcProviderFactory, logout_receiver: LogoutReceiver
) -> None:
    provider = oidc_provider_factory()
    _, claims = sign_in(provider, "alice")
    assert "sid" not in claims

    provider.restart(backchannel_logout_uri=logout_receiver.url, backchannel_logout_session_required=False)
    with httpx.Client() as browser:
        _, claims = sign_in(provider, "alice", browser=browser)
        assert "sid" not in claims
        provider.end_session(browser)
    [received] = logout_receiver.received
    _, logout_claims = decode_logout_token(provider, received.form["logout_token"][0])
    assert "sid" not in logout_claims
    assert logout_claims["sub"] == "alice"

    provider.restart(backchannel_logout_session_required=True)
    assert provider.backchannel_logout_uri == logout_receiver.url
    _, claims = sign_in(provider, "alice")
    assert isinstance(claims["sid"], str)

    provider.restart(backchannel_logout_uri=None)
    _, claims = sign_in(provider, "alice")
    assert "sid" not in claims
    assert "backchannel_logout_uri" not in provider.config_path.read_text()


def test_sign_forges_tokens_with_the_provider_key(oidc_provider_factory: OidcProviderFactory) -> None:
    provider = oidc_provider_factory()
    claims = provider.logout_claims(sub="alice", sid="some-sid")
    del claims["events"]
    claims["nonce"] = "n"
    raw = provider.sign(claims, {"typ": "logout+jwt"})
    header, decoded = decode_logout_token(provider, raw)
    assert header == {"alg": "RS256", "kid": provider.signing_kid, "typ": "logout+jwt"}
    assert decoded == claims
    assert decoded["iss"] == provider.issuer and decoded["aud"] == provider.client_id
