"""`tandem purge-logins`: expired sign-in records go, live ones stay."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.domain.access import Role
from app.domain.clock import utcnow
from app.domain.signin import LoginAttempt, LoginCode, RefreshToken, SignIn, digest, new_secret
from app.services import identity
from tests.factories import new_org

pytestmark = pytest.mark.db


async def test_purging_removes_only_what_can_never_be_used_again(uow_factory) -> None:
    org, _ = await new_org(uow_factory)
    user = (await identity.operator_user(uow_factory(), role=Role.ORG_ADMIN, org_slug=org.slug, email=None)).user
    now, past, future = utcnow(), utcnow() - timedelta(minutes=1), utcnow() + timedelta(minutes=10)
    live_session = SignIn(user_id=user.id, org_id=org.id, expires_at=future)
    dead_session = SignIn(user_id=user.id, org_id=org.id, expires_at=future, revoked_at=now)
    secrets = {name: new_secret() for name in ("old_attempt", "new_attempt", "old_code", "live", "dead")}
    async with uow_factory() as uow:
        for name, expires in (("old_attempt", past), ("new_attempt", future)):
            attempt = LoginAttempt(org.id, digest(secrets[name]), digest("b"), "n", "v", "https://t/cb", expires)
            await uow.signins.add_login_attempt(attempt)
        await uow.signins.add_login_code(LoginCode(digest(secrets["old_code"]), user.id, past))
        await uow.signins.add(live_session)
        await uow.signins.add(dead_session)
        await uow.signins.add_refresh_token(RefreshToken(digest(secrets["live"]), live_session.id, future))
        await uow.signins.add_refresh_token(RefreshToken(digest(secrets["dead"]), dead_session.id, past))
        await uow.commit()

    async with uow_factory() as uow:
        removed = await uow.signins.purge_expired(utcnow())
        await uow.commit()
    assert removed >= 3  # other tests' expired records may go too

    async with uow_factory() as uow:
        assert await uow.signins.take_login_attempt(digest(secrets["old_attempt"])) is None
        assert await uow.signins.take_login_attempt(digest(secrets["new_attempt"])) is not None
        assert await uow.signins.take_login_code(digest(secrets["old_code"])) is None
        assert await uow.signins.take_refresh_token(digest(secrets["dead"])) is None
        assert await uow.signins.take_refresh_token(digest(secrets["live"])) is not None
