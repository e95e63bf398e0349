"""Who is calling: roles and the caller's tenant. Authorization decisions use this."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID


class Role(StrEnum):
    PLATFORM_ADMIN = "platform_admin"
    ORG_ADMIN = "org_admin"
    PROGRAM_MANAGER = "program_manager"
    MEMBER = "member"
    PARTNER = "partner"  # a partner network's machine client; reaches only its own pool


class Scope(StrEnum):
    """What a partner's client-credentials token may do (OAuth scopes)."""

    MENTORS_SYNC = "mentors:sync"
    MENTORS_READ = "mentors:read"
    WEBHOOKS_MANAGE = "webhooks:manage"


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated principal. ``org_id`` is None for platform admins and partners.

    ``user_id`` is the user (or, for a partner, the partner id) the token was issued to;
    ``scopes`` narrow what a partner token may do; ``signin_id`` ties a token from a login
    to its sign-in, so logging out (or a detected refresh-token theft) ends it;
    ``credential`` ties a partner's token to the client secret it was issued for, so rotating
    a leaked secret ends the tokens obtained with it; ``request_id`` names the API request the
    caller acts in, so audit entries can be traced to a request's log lines.
    """

    user_id: UUID
    role: Role
    org_id: UUID | None = None
    person_id: UUID | None = None
    partner_id: UUID | None = None
    scopes: frozenset[str] = frozenset()
    signin_id: UUID | None = None  # the sign-in (refresh family) the token belongs to
    credential: str | None = None  # a partner's ``Partner.credential_tag`` when the token was issued
    request_id: str | None = None  # the API request acting (X-Request-ID), for the audit trail

    @property
    def is_platform_admin(self) -> bool:
        return self.role is Role.PLATFORM_ADMIN

    @property
    def manages_org(self) -> bool:
        """Org admins and program managers run their organization's programs."""
        return self.role in (Role.ORG_ADMIN, Role.PROGRAM_MANAGER)

    def has_scope(self, scope: Scope) -> bool:
        return scope.value in self.scopes

    def in_org(self, org_id: UUID) -> bool:
        return self.is_platform_admin or self.org_id == org_id
