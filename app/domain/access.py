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


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated principal. ``org_id`` is None only for platform admins."""

    user_id: UUID
    role: Role
    org_id: UUID | None = None
    person_id: UUID | None = None

    @property
    def is_platform_admin(self) -> bool:
        return self.role is Role.PLATFORM_ADMIN

    @property
    def manages_org(self) -> bool:
        """Org admins and program managers run their organization's programs."""
        return self.role in (Role.ORG_ADMIN, Role.PROGRAM_MANAGER)

    def in_org(self, org_id: UUID) -> bool:
        return self.is_platform_admin or self.org_id == org_id
