"""Calendar links: a revocable secret that lets a calendar client read one person's sessions.

Calendar clients subscribe to a URL and cannot send a bearer token, so the URL itself carries a
secret. Only its SHA-256 digest is stored: the token is shown once, when the link is created.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4

from app.domain.clock import utcnow

TOKEN_BYTES = 32


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(eq=False)
class CalendarLink:
    org_id: UUID
    person_id: UUID
    token_digest: str
    created_by: UUID | None = None  # the user who created it
    id: UUID = field(default_factory=uuid4)
    created_at: datetime = field(default_factory=utcnow)

    @classmethod
    def issue(cls, org_id: UUID, person_id: UUID, created_by: UUID | None) -> tuple[CalendarLink, str]:
        """A new link and its token; the token is not kept, only its digest."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        return cls(org_id=org_id, person_id=person_id, token_digest=digest_of(token), created_by=created_by), token
