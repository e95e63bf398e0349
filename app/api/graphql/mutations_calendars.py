"""Calendar link mutations: a person's secret feed URLs, created (shown once) and revoked.

The same use cases as REST's /v1/people/{person_id}/calendar-links; refusals are Problems.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import strawberry

from app.api.graphql.errors import Problem, attempt
from app.api.graphql.inputs import command
from app.api.graphql.types import Ctx
from app.api.graphql.types_calendars import IssuedCalendarLink, RevokedCalendarLink
from app.api.schemas.calendars import IssuedCalendarLinkOut
from app.services import calendars

IssuedCalendarLinkResult = Annotated[IssuedCalendarLink | Problem, strawberry.union("IssuedCalendarLinkResult")]
RevokedCalendarLinkResult = Annotated[RevokedCalendarLink | Problem, strawberry.union("RevokedCalendarLinkResult")]


def _no_store(info: Ctx) -> None:
    """An answer with a feed token must not be kept by any cache, nor by the Idempotency-Key store."""
    response = info.context.response
    if response is not None:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"


@strawberry.type
class CalendarMutations:
    @command(
        "A secret feed URL of the person's calendar (the person, or a manager), for calendar clients that "
        "cannot send a bearer token; the token is in this answer only."
    )
    async def create_calendar_link(self, info: Ctx, person_id: UUID) -> IssuedCalendarLinkResult:
        ctx = info.context
        request = ctx.request
        assert request is not None, "GraphQL is served over HTTP only"
        # the token opens the person's sessions to whoever holds it
        _no_store(info)
        # REST's answer model builds the feed URL, so both adapters hand out the same one
        return await attempt(
            calendars.create_calendar_link(ctx.uow, ctx.caller, person_id),
            lambda issued: IssuedCalendarLink.of(
                IssuedCalendarLinkOut.issued(issued.link, issued.token, str(request.base_url))
            ),
        )

    @command("Revoke a calendar link of the person: its URL stops working at once.")
    async def revoke_calendar_link(self, info: Ctx, person_id: UUID, link_id: UUID) -> RevokedCalendarLinkResult:
        ctx = info.context
        return await attempt(
            calendars.revoke_calendar_link(ctx.uow, ctx.caller, person_id, link_id),
            lambda _: RevokedCalendarLink(id=link_id, person_id=person_id),
        )
