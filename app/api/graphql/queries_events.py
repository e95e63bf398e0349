"""The pull feed of events, as REST's /v1/events: for integrators that cannot receive webhooks."""

from __future__ import annotations

from typing import Annotated

import strawberry

from app.api.cursors import decode_position
from app.api.graphql.pagination import Connection
from app.api.graphql.queries_support import described
from app.api.graphql.types import Ctx
from app.api.graphql.types_events import Event, event_connection
from app.domain.errors import RuleViolation
from app.services import events
from app.services.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE


@strawberry.type
class EventQueries:
    @described(
        "the caller's events in commit order: an organization's for its admins and program managers, a partner "
        "network's for its token (scope mentors:read); each committed event exactly once. An empty page is not "
        "the end: ask again later with the same `after`"
    )
    async def events(
        self,
        info: Ctx,
        after: Annotated[
            str | None, strawberry.argument(description="endCursor of the previous page; absent: from the start")
        ] = None,
        types: Annotated[
            list[str] | None,
            strawberry.argument(description="event types to keep, e.g. tandem.proposed; absent: every type"),
        ] = None,
        first: int = DEFAULT_PAGE_SIZE,
    ) -> Connection[Event]:
        if not 1 <= first <= MAX_PAGE_SIZE:
            raise RuleViolation(f"first must be 1 to {MAX_PAGE_SIZE}", code="invalid_limit", field="first")
        ctx = info.context
        page = await events.list_events(
            ctx.uow,
            ctx.caller,
            after=decode_position(after) if after else None,
            types=[t.strip() for t in types or () if t.strip()],
            limit=first,
        )
        return event_connection(page, first)
