"""Provisioned groups: the organization's identity provider's groups (SCIM Groups), whose
membership gives Tandem roles through the organization's role mapping.

The mapping is single sign-on's (``SsoConfig.role_mapping``: a group name → a role): a user's
role is the strongest one any of their groups maps to, else the mapping's default role, the
same rule a login applies to the provider's ``groups`` claim. It is recomputed for the members a
change touches and shows in the next token (a refresh, or the next sign-in).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4

from app.domain.access import Role
from app.domain.clock import utcnow
from app.domain.errors import RuleViolation
from app.domain.sso import SsoConfig

MAX_NAME_LENGTH = 200
MAX_MEMBERS = 10_000


@dataclass(eq=False)
class ProvisionedGroup:
    org_id: UUID
    display_name: str
    external_id: str | None = None
    member_ids: tuple[UUID, ...] = ()  # user accounts of the organization
    id: UUID = field(default_factory=uuid4)
    version: int = 1
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        self.display_name = " ".join(self.display_name.split())
        if not self.display_name or len(self.display_name) > MAX_NAME_LENGTH:
            raise RuleViolation(
                f"displayName must be 1 to {MAX_NAME_LENGTH} characters", code="invalid_value", field="displayName"
            )
        if self.external_id is not None and len(self.external_id) > MAX_NAME_LENGTH:
            raise RuleViolation("externalId is too long", code="invalid_value", field="externalId")
        self.member_ids = tuple(dict.fromkeys(self.member_ids))
        if len(self.member_ids) > MAX_MEMBERS:
            raise RuleViolation(f"at most {MAX_MEMBERS} members", code="invalid_value", field="members")

    def replace(self, display_name: str, external_id: str | None, member_ids: tuple[UUID, ...]) -> set[UUID]:
        """Take the provider's new state; returns the users whose membership (or group name) changed."""
        candidate = ProvisionedGroup(self.org_id, display_name, external_id, member_ids)
        renamed = candidate.display_name != self.display_name
        touched = set(self.member_ids) ^ set(candidate.member_ids)
        if renamed:
            touched |= set(self.member_ids) | set(candidate.member_ids)
        self.display_name, self.external_id, self.member_ids = (
            candidate.display_name,
            candidate.external_id,
            candidate.member_ids,
        )
        self.updated_at = utcnow()
        return touched


def role_from_groups(config: SsoConfig | None, group_names: list[str], current: Role) -> Role:
    """The role the user's groups give, by the organization's mapping; without single sign-on
    configured there is no mapping, and the role stays as it is."""
    if config is None or not config.role_mapping:
        return current
    return config.role_for({config.role_claim: group_names})
