"""Tandem access tokens: short-lived JWTs (RFC 9068 ``at+jwt``) signed with ES256.

Verification pins the algorithm and the ``typ`` header and checks iss, aud, exp and nbf, so an
``alg: none`` or an HS256 token forged with the public key is refused. Keys come from the
key ring, so tokens signed by a key that is being rotated out stay valid until they expire.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet
from joserfc.jwt import JWTClaimsRegistry

from app.domain.access import Caller, Role
from app.infra.auth.keys import ALGORITHM, Keyring

TOKEN_TYPE = "at+jwt"  # noqa: S105  (a JOSE type, not a secret)


class InvalidToken(Exception):
    """The bearer token is missing, malformed, expired or not ours. Maps to 401."""


@dataclass(frozen=True, slots=True)
class TokenIssuer:
    keys: Keyring | ECKey  # a bare key is for tests that forge tokens with a key of their own
    issuer: str
    audience: str
    ttl_seconds: int

    def issue(self, caller: Caller, *, ttl_seconds: int | None = None) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": str(caller.user_id),
            "iat": now,
            "nbf": now,
            "exp": now + (ttl_seconds or self.ttl_seconds),
            "jti": uuid4().hex,
            "roles": [caller.role.value],
        }
        optional = {
            "org": caller.org_id,
            "person": caller.person_id,
            "partner": caller.partner_id,
            "sid": caller.signin_id,
            "cred": caller.credential,
        }
        claims.update({name: str(value) for name, value in optional.items() if value})
        if caller.scopes:
            claims["scope"] = " ".join(sorted(caller.scopes))  # RFC 9068: space-separated
        key = self.keys.signing_key() if isinstance(self.keys, Keyring) else self.keys
        header = {"alg": ALGORITHM, "typ": TOKEN_TYPE, "kid": key.kid}
        return jwt.encode(header, claims, key, algorithms=[ALGORITHM])


@dataclass(frozen=True, slots=True)
class TokenVerifier:
    """Verifies access tokens; a token verified lately is recognised without a second signature
    check (an ECDSA verification is the costliest step of an authenticated read).

    The memory is bounded in size and in time: an entry lives until the token expires or for
    ``remember_seconds``, whichever comes first, and it is forgotten whenever the key ring's
    public keys change (a key pruned is no longer honoured from its next rescan on). Logout and
    revocation do not depend on it: sign-ins are checked on every request.
    """

    keys: Keyring
    issuer: str
    audience: str
    leeway_seconds: int = 30
    remember_seconds: float = 60.0
    remember_at_most: int = 10_000
    _verified: dict[str, tuple[Caller, float]] = field(default_factory=dict, repr=False)
    _verified_with: list[object] = field(default_factory=lambda: [None], repr=False)

    def verify(self, token: str) -> Caller:
        now = time.time()
        key_set = self.keys.public_keys()
        if self._verified_with[0] is not key_set:
            self._verified.clear()
            self._verified_with[0] = key_set
        remembered = self._verified.get(token)
        if remembered is not None:
            caller, until = remembered
            if now < until:
                return caller
            del self._verified[token]
        caller, expires_at = self._verify_signed(token, key_set)
        if len(self._verified) >= self.remember_at_most:
            del self._verified[next(iter(self._verified))]  # the oldest entry
        self._verified[token] = (caller, min(expires_at + self.leeway_seconds, now + self.remember_seconds))
        return caller

    def _verify_signed(self, token: str, key_set: KeySet) -> tuple[Caller, float]:
        try:
            decoded = jwt.decode(token, key_set, algorithms=[ALGORITHM])
            if decoded.header.get("typ") != TOKEN_TYPE:
                raise InvalidToken("not an access token")
            JWTClaimsRegistry(
                leeway=self.leeway_seconds,
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.audience},
                exp={"essential": True},
                sub={"essential": True},
            ).validate(decoded.claims)
            return _caller_from(decoded.claims), float(decoded.claims["exp"])
        except (JoseError, ValueError, KeyError, TypeError) as exc:
            raise InvalidToken(str(exc) or type(exc).__name__) from exc


def _uuid(claims: dict[str, Any], name: str) -> UUID | None:
    value = claims.get(name)
    return UUID(value) if value else None


def _caller_from(claims: dict[str, Any]) -> Caller:
    roles = claims.get("roles") or []
    if len(roles) != 1:
        raise InvalidToken("a token carries exactly one role")
    role = Role(roles[0])
    org, partner = _uuid(claims, "org"), _uuid(claims, "partner")
    if role is Role.PARTNER:
        if not partner or org:
            raise InvalidToken("a partner token names its partner and no organization")
        if not isinstance(claims.get("cred"), str):
            raise InvalidToken("a partner token names the client secret it was issued for")
    elif partner:
        raise InvalidToken("only partner tokens name a partner")
    elif role is not Role.PLATFORM_ADMIN and not org:
        raise InvalidToken("an organization role needs the org claim")
    scope = claims.get("scope") or ""
    if not isinstance(scope, str):
        raise InvalidToken("scope must be a string")
    return Caller(
        user_id=UUID(claims["sub"]),
        role=role,
        org_id=org,
        person_id=_uuid(claims, "person"),
        partner_id=partner,
        scopes=frozenset(scope.split()),
        signin_id=_uuid(claims, "sid"),
        credential=claims.get("cred"),
    )
