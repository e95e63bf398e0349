"""The OpenID Connect relying party: authorization code + PKCE (S256), state and nonce, RFC 9207
``iss`` checks, and id-token validation against the provider's keys.

authlib builds the authorization request (with its S256 challenge); httpx carries the token
request; joserfc verifies the id token. The allowed signature algorithms are the
asymmetric ones the provider announces: never ``none``, never an HMAC keyed with something
an attacker might know.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote_plus

import httpx
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwt import JWTClaimsRegistry

from app.domain.errors import BadRequest, DomainError, ProviderUnavailable, Unauthenticated
from app.domain.sso import NO_HINTS, LoginHints, ProviderIdentity, ProviderLogout, SsoConfig
from app.infra.oidc.metadata import ProviderDirectory, ProviderMetadata
from app.infra.oidc.url_guard import ensure_fetchable

ASYMMETRIC = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA")
BASE_SCOPES = ("openid", "email", "profile")
LEEWAY_SECONDS = 60
LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout"
MAX_LOGOUT_TOKEN_AGE_SECONDS = 600  # a replayed old token can only log someone out again, but need not


class OidcRelyingParty:
    """Implements the ``IdentityProviders`` port for every organization's provider."""

    def __init__(self, directory: ProviderDirectory) -> None:
        self.directory = directory

    async def authorization_url(
        self,
        config: SsoConfig,
        *,
        redirect_uri: str,
        state: str,
        nonce: str,
        code_verifier: str,
        hints: LoginHints = NO_HINTS,
    ) -> str:
        metadata = await self.directory.metadata(config.issuer)
        scopes = list(BASE_SCOPES)
        if metadata.supports("scopes_supported", config.role_claim):
            scopes.append(config.role_claim)  # e.g. "groups", when the provider has such a scope
        return str(
            prepare_grant_uri(
                metadata.endpoint("authorization_endpoint"),
                config.client_id,
                "code",
                redirect_uri=redirect_uri,
                scope=" ".join(scopes),
                state=state,
                nonce=nonce,
                code_challenge=create_s256_code_challenge(code_verifier),
                code_challenge_method="S256",
                **hints.parameters(),
            )
        )

    async def complete(
        self, config: SsoConfig, *, code: str, iss: str | None, redirect_uri: str, code_verifier: str, nonce: str
    ) -> ProviderIdentity:
        metadata = await self.directory.metadata(config.issuer)
        # RFC 9207: an answer from another tenant's provider (mix-up) names another issuer
        if iss is not None and iss != config.issuer:
            raise Unauthenticated("the authorization response comes from another issuer", code="issuer_mismatch")
        if iss is None and metadata.sends_iss:
            raise Unauthenticated("the authorization response lacks the iss parameter", code="issuer_missing")
        tokens = await self._exchange(config, metadata, code=code, redirect_uri=redirect_uri, verifier=code_verifier)
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str):
            raise Unauthenticated("the provider returned no id token", code="invalid_id_token")
        claims = await self._verified_claims(config, metadata, id_token, nonce)
        if "email" not in claims and isinstance(tokens.get("access_token"), str):
            claims = {**await self._userinfo(metadata, tokens["access_token"], claims["sub"]), **claims}
        return ProviderIdentity.from_claims(claims)

    async def _exchange(
        self, config: SsoConfig, metadata: ProviderMetadata, *, code: str, redirect_uri: str, verifier: str
    ) -> dict[str, Any]:
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
        }
        headers = {"Accept": "application/json"}
        methods = metadata.document.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        if "client_secret_basic" in methods:
            headers["Authorization"] = _basic_auth(config.client_id, config.client_secret)
        else:
            form |= {"client_id": config.client_id, "client_secret": config.client_secret}
        endpoint = metadata.endpoint("token_endpoint")
        await ensure_fetchable(endpoint, allow_private=self.directory.allow_private)  # again: DNS may have moved
        try:
            response = await self.directory.http.post(endpoint, data=form, headers=headers)
        except httpx.HTTPError as exc:
            raise ProviderUnavailable(f"the token endpoint did not answer: {exc}", code="provider_unreachable") from exc
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200 or not isinstance(body, dict):
            # only the provider's OAuth error code is repeated: statuses would map someone's network
            error = body.get("error") if isinstance(body, dict) else None
            reason = f": {error}" if isinstance(error, str) and error.isidentifier() else ""
            raise Unauthenticated(f"the provider refused the code{reason}", code="code_exchange_failed")
        return body

    async def verify_logout_token(self, config: SsoConfig, logout_token: str) -> ProviderLogout:
        """OpenID Connect Back-Channel Logout 1.0 §2.6: signed by the provider like its id tokens,
        for our client, recent, marked by the logout event and, unlike an id token, without nonce."""
        metadata = await self.directory.metadata(config.issuer)
        if _header(logout_token, _bad_logout_token).get("typ") not in (None, "JWT", "logout+jwt"):
            raise _bad_logout_token("this token is not a logout token")
        claims = await self._signed_claims(metadata, logout_token, _bad_logout_token)
        try:
            JWTClaimsRegistry(
                leeway=LEEWAY_SECONDS,
                iss={"essential": True, "value": config.issuer},
                aud={"essential": True, "value": config.client_id},
                iat={"essential": True},
                jti={"essential": True},
            ).validate(claims)
        except (JoseError, ValueError, KeyError, TypeError) as exc:
            raise _bad_logout_token(f"the logout token is not valid: {exc}") from exc
        events = claims.get("events")
        if not isinstance(events, dict) or not isinstance(events.get(LOGOUT_EVENT), dict) or "nonce" in claims:
            raise _bad_logout_token("the token carries no back-channel logout event")
        issued_at = claims["iat"]
        if not isinstance(issued_at, int | float) or time.time() - issued_at > MAX_LOGOUT_TOKEN_AGE_SECONDS:
            raise _bad_logout_token("the logout token is too old")
        subject = claims.get("sub")
        if not isinstance(subject, str) or not subject:
            # the spec allows sid alone; we end sessions per person, so we need to know who
            raise _bad_logout_token("the logout token must name the user (sub)")
        return ProviderLogout(subject)

    async def _signed_claims(self, metadata: ProviderMetadata, token: str, refuse: Refusal) -> dict[str, Any]:
        """The claims of a JWT the provider signed with one of its keys, in an algorithm it announces."""
        header = _header(token, refuse)
        announced = metadata.document.get("id_token_signing_alg_values_supported") or ["RS256"]
        allowed = [alg for alg in announced if alg in ASYMMETRIC]
        if header.get("alg") not in allowed:
            raise refuse("the token uses an algorithm we do not accept")
        keys = await self.directory.keys_for(metadata, header.get("kid"))
        try:
            return dict(jwt.decode(token, keys, algorithms=allowed).claims)
        except (JoseError, ValueError, KeyError, TypeError) as exc:
            raise refuse(f"the token's signature is not valid: {exc}") from exc

    async def _verified_claims(
        self, config: SsoConfig, metadata: ProviderMetadata, id_token: str, nonce: str
    ) -> dict[str, Any]:
        claims = await self._signed_claims(metadata, id_token, _bad_id_token)
        try:
            JWTClaimsRegistry(
                leeway=LEEWAY_SECONDS,
                iss={"essential": True, "value": config.issuer},
                aud={"essential": True, "value": config.client_id},
                sub={"essential": True},
                exp={"essential": True},
                iat={"essential": True},
                nonce={"essential": True, "value": nonce},
            ).validate(claims)
        except (JoseError, ValueError, KeyError, TypeError) as exc:
            raise Unauthenticated(f"the id token is not valid: {exc}", code="invalid_id_token") from exc
        audience = claims.get("aud")
        if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != config.client_id:
            raise Unauthenticated("the id token was issued to another party (azp)", code="invalid_id_token")
        return claims

    async def _userinfo(self, metadata: ProviderMetadata, access_token: str, subject: str) -> dict[str, Any]:
        endpoint = metadata.document.get("userinfo_endpoint")
        if not isinstance(endpoint, str):
            return {}
        await ensure_fetchable(endpoint, allow_private=self.directory.allow_private)
        try:
            response = await self.directory.http.get(endpoint, headers={"Authorization": f"Bearer {access_token}"})
            info = response.json() if response.status_code == 200 else {}
        except (httpx.HTTPError, ValueError):
            return {}
        # OpenID Connect Core §5.3.2: user info about anyone else must not be used
        return info if isinstance(info, dict) and info.get("sub") == subject else {}


# how a bad token is refused: a bad id token fails the login (401), a bad logout token is a bad
# request (400, Back-Channel Logout §2.8)
Refusal = Callable[[str], DomainError]


def _bad_id_token(detail: str) -> DomainError:
    return Unauthenticated(detail, code="invalid_id_token")


def _bad_logout_token(detail: str) -> DomainError:
    return BadRequest(detail, code="invalid_logout_token")


def _header(token: str, refuse: Refusal) -> dict[str, Any]:
    try:
        segment = token.split(".", 1)[0]
        header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, IndexError) as exc:
        raise refuse("the token is malformed") from exc
    if not isinstance(header, dict):
        raise refuse("the token is malformed")
    return header


def _basic_auth(client_id: str, client_secret: str) -> str:
    """RFC 6749 §2.3.1: client id and secret are form-encoded before Basic authentication."""
    pair = f"{quote_plus(client_id)}:{quote_plus(client_secret)}"
    return "Basic " + base64.b64encode(pair.encode()).decode()
