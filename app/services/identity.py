"""Use cases behind operator tokens: find or create the user a token is issued to."""

from __future__ import annotations

from dataclasses import dataclass

from app.domain.access import Caller, Role
from app.domain.errors import Conflict, NotFound, RuleViolation
from app.domain.person import Person, normalize_email
from app.domain.user import User
from app.services.ports import UnitOfWork

PLATFORM_ADMIN_EMAIL = "platform-admin@tandem.local"


@dataclass(frozen=True, slots=True)
class OperatorUser:
    """The user an operator token is issued to, and what issuing it did to the user."""

    user: User
    created: bool = False
    previous_role: Role | None = None  # set when the role was changed (only when forced)


async def operator_user(
    uow: UnitOfWork, *, role: Role, org_slug: str | None, email: str | None, force_role: bool = False
) -> OperatorUser:
    """The user for an operator token. ``email`` binds it to that person of the organization.

    Only a trusted operator (shell access to the deployment) reaches this, so it may create users;
    the result says so. An existing user keeps their role (single sign-on may have given it)
    unless ``force_role``: a token asked for with another role is refused rather than silently
    promoting or demoting someone.
    """
    if role is Role.PLATFORM_ADMIN:
        if org_slug:
            raise RuleViolation("platform admins belong to no organization: drop --org", code="org_not_allowed")
    elif not org_slug:
        raise RuleViolation(f"a {role.value} token needs --org", code="org_required")
    if role is Role.MEMBER and not email:
        raise RuleViolation("a member token needs --email of a person", code="email_required")
    address = normalize_email(email)
    if role is Role.PLATFORM_ADMIN:
        address = address or PLATFORM_ADMIN_EMAIL
    async with uow:
        org_id = person_id = None
        if org_slug:
            org = await uow.organizations.get_by_slug(org_slug)
            if org is None:
                raise NotFound(f"no organization with slug {org_slug!r}", code="organization_not_found")
            org_id = org.id
            if address:
                person = await uow.people.get_by_email(org.id, address)
                if person is None and role is Role.MEMBER:
                    raise NotFound(f"no person with email {address!r} in {org_slug}", code="person_not_found")
                person_id = person.id if person else None
        address = address or f"{role.value}@{org_slug}.tandem.local"
        user = await uow.users.find(org_id, address)
        if user is None:
            user = User(email=address, role=role, org_id=org_id, person_id=person_id)
            await uow.users.add(user)
            await uow.commit()
            return OperatorUser(user, created=True)
        previous = user.role
        if previous is not role and not force_role:
            raise Conflict(
                f"{address} is a {previous.value}; pass --force-role to make them a {role.value}",
                code="role_change_refused",
            )
        if (user.role, user.person_id) != (role, person_id):
            user.role, user.person_id = role, person_id
            await uow.users.save(user)
        await uow.commit()
    return OperatorUser(user, previous_role=previous if previous is not role else None)


@dataclass(frozen=True, slots=True)
class Me:
    """The caller as the API shows them: role, tenant, the user's address and name, the
    provider that signed them in, and (for members) their profile."""

    caller: Caller
    person: Person | None
    email: str | None = None
    display_name: str | None = None  # the profile's name, else the provider's at the last sign-in
    sso_issuer: str | None = None  # None: an operator's token, never signed in through a provider


async def who_am_i(uow: UnitOfWork, caller: Caller) -> Me:
    if caller.role is Role.PARTNER:  # a partner's client, not a user
        return Me(caller=caller, person=None)
    person = None
    async with uow:
        user = await uow.users.get(caller.user_id)
        if user is not None and user.org_id != caller.org_id:
            user = None
        # the user's binding also finds a profile created after this token was issued (onboarding)
        person_id = caller.person_id or (user.person_id if user else None)
        if caller.org_id and person_id is not None:
            person = await uow.people.get(caller.org_id, person_id)
    if user is None:
        return Me(caller=caller, person=person)
    return Me(
        caller=caller,
        person=person,
        email=user.email,
        display_name=person.display_name if person else user.display_name,
        sso_issuer=user.sso_issuer,
    )
