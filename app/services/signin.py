"""Sign-in sessions: start one for a user, refresh it with rotating refresh tokens, revoke it.

A refresh token is used once. Presenting a used one means two parties hold it (one of them a
thief), so the whole session is revoked: every refresh token and, through ``sid``, every access
token of it. The API signs access tokens for the callers returned here.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from app.domain.access import Caller
from app.domain.clock import utcnow
from app.domain.errors import BadRequest, PermissionDenied
from app.domain.signin import Lifetimes, LoginCode, RefreshToken, SignIn, digest, new_secret
from app.domain.user import User
from app.services.ports import UnitOfWork

REFRESH_PREFIX = "rt_"
INVALID_GRANT = "invalid_grant"


@dataclass(frozen=True, slots=True)
class Grant:
    """What a token response carries, before the access token is signed."""

    caller: Caller
    refresh_token: str | None = None


def _invalid(detail: str) -> BadRequest:
    return BadRequest(detail, code=INVALID_GRANT)


async def open_signin(uow: UnitOfWork, user: User, lifetimes: Lifetimes) -> Grant:
    """Inside the caller's transaction: a new session with its first refresh token."""
    now = utcnow()
    signin = SignIn(user_id=user.id, org_id=user.org_id, expires_at=now + lifetimes.signin)
    await uow.signins.add(signin)
    return Grant(user.as_caller(signin_id=signin.id), await _new_refresh_token(uow, signin, lifetimes))


async def _new_refresh_token(uow: UnitOfWork, signin: SignIn, lifetimes: Lifetimes) -> str:
    secret = new_secret(REFRESH_PREFIX)
    expires_at = min(utcnow() + lifetimes.refresh_token, signin.expires_at)
    await uow.signins.add_refresh_token(RefreshToken(digest(secret), signin.id, expires_at))
    return secret


async def issue_login_code(uow: UnitOfWork, user: User, lifetimes: Lifetimes, code_challenge: str | None) -> str:
    """Inside the caller's transaction: a one-time code for the front end (no token in a URL)."""
    secret = new_secret()
    code = LoginCode(digest(secret), user.id, utcnow() + lifetimes.login_code, code_challenge)
    await uow.signins.add_login_code(code)
    return secret


async def redeem_login_code(uow: UnitOfWork, code: str, code_verifier: str | None, lifetimes: Lifetimes) -> Grant:
    async with uow:
        login_code = await uow.signins.take_login_code(digest(code))
        if login_code is None or not login_code.redeemable(code_verifier, utcnow()):
            raise _invalid("the code is unknown, used, expired or its code_verifier does not match")
        await uow.signins.use_login_code(login_code.code_digest, utcnow())
        user = await uow.users.get(login_code.user_id)
        if user is None:
            raise _invalid("the user of this code no longer exists")
        grant = await open_signin(uow, user, lifetimes)
        await uow.commit()
    return grant


async def refresh(uow: UnitOfWork, refresh_token: str, lifetimes: Lifetimes) -> Grant:
    """Rotate: the presented token is spent, a new one of the same session is returned."""
    now = utcnow()
    async with uow:
        token = await uow.signins.take_refresh_token(digest(refresh_token))
        if token is None:
            raise _invalid("unknown refresh token")
        signin = await uow.signins.get(token.signin_id, for_update=True)
        if signin is None or not signin.active(now) or now >= token.expires_at:
            raise _invalid("the refresh token has expired or was revoked")
        if token.used_at is not None:
            signin.revoke("refresh_token_reuse", now)
            await uow.signins.save(signin)
            await uow.commit()  # the revocation stands although the request fails
            raise _invalid("the refresh token was already used: the session is revoked")
        await uow.signins.use_refresh_token(token.token_digest, now)
        user = await uow.users.get(signin.user_id)
        if user is None:
            raise _invalid("the user of this session no longer exists")
        successor = await _new_refresh_token(uow, signin, lifetimes)
        await uow.commit()
    # the access token reflects the user's current role and profile, not those at login
    return Grant(user.as_caller(signin_id=signin.id), successor)


async def revoke_token(uow: UnitOfWork, token: str) -> None:
    """RFC 7009: revoke the session of a refresh token. Unknown tokens are silently ignored."""
    async with uow:
        found = await uow.signins.take_refresh_token(digest(token))
        if found is not None:
            await _end_signin(uow, found.signin_id, "revoked")


async def log_out(uow: UnitOfWork, caller: Caller) -> None:
    """End the caller's sign-in. Operator and partner tokens have none to end."""
    if caller.signin_id is None:
        raise PermissionDenied("this token does not belong to a sign-in", code="no_signin")
    async with uow:
        await _end_signin(uow, caller.signin_id, "logout", owner=caller.user_id)


async def _end_signin(uow: UnitOfWork, signin_id: UUID, reason: str, owner: UUID | None = None) -> None:
    """Inside the caller's transaction: revoke the session (of ``owner``, when given) and commit."""
    signin = await uow.signins.get(signin_id, for_update=True)
    if signin is not None and owner in (None, signin.user_id):
        signin.revoke(reason)
        await uow.signins.save(signin)
        await uow.commit()


async def signin_is_active(uow: UnitOfWork, signin_id: UUID) -> bool:
    async with uow:
        signin = await uow.signins.get(signin_id)
    return signin is not None and signin.active(utcnow())
