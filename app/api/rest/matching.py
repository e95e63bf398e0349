"""Matching: a program's policy (/v1/programs/{program_id}/matching-policy) and suggestions."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response

from app.api.deps import CurrentCaller, UowFactory
from app.api.rest.conventions import IfMatch, set_etag
from app.api.rest.responses import COMMON, problems
from app.api.rest.schemas.matching import MatchingPolicyIn, MatchingPolicyOut, SuggestionList, SuggestionOut
from app.services import matching

router = APIRouter(prefix="/v1/programs/{program_id}", tags=["matching"], responses=COMMON)


@router.get("/matching-policy", operation_id="get_matching_policy")
async def get_matching_policy(
    program_id: UUID, caller: CurrentCaller, uow: UowFactory, response: Response
) -> MatchingPolicyOut:
    """The program's weights, objective, self-matching switch and proposal expiry; ETag = the program's."""
    program = await matching.get_matching_policy(uow(), caller, program_id)
    set_etag(response, program)
    return MatchingPolicyOut.of(program)


@router.put("/matching-policy", operation_id="set_matching_policy", responses=problems(409, 412))
async def set_matching_policy(
    program_id: UUID,
    body: MatchingPolicyIn,
    caller: CurrentCaller,
    uow: UowFactory,
    if_match: IfMatch,
    response: Response,
) -> MatchingPolicyOut:
    """Replace the whole policy (managers); fields left out take their defaults. If-Match: the program's ETag."""
    program = await matching.set_matching_policy(uow(), caller, program_id, body.domain(), expected_version=if_match)
    set_etag(response, program)
    return MatchingPolicyOut.of(program)


@router.get("/enrollments/{enrollment_id}/suggestions", operation_id="suggest_candidates")
async def suggest_candidates(
    program_id: UUID,
    enrollment_id: UUID,
    caller: CurrentCaller,
    uow: UowFactory,
    limit: Annotated[int, Query(ge=1, le=matching.MAX_SUGGESTIONS, description="at most this many candidates")] = 20,
) -> SuggestionList:
    """The other side ranked for this participant, each with score, components and explanation.

    Members ask for their own enrollment (403 otherwise); managers for anyone. Candidates that
    break a hard rule come last, with the rule in ``blocked_by``. A pass by either side leaves
    the candidate out, and is never revealed.
    """
    suggestions = await matching.suggest_candidates(uow(), caller, program_id, enrollment_id, limit)
    return SuggestionList(items=[SuggestionOut.of(s) for s in suggestions])
