"""Tandem mutations: manual pairing, each side's answer, the life cycle and the fit check.

The same use cases as REST's /v1/programs/{program_id}/tandems and /v1/tandems/{tandem_id}/…;
reasons and bodies are checked by REST's models (TandemIn, ReasonIn, DissolveIn). Every
transition takes ``expectedVersion`` (REST's If-Match). Refusals are Problems.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated
from uuid import UUID

import strawberry

from app.api.graphql.errors import Problem, attempt
from app.api.graphql.inputs import command, parse
from app.api.graphql.types import Ctx, MeetingFormat, Tandem
from app.api.schemas.tandems import DissolveIn, ReasonIn, TandemIn
from app.domain import tandem as ta
from app.domain.access import Caller
from app.services import tandems
from app.services.ports import UnitOfWork

TandemResult = Annotated[Tandem | Problem, strawberry.union("TandemResult")]
TandemStep = Callable[[UnitOfWork, Caller, UUID, str | None, int | None], Awaitable[ta.Tandem]]


@strawberry.input(description="a manual pairing (managers); bounds as REST's TandemIn")
class TandemInput:
    mentor_enrollment_id: UUID
    mentee_enrollment_id: UUID
    formats: list[MeetingFormat] = strawberry.field(  # type: ignore[valid-type]
        default_factory=list, description="agreed formats; by default those both prefer"
    )
    reason: str | None = strawberry.field(default=None, description="why this pair, up to 2000 characters")


async def _step(
    info: Ctx, step: TandemStep, id: UUID, reason: str | None, expected_version: int | None
) -> Tandem | Problem:
    body = parse(ReasonIn, {"reason": reason}, "")
    if isinstance(body, Problem):
        return body
    ctx = info.context
    return await attempt(step(ctx.uow, ctx.caller, id, body.reason, expected_version), Tandem.of)


@strawberry.type
class TandemMutations:
    @command(
        "Pair a mentor and a mentee by hand (managers), under the same rules as matching: "
        "program rules, one open tandem per mentee, the mentor's capacity."
    )
    async def propose_tandem(self, info: Ctx, program_id: UUID, tandem: TandemInput) -> TandemResult:
        body = parse(TandemIn, tandem, "tandem")
        if isinstance(body, Problem):
            return body
        ctx = info.context
        return await attempt(
            tandems.propose_tandem(
                ctx.uow,
                ctx.caller,
                program_id,
                mentor_enrollment_id=body.mentor_enrollment_id,
                mentee_enrollment_id=body.mentee_enrollment_id,
                formats=tuple(body.formats),
                reason=body.reason,
            ),
            Tandem.of,
        )

    @command("The caller accepts for their side; the second acceptance activates.")
    async def accept_tandem(self, info: Ctx, id: UUID, expected_version: int | None = None) -> TandemResult:
        ctx = info.context
        return await attempt(tandems.accept_tandem(ctx.uow, ctx.caller, id, expected_version), Tandem.of)

    @command("proposed → declined, by either side; the reason goes to the history.")
    async def decline_tandem(
        self, info: Ctx, id: UUID, reason: str | None = None, expected_version: int | None = None
    ) -> TandemResult:
        return await _step(info, tandems.decline_tandem, id, reason, expected_version)

    @command("active → paused")
    async def pause_tandem(
        self, info: Ctx, id: UUID, reason: str | None = None, expected_version: int | None = None
    ) -> TandemResult:
        return await _step(info, tandems.pause_tandem, id, reason, expected_version)

    @command("paused → active")
    async def resume_tandem(
        self, info: Ctx, id: UUID, reason: str | None = None, expected_version: int | None = None
    ) -> TandemResult:
        return await _step(info, tandems.resume_tandem, id, reason, expected_version)

    @command("active | paused → completed")
    async def complete_tandem(
        self, info: Ctx, id: UUID, reason: str | None = None, expected_version: int | None = None
    ) -> TandemResult:
        return await _step(info, tandems.complete_tandem, id, reason, expected_version)

    @command(
        "active | paused → dissolved. A reason is required; both people become free for a "
        "rematch; neverPairAgain excludes the pair from every later matching of the organization."
    )
    async def dissolve_tandem(
        self, info: Ctx, id: UUID, reason: str, never_pair_again: bool, expected_version: int | None = None
    ) -> TandemResult:
        body = parse(DissolveIn, {"reason": reason, "never_pair_again": never_pair_again}, "")
        if isinstance(body, Problem):
            return body
        ctx = info.context
        return await attempt(
            tandems.dissolve_tandem(
                ctx.uow,
                ctx.caller,
                id,
                reason=body.reason,
                never_pair_again=body.never_pair_again,
                expected_version=expected_version,
            ),
            Tandem.of,
        )

    @command("The caller's side answers after the first held session; no flags a rematch.")
    async def answer_fit_check(
        self, info: Ctx, id: UUID, fits: bool, expected_version: int | None = None
    ) -> TandemResult:
        ctx = info.context
        return await attempt(
            tandems.answer_fit_check(ctx.uow, ctx.caller, id, fits=fits, expected_version=expected_version),
            Tandem.of,
        )
