"""Just-in-time provisioning when two first logins of one person interleave.

The e2e suite sends simultaneous logins and catches this window about one run in six; here the
other login commits exactly between the lookup by subject and the lookup by email, every time.
"""

from __future__ import annotations

from uuid import UUID

import pytest

from app.domain.errors import Conflict
from app.domain.sso import ProviderIdentity, SsoConfig
from app.domain.user import User
from app.services import sso_login
from tests.factories import new_org

pytestmark = pytest.mark.db


def _config(org_id: UUID) -> SsoConfig:
    return SsoConfig(org_id, "https://idp.example", "tandem", "secret", allowed_email_domains=("example.org",))


async def test_a_login_committed_between_the_two_lookups_is_the_same_account(uow_factory) -> None:
    org, _ = await new_org(uow_factory)
    config = _config(org.id)
    carla = ProviderIdentity(subject="carla-sub", email="carla@example.org", email_verified=True, name="Carla")

    async with uow_factory() as uow:
        lookup = uow.users.find_by_subject

        async def miss_then_let_the_other_login_commit(org_id: UUID, subject: str) -> User | None:
            found = await lookup(org_id, subject)
            async with uow_factory() as other:
                await sso_login._provision(other, org, config, carla, "carla@example.org")
                await other.commit()
            return found

        uow.users.find_by_subject = miss_then_let_the_other_login_commit  # type: ignore[method-assign]
        user = await sso_login._provision(uow, org, config, carla, "carla@example.org")
        await uow.commit()

    async with uow_factory() as uow:
        stored = await uow.users.find_by_subject(org.id, "carla-sub")
        by_email = await uow.users.find(org.id, "carla@example.org")
    assert stored is not None and by_email is not None
    assert stored.id == by_email.id == user.id  # one account, updated by the later login


async def test_another_subject_with_that_email_is_still_refused(uow_factory) -> None:
    org, _ = await new_org(uow_factory)
    config = _config(org.id)
    first = ProviderIdentity(subject="first", email="dana@example.org", email_verified=True, name="Dana")
    second = ProviderIdentity(subject="second", email="dana@example.org", email_verified=True, name="Dana?")
    async with uow_factory() as uow:
        await sso_login._provision(uow, org, config, first, "dana@example.org")
        await uow.commit()
    async with uow_factory() as uow:
        with pytest.raises(Conflict) as refused:
            await sso_login._provision(uow, org, config, second, "dana@example.org")
    assert refused.value.code == "email_in_use"
