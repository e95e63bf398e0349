"""Session mutations: meetings of a tandem, their life cycle and each side's feedback.

The same use cases as REST's /v1/tandems/{tandem_id}/sessions and /v1/sessions/…; arguments
are checked by REST's SessionIn, SessionPatch, HoldIn and FeedbackIn. Refusals are Problems.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import strawberry

from app.api.graphql.errors import Problem, attempt
from app.api.graphql.inputs import command, parse
from app.api.graphql.types import Ctx, MeetingFormat, Session
from app.api.schemas.sessions import FeedbackIn, HoldIn, SessionIn, SessionPatch
from app.services import sessions

SessionResult = Annotated[Session | Problem, strawberry.union("SessionResult")]


@strawberry.input(description="a meeting; bounds as REST's SessionIn")
class SessionInput:
    starts_at: datetime = strawberry.field(description="with an offset; a time without one is refused")
    duration_minutes: int = strawberry.field(description="5 to 720")
    format: MeetingFormat  # type: ignore[valid-type]
    location: str | None = strawberry.field(default=None, description="up to 500 characters")
    video_link: str | None = strawberry.field(default=None, description="an http(s) URL")
    agenda: str = strawberry.field(default="", description="up to 10000 characters")


@strawberry.input(description="the fields to change; null or left out keeps the value")
class SessionPatchInput:
    starts_at: datetime | None = None
    duration_minutes: int | None = None
    format: MeetingFormat | None = None  # type: ignore[valid-type]
    location: str | None = None
    video_link: str | None = None
    agenda: str | None = None


@strawberry.input(description="the caller's own feedback on a held session; bounds as REST's FeedbackIn")
class FeedbackInput:
    rating: int = strawberry.field(description="1 (poor) to 5 (excellent)")
    learned: str = strawberry.field(default="", description="what the caller learned, up to 10000 characters")
    goals_covered: list[UUID] = strawberry.field(default_factory=list, description="ids of the tandem's goals")
    comment: str = ""


@strawberry.type
class SessionMutations:
    @command("Schedule a meeting of an active tandem while the program runs, in its period.")
    async def schedule_session(self, info: Ctx, tandem_id: UUID, session: SessionInput) -> SessionResult:
        body = parse(SessionIn, session, "session")
        if isinstance(body, Problem):
            return body
        ctx = info.context
        return await attempt(
            sessions.schedule_session(
                ctx.uow,
                ctx.caller,
                tandem_id,
                starts_at=body.starts_at,
                duration_minutes=body.duration_minutes,
                format=body.format,
                location=body.location,
                video_link=str(body.video_link) if body.video_link else None,
                agenda=body.agenda,
            ),
            Session.of,
        )

    @command("Change time or details of a scheduled session; it stays scheduled.")
    async def reschedule_session(
        self, info: Ctx, id: UUID, changes: SessionPatchInput, expected_version: int | None = None
    ) -> SessionResult:
        body = parse(SessionPatch, changes, "changes")
        if isinstance(body, Problem):
            return body
        ctx = info.context
        return await attempt(
            sessions.reschedule_session(ctx.uow, ctx.caller, id, body.command(), expected_version),
            Session.of,
        )

    @command("scheduled → held, once started; optionally with notes and goals covered.")
    async def hold_session(
        self,
        info: Ctx,
        id: UUID,
        notes: str | None = None,
        goals_covered: list[UUID] | None = None,
        expected_version: int | None = None,
    ) -> SessionResult:
        body = parse(HoldIn, {"notes": notes, "goals_covered": goals_covered or []}, "")
        if isinstance(body, Problem):
            return body
        ctx = info.context
        return await attempt(
            sessions.hold_session(
                ctx.uow,
                ctx.caller,
                id,
                notes=body.notes,
                goals_covered=tuple(body.goals_covered),
                expected_version=expected_version,
            ),
            Session.of,
        )

    @command("scheduled → cancelled")
    async def cancel_session(self, info: Ctx, id: UUID, expected_version: int | None = None) -> SessionResult:
        ctx = info.context
        return await attempt(sessions.cancel_session(ctx.uow, ctx.caller, id, expected_version), Session.of)

    @command("scheduled → missed, once it has started")
    async def miss_session(self, info: Ctx, id: UUID, expected_version: int | None = None) -> SessionResult:
        ctx = info.context
        return await attempt(sessions.miss_session(ctx.uow, ctx.caller, id, expected_version), Session.of)

    @command("The caller's own feedback on a held session, once per participant.")
    async def give_feedback(self, info: Ctx, session_id: UUID, feedback: FeedbackInput) -> SessionResult:
        body = parse(FeedbackIn, feedback, "feedback")
        if isinstance(body, Problem):
            return body
        ctx = info.context
        return await attempt(
            sessions.give_feedback(
                ctx.uow,
                ctx.caller,
                session_id,
                rating=body.rating,
                learned=body.learned,
                goals_covered=tuple(body.goals_covered),
                comment=body.comment,
            ),
            Session.of,
        )
