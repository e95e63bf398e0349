"""The audit trail as org admins read it: ids, roles and action names, never personal words."""

from __future__ import annotations

from datetime import datetime
from typing import Self
from uuid import UUID

from pydantic import BaseModel, Field

from app.api.schemas.base import PageOut
from app.domain.access import Role
from app.domain.audit import ActorType, AuditEntry


class AuditActorOut(BaseModel):
    type: ActorType = Field(description="user, partner (a partner network's token), operator (the CLI) or system")
    id: UUID | None = Field(description="the user's id, or the partner's; null for operators and the system")
    role: Role | None = Field(description="the role the actor had when acting")


class AuditTargetOut(BaseModel):
    type: str = Field(description="the kind of object: program, tandem, session, person, ...")
    id: UUID


class AuditEventOut(BaseModel):
    id: UUID
    occurred_at: datetime
    org_id: UUID | None
    actor: AuditActorOut
    action: str = Field(
        description="an event type (tandem.status_changed, ...) for a change; person.exported, "
        "report.downloaded, calendar_link.created or calendar_link.revoked for access to personal data"
    )
    target: AuditTargetOut
    request_id: str | None = Field(description="the X-Request-ID of the API request; null outside the API")

    @classmethod
    def of(cls, entry: AuditEntry) -> Self:
        return cls(
            id=entry.id,
            occurred_at=entry.occurred_at,
            org_id=entry.org_id,
            actor=AuditActorOut(type=entry.actor.type, id=entry.actor.id, role=entry.actor.role),
            action=entry.action,
            target=AuditTargetOut(type=entry.target_type, id=entry.target_id),
            request_id=entry.request_id,
        )


class AuditEventPage(PageOut[AuditEventOut]):
    pass
