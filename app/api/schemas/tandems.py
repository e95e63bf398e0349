"""Tandems: manual pairing, each side's answers, the life cycle, history and slot suggestions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self
from uuid import UUID
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, StringConstraints

from app.api.schemas.base import Body, PageOut, Resource
from app.domain.health import Health, ReasonCode
from app.domain.tandem import MAX_REASON, Tandem, TandemStatus, Transition
from app.domain.values import MeetingFormat
from app.services.scheduling import SlotSuggestions

Reason = Annotated[str, StringConstraints(max_length=MAX_REASON)]


class TandemIn(Body):
    mentor_enrollment_id: UUID
    mentee_enrollment_id: UUID
    formats: list[MeetingFormat] = Field(
        default_factory=list, max_length=len(MeetingFormat), description="agreed formats; by default those both prefer"
    )
    reason: Reason | None = Field(default=None, description="why this pair; kept in the history")


class ReasonIn(Body):
    reason: Reason | None = Field(default=None, description="kept in the tandem's history")


class DissolveIn(Body):
    reason: Reason = Field(description="required: why the tandem ends early")
    never_pair_again: bool = Field(description="exclude this pair from every later matching of the organization")


class FitCheckIn(Body):
    fits: bool = Field(description="does the pairing fit? A no flags the tandem for a rematch")


class HealthReasonOut(BaseModel):
    code: ReasonCode = Field(description="stable, for programs")
    message: str = Field(description="for people")


class TandemOut(Resource):
    program_id: UUID
    mentor_enrollment_id: UUID
    mentee_enrollment_id: UUID
    mentor_person_id: UUID
    mentee_person_id: UUID
    status: TandemStatus
    formats: list[MeetingFormat]
    health: Health | None = Field(
        description="stored, kept current by every change and a periodic sweep; null for a closed tandem"
    )
    health_reason: str | None = Field(description="the main reason for the health (the first of health_reasons)")
    health_reasons: list[HealthReasonOut] = Field(description="every reason for the health, worst first")
    health_changed_at: datetime | None = Field(description="when the health last changed")
    expires_at: datetime = Field(description="an unanswered proposal expires then")
    mentor_accepted_at: datetime | None
    mentee_accepted_at: datetime | None
    mentor_fits: bool | None = Field(description="the mentor's fit-check answer; null until given")
    mentee_fits: bool | None = Field(description="the mentee's fit-check answer; null until given")
    rematch_flagged: bool = Field(description="a side answered the fit check with no")
    end_reason: str | None
    never_pair_again: bool

    @classmethod
    def of(cls, t: Tandem) -> Self:
        health = t.health
        return cls(
            id=t.id,
            program_id=t.program_id,
            mentor_enrollment_id=t.mentor_enrollment_id,
            mentee_enrollment_id=t.mentee_enrollment_id,
            mentor_person_id=t.mentor_person_id,
            mentee_person_id=t.mentee_person_id,
            status=t.status,
            formats=list(t.formats),
            health=health.health if health else None,
            health_reason=health.reason if health else None,
            health_reasons=[HealthReasonOut(code=r.code, message=r.message) for r in health.reasons] if health else [],
            health_changed_at=t.health_changed_at,
            expires_at=t.expires_at,
            mentor_accepted_at=t.mentor_accepted_at,
            mentee_accepted_at=t.mentee_accepted_at,
            mentor_fits=t.fit_mentor,
            mentee_fits=t.fit_mentee,
            rematch_flagged=t.rematch_flagged,
            end_reason=t.end_reason,
            never_pair_again=t.never_pair_again,
            created_at=t.created_at,
            updated_at=t.updated_at,
        )


class TandemPage(PageOut[TandemOut]):
    pass


class TransitionOut(BaseModel):
    from_status: TandemStatus | None = Field(description="null for the proposal that created the tandem")
    to_status: TandemStatus
    actor_id: UUID | None = Field(description="the user who acted; null for the system (expiry)")
    at: datetime
    reason: str | None

    @classmethod
    def of(cls, t: Transition) -> Self:
        return cls(from_status=t.from_status, to_status=t.to_status, actor_id=t.actor_id, at=t.at, reason=t.reason)


class TandemHistory(BaseModel):
    """Every state change, oldest first. A tandem has few, so they come in one list."""

    items: list[TransitionOut]


class SlotOut(BaseModel):
    starts_at: datetime = Field(description="UTC")
    ends_at: datetime = Field(description="UTC")
    mentor_local_start: datetime = Field(description="the start in the mentor's time zone")
    mentee_local_start: datetime = Field(description="the start in the mentee's time zone")


class SlotSuggestionsOut(BaseModel):
    """Common free slots, earliest first; booked sessions of either person are skipped."""

    items: list[SlotOut]
    mentor_timezone: str
    mentee_timezone: str

    @classmethod
    def of(cls, s: SlotSuggestions) -> Self:
        mentor_tz, mentee_tz = ZoneInfo(s.mentor_timezone), ZoneInfo(s.mentee_timezone)
        return cls(
            items=[
                SlotOut(
                    starts_at=start,
                    ends_at=end,
                    mentor_local_start=start.astimezone(mentor_tz),
                    mentee_local_start=start.astimezone(mentee_tz),
                )
                for start, end in s.slots
            ],
            mentor_timezone=s.mentor_timezone,
            mentee_timezone=s.mentee_timezone,
        )
