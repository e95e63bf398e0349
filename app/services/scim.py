"""SCIM provisioning's use cases: the organization's identity provider creates, updates,
deactivates and deletes its people's accounts (RFC 7644 Users), authenticated by a SCIM token.

A provisioned user is a Tandem user account of the token's organization, bound to the person
whose profile it feeds. An account that single sign-on (or an operator) made first is the same
account: it is adopted by its sign-in address, as single sign-on adopts one by a verified
address, so a person never has two. ``active: false`` and DELETE deactivate (app.domain.deactivation);
DELETE also ends the provider's record and the user's group memberships, so the account is no
SCIM resource any more, while the profile and its history stay until someone erases them.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from app.domain import deactivation
from app.domain.access import Role
from app.domain.clock import utcnow
from app.domain.errors import Conflict, NotFound
from app.domain.person import Person
from app.domain.provisioned_group import role_from_groups
from app.domain.provisioning import UNADDRESSED_DOMAIN, Criteria, Match, ProvisionedAccount, apply_to
from app.domain.user import User
from app.services import authz, scim_tokens
from app.services.ports import UnitOfWork

MAX_PAGE = 200  # ServiceProviderConfig's filter.maxResults


@dataclass(frozen=True, slots=True)
class ProvisionedUser:
    user: User
    person: Person | None

    @property
    def account(self) -> ProvisionedAccount:
        assert self.user.provisioned is not None  # only provisioned users are loaded as such
        return self.user.provisioned


@dataclass(frozen=True, slots=True)
class UserPage:
    total: int
    items: list[ProvisionedUser]


async def organization_of(uow: UnitOfWork, secret: str) -> UUID | None:
    """The organization a SCIM request's bearer secret provisions, or None (unknown or revoked)."""
    return await scim_tokens.organization_of(uow, secret)


async def get_user(uow: UnitOfWork, org_id: UUID, user_id: UUID) -> ProvisionedUser:
    async with uow:
        user = await _provisioned(uow, org_id, user_id, lock=False)
        return ProvisionedUser(user, await _person_of(uow, user))


async def list_users(
    uow: UnitOfWork, org_id: UUID, criteria: Criteria | None, *, start_index: int, count: int
) -> UserPage:
    """``start_index`` is 1-based (RFC 7644 §3.4.2.4); ``count`` is capped at MAX_PAGE."""
    async with uow:
        total, users = await uow.users.provisioned(
            org_id, criteria, offset=max(start_index, 1) - 1, limit=min(max(count, 0), MAX_PAGE)
        )
        people = {p.id: p for p in await uow.people.get_many(org_id, [u.person_id for u in users if u.person_id])}
        return UserPage(total, [ProvisionedUser(u, people.get(u.person_id) if u.person_id else None) for u in users])


async def create_user(uow: UnitOfWork, org_id: UUID, account: ProvisionedAccount, *, active: bool) -> ProvisionedUser:
    async with uow:
        await _ensure_user_name_free(uow, org_id, account, None)
        email = account.sign_in_email
        found = await uow.users.find(org_id, email) if email else None
        if found is not None and found.provisioned is not None:
            raise Conflict("another provisioned user signs in with this address", code="scim_user_exists")
        user = await uow.users.get(found.id, for_update=True) if found else None
        adopted = user is not None
        if user is None:
            user = User(email="", role=Role.MEMBER, org_id=org_id)
            user.email = email or f"scim-{user.id}@{UNADDRESSED_DOMAIN}"
        user.provisioned = account
        person = await _bind_person(uow, org_id, user, account)
        await _set_active(uow, user, person, active)
        await (uow.users.save(user) if adopted else uow.users.add(user))
        await uow.commit()
    return ProvisionedUser(user, person)


async def replace_user(
    uow: UnitOfWork,
    org_id: UUID,
    user_id: UUID,
    account: ProvisionedAccount,
    *,
    active: bool,
    expected_version: int | None = None,
) -> ProvisionedUser:
    """PUT, and PATCH once the adapter applied the operations to the current record."""
    async with uow:
        user = await _provisioned(uow, org_id, user_id, lock=True)
        authz.check_version(user, expected_version)
        await _ensure_user_name_free(uow, org_id, account, user.id)
        email = account.sign_in_email
        if email and email != user.email:
            other = await uow.users.find(org_id, email)
            if other is not None and other.id != user.id:
                raise Conflict(
                    "another account of the organization signs in with this address", code="scim_user_exists"
                )
            user.email = email
        user.provisioned = account
        user.updated_at = utcnow()
        person = await _bind_person(uow, org_id, user, account)
        await _set_active(uow, user, person, active)
        await uow.users.save(user)
        await uow.commit()
    return ProvisionedUser(user, person)


