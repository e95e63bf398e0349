"""Matching mutations: a program's policy, matching runs and their acceptance.

The same use cases as REST's /v1/programs/{program_id}/matching-policy and …/matching-runs;
arguments are checked by REST's models (MatchingPolicyIn, MatchingRunIn, AcceptRunIn). A run is
queued on the same job queue REST uses (the context's ``jobs``); a worker computes it.
"""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

import strawberry

from app.api.graphql.errors import Problem, attempt, flow_limited
from app.api.graphql.inputs import command, parse
from app.api.graphql.types import Ctx
from app.api.graphql.types_matching import AcceptedRun, MatchingPolicy, MatchingRun, Objective
from app.api.schemas.matching import AcceptRunIn, MatchingPolicyIn, MatchingRunIn
from app.services import matching, matching_runs
from app.services.matching_runs import Accepted

MatchingRunResult = Annotated[MatchingRun | Problem, strawberry.union("MatchingRunResult")]
AcceptResult = Annotated[AcceptedRun | Problem, strawberry.union("AcceptResult")]
MatchingPolicyResult = Annotated[MatchingPolicy | Problem, strawberry.union("MatchingPolicyResult")]


@strawberry.input(description="a pair kept as given by the run (it must satisfy every hard rule)")
class PinInput:
    mentor_enrollment_id: UUID
    mentee_enrollment_id: UUID


@strawberry.input(description="each component's weight, 0 (ignored) to 10; one left out takes its default")
class WeightsInput:
    topic_fit: float | None = strawberry.UNSET
    shared_interests: float | None = strawberry.UNSET
    contrast: float | None = strawberry.UNSET
    format_place: float | None = strawberry.UNSET
    mutual_like: float | None = strawberry.UNSET


@strawberry.input(description="the whole policy (REST's PUT): a field left out takes its default")
class MatchingPolicyInput:
    weights: WeightsInput | None = strawberry.UNSET
    objective: Objective | None = strawberry.UNSET  # type: ignore[valid-type]
    self_matching: bool | None = strawberry.UNSET
    proposal_expiry_days: int | None = strawberry.field(default=strawberry.UNSET, description="1 to 90")


def _accepted(accepted: Accepted) -> AcceptedRun:
    return AcceptedRun(
        run=MatchingRun.of(accepted.run),
        tandem_ids=[t.id for t in accepted.tandems],
        dissolved_tandem_ids=[t.id for t in accepted.dissolved],
    )


@strawberry.type
class MatchingMutations:
    @command("Replace the program's matching policy (managers); fields left out take their defaults.")
    async def set_matching_policy(
        self, info: Ctx, program_id: UUID, policy: MatchingPolicyInput, expected_version: int | None = None
    ) -> MatchingPolicyResult:
        body = parse(MatchingPolicyIn, policy, "policy")
        if isinstance(body, Problem):
            return body
        ctx = info.context
        return await attempt(
            matching.set_matching_policy(
                ctx.uow, ctx.caller, program_id, body.domain(), expected_version=expected_version
            ),
            MatchingPolicy.of,
        )

    @command("Queue a matching run (managers; the program must be in matching); query matchingRun to watch it.")
    async def start_matching_run(
        self, info: Ctx, program_id: UUID, pinned: list[PinInput] | None = None
    ) -> MatchingRunResult:
        body = parse(MatchingRunIn, {"pinned": pinned or []}, "")
        if isinstance(body, Problem):
            return body
        limited = await flow_limited(info, "matching_run")
        if limited is not None:
            return limited
        ctx = info.context
        return await attempt(
            matching_runs.start_run(ctx.uow, ctx.jobs, ctx.caller, program_id, body.domain()),
            MatchingRun.of,
        )

    @command("Turn all (proposals left out) or the chosen proposals into proposed tandems, all or none.")
    async def accept_matching_run(
        self, info: Ctx, program_id: UUID, run_id: UUID, proposals: list[int] | None = None
    ) -> AcceptResult:
        body = parse(AcceptRunIn, {"proposals": proposals}, "")
        if isinstance(body, Problem):
            return body
        ctx = info.context
        return await attempt(
            matching_runs.accept_run(ctx.uow, ctx.caller, program_id, run_id, body.proposals), _accepted
        )
