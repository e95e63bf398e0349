"""/v1/events: the caller's events in commit order (pull instead of webhooks)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.cursors import decode_position, encode_position
from app.api.deps import CurrentCaller, RequestUow
from app.api.rest.responses import COMMON
from app.api.schemas.events import EventOut, EventPage
from app.services import events
from app.services.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

router = APIRouter(prefix="/v1/events", tags=["events"], responses=COMMON)

After = Annotated[
    str | None, Query(max_length=500, description="next_cursor of the previous page; absent: from the start")
]
Types = Annotated[
    str | None,
    Query(max_length=2000, description="comma-separated event types to keep, e.g. tandem.proposed,session.scheduled"),
]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="page size")]


@router.get("", operation_id="list_events")
async def list_events(
    caller: CurrentCaller, uow: RequestUow, after: After = None, types: Types = None, limit: Limit = DEFAULT_PAGE_SIZE
) -> EventPage:
    """The caller's events in commit order: an organization's for its admins and program managers,
    a partner network's (its mentors' pool and placements; scope mentors:read) for its token.

    Every committed event appears exactly once, also when writers commit out of order: an event
    shows up once no transaction that started before it is still running. An empty page is not
    the end: poll again later with the same ``after``.
    """
    wanted = [t.strip() for t in types.split(",") if t.strip()] if types else []
    page = await events.list_events(
        uow, caller, after=decode_position(after) if after else None, types=wanted, limit=limit
    )
    return EventPage(items=[EventOut.of(e) for e in page.items], next_cursor=encode_position(page.next_after))
