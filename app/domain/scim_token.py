"""SCIM tokens: the bearer secrets an organization's identity provider provisions people with.

A token reaches only its organization's ``/scim/v2`` resources, and nothing under ``/v1``. Only
its SHA-256 digest is stored: it is a long random string, so a fast hash is enough, and the
secret itself is shown once, when an org admin creates it. Revoking deletes it, so the next
request with it fails at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4

from app.domain.clock import utcnow
from app.domain.errors import RuleViolation

PREFIX = "scim_"  # recognizable in a leak (secret scanners), and never a JWT (three dotted parts)
TOKEN_BYTES = 32
MAX_NAME_LENGTH = 100
MAX_DESCRIPTION_LENGTH = 500


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _label(value: str, name: str, limit: int, *, required: bool) -> str:
    value = " ".join(value.split())
    if required and not value:
        raise RuleViolation(f"{name} must not be blank", code="blank_value", field=name)
    if len(value) > limit:
        raise RuleViolation(f"{name} is longer than {limit} characters", code="too_long", field=name)
    return value


@dataclass(eq=False)
class ScimToken:
    org_id: UUID
    name: str  # which provider or connection holds it ("Entra ID production")
    token_digest: str
    description: str = ""
    created_by: UUID | None = None  # the user who created it
    id: UUID = field(default_factory=uuid4)
    created_at: datetime = field(default_factory=utcnow)

    def __post_init__(self) -> None:
        self.name = _label(self.name, "name", MAX_NAME_LENGTH, required=True)
        self.description = _label(self.description, "description", MAX_DESCRIPTION_LENGTH, required=False)

    @classmethod
    def issue(cls, org_id: UUID, name: str, description: str, created_by: UUID | None) -> tuple[ScimToken, str]:
        """A new token and its secret; the secret is not kept, only its digest."""
        secret = PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
        token = cls(org_id, name, digest_of(secret), description=description, created_by=created_by)
        return token, secret


# the audit trail's actions: a token provisions and deactivates people, so its maker is named
SCIM_TOKEN_CREATED = "scim_token.created"  # noqa: S105 (an action name, no secret)
SCIM_TOKEN_REVOKED = "scim_token.revoked"  # noqa: S105 (an action name, no secret)