async def delete_user(uow: UnitOfWork, org_id: UUID, user_id: UUID) -> None:
    """The provider deleted the user: deactivated, and no SCIM resource any more. The profile stays."""
    async with uow:
        user = await _provisioned(uow, org_id, user_id, lock=True)
        person = await _person_of(uow, user)
        await _set_active(uow, user, person, False)
        await _leave_groups(uow, user)
        user.provisioned = None
        user.updated_at = utcnow()
        await uow.users.save(user)
        await uow.commit()


async def _leave_groups(uow: UnitOfWork, user: User) -> None:
    """A deleted user is nobody's member any more, and keeps no role a group gave."""
    assert user.org_id is not None
    groups = await uow.scim_groups.of_member(user.org_id, user.id)
    for group in groups:
        group.replace(group.display_name, group.external_id, tuple(m for m in group.member_ids if m != user.id))
        await uow.scim_groups.save(group)
    if groups:
        config = await uow.sso_configs.get(user.org_id) if hasattr(uow, "sso_configs") else None
        user.role = role_from_groups(config, [], user.role)


async def _provisioned(uow: UnitOfWork, org_id: UUID, user_id: UUID, *, lock: bool) -> User:
    user = await uow.users.get(user_id, for_update=lock)
    if user is None or user.org_id != org_id or user.provisioned is None:
        raise NotFound("no such user of this organization", code="scim_user_not_found")
    return user


async def _person_of(uow: UnitOfWork, user: User) -> Person | None:
    return await uow.people.get(user.org_id, user.person_id) if user.org_id and user.person_id else None


async def _ensure_user_name_free(uow: UnitOfWork, org_id: UUID, account: ProvisionedAccount, own: UUID | None) -> None:
    _, same = await uow.users.provisioned(org_id, Match("userName", account.user_name), offset=0, limit=2)
    if any(u.id != own for u in same):
        raise Conflict("another user of the organization has this userName", code="scim_user_exists")


async def _bind_person(uow: UnitOfWork, org_id: UUID, user: User, account: ProvisionedAccount) -> Person | None:
    """The person the account feeds: the bound one, else the organization's (not a partner's)
    profile with the sign-in address, else a new one when the record makes a valid profile."""
    person = await _person_of(uow, user)
    if person is None:
        email = account.sign_in_email
        existing = await uow.people.get_by_email(org_id, email) if email else None
        if existing is not None and existing.partner_id is None:
            person = existing
        elif existing is None and (person := account.new_person(org_id)) is not None:
            await uow.people.add(person)
            user.person_id = person.id
            return person
        if person is None:
            return None
        user.person_id = person.id
    before = person.updated_at
    apply_to(account, person)
    if person.updated_at != before:
        await uow.people.save(person)
    return person


async def _set_active(uow: UnitOfWork, user: User, person: Person | None, active: bool) -> None:
    """Deactivation ends the sign-ins of every account of the person and what they had open;
    reactivation restores sign-in only."""
    org_id = user.org_id
    assert org_id is not None
    users = [user]
    if person is not None:
        users += [u for u in await uow.users.bound_to(org_id, person.id, lock=True) if u.id != user.id]
    if active:
        person_was_inactive = person is not None and not person.active
        deactivation.reactivate(users, person)
        for other in users[1:]:
            await uow.users.save(other)
        if person is not None and person_was_inactive:
            await uow.people.save(person)
        return
    enrollments = await uow.enrollments.for_person(org_id, person.id) if person else []
    tandems = await uow.tandems.for_person(org_id, person.id) if person else []
    ended = deactivation.deactivate(users, person, enrollments, tandems)
    now = utcnow()
    for account in users:
        await uow.signins.revoke_signins_of(account.id, deactivation.SESSION_REVOCATION_REASON, now)
        await uow.signins.void_login_codes_of(account.id, now)
    for other in users[1:]:
        if other in ended.users:
            await uow.users.save(other)
    if person is not None and ended.person_changed:
        await uow.people.save(person)
    for tandem in ended.tandems:
        await uow.tandems.save(tandem)
    for enrollment in ended.enrollments:
        await uow.enrollments.save(enrollment)
