"""SCIM Groups' use cases: the identity provider's groups of the token's organization, and the
roles their membership gives through the organization's role mapping
(app.domain.provisioned_group). Members are the organization's provisioned users."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from app.domain.errors import Conflict, NotFound, RuleViolation
from app.domain.provisioned_group import ProvisionedGroup, role_from_groups
from app.domain.provisioning import Criteria, Match
from app.domain.user import User
from app.services import authz
from app.services.ports import UnitOfWork
from app.services.scim import MAX_PAGE


@dataclass(frozen=True, slots=True)
class GroupPage:
    total: int
    items: list[ProvisionedGroup]


@dataclass(frozen=True, slots=True)
class GroupState:
    """What the provider sends for a group (POST, PUT, or a PATCH applied to the current one)."""

    display_name: str
    external_id: str | None
    member_ids: tuple[UUID, ...]


async def get_group(uow: UnitOfWork, org_id: UUID, group_id: UUID) -> ProvisionedGroup:
    async with uow:
        return await _group(uow, org_id, group_id, lock=False)


async def list_groups(
    uow: UnitOfWork, org_id: UUID, criteria: Criteria | None, *, start_index: int, count: int
) -> GroupPage:
    async with uow:
        total, groups = await uow.scim_groups.matching(
            org_id, criteria, offset=max(start_index, 1) - 1, limit=min(max(count, 0), MAX_PAGE)
        )
        return GroupPage(total, groups)


async def create_group(uow: UnitOfWork, org_id: UUID, state: GroupState) -> ProvisionedGroup:
    group = ProvisionedGroup(org_id, state.display_name, state.external_id, state.member_ids)
    async with uow:
        await _ensure_name_free(uow, group, None)
        await _members(uow, org_id, group.member_ids)
        await uow.scim_groups.add(group)
        await _update_roles(uow, org_id, set(group.member_ids))
        await uow.commit()
    return group


async def replace_group(
    uow: UnitOfWork, org_id: UUID, group_id: UUID, state: GroupState, *, expected_version: int | None = None
) -> ProvisionedGroup:
    async with uow:
        group = await _group(uow, org_id, group_id, lock=True)
        authz.check_version(group, expected_version)
        touched = group.replace(state.display_name, state.external_id, state.member_ids)
        await _ensure_name_free(uow, group, group.id)
        await _members(uow, org_id, group.member_ids)
        await uow.scim_groups.save(group)
        await _update_roles(uow, org_id, touched)
        await uow.commit()
    return group


async def delete_group(uow: UnitOfWork, org_id: UUID, group_id: UUID) -> None:
    async with uow:
        group = await _group(uow, org_id, group_id, lock=True)
        await uow.scim_groups.remove(org_id, group.id)
        await _update_roles(uow, org_id, set(group.member_ids))
        await uow.commit()


async def _group(uow: UnitOfWork, org_id: UUID, group_id: UUID, *, lock: bool) -> ProvisionedGroup:
    group = await uow.scim_groups.get(org_id, group_id, for_update=lock)
    if group is None:
        raise NotFound("no such group of this organization", code="scim_group_not_found")
    return group


async def _ensure_name_free(uow: UnitOfWork, group: ProvisionedGroup, own: UUID | None) -> None:
    _, same = await uow.scim_groups.matching(group.org_id, Match("displayName", group.display_name), offset=0, limit=2)
    if any(g.id != own for g in same):
        raise Conflict("another group of the organization has this displayName", code="scim_group_exists")


async def _members(uow: UnitOfWork, org_id: UUID, member_ids: tuple[UUID, ...]) -> list[User]:
    """Members must be provisioned users of the organization (groups of groups are not kept)."""
    users = [await uow.users.get(member_id) for member_id in member_ids]
    strangers = [str(m) for m, u in zip(member_ids, users, strict=True) if u is None or u.org_id != org_id]
    if strangers:
        raise RuleViolation(
            f"not users of this organization: {', '.join(strangers[:5])}", code="invalid_value", field="members"
        )
    return [u for u in users if u is not None]


async def _update_roles(uow: UnitOfWork, org_id: UUID, user_ids: set[UUID]) -> None:
    """The touched members' roles, from all their groups' names; in the next token they get."""
    if not user_ids:
        return
    # a unit of work without the secret box has no SSO configurations: then no mapping applies
    config = await uow.sso_configs.get(org_id) if hasattr(uow, "sso_configs") else None
    for user_id in sorted(user_ids):
        user = await uow.users.get(user_id, for_update=True)
        if user is None or user.org_id != org_id:
            continue
        names = [g.display_name for g in await uow.scim_groups.of_member(org_id, user_id)]
        role = role_from_groups(config, names, user.role)
        if role is not user.role:
            user.role = role
            await uow.users.save(user)
