"""Queries of tandems: the tandem, its goals and sessions, and common free slots, as REST's
/v1/tandems, /v1/goals and /v1/sessions."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from uuid import UUID

import strawberry

from app.api.graphql.pagination import Connection, page_request
from app.api.graphql.queries_support import described, or_none
from app.api.graphql.types import Ctx, Goal, Session, Tandem, Transition
from app.api.graphql.types_availability import SlotSuggestions
from app.domain.clock import utcnow
from app.services import goals, scheduling, sessions, tandems


@strawberry.type
class TandemQueries:
    @described("a tandem with its people, goals, sessions, history and health: its participants or a manager")
    async def tandem(self, info: Ctx, id: UUID) -> Tandem | None:
        view = await or_none(tandems.view_tandem(info.context.uow, info.context.caller, id))
        if view is None:
            return None
        return Tandem.of(view.tandem)

    @described("every state change of the tandem: from, to, who, when and why; also Tandem.history")
    async def tandem_history(self, info: Ctx, tandem_id: UUID) -> list[Transition] | None:
        found = await or_none(tandems.tandem_history(info.context.uow, info.context.caller, tandem_id))
        return [Transition.of(t) for t in found] if found is not None else None

    @described("the tandem's goals, oldest first; also Tandem.goals")
    async def goals(self, info: Ctx, tandem_id: UUID, first: int = 50, after: str | None = None) -> Connection[Goal]:
        page = await goals.list_goals(info.context.uow, info.context.caller, tandem_id, page_request(first, after))
        return Connection.of(page, Goal.of)

    @described("a goal, for whoever may see its tandem")
    async def goal(self, info: Ctx, id: UUID) -> Goal | None:
        found = await or_none(goals.get_goal(info.context.uow, info.context.caller, id))
        return Goal.of(found) if found else None

    @described("the tandem's sessions, oldest first, with their feedback; also Tandem.sessions")
    async def sessions(
        self, info: Ctx, tandem_id: UUID, first: int = 50, after: str | None = None
    ) -> Connection[Session]:
        ctx = info.context
        page = await sessions.list_sessions(ctx.uow, ctx.caller, tandem_id, page_request(first, after))
        return Connection.of(page, Session.of)

    @described("a session, for whoever may see its tandem")
    async def session(self, info: Ctx, id: UUID) -> Session | None:
        found = await or_none(sessions.get_session(info.context.uow, info.context.caller, id))
        return Session.of(found) if found else None

    @described(
        "common free slots of an active tandem's mentor and mentee: inside both weekly availabilities "
        "(each in its own time zone) and the program period, skipping either person's scheduled sessions"
    )
    async def slot_suggestions(
        self,
        info: Ctx,
        tandem_id: UUID,
        duration_minutes: Annotated[
            int,
            strawberry.argument(
                description=f"length of a slot, {scheduling.MIN_DURATION_MINUTES} to {scheduling.MAX_DURATION_MINUTES}"
            ),
        ] = 60,
        days: Annotated[
            int, strawberry.argument(description=f"how far ahead to look, from now: 1 to {scheduling.MAX_DAYS}")
        ] = 14,
        limit: Annotated[
            int, strawberry.argument(description=f"at most this many slots: 1 to {scheduling.MAX_SLOTS}")
        ] = 10,
    ) -> SlotSuggestions:
        ctx = info.context
        found = await scheduling.suggest_slots(
            ctx.uow,
            ctx.caller,
            tandem_id,
            duration=timedelta(minutes=duration_minutes),
            days=days,
            limit=limit,
            now=utcnow(),
        )
        return SlotSuggestions.of(found)
