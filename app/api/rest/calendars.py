"""/v1/people/{person_id}/calendar.ics and calendar-links: a person's sessions in their calendar app."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response, status

from app.api import ical
from app.api.deps import CurrentCaller, OptionalBearer, RequestUow, get_caller
from app.api.rest.responses import COMMON
from app.api.schemas.calendars import CalendarLinkList, CalendarLinkOut, IssuedCalendarLinkOut
from app.services import calendars

router = APIRouter(prefix="/v1/people", tags=["calendars"], responses=COMMON)
# the feed resolves its caller itself (a bearer token, or the link's secret instead): it stays out
# of the per-caller write limit every other /v1 route depends on, which demands a bearer token
feed = APIRouter(prefix="/v1/people", tags=["calendars"], responses=COMMON)

ICS: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/calendar": {"schema": {"type": "string"}}}, "description": "an iCalendar feed"}
}


@feed.get("/{person_id}/calendar.ics", operation_id="get_calendar_feed", response_class=Response, responses=ICS)
async def get_calendar_feed(
    person_id: UUID,
    request: Request,
    uow: RequestUow,
    credentials: OptionalBearer,
    token: Annotated[
        str | None, Query(max_length=100, description="a calendar link's secret; then no Authorization is needed")
    ] = None,
) -> Response:
    """The person's sessions as iCalendar: with a calendar link's token (for calendar clients), or
    with a bearer token of the person or a manager."""
    if token is not None:
        found = await calendars.calendar_by_link(uow, person_id, token)
    else:
        caller = await get_caller(request, credentials, uow)
        found = await calendars.person_calendar(uow, caller, person_id)
    body = ical.calendar_of(found.entries, found.person.timezone)
    return Response(body, media_type=ical.MEDIA_TYPE, headers={"Cache-Control": "private, no-store"})


@router.post("/{person_id}/calendar-links", operation_id="create_calendar_link", status_code=status.HTTP_201_CREATED)
async def create_calendar_link(
    person_id: UUID, caller: CurrentCaller, uow: RequestUow, request: Request, response: Response
) -> IssuedCalendarLinkOut:
    """A secret feed URL of the person's calendar (the person, or a manager); the token is shown only now."""
    issued = await calendars.create_calendar_link(uow, caller, person_id)
    # the token opens the person's sessions to whoever holds it: no cache, nor the Idempotency-Key
    # store (which keeps no answer marked no-store), may keep it
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    response.headers["Location"] = f"/v1/people/{person_id}/calendar-links/{issued.link.id}"
    return IssuedCalendarLinkOut.issued(issued.link, issued.token, str(request.base_url))


@router.get("/{person_id}/calendar-links", operation_id="list_calendar_links")
async def list_calendar_links(person_id: UUID, caller: CurrentCaller, uow: RequestUow) -> CalendarLinkList:
    """The person's calendar links, without their secrets."""
    links = await calendars.list_calendar_links(uow, caller, person_id)
    return CalendarLinkList(items=[CalendarLinkOut.of(link) for link in links])


@router.delete(
    "/{person_id}/calendar-links/{link_id}",
    operation_id="revoke_calendar_link",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
)
async def revoke_calendar_link(person_id: UUID, link_id: UUID, caller: CurrentCaller, uow: RequestUow) -> Response:
    """Revoke a calendar link: its URL stops working at once."""
    await calendars.revoke_calendar_link(uow, caller, person_id, link_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
