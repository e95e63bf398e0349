"""Queries of calendar links, as REST's GET /v1/people/{person_id}/calendar-links."""

from __future__ import annotations

from uuid import UUID

import strawberry

from app.api.graphql.queries_support import described
from app.api.graphql.types import Ctx
from app.api.graphql.types_calendars import CalendarLink
from app.services import calendars


@strawberry.type
class CalendarQueries:
    @described(
        "the person's calendar links, oldest first, without their tokens (the person, managers); "
        "a person the caller cannot reach is an error with REST's code"
    )
    async def calendar_links(self, info: Ctx, person_id: UUID) -> list[CalendarLink]:
        links = await calendars.list_calendar_links(info.context.uow, info.context.caller, person_id)
        return [CalendarLink.of(link) for link in links]
