"""/v1/audit-events: the organization's audit trail, for its admins."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from app.api.deps import CurrentCaller, RequestUow
from app.api.rest.conventions import Paging, page_out
from app.api.rest.responses import COMMON
from app.api.schemas.audit import AuditEventOut, AuditEventPage
from app.domain.audit import AuditFilter
from app.services import audit

router = APIRouter(prefix="/v1/audit-events", tags=["audit"], responses=COMMON)


@router.get("", operation_id="list_audit_events")
async def list_audit_events(
    caller: CurrentCaller,
    uow: RequestUow,
    paging: Paging,
    actor_id: Annotated[UUID | None, Query(description="a user's (or a partner's) id")] = None,
    target_type: Annotated[str | None, Query(max_length=32, description="e.g. tandem, person, program")] = None,
    target_id: Annotated[UUID | None, Query(description="the object acted on")] = None,
    action: Annotated[str | None, Query(max_length=64, description="e.g. tandem.status_changed")] = None,
    since: Annotated[datetime | None, Query(alias="from", description="entries at or after this instant")] = None,
    until: Annotated[datetime | None, Query(alias="to", description="entries before this instant")] = None,
) -> AuditEventPage:
    """Who did what, when, to which object, in which request: every change and every access to
    personal data (an export, a report download, a calendar feed link), oldest first. Org admins
    only; entries are never edited and leave only past the retention period."""
    where = AuditFilter(
        actor_id=actor_id, target_type=target_type, target_id=target_id, action=action, since=since, until=until
    )
    page = await audit.list_audit_events(uow, caller, where, paging)
    return AuditEventPage.model_validate(page_out(page, AuditEventOut))
