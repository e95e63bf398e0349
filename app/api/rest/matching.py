"""Matching: a program's policy (/v1/programs/{program_id}/matching-policy) and suggestions."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response, status

from app.api.deps import CurrentCaller, Jobs, RequestUow
from app.api.rest.conventions import IfMatch, Paging, page_out, set_etag
from app.api.rest.responses import COMMON, problems
from app.api.schemas.matching import (
    AcceptedRunOut,
    AcceptRunIn,
    MatchingPolicyIn,
    MatchingPolicyOut,
    MatchingRunIn,
    MatchingRunOut,
    MatchingRunPage,
    RematchCandidateList,
    RematchCandidateOut,
    SuggestionList,
    SuggestionOut,
)
from app.services import matching, matching_runs

router = APIRouter(prefix="/v1/programs/{program_id}", tags=["matching"], responses=COMMON)


@router.get("/matching-policy", operation_id="get_matching_policy")
async def get_matching_policy(
    program_id: UUID, caller: CurrentCaller, uow: RequestUow, response: Response
) -> MatchingPolicyOut:
    """The program's weights, objective, self-matching switch and proposal expiry; ETag = the program's."""
    program = await matching.get_matching_policy(uow, caller, program_id)
    set_etag(response, program)
    return MatchingPolicyOut.of(program)


@router.put("/matching-policy", operation_id="set_matching_policy", responses=problems(409, 412))
async def set_matching_policy(
    program_id: UUID,
    body: MatchingPolicyIn,
    caller: CurrentCaller,
    uow: RequestUow,
    if_match: IfMatch,
    response: Response,
) -> MatchingPolicyOut:
    """Replace the whole policy (managers); fields left out take their defaults. If-Match: the program's ETag."""
    program = await matching.set_matching_policy(uow, caller, program_id, body.domain(), expected_version=if_match)
    set_etag(response, program)
    return MatchingPolicyOut.of(program)


@router.get("/enrollments/{enrollment_id}/suggestions", operation_id="suggest_candidates")
async def suggest_candidates(
    program_id: UUID,
    enrollment_id: UUID,
    caller: CurrentCaller,
    uow: RequestUow,
    limit: Annotated[int, Query(ge=1, le=matching.MAX_SUGGESTIONS, description="at most this many candidates")] = 20,
) -> SuggestionList:
    """The other side ranked for this participant, each with score, components and explanation.

    Members ask for their own enrollment (403 otherwise); managers for anyone. Candidates that
    break a hard rule come last, with the rule in ``blocked_by``. A pass by either side leaves
    the candidate out, and is never revealed.
    """
    suggestions = await matching.suggest_candidates(uow, caller, program_id, enrollment_id, limit)
    return SuggestionList(items=[SuggestionOut.of(s) for s in suggestions])


@router.post(
    "/matching-runs",
    operation_id="start_matching_run",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problems(409, 503),
)
async def start_matching_run(
    program_id: UUID,
    caller: CurrentCaller,
    uow: RequestUow,
    jobs: Jobs,
    response: Response,
    body: MatchingRunIn | None = None,
) -> MatchingRunOut:
    """Queue a matching run (managers; the program must be in matching). A worker computes the
    exactly optimal proposals; follow Location to watch status and progress."""
    pinned = body.domain() if body is not None else []
    run = await matching_runs.start_run(uow, jobs, caller, program_id, pinned)
    response.headers["Location"] = f"/v1/programs/{program_id}/matching-runs/{run.id}"
    return MatchingRunOut.of(run)


@router.get("/matching-runs", operation_id="list_matching_runs")
async def list_matching_runs(
    program_id: UUID, caller: CurrentCaller, uow: RequestUow, paging: Paging
) -> MatchingRunPage:
    """The program's runs, oldest first (managers)."""
    page = await matching_runs.list_runs(uow, caller, program_id, paging)
    return MatchingRunPage.model_validate(page_out(page, MatchingRunOut))


@router.get("/matching-runs/{run_id}", operation_id="get_matching_run")
async def get_matching_run(program_id: UUID, run_id: UUID, caller: CurrentCaller, uow: RequestUow) -> MatchingRunOut:
    """Status and progress; once completed, the proposals (score, components, explanation) and
    the unmatched participants with the reason."""
    return MatchingRunOut.of(await matching_runs.get_run(uow, caller, program_id, run_id))


@router.post("/matching-runs/{run_id}/accept", operation_id="accept_matching_run", responses=problems(409))
async def accept_matching_run(
    program_id: UUID, run_id: UUID, caller: CurrentCaller, uow: RequestUow, body: AcceptRunIn | None = None
) -> AcceptedRunOut:
    """Turn all (``proposals`` left out) or the chosen proposals into proposed tandems, all or
    none, under the rules of manual pairing: a clash with a tandem formed meanwhile is a 409
    with the rule's code, and nothing is kept."""
    indices = body.proposals if body is not None else None
    accepted = await matching_runs.accept_run(uow, caller, program_id, run_id, indices)
    return AcceptedRunOut(
        run=MatchingRunOut.of(accepted.run),
        tandem_ids=[t.id for t in accepted.tandems],
        dissolved_tandem_ids=[t.id for t in accepted.dissolved],
    )


@router.get("/rematch-candidates", operation_id="list_rematch_candidates")
async def list_rematch_candidates(program_id: UUID, caller: CurrentCaller, uow: RequestUow) -> RematchCandidateList:
    """Who needs a rematch (managers): both participants of every open tandem a failed fit check
    flagged, mentee first. A matching run started while the program is running proposes new
    partners for them (never the same pair again); accepting a proposal dissolves their tandem."""
    found = await matching.rematch_candidates(uow, caller, program_id)
    return RematchCandidateList(items=[RematchCandidateOut.of(c) for c in found])
