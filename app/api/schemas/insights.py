"""Program insights: the response body of GET /v1/programs/{program_id}/insights."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, Field

from app.domain.generations import Generation
from app.domain.health import Health
from app.domain.insights import (
    FitCheckTally,
    LearnedTopic,
    ParticipantCount,
    ProgramInsights,
    ProposalTally,
    RematchTally,
    SideRating,
)


class ParticipantCountOut(BaseModel):
    role: str
    generation: Generation
    count: int

    @classmethod
    def of(cls, p: ParticipantCount) -> Self:
        return cls(role=p.role, generation=p.generation, count=p.count)


class SessionsPerTandemOut(BaseModel):
    mean: float = Field(description="held sessions per tandem that started (both sides accepted)")
    distribution: dict[int, int] = Field(description="held sessions → number of tandems")


class SideRatingOut(BaseModel):
    side: str
    mean: float
    ratings: int = Field(description="how many ratings the mean is of")

    @classmethod
    def of(cls, r: SideRating) -> Self:
        return cls(side=r.side, mean=r.mean, ratings=r.ratings)


class LearnedTopicOut(BaseModel):
    side: str = Field(description="who reported having learned it")
    topic: str
    mentions: int = Field(description="how many feedbacks named it")

    @classmethod
    def of(cls, t: LearnedTopic) -> Self:
        return cls(side=t.side, topic=t.topic, mentions=t.mentions)


class ProposalsOut(BaseModel):
    pending: int
    expiring_soon: int = Field(description="pending proposals that expire within three days")
    overdue: int = Field(description="pending proposals past their expiry, not yet swept")

    @classmethod
    def of(cls, p: ProposalTally) -> Self:
        return cls(pending=p.pending, expiring_soon=p.expiring_soon, overdue=p.overdue)


class FitChecksOut(BaseModel):
    mentor_yes: int
    mentor_no: int
    mentee_yes: int
    mentee_no: int
    failed: int = Field(description="tandems where either side answered no")

    @classmethod
    def of(cls, f: FitCheckTally) -> Self:
        return cls(
            mentor_yes=f.mentor_yes,
            mentor_no=f.mentor_no,
            mentee_yes=f.mentee_yes,
            mentee_no=f.mentee_no,
            failed=f.failed,
        )


class RematchesOut(BaseModel):
    flagged: int = Field(description="open tandems flagged for a rematch by a failed fit check")
    dissolved: int
    rematched: int = Field(description="mentees paired again after a dissolved tandem")

    @classmethod
    def of(cls, r: RematchTally) -> Self:
        return cls(flagged=r.flagged, dissolved=r.dissolved, rematched=r.rematched)


class InsightsOut(BaseModel):
    participants: list[ParticipantCountOut] = Field(description="active enrollments by role and generation")
    tandems_by_status: dict[str, int]
    tandems_by_health: dict[Health, int] = Field(description="open tandems only; closed tandems have no health")
    sessions_per_tandem: SessionsPerTandemOut
    formats: dict[str, int] = Field(description="held sessions by format")
    ratings: list[SideRatingOut] = Field(description="mean feedback rating per side")
    goals_by_status: dict[str, int]
    learned: list[LearnedTopicOut] = Field(description="the topics each side most often reports having learned")
    proposals: ProposalsOut
    fit_checks: FitChecksOut
    rematches: RematchesOut

    @classmethod
    def of(cls, i: ProgramInsights) -> Self:
        return cls(
            participants=[ParticipantCountOut.of(p) for p in i.participants],
            tandems_by_status=dict(i.tandems_by_status),
            tandems_by_health=dict(i.tandems_by_health),
            sessions_per_tandem=SessionsPerTandemOut(
                mean=i.sessions_per_tandem.mean, distribution=dict(i.sessions_per_tandem.distribution)
            ),
            formats=dict(i.formats),
            ratings=[SideRatingOut.of(r) for r in i.ratings],
            goals_by_status=dict(i.goals_by_status),
            learned=[LearnedTopicOut.of(t) for t in i.learned],
            proposals=ProposalsOut.of(i.proposals),
            fit_checks=FitChecksOut.of(i.fit_checks),
            rematches=RematchesOut.of(i.rematches),
        )
