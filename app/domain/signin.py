"""Sign-in state: login attempts at a provider, one-time login codes, and sign-ins whose
rotating refresh tokens detect reuse.

Secrets (state, codes, refresh tokens) are never stored: only their SHA-256 digests are. They
are long random strings, so a fast hash is enough; a slow password hash would add nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from app.domain.clock import utcnow


def new_secret(prefix: str = "") -> str:
    """A 256-bit random string, URL-safe, optionally tagged (``rt_``) so leaked ones are recognizable."""
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def pkce_matches(code_verifier: str, code_challenge: str) -> bool:
    """RFC 7636 S256: BASE64URL(SHA256(verifier)) without padding equals the challenge."""
    computed = base64.urlsafe_b64encode(hashlib.sha256(code_verifier.encode()).digest()).rstrip(b"=").decode()
    return hmac.compare_digest(computed, code_challenge)


@dataclass(eq=False)
class LoginAttempt:
    """One authorization request sent to an organization's provider, awaiting its callback.

    ``browser_digest`` binds it to the browser that started it (a cookie), so a state value
    alone, replayed or planted in another browser, does not complete a login.
    """

    org_id: UUID
    state_digest: str
    browser_digest: str
    nonce: str
    code_verifier: str
    redirect_uri: str
    expires_at: datetime
    client_code_challenge: str | None = None  # a front end's own PKCE challenge for the one-time code
    consumed_at: datetime | None = None
    created_at: datetime = field(default_factory=utcnow)

    def usable(self, org_id: UUID, browser_secret: str | None, now: datetime) -> bool:
        return (
            self.consumed_at is None
            and now < self.expires_at
            and self.org_id == org_id
            and browser_secret is not None
            and hmac.compare_digest(self.browser_digest, digest(browser_secret))
        )


@dataclass(eq=False)
class LoginCode:
    """A one-time code a front end exchanges for tokens, so that no token travels in a URL."""

    code_digest: str
    user_id: UUID
    expires_at: datetime
    code_challenge: str | None = None
    used_at: datetime | None = None

    def redeemable(self, code_verifier: str | None, now: datetime) -> bool:
        if self.used_at is not None or now >= self.expires_at:
            return False
        if self.code_challenge is None:
            # a verifier for a code issued without a challenge means someone else started this login
            return code_verifier is None
        return code_verifier is not None and pkce_matches(code_verifier, self.code_challenge)


@dataclass(eq=False)
class SignIn:
    """A family of refresh tokens from one sign-in. Revoking it ends every token of the family."""

    user_id: UUID
    expires_at: datetime
    org_id: UUID | None = None
    id: UUID = field(default_factory=uuid4)
    revoked_at: datetime | None = None
    revoked_reason: str | None = None
    created_at: datetime = field(default_factory=utcnow)

    def active(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at

    def revoke(self, reason: str, now: datetime | None = None) -> None:
        if self.revoked_at is None:
            self.revoked_at = now or utcnow()
            self.revoked_reason = reason


@dataclass(eq=False)
class RefreshToken:
    """One refresh token of a session. Used once: presenting it again is reuse (theft)."""

    token_digest: str
    signin_id: UUID
    expires_at: datetime
    used_at: datetime | None = None
    issued_at: datetime = field(default_factory=utcnow)


@dataclass(frozen=True, slots=True)
class Lifetimes:
    login_attempt: timedelta = timedelta(minutes=10)
    login_code: timedelta = timedelta(seconds=60)
    refresh_token: timedelta = timedelta(days=14)
    signin: timedelta = timedelta(days=30)  # absolute: a stolen family dies at the latest here
