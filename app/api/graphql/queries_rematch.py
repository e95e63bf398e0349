"""Who needs a rematch, as REST's /v1/programs/{program_id}/rematch-candidates."""

from __future__ import annotations

from uuid import UUID

import strawberry

from app.api.graphql.queries_support import described
from app.api.graphql.types import Ctx
from app.api.graphql.types_matching import RematchCandidate
from app.services import matching


@strawberry.type
class RematchQueries:
    @described(
        "both participants of every open tandem a failed fit check flagged, mentee first (managers): a matching "
        "run in the running program proposes new partners; accepting dissolves the flagged tandem"
    )
    async def rematch_candidates(self, info: Ctx, program_id: UUID) -> list[RematchCandidate]:
        found = await matching.rematch_candidates(info.context.uow, info.context.caller, program_id)
        return [RematchCandidate.of(c) for c in found]
