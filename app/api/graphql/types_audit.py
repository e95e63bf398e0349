"""The audit trail as GraphQL objects: the same entries as REST's /v1/audit-events."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

import strawberry

from app.api.graphql.types_organizations import Role
from app.domain import audit

ActorType = strawberry.enum(
    audit.ActorType, description="user, partner (a partner network's token), operator (the CLI) or system (workers)"
)


@strawberry.type(description="who acted")
class AuditActor:
    type: ActorType  # type: ignore[valid-type]
    id: UUID | None = strawberry.field(description="the user's id, or the partner's; null for operators and the system")
    role: Role | None = strawberry.field(description="the role the actor had when acting")  # type: ignore[valid-type]


@strawberry.type(description="what was acted on")
class AuditTarget:
    type: str = strawberry.field(description="the kind of object: program, tandem, session, person, ...")
    id: UUID


@strawberry.type(description="one entry of the organization's append-only audit trail")
class AuditEvent:
    id: UUID
    occurred_at: datetime
    org_id: UUID | None
    actor: AuditActor
    action: str = strawberry.field(
        description="an event type for a change; person.exported, report.downloaded, calendar_link.created or "
        "calendar_link.revoked for access to personal data"
    )
    target: AuditTarget
    request_id: str | None = strawberry.field(description="the X-Request-ID of the API request; null outside it")

    @classmethod
    def of(cls, e: audit.AuditEntry) -> AuditEvent:
        return cls(
            id=e.id,
            occurred_at=e.occurred_at,
            org_id=e.org_id,
            actor=AuditActor(type=e.actor.type, id=e.actor.id, role=e.actor.role),
            action=e.action,
            target=AuditTarget(type=e.target_type, id=e.target_id),
            request_id=e.request_id,
        )
