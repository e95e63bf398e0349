"""/v1/programs: programs and their state machine."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from uuid import UUID

from fastapi import APIRouter, Response, status

from app.api.deps import AppSettings, CurrentCaller, RequestUow
from app.api.rest.conventions import IfMatch, Paging, page_out, set_etag
from app.api.rest.openapi_links import follow_id
from app.api.rest.responses import COMMON, add_transition_route, problems
from app.api.schemas.programs import ProgramIn, ProgramOut, ProgramPage, ProgramPatch
from app.domain.access import Caller
from app.domain.program import Program
from app.services import programs
from app.services.ports import UnitOfWork

router = APIRouter(prefix="/v1/programs", tags=["programs"], responses=COMMON)


@router.post(
    "",
    operation_id="create_program",
    status_code=status.HTTP_201_CREATED,
    responses={
        201: follow_id("program_id", "get_program", "update_program", "open_enrollment", "cancel_program"),
        **problems(409),
    },
)
async def create_program(
    body: ProgramIn, caller: CurrentCaller, uow: RequestUow, settings: AppSettings, response: Response
) -> ProgramOut:
    """Create a draft program (program managers, org admins)."""
    program = await programs.create_program(
        uow,
        caller,
        title=body.title,
        description=body.description,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        rules=body.domain_rules(),
        bounds=settings.period_bounds,
    )
    set_etag(response, program)
    response.headers["Location"] = f"/v1/programs/{program.id}"
    return ProgramOut.of(program)


@router.get("", operation_id="list_programs")
async def list_programs(caller: CurrentCaller, uow: RequestUow, paging: Paging) -> ProgramPage:
    page = await programs.list_programs(uow, caller, paging)
    return ProgramPage.model_validate(page_out(page, ProgramOut))


@router.get("/{program_id}", operation_id="get_program")
async def get_program(program_id: UUID, caller: CurrentCaller, uow: RequestUow, response: Response) -> ProgramOut:
    program = await programs.get_program(uow, caller, program_id)
    set_etag(response, program)
    return ProgramOut.of(program)


@router.patch(
    "/{program_id}",
    operation_id="update_program",
    responses={200: follow_id("program_id", "get_program", "open_enrollment"), **problems(409, 412)},
)
async def update_program(
    program_id: UUID,
    body: ProgramPatch,
    caller: CurrentCaller,
    uow: RequestUow,
    if_match: IfMatch,
    settings: AppSettings,
    response: Response,
) -> ProgramOut:
    """Edit title, period or rules. A rule change that open tandems would break is refused (409)."""
    program = await programs.update_program(
        uow, caller, program_id, body.command(), expected_version=if_match, bounds=settings.period_bounds
    )
    set_etag(response, program)
    return ProgramOut.of(program)


Transition = Callable[[UnitOfWork, Caller, UUID, int | None], Awaitable[Program]]


def _transition(path: str, operation_id: str, use_case: Transition, doc: str) -> None:
    async def endpoint(
        program_id: UUID, caller: CurrentCaller, uow: RequestUow, if_match: IfMatch, response: Response
    ) -> ProgramOut:
        program = await use_case(uow, caller, program_id, if_match)
        set_etag(response, program)
        return ProgramOut.of(program)

    add_transition_route(router, f"/{{program_id}}/{path}", endpoint, operation_id, doc)


_transition("open-enrollment", "open_enrollment", programs.open_enrollment, "draft → enrolling")
_transition("start-matching", "start_matching", programs.start_matching, "enrolling → matching")
_transition("launch", "launch_program", programs.launch_program, "matching → running: sessions may start")
_transition(
    "complete",
    "complete_program",
    programs.complete_program,
    "running → completed; running tandems complete, unanswered proposals expire",
)
_transition("cancel", "cancel_program", programs.cancel_program, "any state before completed → cancelled")
