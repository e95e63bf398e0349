"""Tandem access tokens: short-lived JWTs (RFC 9068 ``at+jwt``) signed with ES256.

Verification pins the algorithm and the ``typ`` header and checks iss, aud, exp and nbf, so an
``alg: none`` or an HS256 token forged with the public key is refused.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, KeySet
from joserfc.jwt import JWTClaimsRegistry

from app.domain.access import Caller, Role
from app.infra.auth.keys import ALGORITHM

TOKEN_TYPE = "at+jwt"  # noqa: S105  (a JOSE type, not a secret)


class InvalidToken(Exception):
    """The bearer token is missing, malformed, expired or not ours. Maps to 401."""


@dataclass(frozen=True, slots=True)
class TokenIssuer:
    key: ECKey
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
        if caller.org_id:
            claims["org"] = str(caller.org_id)
        if caller.person_id:
            claims["person"] = str(caller.person_id)
        header = {"alg": ALGORITHM, "typ": TOKEN_TYPE, "kid": self.key.kid}
        return jwt.encode(header, claims, self.key, algorithms=[ALGORITHM])


@dataclass(frozen=True, slots=True)
class TokenVerifier:
    keys: KeySet
    issuer: str
    audience: str
    leeway_seconds: int = 30

    def verify(self, token: str) -> Caller:
        try:
            decoded = jwt.decode(token, self.keys, algorithms=[ALGORITHM])
            if decoded.header.get("typ") != TOKEN_TYPE:
                raise InvalidToken("not an access token")
            JWTClaimsRegistry(
                leeway=self.leeway_seconds,
                iss={"essential": True, "value": self.issuer},
                aud={"essential": True, "value": self.audience},
                exp={"essential": True},
                sub={"essential": True},
            ).validate(decoded.claims)
            return _caller_from(decoded.claims)
        except (JoseError, ValueError, KeyError, TypeError) as exc:
            raise InvalidToken(str(exc) or type(exc).__name__) from exc


def _caller_from(claims: dict[str, Any]) -> Caller:
    roles = claims.get("roles") or []
    if len(roles) != 1:
        raise InvalidToken("a token carries exactly one role")
    org = claims.get("org")
    person = claims.get("person")
    role = Role(roles[0])
    if role is not Role.PLATFORM_ADMIN and not org:
        raise InvalidToken("an organization role needs the org claim")
    return Caller(
        user_id=UUID(claims["sub"]),
        role=role,
        org_id=UUID(org) if org else None,
        person_id=UUID(person) if person else None,
    )
