"""Program insights as GraphQL objects: the same figures as REST's /v1/programs/{id}/insights."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

import strawberry
from strawberry.types import Info

from app.api.graphql.context import Context
from app.api.graphql.queries_support import or_none
from app.domain import insights as ins
from app.services import insights


@strawberry.type(description="how many of something there are, by key (a status, a format, a health)")
class Tally:
    key: str
    count: int


def tallies(counts: Mapping[Any, int]) -> list[Tally]:
    return [Tally(key=str(key), count=n) for key, n in counts.items()]


@strawberry.type
class ParticipantCount:
    role: str
    generation: str
    count: int


@strawberry.type
class SessionsPerTandem:
    mean: float = strawberry.field(description="held sessions per tandem that started (both sides accepted)")
    distribution: list[Tally] = strawberry.field(description="key: held sessions; count: tandems")


@strawberry.type
class SideRating:
    side: str
    mean: float
    ratings: int


@strawberry.type
class LearnedTopic:
    side: str = strawberry.field(description="who reported having learned it")
    topic: str
    mentions: int


@strawberry.type
class ProposalTally:
    pending: int
    expiring_soon: int
    overdue: int


@strawberry.type
class FitCheckTally:
    mentor_yes: int
    mentor_no: int
    mentee_yes: int
    mentee_no: int
    failed: int


@strawberry.type
class RematchTally:
    flagged: int
    dissolved: int
    rematched: int


@strawberry.type(description="how a program is doing, as REST's GET /v1/programs/{program_id}/insights")
class ProgramInsights:
    participants: list[ParticipantCount]
    tandems_by_status: list[Tally]
    tandems_by_health: list[Tally] = strawberry.field(description="open tandems only; closed ones have no health")
    sessions_per_tandem: SessionsPerTandem
    formats: list[Tally] = strawberry.field(description="held sessions by format")
    ratings: list[SideRating]
    goals_by_status: list[Tally]
    learned: list[LearnedTopic]
    proposals: ProposalTally
    fit_checks: FitCheckTally
    rematches: RematchTally

    @classmethod
    def of(cls, i: ins.ProgramInsights) -> ProgramInsights:
        p, f, r = i.proposals, i.fit_checks, i.rematches
        return cls(
            participants=[
                ParticipantCount(role=c.role, generation=c.generation.value, count=c.count) for c in i.participants
            ],
            tandems_by_status=tallies(i.tandems_by_status),
            tandems_by_health=tallies({h.value: n for h, n in i.tandems_by_health.items()}),
            sessions_per_tandem=SessionsPerTandem(
                mean=i.sessions_per_tandem.mean, distribution=tallies(i.sessions_per_tandem.distribution)
            ),
            formats=tallies(i.formats),
            ratings=[SideRating(side=s.side, mean=s.mean, ratings=s.ratings) for s in i.ratings],
            goals_by_status=tallies(i.goals_by_status),
            learned=[LearnedTopic(side=t.side, topic=t.topic, mentions=t.mentions) for t in i.learned],
            proposals=ProposalTally(pending=p.pending, expiring_soon=p.expiring_soon, overdue=p.overdue),
            fit_checks=FitCheckTally(
                mentor_yes=f.mentor_yes,
                mentor_no=f.mentor_no,
                mentee_yes=f.mentee_yes,
                mentee_no=f.mentee_no,
                failed=f.failed,
            ),
            rematches=RematchTally(flagged=r.flagged, dissolved=r.dissolved, rematched=r.rematched),
        )


async def insights_or_none(info: Info[Context, None], program_id: UUID) -> ProgramInsights | None:
    """The program's insights for its managers; null for anyone else, or another tenant's program."""
    ctx = info.context
    found = await or_none(insights.program_insights(ctx.uow, ctx.caller, program_id))
    return ProgramInsights.of(found) if found is not None else None
