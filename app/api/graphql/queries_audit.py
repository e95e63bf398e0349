"""The audit trail, as REST's /v1/audit-events: for an organization's admins."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import strawberry

from app.api.graphql.pagination import Connection, page_request
from app.api.graphql.queries_support import described
from app.api.graphql.types import Ctx
from app.api.graphql.types_audit import AuditEvent
from app.domain.audit import AuditFilter
from app.services import audit
from app.services.pagination import DEFAULT_PAGE_SIZE


@strawberry.type
class AuditQueries:
    @described(
        "the organization's audit trail, oldest first: every change and every access to personal data, with "
        "actor, target and request id (org admins)"
    )
    async def audit_events(
        self,
        info: Ctx,
        first: int = DEFAULT_PAGE_SIZE,
        after: str | None = None,
        actor_id: UUID | None = None,
        target_type: str | None = None,
        target_id: UUID | None = None,
        action: Annotated[str | None, strawberry.argument(description="e.g. tandem.status_changed")] = None,
        since: Annotated[
            datetime | None, strawberry.argument(name="from", description="entries at or after this instant")
        ] = None,
        until: Annotated[
            datetime | None, strawberry.argument(name="to", description="entries before this instant")
        ] = None,
    ) -> Connection[AuditEvent]:
        ctx = info.context
        where = AuditFilter(
            actor_id=actor_id, target_type=target_type, target_id=target_id, action=action, since=since, until=until
        )
        page = await audit.list_audit_events(ctx.uow, ctx.caller, where, page_request(first, after))
        return Connection.of(page, AuditEvent.of)
