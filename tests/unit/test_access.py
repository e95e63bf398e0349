"""Callers: roles and tenant membership."""

from __future__ import annotations

import pytest

from app.domain.access import Caller, Role
from tests.unit.builders import ORG_ID, OTHER_ORG_ID, an_id


def test_a_platform_admin_is_in_every_organization() -> None:
    admin = Caller(user_id=an_id(), role=Role.PLATFORM_ADMIN)
    assert admin.is_platform_admin
    assert admin.in_org(ORG_ID)
    assert admin.in_org(OTHER_ORG_ID)


@pytest.mark.parametrize("role", [Role.ORG_ADMIN, Role.PROGRAM_MANAGER, Role.MEMBER], ids=str)
def test_everyone_else_is_only_in_their_own_organization(role: Role) -> None:
    caller = Caller(user_id=an_id(), role=role, org_id=ORG_ID)
    assert not caller.is_platform_admin
    assert caller.in_org(ORG_ID)
    assert not caller.in_org(OTHER_ORG_ID)


@pytest.mark.parametrize(
    ("role", "manages"),
    [(Role.ORG_ADMIN, True), (Role.PROGRAM_MANAGER, True), (Role.MEMBER, False), (Role.PLATFORM_ADMIN, False)],
    ids=str,
)
def test_org_admins_and_program_managers_manage_their_organization(role: Role, manages: bool) -> None:
    assert Caller(user_id=an_id(), role=role, org_id=ORG_ID).manages_org is manages
