"""Sign-in records: digests, PKCE, one-time use and expiry."""

from __future__ import annotations

import base64
import hashlib
from datetime import timedelta
from uuid import uuid4

from app.domain.clock import utcnow
from app.domain.signin import LoginAttempt, LoginCode, SignIn, digest, new_secret, pkce_matches


def _challenge(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def test_secrets_are_long_random_and_stored_as_digests() -> None:
    first, second = new_secret("rt_"), new_secret("rt_")
    assert first != second and first.startswith("rt_") and len(first) >= 43
    assert digest(first) == hashlib.sha256(first.encode()).hexdigest() and first not in digest(first)


def test_pkce_s256() -> None:
    verifier = new_secret()
    assert pkce_matches(verifier, _challenge(verifier))
    assert not pkce_matches(new_secret(), _challenge(verifier))


def test_a_login_attempt_needs_its_browser_its_organization_and_time() -> None:
    org, browser, now = uuid4(), new_secret(), utcnow()
    attempt = LoginAttempt(org, digest("state"), digest(browser), "n", "v", "https://t/cb", now + timedelta(minutes=10))
    assert attempt.usable(org, browser, now)
    assert not attempt.usable(org, None, now)
    assert not attempt.usable(org, new_secret(), now)
    assert not attempt.usable(uuid4(), browser, now)
    assert not attempt.usable(org, browser, now + timedelta(minutes=11))
    attempt.consumed_at = now
    assert not attempt.usable(org, browser, now)


def test_a_login_code_is_redeemable_once_in_time_and_with_its_verifier() -> None:
    now, verifier = utcnow(), new_secret()
    plain = LoginCode(digest("c"), uuid4(), now + timedelta(seconds=60))
    bound = LoginCode(digest("d"), uuid4(), now + timedelta(seconds=60), code_challenge=_challenge(verifier))
    assert plain.redeemable(None, now) and not plain.redeemable(None, now + timedelta(seconds=61))
    # a verifier for a code issued without a challenge: someone else started that login (login CSRF)
    assert not plain.redeemable(verifier, now)
    assert bound.redeemable(verifier, now) and not bound.redeemable(None, now)
    assert not bound.redeemable(new_secret(), now)
    plain.used_at = now
    assert not plain.redeemable(None, now)


def test_a_revoked_session_stays_revoked_for_its_first_reason() -> None:
    session = SignIn(user_id=uuid4(), expires_at=utcnow() + timedelta(days=1))
    assert session.active(utcnow())
    session.revoke("refresh_token_reuse")
    session.revoke("logout")
    assert not session.active(utcnow()) and session.revoked_reason == "refresh_token_reuse"
