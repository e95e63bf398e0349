"""/v1/…/tandems: manual pairing, each side's answers, the life cycle, its history, free slots."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response, status

from app.api.deps import CurrentCaller, RequestUow
from app.api.rest.conventions import IfMatch, Paging, page_out, set_etag
from app.api.rest.responses import COMMON, add_transition_route, problems
from app.api.schemas.tandems import (
    DissolveIn,
    FitCheckIn,
    ReasonIn,
    SlotSuggestionsOut,
    TandemHistory,
    TandemIn,
    TandemOut,
    TandemPage,
    TransitionOut,
)
from app.domain.access import Caller
from app.domain.clock import utcnow
from app.domain.health import Health
from app.domain.tandem import Tandem
from app.services import scheduling, tandems
from app.services.ports import UnitOfWork
from app.services.scheduling import MAX_DAYS, MAX_DURATION_MINUTES, MAX_SLOTS, MIN_DURATION_MINUTES

router = APIRouter(prefix="/v1", tags=["tandems"], responses=COMMON)


@router.post(
    "/programs/{program_id}/tandems",
    operation_id="propose_tandem",
    status_code=status.HTTP_201_CREATED,
    responses=problems(409),
)
async def propose_tandem(
    program_id: UUID, body: TandemIn, caller: CurrentCaller, uow: RequestUow, response: Response
) -> TandemOut:
    """Pair a mentor and a mentee by hand (managers). The same rules as matching apply:
    program rules (422), one open tandem per mentee and the mentor's capacity (409)."""
    tandem = await tandems.propose_tandem(
        uow,
        caller,
        program_id,
        mentor_enrollment_id=body.mentor_enrollment_id,
        mentee_enrollment_id=body.mentee_enrollment_id,
        formats=tuple(body.formats),
        reason=body.reason,
    )
    set_etag(response, tandem)
    response.headers["Location"] = f"/v1/tandems/{tandem.id}"
    return TandemOut.of(tandem)


@router.get("/programs/{program_id}/tandems", operation_id="list_tandems")
async def list_tandems(
    program_id: UUID,
    caller: CurrentCaller,
    uow: RequestUow,
    paging: Paging,
    health: Annotated[
        Health | None, Query(description="only tandems with this stored health (closed tandems have none)")
    ] = None,
    rematch_flagged: Annotated[
        bool | None, Query(description="only tandems flagged (true) or not flagged (false) for a rematch")
    ] = None,
) -> TandemPage:
    """Managers see every tandem of the program; members only their own. Filter by health
    (``?health=at_risk``) and the rematch flag (``?rematch_flagged=true``): "which tandems need me?"."""
    where = tandems.TandemFilter(health=health, rematch_flagged=rematch_flagged)
    page = await tandems.list_tandems(uow, caller, program_id, paging, where)
    return TandemPage.model_validate(page_out(page, TandemOut))


@router.get("/tandems/{tandem_id}", operation_id="get_tandem")
async def get_tandem(tandem_id: UUID, caller: CurrentCaller, uow: RequestUow, response: Response) -> TandemOut:
    """The tandem with its stored health and the reasons for it."""
    view = await tandems.view_tandem(uow, caller, tandem_id)
    set_etag(response, view.tandem)
    return TandemOut.of(view.tandem)


@router.get("/tandems/{tandem_id}/history", operation_id="get_tandem_history")
async def get_tandem_history(tandem_id: UUID, caller: CurrentCaller, uow: RequestUow) -> TandemHistory:
    """Every state change: from, to, who, when and why."""
    history = await tandems.tandem_history(uow, caller, tandem_id)
    return TandemHistory(items=[TransitionOut.of(t) for t in history])


@router.post("/tandems/{tandem_id}/accept", operation_id="accept_tandem", responses=problems(409, 412))
async def accept_tandem(
    tandem_id: UUID, caller: CurrentCaller, uow: RequestUow, if_match: IfMatch, response: Response
) -> TandemOut:
    """The caller accepts for their own side; the second acceptance makes the tandem active."""
    tandem = await tandems.accept_tandem(uow, caller, tandem_id, if_match)
    set_etag(response, tandem)
    return TandemOut.of(tandem)


@router.post("/tandems/{tandem_id}/dissolve", operation_id="dissolve_tandem", responses=problems(409, 412))
async def dissolve_tandem(
    tandem_id: UUID, body: DissolveIn, caller: CurrentCaller, uow: RequestUow, if_match: IfMatch, response: Response
) -> TandemOut:
    """active | paused → dissolved. A reason is required; both people become free for a rematch."""
    tandem = await tandems.dissolve_tandem(
        uow, caller, tandem_id, reason=body.reason, never_pair_again=body.never_pair_again, expected_version=if_match
    )
    set_etag(response, tandem)
    return TandemOut.of(tandem)


@router.put("/tandems/{tandem_id}/fit-check", operation_id="answer_fit_check", responses=problems(412))
async def answer_fit_check(
    tandem_id: UUID, body: FitCheckIn, caller: CurrentCaller, uow: RequestUow, if_match: IfMatch, response: Response
) -> TandemOut:
    """The caller's side answers after the first held session; a no flags the tandem for a rematch."""
    tandem = await tandems.answer_fit_check(uow, caller, tandem_id, fits=body.fits, expected_version=if_match)
    set_etag(response, tandem)
    return TandemOut.of(tandem)


@router.get("/tandems/{tandem_id}/slot-suggestions", operation_id="suggest_slots")
async def suggest_slots(
    tandem_id: UUID,
    caller: CurrentCaller,
    uow: RequestUow,
    duration_minutes: Annotated[
        int, Query(ge=MIN_DURATION_MINUTES, le=MAX_DURATION_MINUTES, description="length of a slot")
    ] = 60,
    days: Annotated[int, Query(ge=1, le=MAX_DAYS, description="how far ahead to look, from now")] = 14,
    limit: Annotated[int, Query(ge=1, le=MAX_SLOTS, description="at most this many slots")] = 10,
) -> SlotSuggestionsOut:
    """Common free slots of an active tandem's mentor and mentee: inside both weekly availabilities
    (each in its own time zone) and the program period, skipping either person's scheduled sessions."""
    suggestions = await scheduling.suggest_slots(
        uow,
        caller,
        tandem_id,
        duration=timedelta(minutes=duration_minutes),
        days=days,
        limit=limit,
        now=utcnow(),
    )
    return SlotSuggestionsOut.of(suggestions)


Transition = Callable[[UnitOfWork, Caller, UUID, str | None, int | None], Awaitable[Tandem]]


def _transition(path: str, operation_id: str, use_case: Transition, doc: str) -> None:
    async def endpoint(
        tandem_id: UUID,
        caller: CurrentCaller,
        uow: RequestUow,
        if_match: IfMatch,
        response: Response,
        body: ReasonIn | None = None,
    ) -> TandemOut:
        tandem = await use_case(uow, caller, tandem_id, body.reason if body else None, if_match)
        set_etag(response, tandem)
        return TandemOut.of(tandem)

    add_transition_route(router, f"/tandems/{{tandem_id}}/{path}", endpoint, operation_id, doc)


_transition("decline", "decline_tandem", tandems.decline_tandem, "proposed → declined, by either side")
_transition("pause", "pause_tandem", tandems.pause_tandem, "active → paused")
_transition("resume", "resume_tandem", tandems.resume_tandem, "paused → active")
_transition("complete", "complete_tandem", tandems.complete_tandem, "active | paused → completed")
