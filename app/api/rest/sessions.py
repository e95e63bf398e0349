"""/v1/tandems/{tandem_id}/sessions and /v1/sessions: meetings, their life cycle and feedback."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import UUID

from fastapi import APIRouter, Request, Response, status

from app.api import ical
from app.api.deps import CurrentCaller, RequestUow
from app.api.rest.conventions import IfMatch, Paging, page_out, set_etag
from app.api.rest.responses import COMMON, add_transition_route, problems
from app.api.schemas.sessions import FeedbackIn, HoldIn, SessionIn, SessionOut, SessionPage, SessionPatch
from app.domain.access import Caller
from app.domain.session import Session
from app.services import sessions
from app.services.calendars import CalendarEntry
from app.services.ports import UnitOfWork

router = APIRouter(prefix="/v1", tags=["sessions"], responses=COMMON)


INVITATION = {
    201: {"content": {"text/calendar": {"schema": {"type": "string"}}}, "description": "the session scheduled"}
}


@router.post(
    "/tandems/{tandem_id}/sessions",
    operation_id="schedule_session",
    status_code=status.HTTP_201_CREATED,
    response_model=SessionOut,
    responses=INVITATION,  # type: ignore[arg-type]
)
async def schedule_session(
    tandem_id: UUID, body: SessionIn, caller: CurrentCaller, uow: RequestUow, request: Request, response: Response
) -> SessionOut | Response:
    """Schedule a meeting of an active tandem while the program runs, inside its period.

    With ``Accept: text/calendar`` the answer is an iCalendar invitation (METHOD:REQUEST) of the
    session instead of JSON, with the same UID as in the person's calendar feed."""
    session = await sessions.schedule_session(
        uow,
        caller,
        tandem_id,
        starts_at=body.starts_at,
        duration_minutes=body.duration_minutes,
        format=body.format,
        location=body.location,
        video_link=str(body.video_link) if body.video_link else None,
        agenda=body.agenda,
    )
    set_etag(response, session)
    response.headers["Location"] = f"/v1/sessions/{session.id}"
    if "text/calendar" in request.headers.get("accept", ""):
        invitation = ical.calendar_of([CalendarEntry(session, "", "")], "UTC", method="REQUEST")
        return Response(invitation, status.HTTP_201_CREATED, dict(response.headers), ical.MEDIA_TYPE)
    return SessionOut.of(session)


@router.get("/tandems/{tandem_id}/sessions", operation_id="list_sessions")
async def list_sessions(tandem_id: UUID, caller: CurrentCaller, uow: RequestUow, paging: Paging) -> SessionPage:
    page = await sessions.list_sessions(uow, caller, tandem_id, paging)
    return SessionPage.model_validate(page_out(page, SessionOut))


@router.get("/sessions/{session_id}", operation_id="get_session")
async def get_session(session_id: UUID, caller: CurrentCaller, uow: RequestUow, response: Response) -> SessionOut:
    session = await sessions.get_session(uow, caller, session_id)
    set_etag(response, session)
    return SessionOut.of(session)


@router.patch("/sessions/{session_id}", operation_id="reschedule_session", responses=problems(412))
async def reschedule_session(
    session_id: UUID, body: SessionPatch, caller: CurrentCaller, uow: RequestUow, if_match: IfMatch, response: Response
) -> SessionOut:
    """Change time or details of a scheduled session; it stays scheduled and inside the program period."""
    session = await sessions.reschedule_session(uow, caller, session_id, body.command(), if_match)
    set_etag(response, session)
    return SessionOut.of(session)


@router.post("/sessions/{session_id}/hold", operation_id="hold_session", responses=problems(409, 412))
async def hold_session(
    session_id: UUID,
    caller: CurrentCaller,
    uow: RequestUow,
    if_match: IfMatch,
    response: Response,
    body: HoldIn | None = None,
) -> SessionOut:
    """scheduled → held, once it has started; optionally with notes and the goals covered."""
    hold = body or HoldIn()
    session = await sessions.hold_session(
        uow, caller, session_id, notes=hold.notes, goals_covered=tuple(hold.goals_covered), expected_version=if_match
    )
    set_etag(response, session)
    return SessionOut.of(session)


@router.put("/sessions/{session_id}/feedback", operation_id="give_feedback", responses=problems(409))
async def give_feedback(
    session_id: UUID, body: FeedbackIn, caller: CurrentCaller, uow: RequestUow, response: Response
) -> SessionOut:
    """The caller's own feedback on a held session, once (a second one is a 409)."""
    session = await sessions.give_feedback(
        uow,
        caller,
        session_id,
        rating=body.rating,
        learned=body.learned,
        goals_covered=tuple(body.goals_covered),
        comment=body.comment,
    )
    set_etag(response, session)
    return SessionOut.of(session)


Transition = Callable[[UnitOfWork, Caller, UUID, int | None], Awaitable[Session]]


def _transition(path: str, operation_id: str, use_case: Transition, doc: str) -> None:
    async def endpoint(
        session_id: UUID, caller: CurrentCaller, uow: RequestUow, if_match: IfMatch, response: Response
    ) -> SessionOut:
        session = await use_case(uow, caller, session_id, if_match)
        set_etag(response, session)
        return SessionOut.of(session)

    add_transition_route(router, f"/sessions/{{session_id}}/{path}", endpoint, operation_id, doc)


_transition("cancel", "cancel_session", sessions.cancel_session, "scheduled → cancelled")
_transition("miss", "miss_session", sessions.miss_session, "scheduled → missed, once it has started")
